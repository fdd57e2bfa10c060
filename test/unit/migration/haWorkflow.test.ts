// The HA workflow with fakes at its boundaries (PowerShell, the preflight engine, the move executor): the
// check lets only the cluster role through, the steps run in order with the values they show, a failed or
// cancelled move restores the role on the source cluster, and every ending says where the VM is.

import * as assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HaJournal, type HaJournalEntry } from '../../../src/migration/haJournal';
import {
  clusterStorageProblem,
  prepareHaWorkflow,
  resumeHaWorkflows,
  type HaState,
  type HaWorkflow,
  type HaWorkflowState,
} from '../../../src/migration/haWorkflow';
import { progressOf } from '../../../src/migration/progress';
import type {
  Finding,
  MigrationRequest,
  MoveExecutor,
  MoveHandle,
  MoveOutcome,
  MovePlan,
  MoveRecord,
  PreflightEngine,
  PreflightResult,
} from '../../../src/migration/types';
import type { PowerShellResult } from '../../../src/powershell/types';
import { FakeRunner, ok } from '../../support/fakeRunner';

const VM_ID = '3f0c2a9e-6d1b-4c3e-8a7f-0b1c2d3e4f50';
const request: MigrationRequest = { vmId: VM_ID, vmName: 'erp01', source: 'HV05', destination: 'HV07' };

const vmAt = (host: string, isClustered: boolean, state = 'Running'): HaState['vm'] => ({
  host,
  name: 'erp01',
  state,
  status: 'Operating normally',
  isClustered,
});
const haState = (more: Partial<HaState> = {}): HaState => ({
  vm: vmAt('HV05', true),
  sourceCluster: 'CL1',
  destinationCluster: null,
  role: { cluster: 'CL1', name: 'erp01 role', ownerNode: 'HV05', state: 'Online' },
  destinationVmPath: 'D:\\Hyper-V',
  sharedVolumes: null,
  problems: [],
  ...more,
});
/** The destination HV07 as a node of CL2, with its cluster shared volume. */
const toCl2 = (more: Partial<HaState> = {}): HaState =>
  haState({ destinationCluster: 'CL2', sharedVolumes: ['C:\\ClusterStorage\\Volume1\\'], ...more });
const CSV_PATH = 'C:\\ClusterStorage\\Volume1\\erp01';

const finding = (id: string, severity: Finding['severity'] = 'blocker'): Finding => ({
  id,
  area: id.startsWith('cluster') ? 'cluster' : 'network',
  severity,
  title: `finding ${id}`,
  cause: '',
  evidence: [],
  fixes: [],
});

class FakePreflight implements PreflightEngine {
  readonly requests: MigrationRequest[] = [];
  signal: AbortSignal | undefined;
  constructor(
    private readonly findings: Finding[],
    private readonly gate?: Promise<void>,
  ) {}
  async check(r: MigrationRequest, options: { signal?: AbortSignal } = {}): Promise<PreflightResult> {
    this.requests.push(r);
    this.signal = options.signal;
    if (this.gate)
      await Promise.race([
        this.gate,
        new Promise((_, reject) => options.signal?.addEventListener('abort', () => reject(new Error('aborted')))),
      ]);
    return {
      request: r,
      findings: this.findings,
      ready: false,
      checkedAt: '',
      roundTrips: {},
      storagePath: r.storagePath ?? 'D:\\Hyper-V\\erp01',
    };
  }
}

/** A move that ends when the test says so. */
class FakeMove implements MoveHandle {
  readonly done: Promise<MoveRecord>;
  cancelled = false;
  private resolve: (r: MoveRecord) => void = () => undefined;
  private readonly listeners = new Set<(r: MoveRecord) => void>();
  private current: MoveRecord;
  constructor(readonly plan: MovePlan) {
    this.current = {
      id: 'move-1',
      plan,
      startedAt: new Date().toISOString(),
      progress: progressOf({ phase: 'starting', percent: 0, bytesTotal: 100, elapsedMs: 0, jobElapsedMs: null }),
    };
    this.done = new Promise((resolve) => (this.resolve = resolve));
  }
  readonly record = (): MoveRecord => this.current;
  readonly onProgress = (listener: (r: MoveRecord) => void): { dispose(): void } => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  progress(percent: number): void {
    this.current = {
      ...this.current,
      progress: progressOf({ phase: 'moving', percent, bytesTotal: 100, elapsedMs: 1000, jobElapsedMs: null }),
    };
    for (const l of this.listeners) l(this.current);
  }
  end(outcome: Partial<MoveOutcome> & Pick<MoveOutcome, 'phase'>): void {
    this.current = { ...this.current, endedAt: new Date().toISOString(), outcome: { durationMs: 1000, bytesMoved: 0, ...outcome } };
    this.resolve(this.current);
  }
  async cancel(): Promise<void> {
    this.cancelled = true;
    this.end({ phase: 'cancelled', summary: 'The move was cancelled at 30 %. erp01 is still running on HV05.' });
    await this.done;
  }
}

