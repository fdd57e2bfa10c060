// Move-VM on the lab, through the session layer and real pwsh: a move takes simulated time and shows
// progress to any process; it completes although the process that started it is gone; cancel and
// faults leave the VM running on its source; limits hold across processes; authentication and
// clustering fail with Hyper-V's texts.

import * as assert from 'node:assert/strict';
import type { PowerShellPool } from '../../src/powershell/pool';
import type { PowerShellResult } from '../../src/powershell/types';
import { createLab, labScript, type Lab } from '../support/labFixture';

interface JobView {
  InstanceID: string;
  JobState: number;
  PercentComplete: number;
  JobType: number;
  VirtualSystemName: string;
  DestinationHost: string;
  ErrorDescription: string | null;
}

interface LabSummary {
  Vms: { Name: string; Host: string; Type: string; State: string; Status: string }[];
  Moves: { Vm: string; State: string; Percent: number }[];
}

interface Sample {
  Jobs: JobView[];
  Status: string | null;
  VmPercent: number | null;
}

const JOBS = `param($Params)
@(Get-CimInstance -Namespace root\\virtualization\\v2 -ClassName Msvm_MigrationJob -ComputerName $Params.source |
    Where-Object { -not $Params.vmId -or $_.VirtualSystemName -eq $Params.vmId } |
    Select-Object InstanceID, JobState, PercentComplete, JobType, VirtualSystemName, DestinationHost, ErrorDescription)`;

const SAMPLE = `param($Params)
$jobs = @(Get-CimInstance -Namespace root\\virtualization\\v2 -ClassName Msvm_MigrationJob -ComputerName $Params.source -Filter "JobState=4" |
    Select-Object InstanceID, JobState, PercentComplete, JobType, VirtualSystemName, DestinationHost, ErrorDescription)
$vm = Get-VM -ComputerName $Params.source | Where-Object Name -eq $Params.name
[pscustomobject]@{
    Jobs = $jobs
    Status = if ($vm) { $vm.Status } else { $null }
    VmPercent = if ($vm) { $vm.LabMigrationPercentComplete } else { $null }
}`;

const SUMMARY = `param($Params)
$s = Get-HyperVLabState
[pscustomobject]@{
    Vms = @($s.vms | ForEach-Object { [pscustomobject]@{ Name = $_.name; Host = $_.host; Type = $_.vmType; State = $_.state; Status = $_.status } })
    Moves = @($s.moves | ForEach-Object { [pscustomobject]@{ Vm = $_.vmName; State = $_.state; Percent = $_.percentComplete } })
}`;

const MOVE = `param($Params)
Move-VM -Name $Params.name -ComputerName $Params.source -DestinationHost $Params.destination -IncludeStorage -DestinationStoragePath $Params.path`;

const CANCEL_RUNNING = `param($Params)
@(Get-CimInstance -Namespace root\\virtualization\\v2 -ClassName Msvm_MigrationJob -ComputerName $Params.source -Filter "JobState=4" |
    Invoke-CimMethod -MethodName RequestStateChange -Arguments @{ RequestedState = 4 } | ForEach-Object { $_.ReturnValue })`;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `done` holds (a deadline only bounds the wait; nothing asserts on time). */
