// A virtual disk file its host cannot read (missing, on a share the host cannot reach): the inventory carries
// Get-VHD's message on the disk (the check that makes it a blocker: migration/checks/storage.test.ts).
import * as assert from 'node:assert/strict';
import { decodeHostInventory } from '../../../src/hyperv/inventory';
import { hostJson, vmJson } from '../../support/inventoryData';

const WEB01 = 'D:\\Hyper-V\\Virtual Hard Disks\\web01.vhdx';
const MISSING = `'${WEB01}' is not an existing virtual hard disk file.`;

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
});
