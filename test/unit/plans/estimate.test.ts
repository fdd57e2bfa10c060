// The Run Plan code lens's estimate: the bytes each move carries and how long the plan should take, run
// through the queue's rule with the hosts' limits and the plan's fleet-wide cap.
import * as assert from 'node:assert/strict';
import { decodeHostInventory, type HostReading } from '../../../src/hyperv/inventory';
import { estimateMs } from '../../../src/migration/placement';
import { estimatePlan, hostLimits, moveBytes, queueOrder } from '../../../src/plans/estimate';
import { parsePlan } from '../../../src/plans/planFile';
import { resolvePlan } from '../../../src/plans/resolve';
import { hostJson, vmJson } from '../../support/inventoryData';

const GB = 1024 ** 3;
const disk = (fileSize: number | null, diskNumber: number | null = null) => ({
  path: diskNumber === null ? 'D:\\Hyper-V\\x.vhdx' : null,
  diskNumber,
  controller: 'SCSI 0:0',
  fileSize,
  size: 100 * GB,
});

function fleet(): HostReading[] {
  const read = (name: string, vms: Record<string, unknown>[], host: Record<string, unknown> = {}): HostReading => ({
    name,
    ok: true,
    inventory: decodeHostInventory({ host: hostJson(name, host), vms }),
  });
  return [
    read('HV01', [vmJson('web01', 'HV01', { id: 'id-web01', memoryAssigned: 4 * GB, disks: [disk(20 * GB)] })]),
    read('HV02', [
      vmJson('sql01', 'HV02', {
        id: 'id-sql01',
        state: 'Off',
        memoryAssigned: 0,
        memoryStartup: 16 * GB,
        disks: [disk(40 * GB), disk(null, 3)],
      }),
    ]),
    read('HV03', [], { maximumVmMigrations: 1, maximumStorageMigrations: 1 }),
    read('HV04', []),
  ];
}

describe('plan file: estimatePlan', function () {
  it("counts a live VM's memory and its virtual disks' files; an off VM's disks only; no pass-through disk", function () {
    const [hv01, hv02] = fleet();
    assert.ok(hv01?.ok && hv02?.ok);
    assert.equal(moveBytes(hv01.inventory.vms[0]), 24 * GB);
    assert.equal(moveBytes(hv02.inventory.vms[0]), 40 * GB);
    assert.deepEqual(hostLimits(fleet()).HV03, { vm: 1, storage: 1 });
  });

  it('side by side when the hosts allow, one after another under "concurrency": 1 or a host limit of 1', function () {
    const estimate = (text: string) => {
      const file = parsePlan(text);
      assert.deepEqual(file.problems, []);
      const resolved = resolvePlan(file, fleet());
      assert.deepEqual(resolved.problems, []);
      return estimatePlan(file, resolved.moves, fleet());
    };
    const web = estimateMs(24 * GB);
    const sql = estimateMs(40 * GB);
    const moves = (destination: string) =>
      `[ { "vm": "web01", "destination": "${destination}" }, { "vm": "sql01", "destination": "${destination === 'HV03' ? 'HV03' : 'HV01'}" } ]`;
    assert.deepEqual(estimate(`{ "moves": ${moves('HV04')} }`), { moves: 2, bytes: 64 * GB, durationMs: Math.max(web, sql) });
    assert.equal(estimate(`{ "concurrency": 1, "moves": ${moves('HV04')} }`).durationMs, web + sql);
    assert.equal(estimate(`{ "moves": ${moves('HV03')} }`).durationMs, web + sql, 'HV03 takes one migration at a time');
    assert.equal(queueOrder(parsePlan('{ "order": "as-written", "moves": [] }')), 'fifo');
    assert.equal(queueOrder(parsePlan('{ "moves": [] }')), 'longest-first');
  });
});
