// The migration queue with the real move executor and a fake at the PowerShell boundary: a small Hyper-V
// that answers the executor's start, status and cancel scripts, keeps each host's running migrations,
// refuses a start past a host's limit as Hyper-V does (event 21501), and ends a job after a number of
// looks at it. Proves the limits are never exceeded, the longest-first order beats first-in-first-out on
// a mixed set, one failure does not stop the others, pause/resume/cancel, and a refused start retried.

import * as assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMoveExecutor, type JobView, type StartAnswer, type StatusAnswer } from '../../../src/migration/executor';
import { hostKey } from '../../../src/hyperv/hostName';
import {
  limitsFrom,
  lowerBound,
  MigrationQueue,
  simulate,
  startable,
  type HostLimits,
  type QueueItem,
  type QueueOrder,
  type Slotted,
} from '../../../src/migration/queue';
import type { MoveExecutor } from '../../../src/migration/types';
import { FakeRunner, ok } from '../../support/fakeRunner';

const GB = 1024 ** 3;

interface Job {
  readonly id: string;
  readonly vmId: string;
  readonly vmName: string;
  readonly source: string;
  readonly destination: string;
  readonly storage: boolean;
  /** Looks at the job (status polls) until it ends. */
  readonly length: number;
  looks: number;
  state: number;
  percent: number;
  error: string | null;
}

/** Hyper-V as the executor's scripts see it: per-host limits, jobs that end after `length` looks. */
class FakeHyperV {
  readonly runner = new FakeRunner();
  readonly jobs: Job[] = [];
  readonly peak = new Map<string, { vm: number; storage: number }>();
  readonly refused: string[] = [];
  /** Most migrations running at once over all hosts. */
  fleetPeak = 0;
  /** Start order, by VM name. */
  readonly started: string[] = [];
  /** Migrations not started by the queue, holding a slot on a host. */
  readonly foreign = new Map<string, number>();
  private paused = false;
  private sequence = 0;

  constructor(
    private readonly limits: Readonly<Record<string, HostLimits>>,
    private readonly vms: ReadonlyMap<string, { name: string; length: number; failAt?: number }>,
  ) {
    this.runner
      .answer('moveStart', (p) => ok(this.start(p as StartParams)))
      .answer('jobStatus', (p) => ok(this.status(p as { vmId: string; source: string; destination: string; locate: boolean })))
      .answer('jobCancel', (p) => ok(this.cancel(p as { jobId: string })));
  }

  /** While frozen, running jobs do not advance (for pause tests). */
  freeze(frozen: boolean): void {
    this.paused = frozen;
  }

  running(host?: string): Job[] {
    return this.jobs.filter(
      (j) => j.state === 4 && (!host || hostKey(j.source) === hostKey(host) || hostKey(j.destination) === hostKey(host)),
    );
  }

  private start(p: StartParams): StartAnswer {
    const vm = this.vms.get(p.vmId);
    if (!vm) throw new Error(`no VM ${p.vmId}`);
    const storage = true;
    for (const host of [p.source, p.destination]) {
      const limit = this.limits[host] ?? { vm: 2, storage: 2 };
      const busy = this.running(host).length + (this.foreign.get(host) ?? 0);
      const busyStorage = this.running(host).filter((j) => j.storage).length + (this.foreign.get(host) ?? 0);
      if (busy >= limit.vm || (storage && busyStorage >= limit.storage)) {
        this.refused.push(vm.name);
        return {
          ...answer(p),
          started: false,
          jobId: null,
          failure: `Virtual machine migration operation for '${vm.name}' failed at migration source '${p.source}'. (Virtual machine ID ${p.vmId})\r\nThe virtual machine migration limit "${limit.vm}" was reached on host '${host}'; the migration was rejected (event 21501).`,
        };
      }
    }
    const job: Job = {
      id: `JOB-${++this.sequence}`,
      vmId: p.vmId,
      vmName: vm.name,
      source: p.source,
      destination: p.destination,
      storage,
      length: vm.length,
      looks: 0,
      state: 4,
      percent: 0,
      error: null,
    };
    this.jobs.push(job);
    this.started.push(vm.name);
    this.fleetPeak = Math.max(this.fleetPeak, this.running().length);
    for (const host of [p.source, p.destination]) {
      const running = this.running(host);
      const best = this.peak.get(host) ?? { vm: 0, storage: 0 };
      this.peak.set(host, {
        vm: Math.max(best.vm, running.length),
        storage: Math.max(best.storage, running.filter((j) => j.storage).length),
      });
    }
    return { ...answer(p), jobId: job.id };
  }