async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 45_000;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}; last: ${JSON.stringify(value)}`);
    await sleep(50);
  }
}

function errorOf(result: PowerShellResult<unknown>): { message: string; category?: string } {
  assert.equal(result.ok, false, `expected a failure, got ${JSON.stringify(result)}`);
  if (result.ok) throw new Error('unreachable');
  return result.error;
}

describe('lab: Move-VM', function () {
  let lab: Lab;
  let other: PowerShellPool;

  const summary = (): Promise<LabSummary> => lab.run<LabSummary>('summary', SUMMARY);
  const jobs = (source: string, vmId = ''): Promise<JobView[]> => lab.run<JobView[]>('jobs', JOBS, { source, vmId });
  const vmId = (name: string, host: string): Promise<string> =>
    lab.run<string>('vm-id', `param($Params)\n(Get-VM -Name $Params.name -ComputerName $Params.host).Id.ToString().ToUpperInvariant()`, {
      name,
      host,
    });
  const reset = (timeScale: number): Promise<unknown> =>
    lab.run('reset', `param($Params)\n$null = Reset-HyperVLab\nSet-HyperVLabTimeScale -TimeScale $Params.timeScale`, { timeScale });

  /** The lab file is consistent: every realized VM on exactly one host, none left "migrating" without a running move. */
  function assertConsistent(state: LabSummary): void {
    const realized = state.Vms.filter((v) => v.Type === 'RealizedVirtualMachine');
    assert.equal(new Set(realized.map((v) => v.Name)).size, realized.length, 'each VM once');
    const running = new Set(state.Moves.filter((m) => m.State === 'Running').map((m) => m.Vm));
    for (const vm of realized) {
      if (!running.has(vm.Name)) assert.equal(vm.Status, 'Operating normally', `${vm.Name} is not left migrating`);
    }
  }

  const where = (state: LabSummary, name: string): { Host: string; State: string; Status: string } => {
    const vm = state.Vms.find((v) => v.Name === name && v.Type === 'RealizedVirtualMachine');
    assert.ok(vm, `${name} exists`);
    return vm;
  };

  before(async function () {
    lab = await createLab();
    other = lab.openPool({}, 1);
    // Start the second process now, so a move started there begins at once.
    await other.run(labScript('warm', 'param($Params)\n$null = Get-VMHost -ComputerName HV01'), {});
  });

  after(async function () {
    await lab?.dispose();
  });

  it('a move takes time, shows its progress to another process, then the VM and its disks are on the destination', async function () {
    await reset(2);
    const hosts = `param($Params)
@(Get-VMHost -ComputerName HV01, HV02 | ForEach-Object { [pscustomobject]@{ Name = $_.Name; Memory = $_.LabMemoryAvailable
    DiskD = ($_.LabVolumes | Where-Object Path -eq 'D:\\').FreeSpace } })`;
    const before = await lab.run<{ Name: string; Memory: number; DiskD: number }[]>('hosts', hosts);
    const id = await vmId('web01', 'HV01');
    const move = other.run(labScript('move', MOVE), { name: 'web01', source: 'HV01', destination: 'HV02', path: 'D:\\VMs' });
    const samples: Sample[] = [];
    let settled = false;
    void move.then(() => (settled = true));
    while (!settled) {
      samples.push(await lab.run<Sample>('sample', SAMPLE, { source: 'HV01', name: 'web01' }));
      await sleep(100);
    }
    const result = await move;
    assert.equal(result.ok, true, JSON.stringify(result));

    const during = samples.filter((s) => s.Jobs.length === 1);
    assert.ok(during.length >= 2, `the move was seen running: ${JSON.stringify(samples)}`);
    for (const sample of during) {
      assert.equal(sample.Jobs[0].VirtualSystemName, id);
      assert.equal(sample.Jobs[0].JobType, 306, 'moving the VM and its storage');
      assert.equal(sample.Jobs[0].DestinationHost, 'HV02');
      // Read after the job view: still migrating, or already gone from HV01 if it ended in between.
      assert.ok(sample.Status === 'Migrating virtual machine' || sample.Status === null, JSON.stringify(sample));
    }
    assert.ok(
      during.some((s) => s.Status === 'Migrating virtual machine'),
      'Get-VM shows the move',
    );
    const percents = during.map((s) => s.Jobs[0].PercentComplete);
    assert.deepEqual(
      percents,
      [...percents].sort((a, b) => a - b),
      'progress only goes forward',
    );
    assert.ok(
      percents.some((p) => p > 0 && p < 100),
      `a percent between 0 and 100: ${percents.join(', ')}`,
    );
    assert.ok(
      during.some((s) => typeof s.VmPercent === 'number' && s.VmPercent > 0),
      'Get-VM carries the percent',
    );

    const finished = await jobs('HV01', id);
    assert.deepEqual(
      finished.map((j) => [j.JobState, j.PercentComplete]),
      [[7, 100]],
      'the finished job stays listed as completed',
    );
    const moved = await lab.run<{ ComputerName: string; State: string; Status: string; Disks: string[]; Path: string }>(
      'moved',
      `param($Params)
