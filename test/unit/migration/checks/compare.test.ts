// Compare-VM's report as the checks read it: an incompatibility nobody knows is shown verbatim, a known one
// merges with the check of the same cause (by its Source type and message, or its MessageId when reworded),
// and Hyper-V's summary line stays.
import * as assert from 'node:assert/strict';
import { createPreflightEngine } from '../../../../src/migration/preflight';
import { ADAPTER, destinationAnswer, sourceAnswer } from '../../../support/preflightData';
import { ids, incompatibility, REQUEST, runner } from './fixtures';

describe('checks: Compare-VM (fake PowerShell)', function () {
  it('shows an incompatibility it does not recognize verbatim, as a blocker in "other"', async function () {
    const message = 'The virtual machine uses a feature this build of Hyper-V cannot migrate yet.';
    const result = await createPreflightEngine(
      runner(sourceAnswer((d) => (d.compare.incompatibilities = [incompatibility(40050, message, 'VMFloppyDiskDrive')]))),
    ).check(REQUEST);
    assert.equal(result.findings.length, 1);
    const finding = result.findings[0];
    assert.equal(finding.id, 'other.compare-vm:40050:VMFloppyDiskDrive:');
    assert.equal(finding.area, 'other');
    assert.equal(finding.severity, 'blocker');
    assert.equal(finding.title, message);
    assert.deepEqual(finding.compareVm, { messageId: 40050, message, sourceType: 'Microsoft.HyperV.PowerShell.VMFloppyDiskDrive' });
    assert.ok(finding.evidence.some((e) => e.detail === `40050: ${message}`));
    assert.equal(result.ready, false);
  });

  it('recognizes an incompatibility by its Source type and message, or by its MessageId when reworded; not by the message alone', async function () {
    const reworded = await createPreflightEngine(
      runner(
        sourceAnswer(
          (d) =>
            (d.compare.incompatibilities = [
              incompatibility(33012, "Impossible de trouver le commutateur Ethernet 'LAN1'.", 'VMNetworkAdapter', ADAPTER),
            ]),
        ),
        destinationAnswer((d) => (d.host.switches = [{ name: 'Backup', switchType: 'External' }])),
      ),
    ).check(REQUEST);
    assert.deepEqual(ids(reworded), [`network.switch-missing:${ADAPTER}`], 'our finding and the localized 33012 are one');
    assert.equal(reworded.findings[0].evidence.filter((e) => e.source.startsWith('Compare-VM')).length, 1);
    assert.ok(reworded.findings[0].evidence.some((e) => e.source === 'Get-VMSwitch -ComputerName HV02'));

    const otherId = await createPreflightEngine(
      runner(
        sourceAnswer(
          (d) =>
            (d.compare.incompatibilities = [incompatibility(1, "Could not find Ethernet switch 'LAN1'.", 'VMNetworkAdapter', ADAPTER)]),
        ),
      ),
    ).check(REQUEST);
    assert.deepEqual(ids(otherId), [`network.switch-missing:${ADAPTER}`], 'the message on the adapter is enough');

    const wrongSource = await createPreflightEngine(
      runner(
        sourceAnswer(
          (d) => (d.compare.incompatibilities = [incompatibility(7, "Could not find Ethernet switch 'LAN1'.", 'VirtualMachine')]),
        ),
      ),
    ).check(REQUEST);
    assert.deepEqual(ids(wrongSource), ['other.compare-vm:7:VirtualMachine:']);
  });

  it("keeps Hyper-V's summary line: a blocker when it is all there is, an info beside the reasons it sums up", async function () {
    const summary = incompatibility(
      21014,
      "The virtual machine 'web01' is not compatible with physical computer 'HV02'.",
      'VirtualMachine',
    );
    const alone = await createPreflightEngine(runner(sourceAnswer((d) => (d.compare.incompatibilities = [summary])))).check(REQUEST);
    assert.deepEqual(
      alone.findings.map((f) => [f.area, f.severity]),
      [['other', 'blocker']],
    );
    const withReason = await createPreflightEngine(
      runner(
        sourceAnswer(
          (d) =>
            (d.compare.incompatibilities = [
              summary,
              incompatibility(
                24008,
                "Virtual machine 'web01' is using processor-specific features not supported on host 'HV02'.",
                'VMProcessor',
              ),
            ]),
        ),
      ),
    ).check(REQUEST);
    assert.deepEqual(
      withReason.findings.map((f) => [f.id, f.severity]),
      [
        ['processor.features', 'blocker'],
        ['other.compare-vm:21014:VirtualMachine:', 'info'],
      ],
    );
  });
});