  private status(p: { vmId: string; source: string; destination: string; locate: boolean }): StatusAnswer {
    const jobs = this.jobs.filter((j) => j.vmId === p.vmId && j.source === p.source);
    for (const job of jobs) {
      if (job.state !== 4 || this.paused) continue;
      job.looks++;
      job.percent = Math.min(99, Math.floor((100 * job.looks) / job.length));
      const failAt = this.vms.get(job.vmId)?.failAt;
      if (failAt !== undefined && job.percent >= failAt) {
        job.state = 10;
        job.percent = failAt;
        job.error = 'An existing connection was forcibly closed by the remote host. (0x80072746)';
      } else if (job.looks >= job.length) {
        job.state = 7;
        job.percent = 100;
      }
    }
    const views: JobView[] = jobs.map((j) => ({
      id: j.id,
      state: j.state,
      percent: j.percent,
      elapsedMs: null,
      startTime: null,
      errorDescription: j.error,
    }));
    const last = jobs.at(-1);
    const running = jobs.some((j) => j.state === 4);
    const host = last?.state === 7 ? p.destination : p.source;
    return {
      jobs: views,
      located: running && !p.locate ? null : { host, state: 'Running', status: 'Operating normally' },
      lookupProblems: [],
    };
  }

  private cancel(p: { jobId: string }): { found: boolean; returnValue: number | null } {
    const job = this.jobs.find((j) => j.id === p.jobId);
    if (!job) return { found: false, returnValue: null };
    if (job.state !== 4) return { found: true, returnValue: 4097 };
    job.state = 8;
    job.error = 'The operation was canceled by the user. (0x800704C7)';
    return { found: true, returnValue: 0 };
  }
}

interface StartParams {
  vmId: string;
  source: string;
  destination: string;
}

function answer(p: StartParams): StartAnswer {
  return {
    started: true,
    jobId: null,
    priorJobIds: [],
    storagePath: `D:\\VMs\\${p.vmId}`,
    memoryBytes: 4 * GB,
    diskBytes: 40 * GB,
    checkpointBytes: 0,
    failure: null,
    cleanupProblem: null,
    incompatibilities: [],
  };
}

const vmId = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

interface Spec {
  readonly name: string;
  readonly source: string;
  readonly destination: string;
  /** Looks until the job ends: stands for its duration. */
  readonly length: number;
  readonly failAt?: number;
}

function setUp(specs: readonly Spec[], limits: Record<string, HostLimits>): { hv: FakeHyperV; items: QueueItem[] } {
  const vms = new Map(
    specs.map((s, i) => [vmId(i + 1), { name: s.name, length: s.length, ...(s.failAt !== undefined && { failAt: s.failAt }) }]),
  );
  const hv = new FakeHyperV(limits, vms);
  const items = specs.map((s, i) => ({
    plan: {
      request: { vmId: vmId(i + 1), vmName: s.name, source: s.source, destination: s.destination },
      adapterSwitches: {},
      ejectDvd: [],
    },
    bytes: s.length * GB,
    estimatedMs: s.length * 100,
    movesStorage: true,
  }));
  return { hv, items };
}

