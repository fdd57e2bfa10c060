// Drain Host as the fleet panel runs it, driven as its webview drives it (view() and the messages handle()
// takes), with the fake at the PowerShell boundary and a fake executor for the moves: the plan shown before
// anything starts, an override refused with why, the moves started, paused, resumed and cancelled, the
// summary once they ended, Plan Again and Save as Plan.
import * as assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { History } from '../../../../src/migration/history';
import { progressOf } from '../../../../src/migration/progress';
import type { MoveExecutor, MoveHandle, MoveOutcome, MovePlan, MoveRecord } from '../../../../src/migration/types';
import { DrainJob } from '../../../../src/panel/fleet/drainJob';
import { FakeRunner, ok } from '../../../support/fakeRunner';
import { fleetAnswer, hostJson, vmJson } from '../../../support/inventoryData';
import { destinationAnswer, GB, sourceAnswer, VM_ID } from '../../../support/preflightData';
import { fakeContext } from './fakeContext';

/** A move that runs until the test ends it (or the queue cancels it). */
class FakeMove implements MoveHandle {
  readonly done: Promise<MoveRecord>;
  private resolve: (r: MoveRecord) => void = () => undefined;
  private current: MoveRecord;
  constructor(plan: MovePlan) {
    this.current = {
      id: `move-${plan.request.vmId}`,
      plan,
      startedAt: new Date().toISOString(),
      progress: progressOf({ phase: 'moving', percent: 10, bytesTotal: 100, elapsedMs: 1000, jobElapsedMs: null }),
    };
    this.done = new Promise((resolve) => (this.resolve = resolve));
  }
  readonly record = (): MoveRecord => this.current;
  readonly onProgress = (): { dispose(): void } => ({ dispose() {} });
  end(outcome: Pick<MoveOutcome, 'phase' | 'summary'>): void {
    this.current = { ...this.current, endedAt: new Date().toISOString(), outcome: { durationMs: 1000, bytesMoved: 0, ...outcome } };
    this.resolve(this.current);
  }
  async cancel(): Promise<void> {
    this.end({ phase: 'cancelled', summary: 'The move was cancelled at 10 %. web01 is still running on HV01.' });
    await this.done;
  }
}

class FakeExecutor implements MoveExecutor {
  readonly moves: FakeMove[] = [];
  start(plan: MovePlan): Promise<MoveHandle> {
    const move = new FakeMove(plan);
    this.moves.push(move);
    return Promise.resolve(move);
  }
  running(): readonly MoveHandle[] {
    return this.moves.filter((m) => !m.record().outcome);
  }
  recover(): Promise<readonly MoveRecord[]> {
    return Promise.resolve([]);
  }
  onDidChange(): { dispose(): void } {
    return { dispose() {} };
  }
  dispose(): void {}
}

/** HV01 runs web01; HV02 can take it (the preflight answers say nothing is in the way). */
function setup(journalDir: string, history?: History) {
  const runner = new FakeRunner()
    .answer(
      'getFleetInventory',
      fleetAnswer((name) => ({ host: hostJson(name), vms: name === 'HV01' ? [vmJson('web01', 'HV01', { id: VM_ID })] : [] })),
    )
    .answer('placementFacts', (p) =>
      ok({
        linkSpeedBps: 10_000_000_000,
        vms: (p as { VmIds: string[] }).VmIds.map((id) => ({
          id,
          memoryBytes: 2 * GB,
          diskBytes: 14 * GB,
          checkpointBytes: 0,
          vhdCount: 1,
        })),
      }),
    )
    .answer('preflightSource', () => ok(sourceAnswer()))
    .answer('preflightDestination', () => ok(destinationAnswer()));
  const executor = new FakeExecutor();
  const { ctx, recorded } = fakeContext({ runner, hosts: ['HV01', 'HV02'], executor, journalDir, ...(history && { history }) });
  return { runner, executor, recorded, job: new DrainJob(ctx) };
}

