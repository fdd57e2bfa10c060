// Hosts: a host that does not answer, or answers without the Hyper-V module, is a finding naming it.
import * as assert from 'node:assert/strict';
import { createPreflightEngine } from '../../../../src/migration/preflight';
import type { PowerShellResult } from '../../../../src/powershell/types';
import { destinationAnswer, sourceAnswer } from '../../../support/preflightData';
import { ids, REQUEST, runner } from './fixtures';

describe('checks: hosts (fake PowerShell)', function () {
  it('turns an unreachable source into a finding, and still checks the destination', async function () {
    const unreachable: PowerShellResult<unknown> = {
      ok: false,
      error: {
        kind: 'hostUnreachable',
        message: "The operation on computer 'HV01' failed: WinRM cannot complete the operation.",
        target: 'HV01',
      },
      warnings: [],
    };
    const result = await createPreflightEngine(runner(unreachable, destinationAnswer())).check(REQUEST);
    assert.deepEqual(ids(result), ['hosts.unreachable:HV01']);
    assert.match(result.findings[0].cause, /source host HV01 could not be reached/);
    assert.equal(result.ready, false);
    assert.equal(result.storagePath, undefined);
  });

  it('a source whose session cannot be opened is that finding at once: its read is not tried a second time', async function () {
    const unreachable: PowerShellResult<unknown> = {
      ok: false,
      error: {
        kind: 'hostUnreachable',
        message: 'Connecting to remote server HV01 failed: WinRM cannot complete the operation.',
        target: 'HV01',
      },
      warnings: [],
    };
    const fake = runner().answer('openHostSessions', () => unreachable);
    const result = await createPreflightEngine(fake).check(REQUEST);
    assert.deepEqual(ids(result), ['hosts.unreachable:HV01']);
    assert.deepEqual(
      fake.calls.map((c) => c.script),
      ['openHostSessions', 'preflightDestination'],
    );
  });

  it('turns a destination without the Hyper-V module into a finding naming it', async function () {
    const noModule: PowerShellResult<unknown> = {
      ok: false,
      error: { kind: 'moduleMissing', message: 'Get-VMHost is not available: the Hyper-V PowerShell module is not installed here.' },
      warnings: [],
    };
    const result = await createPreflightEngine(runner(sourceAnswer(), noModule)).check(REQUEST);
    assert.deepEqual(ids(result), ['hosts.module-missing:HV02']);
    assert.equal(result.findings[0].evidence[0]?.detail, noModule.error.message);
  });
});
