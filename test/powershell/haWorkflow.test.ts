// The HA workflow on the default lab, through the session layer and real pwsh: erp01 (a role of CL1 on
// HV05) moves to the standalone HV01 and ends there running, not clustered; with a lab fault at 40 % on
// HV01 the move fails, and cancelled mid-move it stops: either way HA is restored, erp01 a role of CL1
// again, running on HV05; the preview, run as a script, does the same. To HV02, made a node of a second
// cluster CL2, erp01's files go to CL2's shared volume and the role is added on HV02 itself (through
// Invoke-Command: Add-ClusterVirtualMachineRole does not run remotely); a folder on HV02's own disk is
// refused before anything changes. Moves run at a fast lab time scale (a slow one only where the move
// must still be running when it is cancelled).

import * as assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMoveExecutor } from '../../src/migration/executor';
import {
  prepareHaWorkflow,
  resumeHaWorkflows,
  type HaWorkflow,
  type HaWorkflowOptions,
  type HaWorkflowState,
} from '../../src/migration/haWorkflow';
import type { PowerShellPool } from '../../src/powershell/pool';
import type { MigrationRequest, MoveExecutor } from '../../src/migration/types';
import { createLab, labScript, type Lab } from '../support/labFixture';

interface Erp {
  Id: string;
  Host: string;
  State: string;
  IsClustered: boolean;
  Path: string;
  Groups: { Cluster: string; Name: string; Owner: string; State: string }[];
}

const ERP = `param($Params)
$vm = @(Get-VM -ComputerName HV01, HV02, HV05 | Where-Object Name -eq 'erp01')[0]
[pscustomobject]@{ Id = $vm.Id.ToString(); Host = $vm.ComputerName; State = [string] $vm.State; IsClustered = [bool] $vm.IsClustered; Path = $vm.Path
    Groups = @('HV05', 'HV02' | ForEach-Object { Get-Cluster -Name $_ -ErrorAction SilentlyContinue } | ForEach-Object {
        $cluster = $_.Name
        Get-ClusterGroup -Cluster $cluster | Where-Object GroupType -eq 'VirtualMachine' | ForEach-Object {
            [pscustomobject]@{ Cluster = $cluster; Name = $_.Name; Owner = [string] $_.OwnerNode; State = [string] $_.State } } }) }`;

/**
 * A second cluster, CL2 of HV02 and HV04, each node with CL2's shared volume C:\ClusterStorage\Volume1\
 * (a lab change no template makes: through the lab's own store); HV05 may delegate to HV02.
 */
const CL2 = `param($Params)
& (Get-Module HyperVLab) {
    $null = Update-LabState {
        param ($state)
        $state.clusters = @($state.clusters) + [pscustomobject](New-LabClusterRecord -Name 'CL2' -Domain 'contoso.lab' -Nodes 'HV02', 'HV04')
        foreach ($node in @($state.hosts | Where-Object { $_.name -in 'HV02', 'HV04' })) {
            $node.volumes = @($node.volumes) + [pscustomobject]@{ path = 'C:\\ClusterStorage\\Volume1\\'; size = 4096GB; otherUsed = 300GB }
        }
        $hv05 = $state.adComputers | Where-Object { $_.name -eq 'HV05' }
        $hv05.allowedToDelegateTo = @($hv05.allowedToDelegateTo) + (New-LabDelegationEntry -To 'HV02' -Domain 'contoso.lab')
    }
}`;

/** Runs a generated script as an admin would (a test only: the extension runs fixed scripts). */
// The admin sets $DestinationCredential first, as the script's comments say (the report flow's second hop).
const RUN_TEXT = `param($Params)
$DestinationCredential = [pscredential]::new('CONTOSO\\admin', (ConvertTo-SecureString 'not logged' -AsPlainText -Force))
$null = & ([scriptblock]::Create([string]$Params.text)) *>&1`;

const ADMIN = { userName: 'CONTOSO\\admin', password: 'not logged' };

const statuses = (state: HaWorkflowState): string[] => state.steps.map((s) => `${s.id}:${s.status}`);

