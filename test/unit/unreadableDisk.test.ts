// A virtual disk file its host cannot read (missing, on a share the host cannot reach): the inventory carries
// Get-VHD's message on the disk, and the check makes it a blocker of that VM naming the disk and what to do.
import * as assert from 'node:assert/strict';
import { decodeHostInventory } from '../../src/hyperv/inventory';
import { createPreflightEngine } from '../../src/migration/preflight';
import type { MigrationRequest } from '../../src/migration/types';
import { FakeRunner, ok } from './fakeRunner';
import { hostJson, vmJson } from './inventoryData';
import { destinationAnswer, GB, sourceAnswer, VM_ID, type Json } from './preflightData';

const REQUEST: MigrationRequest = { vmId: VM_ID, vmName: 'web01', source: 'HV01', destination: 'HV02' };
const WEB01 = 'D:\\Hyper-V\\Virtual Hard Disks\\web01.vhdx';
const MISSING = `'${WEB01}' is not an existing virtual hard disk file.`;

async function check(disks: Json[]) {
  const fake = new FakeRunner()
    .answer('preflightSource', () => ok(sourceAnswer((d) => (d.vm.disks = disks))))
    .answer('preflightDestination', () => ok(destinationAnswer()));
  return createPreflightEngine(fake).check(REQUEST);
}

describe('a virtual disk its host cannot read', function () {
  it('the inventory keeps the disk with why it cannot be read; an answer without the field reads as readable', function () {
    const unreadable = { path: WEB01, diskNumber: null, controller: 'SCSI 0:0', fileSize: null, size: null, unreadable: MISSING };
    const inventory = decodeHostInventory({
      host: hostJson('HV01'),
      vms: [vmJson('web01', 'HV01', { disks: [unreadable] }), vmJson('sql01', 'HV01')],
    });
    assert.equal(inventory.vms[0]?.disks[0]?.unreadable, MISSING);
    assert.equal(inventory.vms[1]?.disks[0]?.unreadable, null);
  });

  it("is a blocker of the VM naming the disk, its controller and Get-VHD's message, with what to do and no fix", async function () {
    const result = await check([
      { controller: 'SCSI 0:0', path: WEB01, diskNumber: null, bytes: 0, unreadable: { path: WEB01, message: MISSING } },
    ]);
    assert.deepEqual(
      result.findings.map((f) => [f.id, f.area, f.severity]),
      [['storage.vhd-unreadable:SCSI 0:0', 'storage', 'blocker']],
    );
    const finding = result.findings[0];
    assert.equal(finding.title, `The virtual disk '${WEB01}' (SCSI 0:0) cannot be read on HV01`);
    assert.ok(finding.cause.includes(MISSING), finding.cause);
    assert.match(finding.cause, /Restore the file, or the share it is on .*, or remove the drive from the VM\./);
    assert.deepEqual(finding.evidence, [{ source: 'Get-VHD (web01 on HV01)', detail: `SCSI 0:0: ${WEB01}: ${MISSING}` }]);
    assert.deepEqual(finding.fixes, []);
    assert.equal(result.ready, false);
  });

  it('names the parent of a differencing disk when the parent is what cannot be read, one line of the message', async function () {
    const parent = '\\\\FS01\\Templates\\base.vhdx';
    const message = `Getting the mounted storage instance for the path '${parent}' failed.\r\nThe network path was not found.`;
    const result = await check([
      { controller: 'SCSI 0:0', path: WEB01, diskNumber: null, bytes: 14 * GB, unreadable: { path: parent, message } },
      { controller: 'SCSI 0:1', path: 'D:\\Hyper-V\\Virtual Hard Disks\\web01-data.vhdx', diskNumber: null, bytes: GB, unreadable: null },
    ]);
    assert.deepEqual(
      result.findings.map((f) => f.id),
      ['storage.vhd-unreadable:SCSI 0:0'],
    );
    const cause = result.findings[0].cause;
    assert.ok(cause.includes(`'${parent}', a parent of this differencing disk`), cause);
    assert.ok(cause.includes(`'${parent}' failed. The network path was not found.`), cause);
  });
});