$vm = Get-VM -Name web01 -ComputerName HV02
[pscustomobject]@{ ComputerName = $vm.ComputerName; State = [string] $vm.State; Status = $vm.Status; Path = $vm.Path
    Disks = @($vm.HardDrives | ForEach-Object { $_.Path }) }`,
    );
    assert.deepEqual(moved, {
      ComputerName: 'HV02',
      State: 'Running',
      Status: 'Operating normally',
      Path: 'D:\\VMs',
      Disks: ['D:\\VMs\\web01.vhdx'],
    });
    const after = await lab.run<{ Name: string; Memory: number; DiskD: number }[]>('hosts', hosts);
    const GB = 1024 ** 3;
    assert.equal(after[0].Memory - before[0].Memory, 2 * GB, 'HV01 memory freed');
    assert.equal(before[1].Memory - after[1].Memory, 2 * GB, 'HV02 memory used');
    assert.equal(after[0].DiskD - before[0].DiskD, 14 * GB, 'HV01 disk freed');
    assert.equal(before[1].DiskD - after[1].DiskD, 14 * GB, 'HV02 disk used');
    assertConsistent(await summary());
  });

  it('Move-VM -AsJob: progress records in the job, -Passthru output, Wait-Job', async function () {
    await reset(5);
    const outcome = await lab.run<{ State: string; Percents: number[]; Output: string[] }>(
      'as-job',
      `param($Params)
$job = Move-VM -Name web01 -ComputerName HV01 -DestinationHost HV02 -IncludeStorage -AsJob -Passthru
$null = Wait-Job -Job $job
[pscustomobject]@{
    State = [string] $job.State
    Percents = @($job.Progress | Where-Object { $_.RecordType -ne 'Completed' } | ForEach-Object { $_.PercentComplete })
    Output = @(Receive-Job -Job $job | ForEach-Object { '{0}@{1}' -f $_.Name, $_.ComputerName })
}`,
    );
    assert.equal(outcome.State, 'Completed');
    assert.deepEqual(outcome.Output, ['web01@HV02']);
    assert.ok(outcome.Percents.length >= 2, `progress records: ${outcome.Percents.join(', ')}`);
    assert.deepEqual(
      outcome.Percents,
      [...outcome.Percents].sort((a, b) => a - b),
    );
    assert.ok(outcome.Percents.some((p) => p > 0 && p < 100));
  });

  it('the move completes although the process that started it was killed', async function () {
    await reset(3);
    const id = await vmId('web01', 'HV01');
    const starter = lab.openPool({}, 1);
    const abort = new AbortController();
    const move = starter.run(
      labScript('move', MOVE),
      { name: 'web01', source: 'HV01', destination: 'HV02', path: 'D:\\VMs' },
      { signal: abort.signal },
    );
    await until(
      () => jobs('HV01', id),
      (list) => list.some((j) => j.JobState === 4),
      'the move to start',
    );
    abort.abort();
    const killed = await move;
    assert.equal(killed.ok, false);
    if (!killed.ok) assert.equal(killed.error.kind, 'cancelled');
    await starter.dispose();

    // Another process re-attaches through the job view (as after a reload) and sees it end.
    const running = await lab.run<JobView[]>(
      'reattach',
      `param($Params)
@(Get-CimInstance -Namespace root\\virtualization\\v2 -ClassName Msvm_MigrationJob -ComputerName HV01 -Filter "VirtualSystemName='$($Params.id)' AND JobState=4" |
    Select-Object InstanceID, JobState, PercentComplete)`,
      { id },
    );
    assert.equal(running.length, 1, 'still running after its process died');
    const ended = await until(
      () => jobs('HV01', id),
      (list) => list.length === 1 && list[0].JobState !== 4,
      'the move to end',
    );
    assert.equal(ended[0].JobState, 7);
    const state = await summary();
    assert.equal(where(state, 'web01').Host, 'HV02');
    assertConsistent(state);
  });

  describe('cancel leaves the VM running on its source', function () {
    it('Stop-Job on the -AsJob job', async function () {
      await reset(2);
      const outcome = await lab.run<{ JobState: string; Seen: number; View: JobView[] }>(
        'stop-job',
        `param($Params)