describe('HA workflow on the default lab', function () {
  let lab: Lab;
  let journalDir: string;
  let executor: MoveExecutor;

  const erp = (): Promise<Erp> => lab.run<Erp>('erp01', ERP);
  const request = async (): Promise<MigrationRequest> => ({ vmId: (await erp()).Id, vmName: 'erp01', source: 'HV05', destination: 'HV01' });
  const options = () => ({ runner: lab.pool, executor, credentialFor: () => ADMIN, journalDir: join(journalDir, 'ha-workflows') });

  before(async function () {
    lab = await createLab({ size: 3 });
  });

  beforeEach(async function () {
    await lab.run('reset', `param($Params)\n$null = Reset-HyperVLab\nSet-HyperVLabTimeScale -TimeScale 2000`);
    journalDir = await mkdtemp(join(tmpdir(), 'hyperv-ha-journal-'));
    executor = createMoveExecutor({ runner: lab.pool, journalDir, pollIntervalMs: 100, credentialFor: () => ADMIN });
  });

  afterEach(async function () {
    executor.dispose();
    await rm(journalDir, { recursive: true, force: true });
  });

  after(async function () {
    await lab?.dispose();
  });

  it('erp01 → HV01: check, HA off, move, verify — erp01 ends on HV01, running, not clustered', async function () {
    const prepared = await prepareHaWorkflow(options(), await request());
    assert.ok(prepared.ok, prepared.ok ? '' : prepared.message);
    const workflow = prepared.workflow;
    assert.equal(workflow.snapshot().sourceCluster, 'CL1');
    assert.equal(workflow.snapshot().role, 'erp01');
    assert.equal(workflow.snapshot().destinationCluster, null);
    assert.match(workflow.preview(), /Remove-ClusterGroup -Name 'erp01' -Cluster 'CL1' -RemoveResources -Force\n\$moved = \$false\ntry \{/);
    assert.match(
      workflow.preview(),
      /\} finally \{\n {4}if \(-not \$moved\) \{\n.*\n {8}\$null = Invoke-Command -ComputerName 'HV05' -ErrorAction Stop -ArgumentList '[0-9a-f-]{36}', 'erp01' -ScriptBlock \{/,
    );

    const seen = new Set<string>();
    workflow.onDidChange((s) => seen.add(statuses(s).join(' ')));
    const end = await workflow.run();
    assert.equal(end.phase, 'succeeded', end.summary);
    assert.deepEqual(statuses(end), [
      'check:succeeded',
      'remove-role:succeeded',
      'move:succeeded',
      'add-role:skipped',
      'restore-role:skipped',
      'verify:succeeded',
    ]);
    assert.ok(
      [...seen].some((s) => s.includes('move:running')),
      'the move step was shown running',
    );
    assert.equal(end.move?.outcome?.phase, 'succeeded');
    assert.match(end.summary ?? '', /erp01 moved from HV05 to HV01; it runs there as a plain VM, not highly available/);

    const after = await erp();
    assert.equal(after.Host, 'HV01');
    assert.equal(after.State, 'Running');
    assert.equal(after.IsClustered, false);
    assert.deepEqual(after.Groups, []);
  });

  it('a fault at 40 % on HV01 fails the move, and HA is restored: erp01 a CL1 role again, running on HV05', async function () {
    await lab.run('fault', `param($Params)\nSet-HyperVLabFault -ComputerName HV01 -FailMoveAtPercent 40`);
    const prepared = await prepareHaWorkflow(options(), await request());
    assert.ok(prepared.ok, prepared.ok ? '' : prepared.message);
    const end = await prepared.workflow.run();
    assert.equal(end.phase, 'failed', end.summary);
    assert.deepEqual(statuses(end), [
      'check:succeeded',
      'remove-role:succeeded',
      'move:failed',
      'add-role:skipped',
      'restore-role:succeeded',
      'verify:succeeded',
    ]);
    assert.equal(end.move?.outcome?.phase, 'failed');
    assert.ok(end.move?.outcome?.failure, 'the failure is explained');
    assert.match(end.summary ?? '', /The move failed at 40 %.*HA is restored: erp01 is a role of CL1 again, and it is running on HV05\./);

    const after = await erp();
    assert.equal(after.Host, 'HV05');
    assert.equal(after.State, 'Running');
    assert.equal(after.IsClustered, true);
    assert.deepEqual(after.Groups, [{ Cluster: 'CL1', Name: 'erp01', Owner: 'HV05', State: 'Online' }]);
  });

  it('cancelled during the move: the move stops, HA is restored, erp01 runs on HV05 as a CL1 role', async function () {
    await lab.run('slow', `param($Params)\nSet-HyperVLabTimeScale -TimeScale 2`);
    const prepared = await prepareHaWorkflow(options(), await request());
    assert.ok(prepared.ok, prepared.ok ? '' : prepared.message);
    const workflow = prepared.workflow;
    const moving = new Promise<void>((resolve) => workflow.onDidChange((s) => s.move?.progress.phase === 'moving' && resolve()));
    const running = workflow.run();
    await moving;
    await workflow.cancel();
    const end = await running;
    assert.equal(end.phase, 'cancelled', end.summary);
    assert.deepEqual(statuses(end), [
      'check:succeeded',
      'remove-role:succeeded',
      'move:skipped',
      'add-role:skipped',
      'restore-role:succeeded',
      'verify:succeeded',
    ]);
    assert.equal(end.move?.outcome?.phase, 'cancelled');
    const after = await erp();
    assert.deepEqual([after.Host, after.State, after.IsClustered, after.Groups.length], ['HV05', 'Running', true, 1]);
  });

  it('its preview is a guarded script that does the same when an admin runs it, restoring HA when the move fails', async function () {
    const prepared = await prepareHaWorkflow(options(), await request());
    assert.ok(prepared.ok, prepared.ok ? '' : prepared.message);
    const text = prepared.workflow.preview();
    await lab.run('fault', `param($Params)\nSet-HyperVLabFault -ComputerName HV01 -FailMoveAtPercent 40`);
    const failed = await lab.attempt('preview', RUN_TEXT, { text });
    assert.equal(failed.ok, false);
    const restored = await erp();
    assert.deepEqual([restored.Host, restored.State, restored.IsClustered, restored.Groups.length], ['HV05', 'Running', true, 1]);

    await lab.run('clear', `param($Params)\nSet-HyperVLabFault -ComputerName HV01 -Clear`);
    await lab.run('preview', RUN_TEXT, { text });
    const moved = await erp();
    assert.deepEqual([moved.Host, moved.State, moved.IsClustered, moved.Groups], ['HV01', 'Running', false, []]);
  });

  it("erp01 → HV02, a node of CL2: its files go to CL2's shared volume and the role is added on HV02 — a role of CL2, running there", async function () {
    await lab.run('cl2', CL2);
    const prepared = await prepareHaWorkflow(options(), { ...(await request()), destination: 'HV02' });
    assert.ok(prepared.ok, prepared.ok ? '' : prepared.message);
    assert.equal(prepared.workflow.snapshot().destinationCluster, 'CL2');
    assert.match(
      prepared.workflow.preview(),
      /# 4\. Add the role on CL2 \(HA on\)\n\$null = Invoke-Command -ComputerName 'HV02' -ErrorAction Stop -ArgumentList '[0-9a-f-]{36}', 'erp01' -ScriptBlock \{/,
    );
    const end = await prepared.workflow.run();
    assert.equal(end.phase, 'succeeded', end.summary);
    assert.deepEqual(statuses(end), [
      'check:succeeded',
      'remove-role:succeeded',
      'move:succeeded',
      'add-role:succeeded',
      'restore-role:skipped',
      'verify:succeeded',
    ]);
    assert.equal(end.move?.plan.request.storagePath, 'C:\\ClusterStorage\\Volume1\\erp01');
    const after = await erp();
    assert.deepEqual(
      [after.Host, after.State, after.IsClustered, after.Path],
      ['HV02', 'Running', true, 'C:\\ClusterStorage\\Volume1\\erp01'],
    );
    assert.deepEqual(after.Groups, [{ Cluster: 'CL2', Name: 'erp01', Owner: 'HV02', State: 'Online' }]);
  });

  it("a folder on the CL2 node's own disk is refused before anything changes: erp01 stays a role of CL1 on HV05", async function () {
    await lab.run('cl2', CL2);
    const prepared = await prepareHaWorkflow(options(), { ...(await request()), destination: 'HV02', storagePath: 'D:\\Hyper-V\\erp01' });
    assert.equal(!prepared.ok && prepared.reason, 'storage-not-shared');
    assert.match(
      !prepared.ok ? prepared.message : '',
      /^erp01 cannot become a role of CL2 on HV02 as planned\. D:\\Hyper-V\\erp01 is not on a cluster shared volume of CL2 .*e\.g\. C:\\ClusterStorage\\Volume1\\erp01\.$/,
    );
    const after = await erp();
    assert.deepEqual([after.Host, after.State, after.IsClustered], ['HV05', 'Running', true]);
    assert.deepEqual(after.Groups, [{ Cluster: 'CL1', Name: 'erp01', Owner: 'HV05', State: 'Online' }]);
  });

  it('refuses what is not its job: a VM that is not clustered, a destination in the same cluster', async function () {
    const vm = await erp();
    const sameCluster = await prepareHaWorkflow(options(), { vmId: vm.Id, vmName: 'erp01', source: 'HV05', destination: 'HV06' });
    assert.equal(!sameCluster.ok && sameCluster.reason, 'same-cluster');
    const web01 = await lab.run<string>('web01', `param($Params)\n(Get-VM -ComputerName HV01 -Name web01).Id.ToString()`);
    const plain = await prepareHaWorkflow(options(), { vmId: web01, vmName: 'web01', source: 'HV01', destination: 'HV02' });
    assert.equal(!plain.ok && plain.reason, 'not-clustered');
  });
});

// VS Code reloaded mid-workflow: the extension host's objects (its pool, executor and workflow) are disposed
// mid-way, as a reload does, and new ones are made over the same journal folders and the same lab: the new
// extension host picks the workflow up and finishes it. What is asserted is the lab's state: erp01 ends
// either moved and a role of the destination's cluster (or a plain VM on a standalone host) or back on HV05 as
// a role of CL1, never left without its role.
describe('HA workflow: VS Code reloaded mid-workflow', function () {
  // Each test starts two extension hosts' pwsh processes.
  this.timeout(360_000);
  let lab: Lab;
  let dir: string;

  /** One extension host: its own pwsh processes, its executor, the journal folders every host shares. */
  interface ExtensionHost {
    readonly pool: PowerShellPool;
    readonly executor: MoveExecutor;
    readonly options: HaWorkflowOptions;
  }
  const extensionHost = async (): Promise<ExtensionHost> => {
    const pool = lab.openPool({}, 2);
    // Its sessions started first, as an extension host's are by the tree's first read.
    await Promise.all([1, 2].map(() => pool.run(labScript('warm', 'param($Params)\n$null = Get-VMHost -ComputerName HV05'), {})));
    const executor = createMoveExecutor({ runner: pool, journalDir: join(dir, 'moves'), pollIntervalMs: 100, credentialFor: () => ADMIN });
    return { pool, executor, options: { runner: pool, executor, credentialFor: () => ADMIN, journalDir: join(dir, 'ha-workflows') } };
  };
  const erp = (): Promise<Erp> => lab.run<Erp>('erp01', ERP);
  const labMoves = (): Promise<number> =>
    lab.run<number>('moves', `param($Params)\n@((Get-HyperVLabState).moves | Where-Object { [int]$_.jobType -in 305, 306, 307 }).Count`);

  /** Starts the workflow of erp01 on `first` and disposes it once `stop` says so. */
  const runUntil = async (first: ExtensionHost, destination: string, stop: (state: HaWorkflowState) => boolean): Promise<HaWorkflow> => {
    const prepared = await prepareHaWorkflow(first.options, { vmId: (await erp()).Id, vmName: 'erp01', source: 'HV05', destination });
    assert.ok(prepared.ok, prepared.ok ? '' : prepared.message);
    const workflow = prepared.workflow;
    const stopped = new Promise<void>((resolve) =>
      workflow.onDidChange((state) => {
        if (!stop(state)) return;
        workflow.dispose();
        resolve();
      }),
    );
    void workflow.run();
    await stopped;
    return workflow;
  };

  /** The reload, first half: the old extension host's objects disposed (its pwsh processes end). */
  const goAway = async (first: ExtensionHost): Promise<void> => {
    first.executor.dispose();
    await first.pool.dispose();
  };

  /** The reload, second half: a new extension host picks the workflow up. */
  const comeBack = async (): Promise<HaWorkflow> => {
    const next = await extensionHost();
    const workflows = await resumeHaWorkflows(next.options);
    assert.equal(workflows.length, 1, 'the journal holds the unfinished workflow');
    return workflows[0];
  };

  const step = (id: string, status: string) => (state: HaWorkflowState) => state.steps.some((s) => s.id === id && s.status === status);

  before(async function () {
    lab = await createLab({ size: 2 });
  });

  beforeEach(async function () {
    await lab.run('reset', `param($Params)\n$null = Reset-HyperVLab\nSet-HyperVLabTimeScale -TimeScale 2000`);
    dir = await mkdtemp(join(tmpdir(), 'hyperv-ha-reload-'));
  });

  afterEach(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  after(async function () {
    await lab?.dispose();
  });

  it('reloaded with HA off before the move started: the next extension host restores the role — erp01 a CL1 role on HV05, running, not moved', async function () {
    const first = await extensionHost();
    await runUntil(first, 'HV01', step('move', 'running'));
    await goAway(first);
    const off = await erp();
    assert.deepEqual([off.Host, off.IsClustered, off.Groups], ['HV05', false, []], 'HA was off when VS Code went away');

    const resumed = await comeBack();
    assert.match(
      resumed.snapshot().resumed ?? '',
      /^VS Code was reloaded while the HA workflow of erp01 ran \(step: Move erp01 from HV05 to HV01\)/,
    );
    const end = await resumed.run();
    assert.equal(end.phase, 'failed', end.summary);
    assert.deepEqual(statuses(end), [
      'check:succeeded',
      'remove-role:succeeded',
      'move:skipped',
      'add-role:skipped',
      'restore-role:succeeded',
      'verify:succeeded',
    ]);
    assert.match(end.summary ?? '', /erp01 was not moved\. HA is restored: erp01 is a role of CL1 again, and it is running on HV05\.$/);
    const after = await erp();
    assert.deepEqual([after.Host, after.State, after.IsClustered], ['HV05', 'Running', true]);
    assert.deepEqual(after.Groups, [{ Cluster: 'CL1', Name: 'erp01', Owner: 'HV05', State: 'Online' }]);
    assert.equal(await labMoves(), 0, 'no move was started after the reload');
  });

  it('reloaded mid-move to HV02 of CL2: the move goes on on the host, the next extension host follows it and adds the role on HV02', async function () {
    await lab.run('cl2', CL2);
    // Real time (a move of about 40 s): it still runs when the next extension host starts, even on a busy machine.
    await lab.run('slow', `param($Params)\nSet-HyperVLabTimeScale -TimeScale 1`);
    const first = await extensionHost();
    await runUntil(first, 'HV02', (s) => s.move?.progress.phase === 'moving');
    await goAway(first);
    const mid = await erp();
    assert.deepEqual([mid.Host, mid.IsClustered, mid.Groups], ['HV05', false, []], 'moving, without its role, when VS Code went away');
    const resumed = await comeBack();

    const end = await resumed.run();
    assert.equal(end.phase, 'succeeded', end.summary);
    assert.deepEqual(statuses(end), [
      'check:succeeded',
      'remove-role:succeeded',
      'move:succeeded',
      'add-role:succeeded',
      'restore-role:skipped',
      'verify:succeeded',
    ]);
    assert.equal(end.move?.outcome?.phase, 'succeeded', 'the move, started before the reload, followed (or read) to its end');
    const after = await erp();
    assert.deepEqual(
      [after.Host, after.State, after.IsClustered, after.Path],
      ['HV02', 'Running', true, 'C:\\ClusterStorage\\Volume1\\erp01'],
    );
    assert.deepEqual(after.Groups, [{ Cluster: 'CL2', Name: 'erp01', Owner: 'HV02', State: 'Online' }]);
    assert.equal(await labMoves(), 1, 'one move: none started again');
  });

  it('reloaded after the move, before the role was added on CL2: the next extension host adds it on HV02', async function () {
    await lab.run('cl2', CL2);
    const first = await extensionHost();
    await runUntil(first, 'HV02', step('move', 'succeeded'));
    await goAway(first);
    const moved = await erp();
    assert.deepEqual(
      [moved.Host, moved.IsClustered, moved.Groups],
      ['HV02', false, []],
      'moved, not yet a role of CL2, when VS Code went away',
    );
    const resumed = await comeBack();

    const end = await resumed.run();
    assert.equal(end.phase, 'succeeded', end.summary);
    assert.deepEqual(statuses(end).slice(2), ['move:succeeded', 'add-role:succeeded', 'restore-role:skipped', 'verify:succeeded']);
    const after = await erp();
    assert.deepEqual([after.Host, after.State, after.IsClustered], ['HV02', 'Running', true]);
    assert.deepEqual(after.Groups, [{ Cluster: 'CL2', Name: 'erp01', Owner: 'HV02', State: 'Online' }]);
  });

  it('reloaded mid-move, and the move then fails at 40 %: the next extension host restores HA — erp01 a CL1 role on HV05, running', async function () {
    await lab.run(
      'slow',
      `param($Params)\nSet-HyperVLabTimeScale -TimeScale 1\nSet-HyperVLabFault -ComputerName HV01 -FailMoveAtPercent 40`,
    );
    const first = await extensionHost();
    await runUntil(first, 'HV01', (s) => s.move?.progress.phase === 'moving');
    await goAway(first);
    const resumed = await comeBack();
    const end = await resumed.run();
    assert.equal(end.phase, 'failed', end.summary);
    assert.deepEqual(statuses(end).slice(2), ['move:failed', 'add-role:skipped', 'restore-role:succeeded', 'verify:succeeded']);
    assert.match(end.summary ?? '', /The move failed at 40 %.*HA is restored: erp01 is a role of CL1 again, and it is running on HV05\.$/);
    const after = await erp();
    assert.deepEqual([after.Host, after.State, after.IsClustered], ['HV05', 'Running', true]);
    assert.deepEqual(after.Groups, [{ Cluster: 'CL1', Name: 'erp01', Owner: 'HV05', State: 'Online' }]);
  });
});
