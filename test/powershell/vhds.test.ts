// Per-disk destinations on the lab, through the session layer and real pwsh: sql01's two disks go to two
// volumes of HV02 (data to D:, log to C:) by Compare-VM/Move-VM -Vhds, by the preflight engine and the
// executor, and by the Copy as PowerShell script run as it is; afterwards the lab says where each disk
// is and each volume lost what was sent to it. A path that is no disk of the VM, and a disk left out,
// are refused as Hyper-V refuses them.
import * as assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMoveExecutor } from '../../src/migration/executor';
import { createPreflightEngine } from '../../src/migration/preflight';
import type { MigrationRequest, MovePlan } from '../../src/migration/types';
import { planScript } from '../../src/plans/planScript';
import { createLab, type Lab } from '../support/labFixture';

const GB = 1024 ** 3;
const VHD = 'D:\\Hyper-V\\Virtual Hard Disks';
const DATA = `${VHD}\\sql01-data.vhdx`;
const LOG = `${VHD}\\sql01-log.vhdx`;
const DATA_TO = 'D:\\SQL\\sql01-data.vhdx';
const LOG_TO = 'C:\\SQLLog\\sql01-log.vhdx';

interface Where {
  Host: string;
  Path: string;
  Disks: string[];
  Free: Record<string, number>;
}

/** Where sql01 is, its configuration folder and disks, and each volume's free space on HV02. */
const WHERE = `param($Params)
$vm = @(Get-VM -ComputerName HV01, HV02 | Where-Object Name -eq 'sql01')[0]
$free = @{}
foreach ($volume in (Get-VMHost -ComputerName HV02).LabVolumes) { $free[$volume.Path] = $volume.FreeSpace }
[pscustomobject]@{ Host = $vm.ComputerName; Path = $vm.Path; Disks = @(Get-VMHardDiskDrive -VM $vm | ForEach-Object Path); Free = $free }`;

// The admin's stored credential, handed on by the source for the report flow's second hop.
const ADMIN = { userName: 'CONTOSO\\admin', password: 'not logged' };