$job = Move-VM -Name web01 -ComputerName HV01 -DestinationHost HV02 -IncludeStorage -AsJob
$seen = 0
while ($seen -le 0) {
    Start-Sleep -Milliseconds 50
    $running = @(Get-CimInstance -Namespace root\\virtualization\\v2 -ClassName Msvm_MigrationJob -ComputerName HV01 -Filter "JobState=4")
    if ($running.Count -eq 1) { $seen = $running[0].PercentComplete }
}
Stop-Job -Job $job
[pscustomobject]@{ JobState = [string] $job.State; Seen = $seen
    View = @(Get-CimInstance -Namespace root\\virtualization\\v2 -ClassName Msvm_MigrationJob -ComputerName HV01 | Select-Object JobState, PercentComplete, ErrorDescription) }`,
      );
      assert.equal(outcome.JobState, 'Stopped');
      assert.equal(outcome.View.length, 1);
      assert.equal(outcome.View[0].JobState, 8);
      assert.ok(outcome.View[0].PercentComplete >= outcome.Seen && outcome.View[0].PercentComplete < 100);
      assert.equal(outcome.View[0].ErrorDescription, 'The operation was canceled by the user. (0x800704C7)');
      const state = await summary();
      assert.deepEqual(where(state, 'web01'), {
        Name: 'web01',
        Host: 'HV01',
        Type: 'RealizedVirtualMachine',
        State: 'Running',
        Status: 'Operating normally',
      });
      assertConsistent(state);
    });

    it("RequestStateChange on the job's Msvm_MigrationJob, from another process", async function () {
      await reset(2);
      const id = await vmId('web01', 'HV01');
      const move = other.run(labScript('move', MOVE), { name: 'web01', source: 'HV01', destination: 'HV02', path: 'D:\\VMs' });
      await until(
        () => jobs('HV01', id),
        (list) => list.some((j) => j.JobState === 4),
        'the move to start',
      );
      assert.deepEqual(await lab.run<number[]>('cancel', CANCEL_RUNNING, { source: 'HV01' }), [0]);
      const error = errorOf(await move);
      assert.equal(error.category, 'OperationStopped');
      assert.match(
        error.message,
        /^Virtual machine migration operation for 'web01' failed at migration source 'HV01'\. \(Virtual machine ID [0-9A-F-]{36}\)\r\nThe operation was canceled by the user\. \(0x800704C7\)$/,
      );
      assert.deepEqual(await lab.run<number[]>('cancel-again', CANCEL_RUNNING, { source: 'HV01' }), [], 'nothing is running any more');
      const state = await summary();
      assert.equal(where(state, 'web01').Host, 'HV01');
      assert.equal(where(state, 'web01').State, 'Running');
      assert.deepEqual(
        state.Moves.map((m) => [m.Vm, m.State]),
        [['web01', 'Terminated']],
      );
      assertConsistent(state);
    });

    it('a stopped pipeline (Ctrl-C) of a synchronous Move-VM', async function () {
      await reset(2);
      const outcome = await lab.run<{ Views: JobView[] }>(
        'ctrl-c',
        `param($Params)
$ps = [PowerShell]::Create()
$null = $ps.AddScript('param($m) Import-Module $m; Move-VM -Name web01 -ComputerName HV01 -DestinationHost HV02 -IncludeStorage').AddArgument((Get-Module HyperVLab).Path)
$handle = $ps.BeginInvoke()
while (@(Get-CimInstance -Namespace root\\virtualization\\v2 -ClassName Msvm_MigrationJob -ComputerName HV01 -Filter "JobState=4").Count -eq 0) { Start-Sleep -Milliseconds 50 }
$ps.Stop()
$ps.Dispose()
[pscustomobject]@{ Views = @(Get-CimInstance -Namespace root\\virtualization\\v2 -ClassName Msvm_MigrationJob -ComputerName HV01 | Select-Object JobState, PercentComplete, ErrorDescription) }`,
      );
      assert.deepEqual(
        outcome.Views.map((v) => v.JobState),
        [8],
      );
      const state = await summary();
      assert.equal(where(state, 'web01').Host, 'HV01');
      assert.equal(where(state, 'web01').Status, 'Operating normally');
      assertConsistent(state);
    });
  });

  it('a fault at 40 % fails the move with its message; the VM stays on its source, a planned VM is left behind', async function () {
    await reset(20);
    const result = await lab.attempt(
      'fault',
      `param($Params)