class FakeExecutor implements MoveExecutor {
  readonly moves: FakeMove[] = [];
  refuse: string | undefined;
  private startedListeners: ((m: FakeMove) => void)[] = [];
  start(plan: MovePlan): Promise<MoveHandle> {
    if (this.refuse) return Promise.reject(new Error(this.refuse));
    const move = new FakeMove(plan);
    this.moves.push(move);
    for (const l of this.startedListeners.splice(0)) l(move);
    return Promise.resolve(move);
  }
  started(): Promise<FakeMove> {
    return this.moves[0] ? Promise.resolve(this.moves[0]) : new Promise((resolve) => this.startedListeners.push(resolve));
  }
  running(): readonly MoveHandle[] {
    return this.moves;
  }
  recover(): Promise<readonly MoveRecord[]> {
    return Promise.resolve([]);
  }
  onDidChange(): { dispose(): void } {
    return { dispose() {} };
  }
  dispose(): void {}
}

const failed = (message: string): PowerShellResult<unknown> => ({ ok: false, error: { kind: 'scriptError', message }, warnings: [] });

interface Setup {
  runner: FakeRunner;
  executor: FakeExecutor;
  preflight: FakePreflight;
  workflow: HaWorkflow;
  journalDir: string;
}

/** A folder for a workflow's journal, removed after the tests. */
const journalDirs: string[] = [];
async function newJournalDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hyperv-ha-unit-'));
  journalDirs.push(dir);
  return dir;
}
after(async function () {
  await Promise.all(journalDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});
/** For workflows that are only prepared (never run, so never journaled). */
const UNUSED_DIR = join(tmpdir(), 'hyperv-ha-unit-unused');

/** A prepared workflow; `states` answers haState in turn (the first is read by prepare), the last repeats. */
async function setup(options: {
  states: HaState[];
  findings?: Finding[];
  gate?: Promise<void>;
  removeRole?: PowerShellResult<unknown>;
  addRole?: (params: unknown) => PowerShellResult<unknown>;
}): Promise<Setup> {
  let i = 0;
  const runner = new FakeRunner()
    .answer('haState', () => ok(options.states[Math.min(i++, options.states.length - 1)]))
    .answer('haRemoveRole', () => options.removeRole ?? ok(null))
    .answer('haAddRole', (p) => options.addRole?.(p) ?? ok(null));
  const executor = new FakeExecutor();
  const preflight = new FakePreflight(options.findings ?? [finding('cluster.role')], options.gate);
  const journalDir = await newJournalDir();
  const prepared = await prepareHaWorkflow({ runner, executor, preflight, journalDir }, request);
  assert.ok(prepared.ok, prepared.ok ? '' : prepared.message);
  return { runner, executor, preflight, workflow: prepared.workflow, journalDir };
}

const statuses = (state: HaWorkflowState): string[] => state.steps.map((s) => `${s.id}:${s.status}`);
const scripts = (runner: FakeRunner): [string, unknown][] => runner.calls.map((c) => [c.script, c.params]);

describe('HA workflow: preparing', function () {
  const prepare = async (state: HaState, destination = 'HV07') => {
    const runner = new FakeRunner().answer('haState', () => ok(state));
    return prepareHaWorkflow(
      { runner, executor: new FakeExecutor(), preflight: new FakePreflight([]), journalDir: UNUSED_DIR },
      { ...request, destination },
    );
  };

  it('refuses a VM that is not a cluster role, one not on its source, and a destination in its own cluster', async function () {
    const plain = await prepare(haState({ vm: vmAt('HV05', false), role: null }));
    assert.equal(!plain.ok && plain.reason, 'not-clustered');
    const elsewhere = await prepare(haState({ vm: vmAt('HV07', true) }));
    assert.equal(!elsewhere.ok && elsewhere.reason, 'not-found');
    const inside = await prepare(haState({ destinationCluster: 'cl1' }), 'HV06');
    assert.equal(!inside.ok && inside.reason, 'same-cluster');
    assert.match(!inside.ok ? inside.message : '', /Move-ClusterVirtualMachineRole/);
  });

  it('shows every step with its script before running, names as literals', async function () {
    const { workflow } = await setup({ states: [toCl2()] });
    const state = workflow.snapshot();
    assert.equal(state.phase, 'ready');
    assert.deepEqual(statuses(state), [
      'check:pending',
      'remove-role:pending',
      'move:pending',
      'add-role:pending',
      'restore-role:pending',
      'verify:pending',
    ]);
    const script = (id: string) => state.steps.find((s) => s.id === id)?.script;
    assert.equal(script('remove-role'), "Remove-ClusterGroup -Name 'erp01 role' -Cluster 'CL1' -RemoveResources -Force");
    const addOn = (host: string): string =>
      [
        `$null = Invoke-Command -ComputerName '${host}' -ErrorAction Stop -ArgumentList '${VM_ID}', 'erp01 role' -ScriptBlock {`,
        '    param($VmId, $Role)',
        '    Add-ClusterVirtualMachineRole -VMId $VmId -Name $Role -ErrorAction Stop',
        '}',
      ].join('\n');
    assert.equal(script('add-role'), addOn('HV07'));
    assert.equal(script('restore-role'), addOn('HV05'));
    assert.match(
      script('move') ?? '',
      /-DestinationHost 'HV07' -IncludeStorage -DestinationStoragePath 'C:\\ClusterStorage\\Volume1\\erp01' @hop\n/,
    );
    assert.ok(workflow.preview().includes(`# 4. Add the role on CL2 (HA on)\n${addOn('HV07')}\n`), workflow.preview());
  });
});

describe("HA workflow: the destination cluster's storage", function () {
  const prepare = (state: HaState, more: Partial<MigrationRequest> = {}) => {
    const runner = new FakeRunner().answer('haState', () => ok(state));
    return {
      runner,
      prepared: prepareHaWorkflow(
        { runner, executor: new FakeExecutor(), preflight: new FakePreflight([]), journalDir: UNUSED_DIR },
        { ...request, ...more },
      ),
    };
  };

  it("a cluster shared volume of the cluster or an SMB share is cluster storage; a node's own disk is not, and the message names the path and a CSV folder", function () {
    const volumes = ['C:\\ClusterStorage\\Volume1\\'];
    assert.equal(clusterStorageProblem('C:\\ClusterStorage\\Volume1\\erp01', 'CL2', volumes, 'erp01'), null);
    assert.equal(clusterStorageProblem('c:\\clusterstorage\\volume1\\VMs\\erp01', 'CL2', volumes, 'erp01'), null);
    assert.equal(clusterStorageProblem('\\\\fs01\\vms\\erp01', 'CL2', volumes, 'erp01'), null);
    assert.equal(
      clusterStorageProblem('C:\\ClusterStorage\\Volume2\\erp01', 'CL2', null, 'erp01'),
      null,
      'volumes unknown: any CSV folder',
    );
    assert.equal(
      clusterStorageProblem('D:\\Hyper-V\\erp01', 'CL2', volumes, 'erp01'),
      'D:\\Hyper-V\\erp01 is not on a cluster shared volume of CL2 nor on an SMB share: a role of CL2 with files there could not fail over to another node. ' +
        "Put erp01's files on a cluster shared volume, e.g. C:\\ClusterStorage\\Volume1\\erp01.",
    );
    assert.match(
      clusterStorageProblem('C:\\ClusterStorage\\Volume2\\erp01', 'CL2', volumes, 'erp01') ?? '',
      /^C:\\ClusterStorage\\Volume2\\erp01 is not on a cluster shared volume of CL2/,
    );
    assert.match(
      clusterStorageProblem('C:\\VMs\\erp01', 'CL2', ['C:\\ClusterStorage\\Data\\'], 'a:b') ?? '',
      /e\.g\. C:\\ClusterStorage\\Data\\a_b\.$/,
    );
  });

  it('refuses before anything changes a move to a cluster node with the files on its own disk: the VM keeps its role', async function () {
    const { runner, prepared } = prepare(toCl2(), { storagePath: 'D:\\Hyper-V\\erp01' });
    const result = await prepared;
    assert.equal(!result.ok && result.reason, 'storage-not-shared');
    assert.equal(
      !result.ok && result.message,
      'erp01 cannot become a role of CL2 on HV07 as planned. D:\\Hyper-V\\erp01 is not on a cluster shared volume of CL2 nor on an SMB share: a role of CL2 with files ' +
        "there could not fail over to another node. Put erp01's files on a cluster shared volume, e.g. C:\\ClusterStorage\\Volume1\\erp01.",
    );
    assert.deepEqual(
      runner.calls.map((c) => c.script),
      ['haState'],
      'no role removed, nothing moved',
    );
    const disk = await prepare(toCl2(), {
      vhds: [{ source: 'C:\\ClusterStorage\\Volume1\\erp01\\erp01.vhdx', destination: 'E:\\Disks\\erp01.vhdx' }],
    }).prepared;
    assert.match(!disk.ok ? disk.message : '', /E:\\Disks\\erp01\.vhdx is not on a cluster shared volume of CL2/);
  });

  it("by default the files go to the destination cluster's shared volume, not the node's default folder; unread volumes leave the default, which is refused", async function () {
    const csv = await prepare(toCl2()).prepared;
    assert.ok(csv.ok, csv.ok ? '' : csv.message);
    assert.match(
      csv.workflow.snapshot().steps.find((s) => s.id === 'move')?.script ?? '',
      /-DestinationStoragePath 'C:\\ClusterStorage\\Volume1\\erp01'/,
    );
    const unread = await prepare(haState({ destinationCluster: 'CL2', problems: ['HV07: Access is denied.'] })).prepared;
    assert.equal(!unread.ok && unread.reason, 'storage-not-shared');
    assert.match(
      !unread.ok ? unread.message : '',
      /D:\\Hyper-V\\erp01 is not on a cluster shared volume of CL2 .*e\.g\. C:\\ClusterStorage\\Volume1\\erp01\.$/,
    );
    const standalone = await prepare(haState(), { storagePath: 'D:\\Hyper-V\\erp01' }).prepared;
    assert.ok(standalone.ok, 'a standalone destination takes any folder');
  });
});

describe('HA workflow: running', function () {
  it('to a cluster node: HA off, move, HA on at the destination, verified there', async function () {
    const { runner, executor, workflow, preflight } = await setup({
      states: [
        toCl2(),
        toCl2({ vm: vmAt('HV07', true), role: { cluster: 'CL2', name: 'erp01 role', ownerNode: 'HV07', state: 'Online' } }),
      ],
      findings: [finding('cluster.role'), finding('migration.concurrency:hv07', 'warning')],
    });
    const running = workflow.run();
    const move = await executor.started();
    assert.deepEqual(move.plan, { request: { ...request, storagePath: CSV_PATH }, adapterSwitches: {}, ejectDvd: [] });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(workflow.snapshot().steps.find((s) => s.id === 'move')?.detail, 'starting · 0 %');
    move.progress(50);
    assert.equal(workflow.snapshot().steps.find((s) => s.id === 'move')?.detail, 'moving · 50 %');
    move.end({ phase: 'succeeded', summary: 'erp01 moved to HV07 in 1 s (0 B moved).' });
    const end = await running;
    assert.equal(end.phase, 'succeeded', end.summary);
    assert.deepEqual(statuses(end), [
      'check:succeeded',
      'remove-role:succeeded',
      'move:succeeded',
      'add-role:succeeded',
      'restore-role:skipped',
      'verify:succeeded',
    ]);
    assert.deepEqual(scripts(runner), [
      ['haState', { VmId: VM_ID, Source: 'HV05', Destination: 'HV07' }],
      ['haRemoveRole', { Role: 'erp01 role', Cluster: 'CL1' }],
      ['haAddRole', { VmId: VM_ID, Role: 'erp01 role', Host: 'HV07' }],
      ['haState', { VmId: VM_ID, Source: 'HV05', Destination: 'HV07' }],
    ]);
    assert.equal(preflight.requests.length, 1);
    assert.match(end.steps[0]?.detail ?? '', /1 warning/);
    assert.match(end.summary ?? '', /is a role of CL2 again/);
  });

  it('a blocker other than the cluster role stops it before anything changes', async function () {
    const { runner, executor, workflow } = await setup({
      states: [haState()],
      findings: [finding('cluster.role'), finding('network.switch-missing:a')],
    });
    const end = await workflow.run();
    assert.equal(end.phase, 'failed');
    assert.deepEqual(statuses(end), [
      'check:failed',
      'remove-role:skipped',
      'move:skipped',
      'add-role:skipped',
      'restore-role:skipped',
      'verify:skipped',
    ]);
    assert.deepEqual(
      runner.calls.map((c) => c.script),
      ['haState'],
    );
    assert.equal(executor.moves.length, 0);
    assert.match(end.summary ?? '', /^Nothing was changed: .*finding network\.switch-missing:a/);
  });

  it('a failed move restores the role on the source cluster and confirms the VM running there', async function () {
    const { runner, executor, workflow } = await setup({ states: [haState(), haState()] });
    const running = workflow.run();
    (await executor.started()).end({
      phase: 'failed',
      summary: 'The move failed at 40 %. erp01 is still running on HV05.',
      failure: { message: 'boom', cause: 'c', fix: 'f' },
      vmFoundOn: { host: 'HV05', state: 'Running' },
    });
    const end = await running;
    assert.equal(end.phase, 'failed');
    assert.deepEqual(statuses(end), [
      'check:succeeded',
      'remove-role:succeeded',
      'move:failed',
      'add-role:skipped',
      'restore-role:succeeded',
      'verify:succeeded',
    ]);
    assert.deepEqual(scripts(runner).slice(1), [
      ['haRemoveRole', { Role: 'erp01 role', Cluster: 'CL1' }],
      ['haAddRole', { VmId: VM_ID, Role: 'erp01 role', Host: 'HV05' }],
      ['haState', { VmId: VM_ID, Source: 'HV05', Destination: 'HV07' }],
    ]);
    assert.equal(
      end.summary,
      'The move failed at 40 %. erp01 is still running on HV05. HA is restored: erp01 is a role of CL1 again, and it is running on HV05.',
    );
    assert.equal(end.move?.outcome?.failure?.message, 'boom');
  });

  it('cancelled during the move: the move is cancelled, HA restored, the workflow ends cancelled', async function () {
    const { executor, workflow } = await setup({ states: [haState(), haState()] });
    const running = workflow.run();
    const move = await executor.started();
    await workflow.cancel();
    assert.equal(move.cancelled, true);
    const end = await running;
    assert.equal(end.phase, 'cancelled');
    assert.deepEqual(statuses(end), [
      'check:succeeded',
      'remove-role:succeeded',
      'move:skipped',
      'add-role:skipped',
      'restore-role:succeeded',
      'verify:succeeded',
    ]);
    assert.match(end.summary ?? '', /cancelled at 30 %.*HA is restored/);
  });

  it('cancelled during the check: nothing changes', async function () {
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const controller = new AbortController();
    const { runner, executor, workflow, preflight } = await setup({ states: [haState()], gate });
    const running = workflow.run(controller.signal);
    while (preflight.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    controller.abort();
    const end = await running;
    release();
    assert.equal(preflight.signal?.aborted, true);
    assert.equal(end.phase, 'cancelled');
    assert.deepEqual(
      runner.calls.map((c) => c.script),
      ['haState'],
    );
    assert.equal(executor.moves.length, 0);
    assert.match(end.summary ?? '', /Cancelled before anything changed/);
  });

  it('a move the executor refuses to start restores HA too', async function () {
    const { executor, workflow } = await setup({ states: [haState(), haState()] });
    executor.refuse = 'erp01 is already moving to HV02.';
    const end = await workflow.run();
    assert.equal(end.phase, 'failed');
    assert.deepEqual(statuses(end).slice(2), ['move:failed', 'add-role:skipped', 'restore-role:succeeded', 'verify:succeeded']);
    assert.match(end.summary ?? '', /The move did not start: erp01 is already moving to HV02\. HA is restored/);
  });

  it('says loudly when HA could not be restored, with the script to do it by hand', async function () {
    const { executor, workflow } = await setup({
      states: [haState(), haState({ vm: vmAt('HV05', false), role: null })],
      addRole: () => failed('The cluster service is not running.'),
    });
    const running = workflow.run();
    (await executor.started()).end({ phase: 'failed', summary: 'The move failed at 10 %. erp01 is still running on HV05.' });
    const end = await running;
    assert.equal(end.phase, 'failed');
    assert.deepEqual(statuses(end).slice(3), ['add-role:skipped', 'restore-role:failed', 'verify:failed']);
    assert.match(
      end.summary ?? '',
      /HA could NOT be restored on CL1 \(The cluster service is not running\.\), and it is running on HV05\. Add the role by hand: \$null = Invoke-Command -ComputerName 'HV05' .*-ArgumentList '3f0c/s,
    );
  });

  it('a failed role removal changes nothing more: no move, verified still clustered on the source', async function () {
    const { runner, executor, workflow } = await setup({ states: [haState(), haState()], removeRole: failed('Access is denied.') });
    const end = await workflow.run();
    assert.equal(end.phase, 'failed');
    assert.equal(executor.moves.length, 0);
    assert.deepEqual(statuses(end), [
      'check:succeeded',
      'remove-role:failed',
      'move:skipped',
      'add-role:skipped',
      'restore-role:skipped',
      'verify:succeeded',
    ]);
    assert.deepEqual(
      runner.calls.map((c) => c.script),
      ['haState', 'haRemoveRole', 'haState'],
    );
    assert.match(end.summary ?? '', /erp01 is still a role of CL1, and it is running on HV05/);
  });

  it('verification catches a VM left somewhere unexpected', async function () {
    const { executor, workflow } = await setup({ states: [haState(), haState({ vm: vmAt('HV05', false), role: null })] });
    const running = workflow.run();
    (await executor.started()).end({ phase: 'succeeded', summary: 'erp01 moved to HV07.' });
    const end = await running;
    assert.equal(end.phase, 'failed');
    assert.match(end.steps.find((s) => s.id === 'verify')?.detail ?? '', /erp01 is on HV05, not HV07/);
  });
});

describe('HA workflow: journaled, and picked up after a reload', function () {
  const CL2_ROLE = { cluster: 'CL2', name: 'erp01 role', ownerNode: 'HV07', state: 'Online' };
  const journaled = async (dir: string): Promise<HaJournalEntry> => {
    const entries = await new HaJournal(dir).list();
    assert.equal(entries.length, 1, 'one entry per workflow');
    return entries[0];
  };
  const stepsOf = (entry: HaJournalEntry): string[] => entry.steps.map((s) => `${s.id}:${s.status}`);
  const until = async (what: () => boolean | Promise<boolean>): Promise<void> => {
    const deadline = Date.now() + 20_000;
    while (!(await what())) {
      if (Date.now() > deadline) throw new Error('gave up waiting');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  /**
   * Disposes the workflow once `stop` says so, as a reload of the extension host does, and resolves once
   * the journal shows what the workflow had written by then (`written`).
   */
  const interrupt = async (
    set: Setup,
    stop: (state: HaWorkflowState) => boolean,
    written: (entry: HaJournalEntry) => boolean,
  ): Promise<void> => {
    await new Promise<void>((resolve) =>
      set.workflow.onDidChange((state) => {
        if (!stop(state)) return;
        set.workflow.dispose();
        resolve();
      }),
    );
    await until(async () => {
      const entry = (await new HaJournal(set.journalDir).list())[0];
      return entry !== undefined && written(entry);
    });
  };
  const step = (id: string, status: string) => (s: { readonly steps: readonly { readonly id: string; readonly status: string }[] }) =>
    s.steps.some((x) => x.id === id && x.status === status);

  /** The next extension host: a new runner and executor over the same journal folder. */
  const reload = async (
    journalDir: string,
    states: HaState[],
    executor = new FakeExecutor(),
  ): Promise<{ runner: FakeRunner; executor: FakeExecutor; workflows: HaWorkflow[] }> => {
    let i = 0;
    const runner = new FakeRunner()
      .answer('haState', () => ok(states[Math.min(i++, states.length - 1)]))
      .answer('haAddRole', () => ok(null));
    const workflows = await resumeHaWorkflows({ runner, executor, preflight: new FakePreflight([]), journalDir });
    return { runner, executor, workflows };
  };

  it('writes each step to the journal as running before it runs, and as it ended after', async function () {
    let dir = '';
    const seen: Record<string, string[]> = {};
    const look = (at: string) => async () => {
      seen[at] = stepsOf(await journaled(dir));
      return ok(null);
    };
    const runner = new FakeRunner()
      .answer('haState', () => ok(toCl2()))
      .answer('haRemoveRole', look('remove'))
      .answer('haAddRole', look('add'));
    const executor = new FakeExecutor();
    dir = await newJournalDir();
    const prepared = await prepareHaWorkflow(
      { runner, executor, preflight: new FakePreflight([finding('cluster.role')]), journalDir: dir },
      request,
    );
    assert.ok(prepared.ok);
    const running = prepared.workflow.run();
    const move = await executor.started();
    seen.move = stepsOf(await journaled(dir));
    await until(async () => (await journaled(dir)).moveId === 'move-1');
    runner.answer('haState', () => ok(toCl2({ vm: vmAt('HV07', true), role: CL2_ROLE })));
    move.end({ phase: 'succeeded', summary: 'erp01 moved to HV07.' });
    await running;

    assert.deepEqual(seen.remove, [
      'check:succeeded',
      'remove-role:running',
      'move:pending',
      'add-role:pending',
      'restore-role:pending',
      'verify:pending',
    ]);
    assert.deepEqual(seen.move, [
      'check:succeeded',
      'remove-role:succeeded',
      'move:running',
      'add-role:pending',
      'restore-role:pending',
      'verify:pending',
    ]);
    assert.deepEqual(seen.add, [
      'check:succeeded',
      'remove-role:succeeded',
      'move:succeeded',
      'add-role:running',
      'restore-role:skipped',
      'verify:pending',
    ]);
    const last = await journaled(dir);
    assert.deepEqual(
      [last.phase, last.moveId, last.plan.request.storagePath, last.sourceCluster, last.role, last.destinationCluster],
      ['succeeded', 'move-1', CSV_PATH, 'CL1', 'erp01 role', 'CL2'],
    );
    assert.ok(last.endedAt, 'an ended workflow is marked ended');
    assert.deepEqual(stepsOf(last), [
      'check:succeeded',
      'remove-role:succeeded',
      'move:succeeded',
      'add-role:succeeded',
      'restore-role:skipped',
      'verify:succeeded',
    ]);
    assert.deepEqual((await reload(dir, [toCl2()])).workflows, [], 'an ended workflow is not picked up again');
  });

  it('reloaded after HA off, before the move started: HA is restored on the source cluster, nothing is moved', async function () {
    const first = await setup({ states: [haState()] });
    const stopped = interrupt(first, step('move', 'running'), step('move', 'running'));
    void first.workflow.run();
    await stopped;
    assert.equal(first.executor.moves.length, 0, 'disposed before the move started');

    const next = await reload(first.journalDir, [haState({ vm: vmAt('HV05', false), role: null }), haState()]);
    assert.equal(next.workflows.length, 1);
    const workflow = next.workflows[0];
    assert.match(
      workflow.snapshot().resumed ?? '',
      /^VS Code was reloaded while the HA workflow of erp01 ran \(step: Move erp01 from HV05 to HV07\): it was picked up from its journal\.$/,
    );
    const end = await workflow.run();
    assert.equal(end.phase, 'failed', end.summary);
    assert.deepEqual(statuses(end), [
      'check:succeeded',
      'remove-role:succeeded',
      'move:skipped',
      'add-role:skipped',
      'restore-role:succeeded',
      'verify:succeeded',
    ]);
    assert.deepEqual(scripts(next.runner), [
      ['haState', { VmId: VM_ID, Source: 'HV05', Destination: 'HV07' }],
      ['haAddRole', { VmId: VM_ID, Role: 'erp01 role', Host: 'HV05' }],
      ['haState', { VmId: VM_ID, Source: 'HV05', Destination: 'HV07' }],
    ]);
    assert.equal(next.executor.moves.length, 0, 'no move is started after a reload');
    assert.match(
      end.summary ?? '',
      /^VS Code was reloaded .* erp01 was not moved\. HA is restored: erp01 is a role of CL1 again, and it is running on HV05\.$/,
    );
    assert.equal((await journaled(first.journalDir)).phase, 'failed');
  });

  it('reloaded mid-move: the re-attached move is followed to its end, then the role is added on the destination cluster', async function () {
    const first = await setup({ states: [toCl2()] });
    const stopped = interrupt(
      first,
      (s) => s.move !== undefined,
      (entry) => entry.moveId === 'move-1',
    );
    void first.workflow.run();
    await stopped;
    const moving = first.executor.moves[0];

    // The next executor re-attached the move (same id): it still runs on its host.
    const executor = new FakeExecutor();
    const attached = new FakeMove(moving.plan);
    executor.moves.push(attached);
    const next = await reload(
      first.journalDir,
      [toCl2({ vm: vmAt('HV07', true) }), toCl2({ vm: vmAt('HV07', true), role: CL2_ROLE })],
      executor,
    );
    const workflow = next.workflows[0];
    const running = workflow.run();
    await until(() => workflow.snapshot().move !== undefined);
    attached.progress(70);
    assert.equal(workflow.snapshot().steps.find((s) => s.id === 'move')?.detail, 'moving · 70 %');
    assert.deepEqual(next.runner.calls, [], 'nothing is decided while the move runs');
    attached.end({ phase: 'succeeded', summary: 'erp01 moved to HV07 in 1 s.' });
    const end = await running;
    assert.equal(end.phase, 'succeeded', end.summary);
    assert.deepEqual(statuses(end), [
      'check:succeeded',
      'remove-role:succeeded',
      'move:succeeded',
      'add-role:succeeded',
      'restore-role:skipped',
      'verify:succeeded',
    ]);
    assert.deepEqual(
      scripts(next.runner).map(([script, params]) => (script === 'haAddRole' ? [script, params] : script)),
      ['haState', ['haAddRole', { VmId: VM_ID, Role: 'erp01 role', Host: 'HV07' }], 'haState'],
    );
    assert.match(
      end.summary ?? '',
      /^VS Code was reloaded .* erp01 moved from HV05 to HV07 and is a role of CL2 again \(HA on\)\. erp01 moved to HV07 in 1 s\.$/,
    );
  });

  it('reloaded after the move, before the role was added: the role is added on the destination cluster', async function () {
    const first = await setup({ states: [toCl2()] });
    const stopped = interrupt(first, step('move', 'succeeded'), step('move', 'succeeded'));
    void first.workflow.run();
    (await first.executor.started()).end({ phase: 'succeeded', summary: 'erp01 moved to HV07.' });
    await stopped;
    const next = await reload(first.journalDir, [toCl2({ vm: vmAt('HV07', true) }), toCl2({ vm: vmAt('HV07', true), role: CL2_ROLE })]);
    const end = await next.workflows[0].run();
    assert.equal(end.phase, 'succeeded', end.summary);
    assert.deepEqual(
      next.runner.calls.map((c) => c.script),
      ['haState', 'haAddRole', 'haState'],
    );
    assert.deepEqual(statuses(end).slice(2), ['move:succeeded', 'add-role:succeeded', 'restore-role:skipped', 'verify:succeeded']);
  });

  it('reloaded during the check: nothing had changed, so nothing is done but saying so', async function () {
    const gate = new Promise<void>(() => undefined);
    const first = await setup({ states: [haState()], gate });
    const stopped = interrupt(first, step('check', 'running'), step('check', 'running'));
    void first.workflow.run();
    await stopped;
    const next = await reload(first.journalDir, [haState()]);
    const end = await next.workflows[0].run();
    assert.equal(end.phase, 'failed');
    assert.deepEqual(
      next.runner.calls.map((c) => c.script),
      ['haState', 'haState'],
      'read, then verified: no role changed',
    );
    assert.deepEqual(statuses(end), [
      'check:running',
      'remove-role:skipped',
      'move:skipped',
      'add-role:skipped',
      'restore-role:skipped',
      'verify:succeeded',
    ]);
    assert.match(
      end.summary ?? '',
      /Nothing was changed\. erp01 is a role of CL1, and it is running on HV05\. Run the workflow again to move it\.$/,
    );
  });

  it('leaves a workflow to the window whose extension host still runs it', async function () {
    const first = await setup({ states: [haState()] });
    const stopped = interrupt(first, step('remove-role', 'running'), step('remove-role', 'running'));
    void first.workflow.run();
    await stopped;
    const entry = await journaled(first.journalDir);
    await new HaJournal(first.journalDir).write({ ...entry, pid: process.ppid });
    assert.deepEqual((await reload(first.journalDir, [haState()])).workflows, []);
  });
});