describe('per-disk destinations on the lab', function () {
  this.timeout(120_000);
  let lab: Lab;
  let request: MigrationRequest;
  let storageAdapter: string;
  let journalDir: string;

  const where = (): Promise<Where> => lab.run<Where>('where', WHERE);
  const reset = (): Promise<unknown> =>
    lab.run('reset', 'param($Params)\n$null = Reset-HyperVLab\nSet-HyperVLabTimeScale -TimeScale 1000000');
  /** What each volume of HV02 lost between two readings. */
  const used = (before: Where, after: Where): Record<string, number> =>
    Object.fromEntries(Object.keys(before.Free).map((volume) => [volume, (before.Free[volume] ?? 0) - (after.Free[volume] ?? 0)]));

  before(async function () {
    lab = await createLab();
    const vm = await lab.run<{ Id: string; Storage: string }>(
      'sql01',
      `param($Params)
$vm = Get-VM -Name sql01 -ComputerName HV01
[pscustomobject]@{ Id = [string]$vm.Id; Storage = @($vm.NetworkAdapters | Where-Object SwitchName -eq 'Storage')[0].Id }`,
    );
    storageAdapter = vm.Storage;
    request = {
      vmId: vm.Id,
      vmName: 'sql01',
      source: 'HV01',
      destination: 'HV02',
      storagePath: 'D:\\VMs\\sql01',
      vhds: [
        { source: DATA, destination: DATA_TO },
        { source: LOG, destination: LOG_TO },
      ],
    };
  });

  beforeEach(async function () {
    await reset();
    journalDir = await mkdtemp(join(tmpdir(), 'hyperv-vhds-'));
  });

  afterEach(async function () {
    await rm(journalDir, { recursive: true, force: true });
  });

  after(async function () {
    await lab?.dispose();
  });

  it('lab: Move-VM -VirtualMachinePath -Vhds puts each disk on its volume; the free space of each volume goes down by its disk', async function () {
    const before = await where();
    await lab.run(
      'move',
      `param($Params)
$disks = @($Params.vhds | ForEach-Object { @{ SourceFilePath = $_.source; DestinationFilePath = $_.destination } })
$report = Compare-VM -Name sql01 -ComputerName HV01 -DestinationHost HV02 -VirtualMachinePath $Params.path -SnapshotFilePath $Params.path -SmartPagingFilePath $Params.path -Vhds $disks
$report.Incompatibilities | Where-Object MessageId -eq 33012 | ForEach-Object { Disconnect-VMNetworkAdapter -VMNetworkAdapter $_.Source }
$report = Compare-VM -CompatibilityReport $report
if ($report.Incompatibilities) { throw ($report.Incompatibilities | ForEach-Object Message) -join '; ' }
Move-VM -CompatibilityReport $report`,
      { path: request.storagePath, vhds: request.vhds },
    );
    const after = await where();
    assert.deepEqual(
      { Host: after.Host, Path: after.Path, Disks: after.Disks },
      { Host: 'HV02', Path: 'D:\\VMs\\sql01', Disks: [DATA_TO, LOG_TO] },
    );
    assert.deepEqual(used(before, after), { 'C:\\': 300 * GB, 'D:\\': 612 * GB });
  });

  it('lab: a -Vhds path that is no disk of the VM is an error of Compare-VM and Move-VM; a disk left out is 20810', async function () {
    const wrong = `${VHD}\\sql01-temp.vhdx`;
    const refused = await lab.attempt(
      'compare-wrong',
      `param($Params)
Compare-VM -Name sql01 -ComputerName HV01 -DestinationHost HV02 -VirtualMachinePath 'D:\\VMs\\sql01' -Vhds @(@{ SourceFilePath = $Params.wrong; DestinationFilePath = 'D:\\SQL\\sql01-temp.vhdx' })`,
      { wrong },
    );
    assert.equal(refused.ok, false);
    assert.match(
      refused.ok ? '' : refused.error.message,
      /\r\nThe virtual hard disk 'D:\\Hyper-V\\Virtual Hard Disks\\sql01-temp\.vhdx' is not attached to virtual machine 'sql01'\. \(0x80070002\)$/,
    );
    const moved = await lab.attempt(
      'move-wrong',
      `param($Params)
Move-VM -Name sql01 -ComputerName HV01 -DestinationHost HV02 -VirtualMachinePath 'D:\\VMs\\sql01' -Vhds @(@{ SourceFilePath = $Params.wrong; DestinationFilePath = 'D:\\SQL\\sql01-temp.vhdx' })`,
      { wrong },
    );
    assert.equal(moved.ok, false);
    assert.match(moved.ok ? '' : moved.error.message, /not attached to virtual machine 'sql01'/);
    assert.equal((await where()).Host, 'HV01');

    const leftOut = await lab.run<{ MessageId: number; Message: string }[]>(
      'compare-left-out',
      `param($Params)
@((Compare-VM -Name sql01 -ComputerName HV01 -DestinationHost HV02 -VirtualMachinePath 'D:\\VMs\\sql01' -Vhds @(@{ SourceFilePath = $Params.data; DestinationFilePath = $Params.to })).Incompatibilities |
    Where-Object MessageId -ne 33012 | Select-Object MessageId, Message)`,
      { data: DATA, to: DATA_TO },
    );
    assert.deepEqual(
      leftOut.map((i) => i.MessageId),
      [20810],
    );
    assert.match(
      leftOut[0]?.Message ?? '',
      /sql01-log\.vhdx' of virtual machine 'sql01' is stored on host 'HV01' and cannot be reached from host 'HV02'/,
    );
  });

  it("lab: a -Vhds entry that renames its disk is refused by Compare-VM and Move-VM with the validator's error; a change of case is no rename", async function () {
    for (const cmdlet of ['Compare-VM', 'Move-VM']) {
      const refused = await lab.attempt(
        `renamed-${cmdlet}`,
        `param($Params)
& $Params.cmdlet -Name sql01 -ComputerName HV01 -DestinationHost HV02 -VirtualMachinePath 'D:\\VMs\\sql01' -Vhds @(
    @{ SourceFilePath = $Params.data; DestinationFilePath = 'D:\\SQL\\data.vhdx' },
    @{ SourceFilePath = $Params.log; DestinationFilePath = $Params.logTo })`,
        { cmdlet, data: DATA, log: LOG, logTo: LOG_TO.toUpperCase() },
      );
      assert.equal(refused.ok, false, cmdlet);
      if (refused.ok) continue;
      assert.equal(refused.error.message, 'The source and destination file names in the Vhds parameter must match.', cmdlet);
      assert.equal(refused.error.category, 'InvalidArgument', cmdlet);
    }
    assert.equal((await where()).Host, 'HV01', 'nothing moved');
    const report = await lab.run<number[]>(
      'renamed-case',
      `param($Params)
@((Compare-VM -Name sql01 -ComputerName HV01 -DestinationHost HV02 -VirtualMachinePath 'D:\\VMs\\sql01' -Vhds @(
    @{ SourceFilePath = $Params.data; DestinationFilePath = $Params.dataTo }, @{ SourceFilePath = $Params.log; DestinationFilePath = $Params.logTo })).Incompatibilities |
    Where-Object MessageId -ne 33012 | ForEach-Object MessageId)`,
      { data: DATA, dataTo: DATA_TO.toUpperCase(), log: LOG, logTo: LOG_TO },
    );
    assert.deepEqual(report, []);
  });

  it('preflight: the per-disk move is ready where one folder on C: is not; a wrong path and a disk left out are blockers', async function () {
    const engine = createPreflightEngine(lab.pool, { credentialFor: () => ADMIN });
    const plan: MovePlan = { request, adapterSwitches: { [storageAdapter]: null }, ejectDvd: [] };
    const split = await engine.check(request, { plan });
    assert.deepEqual(
      split.findings.map((f) => f.id),
      [],
    );
    assert.equal(split.ready, true);
    assert.equal(split.storagePath, 'D:\\VMs\\sql01');

    const oneFolder: MigrationRequest = { ...request, storagePath: 'C:\\VMs\\sql01', vhds: undefined };
    const full = await engine.check(oneFolder, { plan: { ...plan, request: oneFolder } });
    const space = full.findings.find((f) => f.id === 'storage.space');
    assert.ok(space, full.findings.map((f) => f.id).join(', '));
    assert.equal(space.compareVm?.messageId, 20804, "Compare-VM says the same: the check used the move's parameters");

    const wrong = `${VHD}\\sql01-temp.vhdx`;
    const unknown = await engine.check(
      { ...request, vhds: [...request.vhds!, { source: wrong, destination: 'D:\\SQL\\sql01-temp.vhdx' }] },
      { plan },
    );
    const finding = unknown.findings.find((f) => f.id === `storage.vhd-unknown:${wrong.toUpperCase()}`);
    assert.ok(finding, unknown.findings.map((f) => f.id).join(', '));
    assert.equal(finding.severity, 'blocker');
    assert.match(finding.cause, /sql01 has no virtual disk at that path on HV01/);
    assert.equal(unknown.ready, false);
    assert.match(
      unknown.findings.find((f) => f.id === 'other.compare-vm-failed')?.evidence[0]?.detail ?? '',
      /not attached to virtual machine 'sql01'/,
    );

    const leftOut = await engine.check({ ...request, vhds: [request.vhds![0]] }, { plan });
    assert.deepEqual(
      leftOut.findings.map((f) => [f.id, f.severity, f.compareVm?.messageId]),
      [['storage.vhd-unreachable:SCSI 0:1', 'blocker', 20810]],
    );
  });

  it('executor: the move lands each disk where it was sent, and the journal keeps the list', async function () {
    const before = await where();
    const executor = createMoveExecutor({ runner: lab.pool, journalDir, pollIntervalMs: 100, credentialFor: () => ADMIN });
    try {
      const handle = await executor.start({ request, adapterSwitches: { [storageAdapter]: null }, ejectDvd: [] });
      const done = await handle.done;
      assert.equal(done.outcome?.phase, 'succeeded', JSON.stringify(done.outcome));
    } finally {
      executor.dispose();
    }
    const after = await where();
    assert.deepEqual(
      { Host: after.Host, Path: after.Path, Disks: after.Disks },
      { Host: 'HV02', Path: 'D:\\VMs\\sql01', Disks: [DATA_TO, LOG_TO] },
    );
    assert.deepEqual(used(before, after), { 'C:\\': 300 * GB, 'D:\\': 612 * GB });
    const [file] = (await readdir(journalDir)).filter((name) => name.endsWith('.json'));
    assert.ok(file, 'the move is journaled');
    const entry = JSON.parse(await readFile(join(journalDir, file), 'utf8')) as { record: { plan: MovePlan } };
    assert.deepEqual(entry.record.plan.request.vhds, request.vhds);
  });

  it('Copy as PowerShell, run as it is, makes the same move', async function () {
    const script = planScript({ request, plan: { request, adapterSwitches: { [storageAdapter]: null }, ejectDvd: [] } });
    // The admin sets $DestinationCredential first, as the script's comments say (the report flow's second hop).
    await lab.run(
      'plan-script',
      `param($Params)\n$DestinationCredential = [pscredential]::new('CONTOSO\\admin', (ConvertTo-SecureString 'x' -AsPlainText -Force))\n${script}`,
    );
    const after = await where();
    assert.deepEqual(
      { Host: after.Host, Path: after.Path, Disks: after.Disks },
      { Host: 'HV02', Path: 'D:\\VMs\\sql01', Disks: [DATA_TO, LOG_TO] },
    );
  });
});