Set-HyperVLabFault -ComputerName HV02 -FailMoveAtPercent 40 -Message 'The migration connection was reset by the destination. (0x80072746)' -LeavePlannedVm
Move-VM -Name web01 -ComputerName HV01 -DestinationHost HV02 -IncludeStorage -DestinationStoragePath D:\\VMs`,
    );
    const error = errorOf(result);
    assert.match(
      error.message,
      /^Virtual machine migration operation for 'web01' failed at migration source 'HV01'\. \(Virtual machine ID [0-9A-F-]{36}\)\r\nThe migration connection was reset by the destination\. \(0x80072746\)$/,
    );
    const view = await jobs('HV01');
    assert.deepEqual(
      view.map((j) => [j.JobState, j.PercentComplete, j.ErrorDescription]),
      [[10, 40, 'The migration connection was reset by the destination. (0x80072746)']],
    );
    const state = await summary();
    assert.deepEqual(where(state, 'web01'), {
      Name: 'web01',
      Host: 'HV01',
      Type: 'RealizedVirtualMachine',
      State: 'Running',
      Status: 'Operating normally',
    });
    assert.deepEqual(
      state.Vms.filter((v) => v.Type === 'PlannedVirtualMachine').map((v) => [v.Name, v.Host, v.State]),
      [['web01', 'HV02', 'Off']],
    );
    assertConsistent(state);

    // Hyper-V deletes a planned VM of the same Id before it stages its own (VirtualMachine.Migrate ->
    // DeletePlannedVMAtDestination): the leftover does not block a retry, the compare replaces it.
    const leftover = await lab.run<{ Listed: number; Findings: number[]; Planned: number; ById: string }>(
      'leftover',
      `param($Params)
Set-HyperVLabFault -ComputerName HV02 -Clear
$report = Compare-VM -Name web01 -ComputerName HV01 -DestinationHost HV02 -IncludeStorage
[pscustomobject]@{ Listed = @(Get-VM -ComputerName HV02 | Where-Object Name -eq 'web01').Count
    Findings = @($report.Incompatibilities | ForEach-Object { $_.MessageId })
    Planned = @(Get-CimInstance -Namespace root\\virtualization\\v2 -ClassName Msvm_PlannedComputerSystem -ComputerName HV02).Count
    ById = [string](Get-VM -Id $report.VM.Id -ComputerName HV02).VirtualMachineType }`,
    );
    assert.equal(leftover.Listed, 0, 'Get-VM does not list planned VMs');
    assert.deepEqual(leftover.Findings, [], 'the earlier planned VM does not block a retry');
    assert.equal(leftover.Planned, 1, 'the compare replaced it with the one it staged');
    assert.equal(leftover.ById, 'PlannedVirtualMachine', 'Get-VM -Id finds a planned VM');

    const cleaned = await lab.run<{ Planned: string[]; ReturnValue: number; Left: number; Restaged: number; AfterRemoveVm: number }>(
      'remove-planned',
      `param($Params)
$planned = @(Get-CimInstance -Namespace root\\virtualization\\v2 -ClassName Msvm_PlannedComputerSystem -ComputerName HV02)
$service = Get-CimInstance -Namespace root\\virtualization\\v2 -ClassName Msvm_VirtualSystemManagementService -ComputerName HV02
$result = Invoke-CimMethod -InputObject $service -MethodName DestroySystem -Arguments @{ AffectedSystem = $planned[0] }
$left = @(Get-CimInstance -Namespace root\\virtualization\\v2 -ClassName Msvm_PlannedComputerSystem -ComputerName HV02).Count
$report = Compare-VM -Name web01 -ComputerName HV01 -DestinationHost HV02 -IncludeStorage
$restaged = @(Get-CimInstance -Namespace root\\virtualization\\v2 -ClassName Msvm_PlannedComputerSystem -ComputerName HV02).Count
$report.VM | Remove-VM -Force
[pscustomobject]@{ Planned = @($planned | ForEach-Object { '{0}/{1}' -f $_.ElementName, $_.Name }); ReturnValue = $result.ReturnValue; Left = $left; Restaged = $restaged
    AfterRemoveVm = @(Get-CimInstance -Namespace root\\virtualization\\v2 -ClassName Msvm_PlannedComputerSystem -ComputerName HV02).Count }`,
    );
    assert.deepEqual(cleaned.Planned, [`web01/${await vmId('web01', 'HV01')}`]);
    assert.equal(cleaned.ReturnValue, 0);
    assert.equal(cleaned.Left, 0, 'DestroySystem removes it, as Hyper-V admins do through WMI');
    assert.equal(cleaned.Restaged, 1, 'Compare-VM stages a planned VM on the destination');
    assert.equal(cleaned.AfterRemoveVm, 0, "Remove-VM on the report's VM removes it, as Windows Admin Center does");
  });

  it('a host that becomes unreachable during the move fails it; the VM stays on its source', async function () {
    await reset(2);
    const id = await vmId('web01', 'HV01');
    const move = other.run(labScript('move', MOVE), { name: 'web01', source: 'HV01', destination: 'HV02', path: 'D:\\VMs' });
    await until(
      () => jobs('HV01', id),
      (list) => list.some((j) => j.JobState === 4),
      'the move to start',
    );
    await lab.run('unreachable', `param($Params)\nSet-HyperVLabFault -ComputerName HV02 -Unreachable`);
    const error = errorOf(await move);
    assert.match(error.message, /\r\nFailed to establish a connection with host 'HV02': .*\(0x8007274C\)$/);
    await lab.run('reachable', `param($Params)\nSet-HyperVLabFault -ComputerName HV02 -Clear`);
    const state = await summary();
    assert.equal(where(state, 'web01').Host, 'HV01');
    assert.deepEqual(
      state.Moves.map((m) => m.State),
      ['Exception'],
    );
    assertConsistent(state);
  });

  it('-VirtualMachinePath with -Vhds puts each file where it is sent', async function () {
    await reset(1000000);
    const moved = await lab.run<{ Path: string; Snapshots: string; Disks: string[]; JobType: number }>(
      'vhds',
      `param($Params)
