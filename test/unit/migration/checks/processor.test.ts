// The processor compatibility fix as the checks offer it, per state of the VM (fake PowerShell): the setting
// changes only while the VM is off, so for a running, paused or saved VM the fix says it shuts the VM down
// (downtime) and what happens first; nowhere does it promise no downtime.
import * as assert from 'node:assert/strict';
import { createFixer } from '../../../../src/migration/fixes';
import { createPreflightEngine } from '../../../../src/migration/preflight';
import type { FixOption, MigrationRequest } from '../../../../src/migration/types';
import { FakeRunner, ok } from '../../../support/fakeRunner';
import { destinationAnswer, sourceAnswer, VM_ID } from '../../../support/preflightData';

const REQUEST: MigrationRequest = { vmId: VM_ID, vmName: 'web01', source: 'HV01', destination: 'HV02' };
const FEATURES = {
  messageId: 24008,
  message: "Virtual machine 'web01' is using processor-specific features not supported on host 'HV02'.",
  sourceType: 'Microsoft.HyperV.PowerShell.VMProcessor',
  sourceKey: null,
};

/** The processor compatibility fix the check offers for web01 in that state. */
async function compatibilityFix(state: string): Promise<FixOption> {
  const fake = new FakeRunner()
    .answer('preflightSource', () =>
      ok(
        sourceAnswer((d) => {
          d.vm.state = state;
          d.compare.incompatibilities = [FEATURES];
        }),
      ),
    )
    .answer('preflightDestination', () => ok(destinationAnswer()));
  const result = await createPreflightEngine(fake).check(REQUEST);
  const finding = result.findings.find((f) => f.id === 'processor.features');
  assert.ok(finding, result.findings.map((f) => f.id).join(', '));
  const fix = finding.fixes.find((f) => f.id === 'enable-compatibility');
  assert.ok(fix, `${state}: no enable-compatibility fix`);
  return fix;
}

describe('processor compatibility fix (fake PowerShell)', function () {
  it('never promises no downtime: running, paused and saved VMs are shut down, and the fix asks first', async function () {
    for (const state of ['Saved', 'Paused', 'Running', 'Off']) {
      const fix = await compatibilityFix(state);
      assert.doesNotMatch(`${fix.title} ${fix.description}`, /no downtime/i, state);
      assert.equal(fix.destructive, state !== 'Off', state);
      if (state !== 'Off')
        assert.match(fix.description, /^Downtime: .*shut down \(Stop-VM\).*started again \(Start-VM\)\. It ends running/, state);
    }
  });

  it('says what happens first to a paused VM (resumed) and to a saved VM (started from its saved state, not returned to it)', async function () {
    const paused = await compatibilityFix('Paused');
    assert.equal(paused.title, 'Resume web01, shut it down, turn on processor compatibility, start it again');
    assert.match(paused.description, /a paused VM cannot be shut down, so web01 is resumed \(Resume-VM\)/);
    const saved = await compatibilityFix('Saved');
    assert.equal(saved.title, 'Start web01 from its saved state, shut it down, turn on processor compatibility, start it again');
    assert.match(saved.description, /a saved VM is not off\. web01 is started \(Start-VM\), its guest going on from its saved state/);
    assert.match(saved.description, /It does not return to the saved state\.$/);
    const off = await compatibilityFix('Off');
    assert.equal(
      off.description,
      'web01 is off: it is set to processor compatibility for migration (Set-VMProcessor -CompatibilityForMigrationEnabled $true), and stays off.',
    );
  });

  it('a VM between states gets the fix with a warning that it will refuse until the VM settles', async function () {
    const starting = await compatibilityFix('Starting');
    assert.match(starting.description, /It is Starting now: the fix refuses to run until it is running, off, saved or paused\.$/);
  });

  it("the fixer's message after the fix says the VM was shut down and is running, unless it was off", async function () {
    const fake = new FakeRunner().answer('fixProcessorCompatibility', () => ok(null));
    const fix = await compatibilityFix('Saved');
    const outcome = await createFixer(fake).apply(
      REQUEST,
      {
        finding: { id: 'processor.features', area: 'processor', severity: 'blocker', title: '', cause: '', evidence: [], fixes: [fix] },
        fixId: fix.id,
      },
      undefined,
    );
    assert.ok(outcome.ok);
    assert.equal(
      outcome.message,
      'Processor compatibility for migration is on for web01 (unless it was off, it was shut down and started again: it is running).',
    );
  });
});