async function until<T>(what: string, probe: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('fleet panel: Drain Host', function () {
  let journalDir: string;
  let job: DrainJob | undefined;

  beforeEach(async function () {
    journalDir = await mkdtemp(join(tmpdir(), 'hyperv-drain-job-'));
  });

  afterEach(async function () {
    job?.dispose();
    job = undefined;
    // The journal's last write may still be on its way once the queue has ended.
    await rm(journalDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 });
  });

  it("plans before anything starts; drainOverride to a host that cannot take the VM is refused with why, in the view's notice", async function () {
    const s = setup(journalDir);
    job = s.job;
    await job.drainHost('HV01');
    assert.deepEqual(s.recorded.revealed, ['drain']);
    assert.equal(job.title(), 'Drain host: HV01');
    const view = job.view();
    assert.equal(view?.phase, 'planned', view?.error);
    assert.deepEqual(
      view?.placements.map((p) => [p.vmName, p.destination, p.overridden]),
      [['web01', 'HV02', false]],
    );
    assert.deepEqual(view?.rows, []);
    assert.equal(s.executor.moves.length, 0, 'nothing started');

    const refusal = /^HV01 was not considered for web01: plan again with it as the destination\.$/;
    await assert.rejects(
      () => job!.handle({ type: 'drainOverride', vmId: VM_ID, host: 'HV01' }),
      (error: Error) => refusal.test(error.message),
    );
    assert.match(job.view()?.notice ?? '', refusal);
    assert.equal(job.view()?.placements[0]?.destination, 'HV02');
  });

  it('drainStart starts the moves through the executor; the rows follow them, and the summary shows once they ended', async function () {
    const s = setup(journalDir);
    job = s.job;
    await job.drainHost('HV01');
    await job.handle({ type: 'drainStart' });
    const move = await until('the move started', () => s.executor.moves[0]);
    assert.equal(move.record().plan.request.destination, 'HV02');
    await until('the row moving', () => job?.view()?.rows[0]?.state === 'moving');
    assert.equal(job.view()?.phase, 'running');

    move.end({ phase: 'succeeded', summary: 'web01 now runs on HV02.' });
    const summary = await job.whenDrained();
    assert.equal(summary.moved.length, 1);
    const view = job.view();
    assert.equal(view?.phase, 'ended');
    assert.deepEqual(view?.summary?.moved, ['web01 → HV02']);
    assert.deepEqual(
      view?.rows.map((r) => r.state),
      ['succeeded'],
    );
  });

  it("records the drain in the history when it ends: the host drained, the VMs, where they went, the queue's summary", async function () {
    const history = new History(join(journalDir, 'history'), { user: 'alice' });
    const s = setup(journalDir, history);
    job = s.job;
    await job.drainHost('HV01');
    await job.handle({ type: 'drainStart' });
    const move = await until('the move started', () => s.executor.moves[0]);
    assert.deepEqual(await history.list(), [], 'nothing recorded while it runs');
    move.end({ phase: 'succeeded', summary: 'web01 now runs on HV02.' });
    const summary = await job.whenDrained();
    let entries = await history.list();
    for (let i = 0; i < 200 && entries.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      entries = await history.list();
    }
    assert.deepEqual(
      entries.map((e) => [e.kind, e.source, e.vm, e.destination, e.outcome, e.message]),
      [['drain', 'HV01', 'web01', 'HV02', 'succeeded', summary.text]],
    );
  });

  it('drainPause, drainResume and drainCancel reach the queue: cancelled, web01 stays where it is', async function () {
    const s = setup(journalDir);
    job = s.job;
    await job.drainHost('HV01');
    await job.handle({ type: 'drainStart' });
    await until('the move started', () => s.executor.moves[0]);
    await job.handle({ type: 'drainPause' });
    assert.equal(job.view()?.phase, 'paused');
    await job.handle({ type: 'drainResume' });
    assert.equal(job.view()?.phase, 'running');
    await job.handle({ type: 'drainCancel' });
    await job.whenDrained();
    const view = job.view();
    assert.equal(view?.phase, 'ended');
    assert.deepEqual(
      view?.rows.map((r) => r.state),
      ['cancelled'],
    );
    assert.deepEqual(view?.summary?.moved, []);
  });

  it('drainReplan plans the drain again; drainSaveAsPlan asks the panel to save the plan', async function () {
    const s = setup(journalDir);
    job = s.job;
    await job.drainHost('HV01');
    const facts = () => s.runner.calls.filter((c) => c.script === 'placementFacts').length;
    assert.equal(facts(), 2, 'one read per host');
    await job.handle({ type: 'drainReplan' });
    assert.equal(facts(), 4, 'each host read again');
    assert.equal(job.view()?.phase, 'planned');

    await job.handle({ type: 'drainSaveAsPlan' });
    assert.equal(s.recorded.saved, 1);
    assert.deepEqual(
      job.planAsFile().moves.map((m) => [m.vm, m.source, m.destination]),
      [['web01', 'HV01', 'HV02']],
    );
  });
});
