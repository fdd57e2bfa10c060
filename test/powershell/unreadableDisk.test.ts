// A virtual disk file its host cannot read (missing, on a share the host cannot reach) is a finding on that VM:
// the tree still loads the host, the check still reads it, placement still measures the VM. Real pwsh on the lab.
import * as assert from 'node:assert/strict';
import { readFleet } from '../../src/hyperv/inventory';
import { placementFacts } from '../../src/migration/placement';
import { createPreflightEngine } from '../../src/migration/preflight';
import { createLab, type Lab } from '../support/labFixture';

const VHDS = 'D:\\Hyper-V\\Virtual Hard Disks';
const WEB01 = `${VHDS}\\web01.vhdx`;
const SQL01_LOG = `${VHDS}\\sql01-log.vhdx`;
const GB = 1024 ** 3;

interface VhdAnswer {
  paths: string[];
  errors: { message: string; category: string; id: string }[];
}

describe('a virtual disk file its host cannot read', function () {
  this.timeout(120_000);
  let lab: Lab;
  let ids: Map<string, string>;

  before(async function () {
    lab = await createLab();
    const rows = await lab.run<{ id: string; name: string }[]>(
      'missing-vhds',
      `param($Params)
Set-HyperVLabFault -ComputerName HV01 -MissingVhd $Params.paths
@(Get-VM -ComputerName HV01 | ForEach-Object { [pscustomobject]@{ id = [string]$_.Id; name = $_.Name } })`,
      { paths: [WEB01, SQL01_LOG] },
    );
    ids = new Map(rows.map((row) => [row.name, row.id]));
  });

  after(async function () {
    await lab?.dispose();
  });

  it("the lab's Get-VHD answers Hyper-V's error for that path only, and the other paths of the call", async function () {
    const answer = await lab.run<VhdAnswer>(
      'get-vhd',
      `param($Params)
$errors = $null
$paths = @(Get-VHD -ComputerName HV01 -Path $Params.paths -ErrorAction SilentlyContinue -ErrorVariable errors | ForEach-Object { [string]$_.Path })
[pscustomobject]@{ paths = $paths; errors = @($errors | ForEach-Object { [pscustomobject]@{ message = $_.Exception.Message; category = $_.CategoryInfo.ToString(); id = $_.FullyQualifiedErrorId } }) }`,
      { paths: [`${VHDS}\\sql01-data.vhdx`, SQL01_LOG, `${VHDS}\\build01.vhdx`] },
    );
    assert.deepEqual(answer.paths, [`${VHDS}\\sql01-data.vhdx`, `${VHDS}\\build01.vhdx`]);
    assert.deepEqual(
      answer.errors.map((e) => e.message),
      [`'${SQL01_LOG}' is not an existing virtual hard disk file.`],
    );
    assert.equal(answer.errors[0]?.category, 'InvalidArgument: (:) [Get-VHD], VirtualizationException');
    assert.match(answer.errors[0]?.id ?? '', /^InvalidParameter,/);
  });

  it('the tree still reads HV01 with all its VMs, and the disk carries why it cannot be read', async function () {
    const [reading] = await readFleet(lab.pool, [{ name: 'HV01' }]);
    assert.ok(reading?.ok, JSON.stringify(reading));
    const vms = reading.inventory.vms;
    assert.deepEqual(vms.map((vm) => vm.name).sort(), ['build01', 'sql01', 'web01']);
    const web01 = vms.find((vm) => vm.name === 'web01')!;
    assert.deepEqual(
      web01.disks.map((d) => [d.path, d.unreadable, d.fileSize]),
      [[WEB01, `'${WEB01}' is not an existing virtual hard disk file.`, null]],
    );
    const sql01 = vms.find((vm) => vm.name === 'sql01')!;
    assert.deepEqual(
      sql01.disks.map((d) => [d.path, d.unreadable === null ? null : 'unreadable', d.fileSize]),
      [
        [`${VHDS}\\sql01-data.vhdx`, null, 612 * GB],
        [SQL01_LOG, 'unreadable', null],
      ],
    );
    assert.ok(vms.find((vm) => vm.name === 'build01')!.disks.every((d) => d.unreadable === null && d.fileSize !== null));
  });

  it('the check of web01 -> HV02 reports the unreadable disk as its one blocker, no error of the host', async function () {
    const engine = createPreflightEngine(lab.pool, { credentialFor: () => ({ userName: 'CONTOSO\\admin', password: 'x' }) });
    const result = await engine.check({ vmId: ids.get('web01')!, vmName: 'web01', source: 'HV01', destination: 'HV02' });
    assert.deepEqual(
      result.findings.filter((f) => f.severity === 'blocker').map((f) => f.id),
      ['storage.vhd-unreadable:SCSI 0:0'],
    );
    const finding = result.findings[0];
    assert.match(finding.title, /web01\.vhdx.*SCSI 0:0/);
    assert.ok(finding.cause.includes(`'${WEB01}' is not an existing virtual hard disk file.`), finding.cause);
    assert.equal(result.ready, false);
  });

  it('placement measures sql01 without the file it cannot read', async function () {
    const result = await lab.pool.run(placementFacts, { ComputerName: 'HV01', VmIds: [ids.get('sql01')!] });
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    assert.equal(result.data.vms[0]?.diskBytes, 612 * GB);
  });
});
