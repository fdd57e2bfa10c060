// Which volume a path lives on, when hosts name their volumes as Win32_Volume does: by mount path, so a
// cluster shared volume (C:\ClusterStorage\Volume1\) is a folder inside another volume's name (C:\). The
// deepest mount point that holds the path wins, whatever the case, the slashes or a trailing backslash;
// the destination check counts a move's files on that volume.
import * as assert from 'node:assert/strict';
import { volumeOf } from '../../src/hyperv/volumes';
import { createPreflightEngine } from '../../src/migration/preflight';
import type { MigrationRequest } from '../../src/migration/types';
import { FakeRunner, ok } from './fakeRunner';
import { destinationAnswer, GB, sourceAnswer, VM_ID } from './preflightData';

const C = { name: 'C:\\', freeSpace: 10 * GB, size: 480 * GB };
const CSV = { name: 'C:\\ClusterStorage\\Volume1\\', freeSpace: 3000 * GB, size: 4096 * GB };
const DISK = 'C:\\ClusterStorage\\Volume1\\web01\\web01.vhdx';

describe('volumes: the volume of a path', function () {
  it('is the deepest mount point holding it, in whatever order the host lists its volumes', function () {
    assert.equal(volumeOf(DISK, [C, CSV]), CSV);
    assert.equal(volumeOf(DISK, [CSV, C]), CSV);
    assert.equal(volumeOf('C:\\Hyper-V\\web01', [C, CSV]), C);
  });

  it('matches case-insensitively, with either slash, and names with or without the trailing backslash', function () {
    assert.equal(volumeOf('c:/clusterstorage/volume1/web01', [C, CSV]), CSV);
    const bare = [
      { ...C, name: 'C:' },
      { ...CSV, name: 'c:\\clusterstorage\\volume1' },
    ];
    assert.equal(volumeOf(DISK, bare), bare[1]);
    assert.equal(volumeOf('C:\\ClusterStorage\\Volume1', [C, CSV]), CSV, 'the mount path itself');
  });

  it('takes a name only as a whole folder: Volume1 does not hold Volume10; no volume holds another drive', function () {
    assert.equal(volumeOf('C:\\ClusterStorage\\Volume10\\web01', [C, CSV]), C);
    assert.equal(volumeOf('Q:\\VMs\\web01', [C, CSV]), undefined);
  });
});

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
