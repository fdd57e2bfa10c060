// Migration settings and concurrency: a host at its limit of simultaneous migrations makes the move wait.
import * as assert from 'node:assert/strict';
import { createPreflightEngine } from '../../../../src/migration/preflight';
import { destinationAnswer, sourceAnswer } from '../../../support/preflightData';
import { ids, REQUEST, runner } from './fixtures';

describe('checks: migration settings and concurrency (fake PowerShell)', function () {
  it('warns that a move will wait when a host is at its migration limit', async function () {
    const result = await createPreflightEngine(
      runner(
        sourceAnswer((d) => (d.jobs = [{ vmId: 'AAAA', destinationHost: 'HV03', jobType: 306 }])),
        destinationAnswer((d) => {
          d.host.maximumVmMigrations = 1;
          d.jobs = [];
        }),
      ),
    ).check(REQUEST);
    assert.deepEqual(ids(result), [], 'HV01 runs one of two; HV02 runs none');
    const full = await createPreflightEngine(
      runner(
        sourceAnswer((d) => (d.jobs = [{ vmId: 'AAAA', destinationHost: 'HV02', jobType: 305 }])),
        destinationAnswer((d) => (d.host.maximumVmMigrations = 1)),
      ),
    ).check(REQUEST);
    assert.deepEqual(
      full.findings.map((f) => [f.id, f.severity]),
      [['migration.concurrency:HV02', 'warning']],
    );
    assert.equal(full.ready, true, 'a warning: the move waits for a slot');
  });
});
