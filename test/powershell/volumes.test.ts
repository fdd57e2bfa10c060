// Free space comes from Win32_Volume, which lists every mounted volume by its mount path, a cluster shared
// volume's folder (C:\ClusterStorage\Volume1\) included; Win32_LogicalDisk lists drive letters only. On the
// default lab HV05 and HV06 are the nodes of CL1 and share C:\ClusterStorage\Volume1\, where erp01 lives.
import * as assert from 'node:assert/strict';
import { readFleet } from '../../src/hyperv/inventory';
import type { HostVolume } from '../../src/hyperv/model';
import { preflightDestination } from '../../src/migration/preflight';
import { createLab, type Lab } from '../support/labFixture';

const CSV = 'C:\\ClusterStorage\\Volume1\\';

interface WmiVolume {
  Name: string;
  DriveLetter: string | null;
  DriveType: number;
  FileSystem: string;
  Capacity: number;
  FreeSpace: number;
}

describe('volumes on the default lab (Win32_Volume)', function () {
  this.timeout(120_000);
  let lab: Lab;
  /** What the CSV's free space must be: its size, less what else uses it and erp01's files on it. */
  let csvFree: number;

  before(async function () {
    lab = await createLab();
    const known = await lab.run<{ size: number; otherUsed: number; erp01: number }>(
      'csv-known',
      `param($Params)
$state = Get-Content -Raw -Path $env:HYPERV_LAB_PATH | ConvertFrom-Json
$volume = @(($state.hosts | Where-Object name -eq 'HV05').volumes | Where-Object path -eq 'C:\\ClusterStorage\\Volume1\\')[0]
$erp = $state.vms | Where-Object name -eq 'erp01'
[pscustomobject]@{ size = [int64]$volume.size; otherUsed = [int64]$volume.otherUsed
  erp01 = [int64](@($erp.hardDrives | ForEach-Object { [int64]$_.fileSize }) + @($erp.snapshots | ForEach-Object { [int64]$_.fileSize }) | Measure-Object -Sum).Sum }`,
    );
    assert.ok(known.erp01 > 0, 'erp01 has files on the CSV');
    csvFree = known.size - known.otherUsed - known.erp01;
  });

  after(async function () {
    await lab?.dispose();
  });

  it('Win32_Volume lists the CSV by its mount path, without a drive letter; -Filter DriveType=3 keeps it', async function () {
    const volumes = await lab.run<WmiVolume[]>(
      'win32-volume',
      `param($Params)
@(Get-CimInstance -ClassName Win32_Volume -ComputerName HV05 -Filter 'DriveType=3' | Select-Object Name, DriveLetter, DriveType, FileSystem, Capacity, FreeSpace)`,
    );
    assert.deepEqual(
      volumes.map((v) => [v.Name, v.DriveLetter]),
      [
        ['C:\\', 'C:'],
        ['D:\\', 'D:'],
        [CSV, null],
      ],
    );
    const csv = volumes.find((v) => v.Name === CSV)!;
    assert.equal(csv.FileSystem, 'CSVFS');
    assert.equal(csv.FreeSpace, csvFree);
  });

  it('Win32_LogicalDisk lists the drive letters only, as on Windows: not the CSV', async function () {
    const ids = await lab.run<string[]>(
      'win32-logicaldisk',
      `param($Params)\n@(Get-CimInstance -ClassName Win32_LogicalDisk -ComputerName HV05 -Filter 'DriveType=3' | ForEach-Object DeviceID)`,
    );
    assert.deepEqual(ids, ['C:', 'D:']);
  });

  it("the inventory lists the CSV on both nodes with its free space, the same on each (erp01's files counted once)", async function () {
    const readings = await readFleet(lab.pool, [{ name: 'HV05' }, { name: 'HV06' }, { name: 'HV01' }]);
    const volumes = new Map<string, readonly HostVolume[]>();
    for (const r of readings) {
      assert.ok(r.ok, `${r.name}: ${r.ok ? '' : JSON.stringify(r.error)}`);
      volumes.set(r.name, r.inventory.host.volumes);
    }
    for (const node of ['HV05', 'HV06']) {
      assert.deepEqual(
        volumes.get(node)?.find((v) => v.name === CSV),
        { name: CSV, freeSpace: csvFree, size: 4096 * 1024 ** 3 },
        node,
      );
    }
    assert.deepEqual(
      volumes.get('HV01')?.map((v) => v.name),
      ['C:\\', 'D:\\'],
      'a host outside the cluster has no CSV',
    );
  });

  it('the destination facts of a preflight list the CSV with its free space', async function () {
    const result = await lab.pool.run(preflightDestination, { VmId: '00000000-0000-0000-0000-000000000000', Destination: 'HV06' });
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    assert.deepEqual(
      result.data.host.volumes.find((v) => v.name === CSV),
      { name: CSV, freeSpace: csvFree, size: 4096 * 1024 ** 3 },
    );
  });
});
