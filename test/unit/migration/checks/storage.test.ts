// Storage and memory: what the VM needs against the destination's volumes (a cluster shared volume counted as
// its own) and free memory, and a virtual disk its host cannot read.
import * as assert from 'node:assert/strict';
import { createPreflightEngine } from '../../../../src/migration/preflight';
import type { MigrationRequest } from '../../../../src/migration/types';
import { FakeRunner, ok } from '../../../support/fakeRunner';
import { destinationAnswer, GB, sourceAnswer, VM_ID, type Json } from '../../../support/preflightData';
import { ids, REQUEST, runner } from './fixtures';

describe('checks: storage and memory (fake PowerShell)', function () {
  it('checks destination memory and disk against what the VM needs', async function () {
    const result = await createPreflightEngine(
      runner(
        sourceAnswer((d) => (d.vm.checkpoints = [{ name: 'before patch', bytes: 2 * GB }])),
        destinationAnswer((d) => {
          d.host.memoryFree = 1 * GB;
          d.host.volumes = [{ name: 'D:\\', freeSpace: 15 * GB, size: 100 * GB }];
        }),
      ),
    ).check(REQUEST);
    assert.deepEqual(ids(result), ['storage.space', 'memory.insufficient']);
    assert.equal(result.findings[0].title, 'Not enough space on HV02 D:\\ (16 GB needed, 15 GB free)');
    assert.equal(result.findings[1].title, 'HV02 has 1 GB free; web01 needs 2 GB');
    const noVolume = await createPreflightEngine(runner(sourceAnswer((d) => (d.storagePath = 'Q:\\VMs\\web01')))).check(REQUEST);
    assert.deepEqual(ids(noVolume), ['storage.path']);
  });
});

const C = { name: 'C:\\', freeSpace: 10 * GB, size: 480 * GB };
const CSV = { name: 'C:\\ClusterStorage\\Volume1\\', freeSpace: 3000 * GB, size: 4096 * GB };

describe('volumes: the destination check', function () {
  const request: MigrationRequest = {
    vmId: VM_ID,
    vmName: 'web01',
    source: 'HV01',
    destination: 'HV02',
    storagePath: 'C:\\ClusterStorage\\Volume1\\web01',
  };
  const check = (csvFreeGB: number) =>
    createPreflightEngine(
      new FakeRunner()
        .answer('preflightSource', () => ok(sourceAnswer((d) => (d.storagePath = request.storagePath))))
        .answer('preflightDestination', () => ok(destinationAnswer((d) => (d.host.volumes = [C, { ...CSV, freeSpace: csvFreeGB * GB }])))),
    ).check(request);

  it('counts files sent to a cluster shared volume on it, not on C:\\ (14 GB fit on the CSV, not on C:\\)', async function () {
    const result = await check(3000);
    assert.deepEqual(result.findings, []);
    assert.equal(result.ready, true);
  });

  it('names the cluster shared volume that lacks the space, with the Win32_Volume evidence', async function () {
    const result = await check(5);
    const space = result.findings.find((f) => f.id === 'storage.space');
    assert.ok(space, result.findings.map((f) => f.id).join(', '));
    assert.equal(space.title, 'Not enough space on HV02 C:\\ClusterStorage\\Volume1\\ (14 GB needed, 5 GB free)');
    assert.deepEqual(
      space.evidence.find((e) => e.source.startsWith('Win32_Volume')),
      { source: 'Win32_Volume on HV02', detail: 'C:\\ 10 GB free of 480 GB; C:\\ClusterStorage\\Volume1\\ 5 GB free of 4 TB' },
    );
  });
});

const WEB01 = 'D:\\Hyper-V\\Virtual Hard Disks\\web01.vhdx';
const MISSING = `'${WEB01}' is not an existing virtual hard disk file.`;

async function check(disks: Json[]) {
  const fake = new FakeRunner()
    .answer('preflightSource', () => ok(sourceAnswer((d) => (d.vm.disks = disks))))
    .answer('preflightDestination', () => ok(destinationAnswer()));
  return createPreflightEngine(fake).check(REQUEST);
}

describe('checks: a virtual disk its host cannot read', function () {
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