$vm = Move-VM -Name web01 -ComputerName HV01 -DestinationHost HV02 -VirtualMachinePath 'D:\\VMs\\web01' -SnapshotFilePath 'D:\\Checkpoints' -Passthru -Vhds @(
    @{ SourceFilePath = 'D:\\Hyper-V\\Virtual Hard Disks\\web01.vhdx'; DestinationFilePath = 'D:\\Disks\\web01.vhdx' })
[pscustomobject]@{ Path = $vm.Path; Snapshots = $vm.SnapshotFileLocation; Disks = @($vm.HardDrives | ForEach-Object { $_.Path })
    JobType = (Get-CimInstance -Namespace root\\virtualization\\v2 -ClassName Msvm_MigrationJob -ComputerName HV01).JobType }`,
    );
    assert.deepEqual(moved, { Path: 'D:\\VMs\\web01', Snapshots: 'D:\\Checkpoints', Disks: ['D:\\Disks\\web01.vhdx'], JobType: 306 });
  });

  it('limits hold across processes: two sessions race past the limit, one fails like event 21501', async function () {
    await reset(1);
    await lab.run(
      'limit-one',
      `param($Params)
Set-VMHost -ComputerName HV01 -MaximumVirtualMachineMigrations 1
Set-VMDvdDrive -VMName build01 -ComputerName HV01 -Path $null`,
    );
    const racer = lab.openPool({}, 1);
    await racer.run(labScript('warm', 'param($Params)\n$null = Get-VMHost -ComputerName HV01'), {});
    const moves = [
      other.run(labScript('move', MOVE), { name: 'web01', source: 'HV01', destination: 'HV02', path: 'D:\\VMs\\web01' }),
      racer.run(labScript('move', MOVE), { name: 'build01', source: 'HV01', destination: 'HV02', path: 'D:\\VMs\\build01' }),
    ];
    const first = await Promise.race(moves.map((move, i) => move.then((result) => ({ i, result }))));
    const error = errorOf(first.result);
    assert.equal(error.category, 'LimitsExceeded');
    assert.match(
      error.message,
      /\r\nThe virtual machine migration limit "1" was reached on host 'HV01'; the migration was rejected \(event 21501\)\./,
    );
    const running = await jobs('HV01');
    assert.equal(running.filter((j) => j.JobState === 4).length, 1, 'one move runs, as the limit allows');

    assert.deepEqual(await lab.run<number[]>('cancel', CANCEL_RUNNING, { source: 'HV01' }), [0]);
    assert.match(errorOf(await moves[1 - first.i]).message, /0x800704C7/);
    await racer.dispose();
    const state = await summary();
    for (const name of ['web01', 'build01']) assert.equal(where(state, name).Host, 'HV01', name);
    assert.deepEqual(
      state.Moves.map((m) => m.State),
      ['Terminated'],
    );
    assertConsistent(state);
  });

  describe('authentication at move time', function () {
    const attemptMove = (name: string, source: string, destination: string): Promise<PowerShellResult<unknown>> =>
      lab.attempt('move', MOVE, { name, source, destination, path: `D:\\VMs\\${name}` });
    const detail = (message: string): string => message.split('\r\n')[1];

    it('Kerberos without the delegation entries: 0x8009030D (web01, HV01 -> HV03)', async function () {
      await reset(1000000);
      const error = errorOf(await attemptMove('web01', 'HV01', 'HV03'));
      assert.equal(error.category, 'SecurityError');
      assert.equal(
        detail(error.message),
        "The Virtual Machine Management Service failed to establish a connection for a Virtual Machine migration with host 'HV03': The credentials supplied to the package were not recognized (0x8009030D).",
      );
    });

    it('Kerberos with the entries but without "any protocol": 0x8009030E until TrustedToAuthForDelegation is set', async function () {
      await reset(1000000);
      const error = errorOf(await attemptMove('app02', 'HV02', 'HV03'));
      assert.equal(
        detail(error.message),
        "The Virtual Machine Management Service failed to establish a connection for a Virtual Machine migration with host 'HV03': No credentials are available in the security package (0x8009030E).",
      );
      assert.equal(
        (await lab.attempt('move', MOVE, { name: 'web01', source: 'HV01', destination: 'HV02', path: 'D:\\VMs\\web01' })).ok,
        true,
      );
      assert.match(errorOf(await attemptMove('web01', 'HV02', 'HV01')).message, /0x8009030E/, 'delegation is one-way per account');
      await lab.run(
        'any-protocol',
        `param($Params)\nGet-ADComputer -Identity HV02 | Set-ADAccountControl -TrustedToAuthForDelegation $true`,
      );
      const back = await attemptMove('web01', 'HV02', 'HV01');
      assert.equal(back.ok, true, JSON.stringify(back));
    });

    it('a missing FQDN entry is enough to fail', async function () {
      await reset(1000000);
      await lab.run(
        'drop-fqdn',
        `param($Params)\nGet-ADComputer -Identity HV01 | Set-ADObject -Remove @{ 'msDS-AllowedToDelegateTo' = 'cifs/HV02.contoso.lab' }`,
      );
      assert.match(errorOf(await attemptMove('web01', 'HV01', 'HV02')).message, /0x8009030D/);
    });

    it('CredSSP works only when the move is started on the source (the lab runs on HV01)', async function () {
      await reset(1000000);
      await lab.run(
        'credssp',
        `param($Params)\nSet-VMHost -ComputerName HV01 -VirtualMachineMigrationAuthenticationType CredSSP\nEnable-VMMigration -ComputerName HV04`,
      );
      assert.equal((await attemptMove('web01', 'HV01', 'HV02')).ok, true, 'started on HV01, the source');
      const error = errorOf(await attemptMove('legacy04', 'HV04', 'HV01'));
      assert.equal(
        detail(error.message),
        "The Virtual Machine Management Service failed to establish a connection for a Virtual Machine migration with host 'HV01': No credentials are available in the security package (0x8009030E).",
      );
    });
  });

  it('a clustered VM cannot leave its cluster until its role is removed', async function () {
    await reset(1000000);
    const blocked = errorOf(
      await lab.attempt('move', MOVE, { name: 'erp01', source: 'HV05', destination: 'HV01', path: 'D:\\VMs\\erp01' }),
    );
    assert.equal(blocked.category, 'InvalidOperation');
    const lines = blocked.message.split('\r\n');
    assert.match(lines[0], /^Virtual machine migration operation for 'erp01' failed at migration destination 'HV01'\./);
    assert.match(lines[1], /^The virtual machine 'erp01' is not compatible with physical computer 'HV01'\./);
    assert.match(lines[2], /not a possible owner of the group\. \(0x80071398\)$/);
    const moved = await lab.run<{ ComputerName: string; IsClustered: boolean }>(
      'unclustered-move',
      `param($Params)
Remove-ClusterGroup -Name erp01 -Cluster CL1 -RemoveResources -Force
Move-VM -Name erp01 -ComputerName HV05 -DestinationHost HV01 -IncludeStorage -DestinationStoragePath D:\\VMs\\erp01 -Passthru | Select-Object ComputerName, IsClustered`,
    );
    assert.deepEqual(moved, { ComputerName: 'HV01', IsClustered: false });
  });
});
