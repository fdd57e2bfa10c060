// Which volume a path lives on, when hosts name their volumes as Win32_Volume does: by mount path, so a
// cluster shared volume (C:\ClusterStorage\Volume1\) is a folder inside another volume's name (C:\). The
// deepest mount point that holds the path wins, whatever the case, the slashes or a trailing backslash
// (the destination check that counts a move's files on that volume: migration/checks/storage.test.ts).
import * as assert from 'node:assert/strict';
import { volumeOf } from '../../../src/hyperv/volumes';
import { GB } from '../../support/preflightData';

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