async function until(what: string, done: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** A deterministic mixed set: a few large moves among many small ones, in no particular order. */
function mixed(count: number, seed: number): number[] {
  let x = seed;
  const next = () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
  return Array.from({ length: count }, () => (next() < 0.2 ? 40 + Math.floor(next() * 60) : 2 + Math.floor(next() * 10)));
}

describe('migration queue', function () {
  let journalDir: string;
  let executor: MoveExecutor | undefined;

  const open = (hv: FakeHyperV): MoveExecutor => {
    executor = createMoveExecutor({ runner: hv.runner, journalDir, pollIntervalMs: 1 });
    return executor;
  };

  beforeEach(async function () {
    journalDir = await mkdtemp(join(tmpdir(), 'hyperv-queue-'));
  });

  afterEach(async function () {
    executor?.dispose();
    executor = undefined;
    await rm(journalDir, { recursive: true, force: true });
  });

  describe('the scheduling rule', function () {
    const limits = limitsFrom({ HV01: { vm: 2, storage: 2 }, HV02: { vm: 1, storage: 1 }, HV03: { vm: 3, storage: 1 } });

    it('starts what fits on both hosts, counting shared-nothing moves against the storage limit too', function () {
      const move = (destination: string, estimatedMs: number, movesStorage = true): Slotted => ({
        source: 'HV01',
        destination,
        estimatedMs,
        movesStorage,
      });
      const pending = [move('HV02', 10), move('HV02', 50), move('HV03', 30), move('HV03', 20, false)];
      assert.deepEqual(
        startable(pending, [], limits, 'longest-first'),
        [pending[1], pending[2]],
        'the longest to HV02, then the longest to HV03; HV01 is then full',
      );
      assert.deepEqual(startable(pending, [], limits, 'fifo'), [pending[0], pending[2]]);
      assert.deepEqual(startable(pending, [move('HV03', 5)], limits, 'longest-first'), [pending[1]], 'one slot left on HV01');
      assert.deepEqual(
        startable(
          [move('HV03', 30), move('HV03', 20, false)],
          [{ source: 'HV04', destination: 'HV03', estimatedMs: 1, movesStorage: true }],
          limits,
          'longest-first',
        ),
        [move('HV03', 20, false)],
        "HV03's one storage slot is taken: only the move without storage fits",
      );
      assert.deepEqual(
        startable(pending, [], limitsFrom({ hv01: { vm: 1, storage: 1 } }), 'fifo').length,
        1,
        'host names compare as admins write them',
      );
    });

    it('longest-first finishes a mixed drain sooner than first-in-first-out, near the lower bound, never past a limit', function () {
      for (const seed of [1, 7, 42, 99, 2024]) {
        const moves = mixed(20, seed).map(
          (length, i): Slotted => ({ source: 'HV01', destination: i % 3 === 0 ? 'HV03' : 'HV02', estimatedMs: length, movesStorage: true }),
        );
        const drainLimits = limitsFrom({ HV01: { vm: 2, storage: 2 }, HV02: { vm: 2, storage: 2 }, HV03: { vm: 2, storage: 2 } });
        const lpt = simulate(moves, drainLimits, 'longest-first');
        const fifo = simulate(moves, drainLimits, 'fifo');
        const bound = lowerBound(moves, drainLimits);
        assert.ok(lpt.makespanMs <= fifo.makespanMs, `seed ${seed}: LPT ${lpt.makespanMs} vs FIFO ${fifo.makespanMs}`);
        assert.ok(lpt.makespanMs <= (4 / 3) * bound, `seed ${seed}: LPT ${lpt.makespanMs} vs bound ${bound}`);
        for (const schedule of [lpt, fifo]) {
          for (const [host, peak] of Object.entries(schedule.peak))
            assert.ok(peak.vm <= 2 && peak.storage <= 2, `${host}: ${JSON.stringify(peak)}`);
        }
      }
      // The set where it shows: the big moves come last in the list.
      const late = [5, 5, 5, 5, 5, 5, 5, 5, 60, 60].map(
        (estimatedMs): Slotted => ({ source: 'HV01', destination: 'HV02', estimatedMs, movesStorage: true }),
      );
      const two = limitsFrom({ HV01: { vm: 2, storage: 2 }, HV02: { vm: 2, storage: 2 } });
      assert.deepEqual(
        [simulate(late, two, 'longest-first').makespanMs, simulate(late, two, 'fifo').makespanMs, lowerBound(late, two)],
        [80, 80, 80],
      );
      const later = [5, 5, 5, 5, 5, 5, 5, 60, 5, 60, 40].map(
        (estimatedMs): Slotted => ({ source: 'HV01', destination: 'HV02', estimatedMs, movesStorage: true }),
      );
      const lpt = simulate(later, two, 'longest-first');
      const fifo = simulate(later, two, 'fifo');
      assert.deepEqual(
        lpt.starts.slice(0, 3).map((s) => later[s.index]?.estimatedMs),
        [60, 60, 40],
      );
      assert.ok(lpt.makespanMs < fifo.makespanMs, `${lpt.makespanMs} < ${fifo.makespanMs}`);
      assert.equal(lpt.makespanMs, lowerBound(later, two));
    });

    it("a plan's cap bounds the moves at once over the whole fleet, counting those running", function () {
      const roomy = limitsFrom({});
      const pairs: Slotted[] = ['HV02', 'HV03', 'HV04', 'HV05'].map((destination, i) => ({
        source: `HV1${i}`,
        destination,
        estimatedMs: 10 * (i + 1),
        movesStorage: true,
      }));
      assert.equal(startable(pairs, [], roomy, 'fifo').length, 4, 'no host shared: all four fit without a cap');
      assert.deepEqual(startable(pairs, [], roomy, 'longest-first', 2), [pairs[3], pairs[2]], 'the two longest');
      assert.deepEqual(startable(pairs, [], roomy, 'fifo', 2), [pairs[0], pairs[1]]);
      assert.deepEqual(
        startable(pairs, [{ source: 'HV20', destination: 'HV21', estimatedMs: 1, movesStorage: false }], roomy, 'fifo', 2),
        [pairs[0]],
        'one of two slots taken',
      );
      assert.deepEqual(startable(pairs, pairs.slice(0, 2), roomy, 'fifo', 2), [], 'the cap is reached');
      const tight = limitsFrom({ HV10: { vm: 1, storage: 1 } });
      const shared = [pairs[0], { ...pairs[1], source: 'HV10' }, pairs[2]];
      assert.deepEqual(startable(shared, [], tight, 'fifo', 2), [shared[0], shared[2]], "the hosts' limits still apply under the cap");
    });

    it('simulate with a cap: the moves wait for a fleet-wide slot, and the estimate grows accordingly', function () {
      const roomy = limitsFrom({});
      const pairs: Slotted[] = [0, 1, 2, 3].map((i) => ({
        source: `HV1${i}`,
        destination: `HV2${i}`,
        estimatedMs: 10,
        movesStorage: true,
      }));
      const at = (cap?: number) => simulate(pairs, roomy, 'fifo', cap);
      assert.deepEqual([at().makespanMs, at(4).makespanMs, at(2).makespanMs, at(1).makespanMs, at(3).makespanMs], [10, 10, 20, 40, 20]);
      assert.deepEqual(at(2).starts, [
        { index: 0, atMs: 0 },
        { index: 1, atMs: 0 },
        { index: 2, atMs: 10 },
        { index: 3, atMs: 10 },
      ]);
      for (const cap of [1, 2, 3]) {
        const { starts } = at(cap);
        for (const { atMs } of starts) {
          const running = starts.filter((s) => s.atMs <= atMs && atMs < s.atMs + 10).length;
          assert.ok(running <= cap, `cap ${cap}: ${running} at ${atMs} ms`);
        }
      }
    });
  });

  describe('with the executor', function () {
    it('never runs more at once per host than its limits allow, source and destination, and moves them all', async function () {
      const limits = { HV01: { vm: 3, storage: 2 }, HV02: { vm: 1, storage: 1 }, HV03: { vm: 2, storage: 2 } };
      const specs = [3, 9, 4, 12, 2, 6, 8, 5].map(
        (length, i): Spec => ({ name: `vm${i + 1}`, source: 'HV01', destination: i % 2 ? 'HV02' : 'HV03', length }),
      );
      const { hv, items } = setUp(specs, limits);
      const queue = new MigrationQueue(items, { executor: open(hv), limits: limitsFrom(limits) });
      const summary = await queue.start();
      assert.equal(summary.moved.length, 8, summary.text);
      assert.deepEqual(hv.refused, [], 'Hyper-V never had to refuse a start');
      for (const [host, peak] of hv.peak) {
        const limit = limits[host as keyof typeof limits];
        assert.ok(peak.vm <= limit.vm && peak.storage <= limit.storage, `${host}: ${JSON.stringify(peak)} within ${JSON.stringify(limit)}`);
      }
      assert.deepEqual(
        [hv.peak.get('HV01'), hv.peak.get('HV02')],
        [
          { vm: 2, storage: 2 },
          { vm: 1, storage: 1 },
        ],
        'the limits bound: HV01 by its storage limit, HV02 by its one slot',
      );
      assert.equal((await readdir(journalDir)).filter((n) => n.endsWith('.json')).length, 8, 'every move is in the journal');
      assert.match(summary.text, /^8 of 8 VMs moved in \d+ s\.$/);
    });

    it('starts the longest moves first, FIFO in list order: the same rule as the simulation', async function () {
      const specs = [2, 3, 20, 2, 30].map((length, i): Spec => ({ name: `vm${i + 1}`, source: 'HV01', destination: 'HV02', length }));
      const limits = { HV01: { vm: 2, storage: 2 }, HV02: { vm: 2, storage: 2 } };
      for (const [order, first] of [
        ['longest-first', ['vm5', 'vm3']],
        ['fifo', ['vm1', 'vm2']],
      ] as [QueueOrder, string[]][]) {
        const { hv, items } = setUp(specs, limits);
        await new MigrationQueue(items, { executor: open(hv), limits: limitsFrom(limits), order }).start();
        assert.deepEqual(hv.started.slice(0, 2).sort(), [...first].sort(), order);
        assert.equal(hv.started.length, 5);
        executor?.dispose();
      }
    });

    it("one VM's failure does not stop the others, and the summary says why", async function () {
      const specs: Spec[] = [
        { name: 'web01', source: 'HV01', destination: 'HV02', length: 3 },
        { name: 'sql01', source: 'HV01', destination: 'HV02', length: 10, failAt: 40 },
        { name: 'app01', source: 'HV01', destination: 'HV02', length: 4 },
        { name: 'app02', source: 'HV01', destination: 'HV02', length: 2 },
      ];
      const { hv, items } = setUp(specs, { HV01: { vm: 2, storage: 2 } });
      const summary = await new MigrationQueue(items, { executor: open(hv), limits: limitsFrom({}) }).start();
      assert.deepEqual(summary.moved.map((r) => r.vmName).sort(), ['app01', 'app02', 'web01']);
      assert.deepEqual(
        summary.failed.map((r) => [r.vmName, r.state, r.why]),
        [['sql01', 'failed', 'The move failed at 40 %. sql01 is still running on HV01.']],
      );
      assert.equal(
        summary.failed[0]?.outcome?.failure?.message,
        'An existing connection was forcibly closed by the remote host. (0x80072746)',
      );
      assert.match(summary.text, /^3 of 4 VMs moved in \d+ s; 1 failed \(sql01\)\.$/);
    });

    it('pause starts nothing new while the running moves go on; resume goes on', async function () {
      const specs = [5, 5, 5, 5].map((length, i): Spec => ({ name: `vm${i + 1}`, source: 'HV01', destination: 'HV02', length }));
      const { hv, items } = setUp(specs, { HV01: { vm: 1, storage: 1 } });
      const queue = new MigrationQueue(items, { executor: open(hv), limits: limitsFrom({ HV01: { vm: 1, storage: 1 } }), order: 'fifo' });
      const states: string[] = [];
      queue.onDidChangeState((state) => states.push(state));
      void queue.start();
      await until('the first move to run', () => hv.running().length === 1);
      queue.pause();
      await until('the first move to end', () => queue.rows()[0]?.state === 'succeeded');
      await new Promise((resolve) => setTimeout(resolve, 30));
      assert.deepEqual(hv.started, ['vm1'], 'nothing new started while paused');
      assert.deepEqual(
        queue
          .rows()
          .slice(1)
          .map((r) => [r.state, r.waiting]),
        Array(3).fill(['queued', 'Paused: starts when the queue is resumed.']),
      );
      assert.equal(queue.state, 'paused');
      queue.resume();
      const summary = await queue.done;
      assert.deepEqual(hv.started, ['vm1', 'vm2', 'vm3', 'vm4']);
      assert.equal(summary.moved.length, 4);
      assert.deepEqual(states, ['running', 'paused', 'running', 'ended']);
    });

    it('cancel cancels the running moves, their VMs stay on their sources, and nothing more starts', async function () {
      const specs = [1000, 1000, 5, 5].map((length, i): Spec => ({ name: `vm${i + 1}`, source: 'HV01', destination: 'HV02', length }));
      const { hv, items } = setUp(specs, {});
      const queue = new MigrationQueue(items, { executor: open(hv), limits: limitsFrom({}) });
      void queue.start();
      await until(
        'two moves to run',
        () => hv.running().length === 2 && queue.rows().filter((r) => (r.progress?.percent ?? 0) > 0).length === 2,
      );
      const summary = await queue.cancel();
      assert.deepEqual([...hv.started].sort(), ['vm1', 'vm2']);
      assert.deepEqual(hv.running(), []);
      assert.deepEqual(
        hv.jobs.map((j) => j.state),
        [8, 8],
        'both jobs terminated on the host',
      );
      assert.deepEqual(
        queue.rows().map((r) => r.state),
        ['cancelled', 'cancelled', 'not-started', 'not-started'],
      );
      assert.deepEqual(
        summary.notMoved.map((n) => [n.vmName, n.why.replace(/\d+ %/, 'N %')]),
        [
          ['vm1', 'The move was cancelled at N %. vm1 is still running on HV01.'],
          ['vm2', 'The move was cancelled at N %. vm2 is still running on HV01.'],
          ['vm3', 'The queue was cancelled before this move started.'],
          ['vm4', 'The queue was cancelled before this move started.'],
        ],
      );
      assert.equal(queue.state, 'ended');
      assert.match(summary.text, /^0 of 4 VMs moved in \d+ s; 4 not moved \(vm1, vm2, vm3, vm4\)\.$/);
    });

    it('a start a busy host refuses (a migration the queue did not start) waits and is tried again', async function () {
      const specs = [3, 3].map((length, i): Spec => ({ name: `vm${i + 1}`, source: 'HV01', destination: 'HV02', length }));
      const { hv, items } = setUp(specs, { HV02: { vm: 2, storage: 2 } });
      hv.foreign.set('HV02', 1);
      const queue = new MigrationQueue(items, { executor: open(hv), limits: limitsFrom({}), retryDelayMs: 20, order: 'fifo' });
      const done = queue.start();
      await until('a refused start to be queued again', () => queue.rows().some((r) => r.state === 'queued' && r.attempts === 1));
      const waiting = queue.rows().find((r) => r.state === 'queued' && r.attempts === 1);
      assert.match(
        waiting?.waiting ?? '',
        /^Refused by a busy host, tried again shortly: The virtual machine migration limit "2" was reached on host 'HV02'/,
      );
      hv.foreign.delete('HV02');
      const summary = await done;
      assert.equal(summary.moved.length, 2, summary.text);
      assert.ok(summary.moved.some((r) => r.attempts >= 2));
    });

    it("runs at most the plan's concurrency at once over the fleet, and a queued move says it waits for the plan's slot", async function () {
      const specs = [4, 4, 4, 4].map((length, i): Spec => ({ name: `vm${i + 1}`, source: `HV1${i}`, destination: `HV2${i}`, length }));
      const { hv, items } = setUp(specs, {});
      const queue = new MigrationQueue(items, { executor: open(hv), limits: limitsFrom({}), order: 'fifo', concurrency: 1 });
      const waiting = new Set<string>();
      queue.onDidChangeRow((row) => {
        if (row.waiting) waiting.add(row.waiting);
      });
      const summary = await queue.start();
      assert.equal(summary.moved.length, 4, summary.text);
      assert.equal(hv.fleetPeak, 1, 'one move at a time although no two share a host');
      assert.deepEqual(hv.started, ['vm1', 'vm2', 'vm3', 'vm4']);
      assert.ok(waiting.has('Waits for a slot: 1 of 1 moves of the plan running.'), [...waiting].join(' | '));

      const again = setUp(specs, {});
      executor?.dispose();
      await new MigrationQueue(again.items, { executor: open(again.hv), limits: limitsFrom({}), concurrency: 3 }).start();
      assert.equal(again.hv.fleetPeak, 3);
      executor?.dispose();
      const free = setUp(specs, {});
      await new MigrationQueue(free.items, { executor: open(free.hv), limits: limitsFrom({}) }).start();
      assert.equal(free.hv.fleetPeak, 4, 'without a cap, only the hosts limit');
    });

    it("a move already running (a drain picked up after a reload) is followed and counted against its hosts' limits, not started again", async function () {
      const limits = { HV01: { vm: 1, storage: 1 }, HV02: { vm: 2, storage: 2 } };
      const specs = [20, 3, 4].map((length, i): Spec => ({ name: `vm${i + 1}`, source: 'HV01', destination: 'HV02', length }));
      const { hv, items } = setUp(specs, limits);
      const running = await open(hv).start(items[0].plan);
      const queue = new MigrationQueue([{ ...items[0], running }, items[1], items[2]], {
        executor: open(hv),
        limits: limitsFrom(limits),
        retryDelayMs: 1,
      });
      assert.deepEqual(
        queue.rows().map((row) => [row.vmName, row.state, row.moveId === running.record().id]),
        [
          ['vm1', 'moving', true],
          ['vm2', 'queued', false],
          ['vm3', 'queued', false],
        ],
      );
      const summary = await queue.start();
      assert.equal(summary.moved.length, 3, summary.text);
      assert.deepEqual(
        hv.started,
        ['vm1', 'vm3', 'vm2'],
        'vm1 started once (before the queue); the others only after it, HV01 taking one at a time',
      );
      assert.deepEqual(hv.refused, [], "never refused: the running move held HV01's slot");
    });

    it('disposed (the extension host goes away), it starts nothing more and tells no one, while its running moves go on', async function () {
      const limits = { HV01: { vm: 1, storage: 1 }, HV02: { vm: 2, storage: 2 } };
      const { hv, items } = setUp(
        [5, 3].map((length, i): Spec => ({ name: `vm${i + 1}`, source: 'HV01', destination: 'HV02', length })),
        limits,
      );
      const queue = new MigrationQueue(items, { executor: open(hv), limits: limitsFrom(limits) });
      const told: string[] = [];
      queue.onDidChangeRow((row) => told.push(`${row.vmName}:${row.state}`));
      void queue.start();
      await until('vm1 moving', () => queue.rows()[0]?.state === 'moving');
      queue.dispose();
      executor?.dispose();
      const before = told.length;
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(told.length, before, 'no row changes after dispose');
      assert.deepEqual(
        queue.rows().map((row) => row.state),
        ['moving', 'queued'],
        'vm2 is still waiting, not failed for the disposal',
      );
      assert.deepEqual(hv.started, ['vm1']);
    });

    it('refuses a VM listed twice', function () {
      const { hv, items } = setUp([{ name: 'vm1', source: 'HV01', destination: 'HV02', length: 1 }], {});
      assert.throws(
        () => new MigrationQueue([...items, ...items], { executor: open(hv), limits: limitsFrom({}) }),
        /vm1 is in the queue twice/,
      );
    });
  });
});
