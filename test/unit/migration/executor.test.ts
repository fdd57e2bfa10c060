// The move executor with a fake at the PowerShell boundary: progress math (bytes, throughput, ETA), the
// journal written before the start script runs, refusal of a second move of the same VM (here, or
// recorded in the journal by another executor), cancel through the job, endings read from the job view
// and where the VM is, and recovery that survives a corrupt journal.

import * as assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMoveExecutor, type JobView, type StartAnswer, type StatusAnswer } from '../../../src/migration/executor';
import { endsWithin } from '../../../src/migration/executor/move';
import { progressOf } from '../../../src/migration/progress';
import type { MoveExecutor, MovePlan, MoveRecord } from '../../../src/migration/types';
import type { Logger, PowerShellResult } from '../../../src/powershell/types';
import { FakeRunner, ok } from '../../support/fakeRunner';

const VM_ID = '8a1c7e43-0b7e-4c77-9f3a-1e0b5d6a7c21';
const GB = 1024 ** 3;

const plan: MovePlan = {
  request: { vmId: VM_ID, vmName: 'sql01', source: 'HV01', destination: 'HV02' },
  adapterSwitches: { 'Microsoft:VM\\STORAGE': 'LAN1', 'Microsoft:VM\\BACKUP': null },
  ejectDvd: ['SCSI 0:1'],
};

const started = (more: Partial<StartAnswer> = {}): StartAnswer => ({
  started: true,
  jobId: 'JOB-1',
  priorJobIds: ['OLD-JOB'],
  storagePath: 'D:\\Hyper-V\\sql01',
  memoryBytes: 32 * GB,
  diskBytes: 60 * GB,
  checkpointBytes: 8 * GB,
  failure: null,
  cleanupProblem: null,
  incompatibilities: [],
  ...more,
});

const job = (state: number, percent: number, more: Partial<JobView> = {}): JobView => ({
  id: 'JOB-1',
  state,
  percent,
  elapsedMs: null,
  startTime: '2026-01-01T10:00:00.000Z',
  errorDescription: null,
  ...more,
});

const at = (host: string, state = 'Running'): StatusAnswer['located'] => ({ host, state, status: 'Operating normally' });

const status = (jobs: JobView[], located: StatusAnswer['located'] = null, lookupProblems: string[] = []): StatusAnswer => ({
  jobs,
  located,
  lookupProblems,
});

/** Answers in turn; the last one repeats. */
function inTurn<T>(...answers: T[]): () => PowerShellResult<unknown> {
  let i = 0;
  return () => ok(answers[Math.min(i++, answers.length - 1)]);
}

function failure(message: string): PowerShellResult<unknown> {
  return { ok: false, error: { kind: 'scriptError', message }, warnings: [] };
}

class Recorder implements Logger {
  readonly lines: string[] = [];
  trace(): void {}
  debug(): void {}
  info(m: string): void {
    this.lines.push(m);
  }
  warn(m: string): void {
    this.lines.push(m);
  }
  error(m: string): void {
    this.lines.push(m);
  }
}

describe('progress math', function () {
  it('bytes moved from the percent, throughput and ETA over the time the host job has run', function () {
    const p = progressOf({ phase: 'moving', percent: 25, bytesTotal: 100 * GB, elapsedMs: 12_000, jobElapsedMs: 10_000 });
    assert.equal(p.bytesMoved, 25 * GB);
    assert.equal(p.throughput, 2.5 * GB, 'bytes per second over the job so far');
    assert.equal(p.etaMs, 30_000, '75 % left at 2.5 %/s');
    assert.equal(p.elapsedMs, 12_000, 'elapsed is since the move was started here');
  });

  it('without the job time, the elapsed time measures the rate', function () {
    const p = progressOf({ phase: 'moving', percent: 50, bytesTotal: 10 * GB, elapsedMs: 4_000, jobElapsedMs: null });
    assert.equal(p.throughput, 1.25 * GB);
    assert.equal(p.etaMs, 4_000);
  });

  it('no ETA or throughput before anything moved or before there is time to measure', function () {
    assert.deepEqual(
      [0, 5].map((percent) => {
        const p = progressOf({ phase: 'moving', percent, bytesTotal: GB, elapsedMs: percent === 0 ? 5_000 : 50, jobElapsedMs: null });
        return [p.throughput, p.etaMs];
      }),
      [
        [0, null],
        [0, null],
      ],
    );
    assert.equal(progressOf({ phase: 'starting', percent: 0, bytesTotal: 0, elapsedMs: 100, jobElapsedMs: null }).etaMs, null);
  });

  it('ended moves: done means no time left; a failed one has no ETA; percent is clamped', function () {
    assert.equal(progressOf({ phase: 'succeeded', percent: 100, bytesTotal: GB, elapsedMs: 9_000, jobElapsedMs: null }).etaMs, 0);
    const failed = progressOf({ phase: 'failed', percent: 40, bytesTotal: GB, elapsedMs: 9_000, jobElapsedMs: 8_000 });
    assert.equal(failed.etaMs, null);
    assert.equal(failed.bytesMoved, Math.round(0.4 * GB));
    assert.equal(progressOf({ phase: 'moving', percent: 140, bytesTotal: GB, elapsedMs: 1_000, jobElapsedMs: null }).percent, 100);
  });
});

describe('move executor (fake PowerShell)', function () {
  let dir: string;
  let runner: FakeRunner;
  let log: Recorder;
  const executors: MoveExecutor[] = [];

  const open = (r: FakeRunner = runner): MoveExecutor => {
    const executor = createMoveExecutor({ runner: r, journalDir: dir, pollIntervalMs: 5, logger: log });
    executors.push(executor);
    return executor;
  };
  const calls = (name: string): unknown[] => runner.calls.filter((c) => c.script === name).map((c) => c.params);
  const journaled = async (id: string): Promise<{ record: MoveRecord; jobId: string | null }> =>
    JSON.parse(await readFile(join(dir, `${id}.json`), 'utf8')) as { record: MoveRecord; jobId: string | null };
  /** Waits until the move's job is journaled: the start script answered and the answer is on disk. */
  const jobJournaled = async (id: string): Promise<void> => {
    while ((await journaled(id)).jobId === null) await new Promise((resolve) => setTimeout(resolve, 5));
  };

  beforeEach(async function () {
    dir = await mkdtemp(join(tmpdir(), 'hyperv-executor-unit-'));
    runner = new FakeRunner();
    log = new Recorder();
  });

  afterEach(async function () {
    for (const e of executors.splice(0)) e.dispose();
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 });
  });

  it('near its end, the next look waits on the source for it (waitMs: two poll intervals); far from it, looks are plain', async function () {
    runner.answer('moveStart', inTurn(started()));
    runner.answer(
      'jobStatus',
      inTurn(
        status([]),
        // 10 % after 10 s: 90 s to go. 99 % after 990 ms: 10 ms to go, within two intervals (10 ms).
        status([job(4, 10, { elapsedMs: 10_000 })]),
        status([job(4, 99, { elapsedMs: 990 })]),
        status([job(7, 100, { elapsedMs: 1_000 })], at('HV02')),
      ),
    );
    const done = await (await open().start(plan)).done;
    assert.equal(done.outcome?.phase, 'succeeded');
    assert.deepEqual(
      calls('jobStatus').map((c) => (c as { waitMs?: number }).waitMs),
      [undefined, undefined, undefined, 10],
    );
  });

  it('endsWithin: the rate so far, or 95 % when the job reports no time', function () {
    assert.equal(endsWithin(50, 1_000, 1_000), true);
    assert.equal(endsWithin(50, 1_000, 999), false);
    assert.equal(endsWithin(0, 1_000, 1_000_000), false);
    assert.equal(endsWithin(94, null, 1), false);
    assert.equal(endsWithin(95, null, 1), true);
    assert.equal(endsWithin(100, 5, 0), true);
  });

  it('journals the move before the start script runs, sends the plan, and follows the job to the destination', async function () {
    let journaledAtStart: string[] = [];
    runner.answer('moveStart', async () => {
      journaledAtStart = await readdir(dir);
      return ok(started());
    });
    runner.answer(
      'jobStatus',
      inTurn(
        status([job(8, 12, { id: 'OLD-JOB' })], at('HV01')),
        status([job(4, 10, { elapsedMs: 1_000 })]),
        status([job(4, 50, { elapsedMs: 5_000 })]),
        status([job(7, 100, { elapsedMs: 10_000 })], at('HV02')),
      ),
    );
    const executor = open();
    const handle = await executor.start(plan);
    const seen: MoveRecord[] = [];
    handle.onProgress((r) => seen.push(r));
    const done = await handle.done;

    assert.deepEqual(journaledAtStart, [`${done.id}.json`]);
    assert.deepEqual(
      calls('jobStatus')[0],
      { vmId: VM_ID, source: 'HV01', destination: 'HV02', locate: false },
      "the source's jobs are read before the start",
    );
    assert.deepEqual(calls('moveStart'), [
      {
        vmId: VM_ID,
        source: 'HV01',
        destination: 'HV02',
        storagePath: null,
        vhds: null,
        adapters: [
          { id: 'Microsoft:VM\\STORAGE', switchName: 'LAN1' },
          { id: 'Microsoft:VM\\BACKUP', switchName: null },
        ],
        ejectDvd: ['SCSI 0:1'],
      },
    ]);
    const moving = seen.filter((r) => r.progress.phase === 'moving').map((r) => r.progress);
    assert.deepEqual(
      moving.map((p) => [p.percent, p.bytesMoved, p.throughput, p.etaMs]),
      [
        [10, 10 * GB, 10 * GB, 9_000],
        [50, 50 * GB, 10 * GB, 5_000],
      ],
      'bytes of 100 GB (memory + disks + checkpoints); 10 GB/s; ETA from the rate',
    );
    assert.equal(done.outcome?.phase, 'succeeded');
    assert.equal(done.outcome?.bytesMoved, 100 * GB);
    assert.deepEqual(done.outcome?.vmFoundOn, { host: 'HV02', state: 'Running' });
    const saved = await journaled(done.id);
    assert.equal(saved.jobId, 'JOB-1');
    assert.deepEqual(saved.record, done);
    assert.deepEqual(executor.running(), []);
  });

  it('refuses a second move of the same VM while one runs here, even when both starts come at once', async function () {
    runner.answer('moveStart', inTurn(started()));
    runner.answer('jobStatus', inTurn(status([job(4, 10)])));
    const executor = open();
    const results = await Promise.allSettled([
      executor.start(plan),
      executor.start({ ...plan, request: { ...plan.request, destination: 'HV03' } }),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected'],
    );
    await assert.rejects(
      executor.start(plan),
      /^Error: sql01 is already moving to HV02 \(started .*\)\. Wait for that move to end, or cancel it/,
    );
    while (calls('moveStart').length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(calls('moveStart').length, 1, 'only one move was started');
    assert.equal(executor.running().length, 1);
  });

  it('refuses a move of a VM whose move another executor journaled and its host still runs', async function () {
    runner.answer('moveStart', inTurn(started()));
    runner.answer('jobStatus', inTurn(status([job(4, 10)])));
    await open().start(plan);
    const other = open();
    await assert.rejects(other.start(plan), /sql01 is already moving to HV02 \(started .*, recorded in the move journal\)/);
    while (calls('moveStart').length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(calls('moveStart').length, 1);
  });

  it('a journaled move that ended unseen is recorded with its outcome, and the new move goes ahead', async function () {
    const first = new FakeRunner().answer('moveStart', inTurn(started())).answer('jobStatus', inTurn(status([job(4, 10)])));
    const a = open(first);
    const old = await a.start(plan);
    await jobJournaled(old.record().id);
    a.dispose();

    runner.answer('jobStatus', inTurn(status([job(10, 40, { errorDescription: 'Ran out of memory (0x8007000E)' })], at('HV01'))));
    runner.answer('moveStart', inTurn(started({ jobId: 'JOB-2' })));
    const b = open();
    const next = await b.start(plan);
    assert.notEqual(next.record().id, old.record().id);
    const recorded = (await journaled(old.record().id)).record;
    assert.equal(recorded.outcome?.phase, 'failed');
    assert.equal(recorded.outcome?.failure?.message, 'Ran out of memory (0x8007000E)');
    assert.deepEqual(recorded.outcome?.vmFoundOn, { host: 'HV01', state: 'Running' });
  });

  it("every call of a move (start, status, cancel) carries the source's stored credential", async function () {
    let cancelled = false;
    runner.answer('moveStart', inTurn(started()));
    runner.answer('jobStatus', () => ok(cancelled ? status([job(8, 37)], at('HV01')) : status([job(4, 37)])));
    runner.answer('jobCancel', () => {
      cancelled = true;
      return ok({ found: true, returnValue: 0 });
    });
    const admin = { userName: 'CONTOSO\\hv01admin', password: 'secret' };
    const asked: string[] = [];
    const executor = createMoveExecutor({
      runner,
      journalDir: dir,
      pollIntervalMs: 5,
      logger: log,
      credentialFor: (host) => {
        asked.push(host);
        return host === 'HV01' ? admin : undefined;
      },
    });
    executors.push(executor);
    const handle = await executor.start(plan);
    await jobJournaled(handle.record().id);
    await handle.cancel();
    const scripts = new Set(runner.calls.map((c) => c.script));
    assert.deepEqual([...scripts].sort(), ['jobCancel', 'jobStatus', 'moveStart']);
    for (const call of runner.calls) assert.deepEqual(call.options?.credential, admin, `${call.script} carries HV01's credential`);
    assert.ok(
      asked.every((host) => host === 'HV01' || host === 'HV02'),
      `asked for the move's hosts only: ${asked.join(', ')}`,
    );
    const start = runner.calls.find((c) => c.script === 'moveStart');
    assert.deepEqual(start?.options?.destinationCredential, admin, 'HV02 has none: the source hands its own on for the hop to HV02');
  });

  it('refuses when the journal holds an unfinished move and its source cannot be asked', async function () {
    const first = new FakeRunner().answer('moveStart', inTurn(started())).answer('jobStatus', inTurn(status([job(4, 10)])));
    const a = open(first);
    await a.start(plan);
    a.dispose();
    runner.answer('jobStatus', () => ({ ok: false, error: { kind: 'hostUnreachable', message: 'HV01 does not answer' }, warnings: [] }));
    await assert.rejects(open().start(plan), /whose end was not seen, and HV01 cannot be asked about it: HV01 does not answer/);
  });

  it('cancel() terminates the job on the source and resolves once the move is cancelled, the VM found on its source', async function () {
    let cancelled = false;
    runner.answer('moveStart', inTurn(started()));
    runner.answer('jobStatus', () =>
      ok(
        cancelled
          ? status([job(8, 37, { errorDescription: 'The operation was canceled by the user. (0x800704C7)' })], at('HV01'))
          : status([job(4, 37)]),
      ),
    );
    runner.answer('jobCancel', () => {
      cancelled = true;
      return ok({ found: true, returnValue: 0 });
    });
    const handle = await open().start(plan);
    await jobJournaled(handle.record().id);
    await handle.cancel();
    assert.deepEqual(calls('jobCancel'), [{ source: 'HV01', jobId: 'JOB-1' }]);
    const done = handle.record();
    assert.equal(done.outcome?.phase, 'cancelled');
    assert.equal(done.outcome?.failure, undefined, 'a cancel is not a failure');
    assert.deepEqual(done.outcome?.vmFoundOn, { host: 'HV01', state: 'Running' });
    assert.equal(done.outcome?.summary, 'The move was cancelled at 37 %. sql01 is still running on HV01.');
  });

  it('a cancel that cannot reach the host rejects with why', async function () {
    runner.answer('moveStart', inTurn(started()));
    runner.answer('jobStatus', inTurn(status([job(4, 20)])));
    runner.answer('jobCancel', () => failure('WinRM cannot complete the operation.'));
    const handle = await open().start(plan);
    await jobJournaled(handle.record().id);
    await assert.rejects(handle.cancel(), /Could not cancel the move of sql01 on HV01: WinRM cannot complete the operation\./);
  });

  it('a start script error fails the move with the explanation and looks for the VM', async function () {
    runner.answer('moveStart', () => failure('Hyper-V was unable to find a virtual machine with id "8a1c7e43".'));
    runner.answer('jobStatus', inTurn(status([], null, ['HV02: not found', 'HV01: not found'])));
    const done = await (await open().start(plan)).done;
    assert.equal(done.outcome?.phase, 'failed');
    assert.match(done.outcome?.failure?.cause ?? '', /does not recognize/);
    assert.deepEqual(
      calls('jobStatus'),
      [
        { vmId: VM_ID, source: 'HV01', destination: 'HV02', locate: false },
        { vmId: VM_ID, source: 'HV01', destination: 'HV02', locate: false },
      ],
      'the jobs before the start, then one look for a job of it before the failure is recorded',
    );
    assert.equal(done.outcome?.vmFoundOn, undefined);
    assert.equal(
      done.outcome?.summary,
      'The move failed before it started. Where sql01 is could not be confirmed (HV02: not found; HV01: not found): look for it on HV01 and HV02.',
    );
  });

  it('a start whose answer was lost (timeout) is not recorded as failed: the job the source lists is followed to the end', async function () {
    runner.answer('moveStart', () => ({
      ok: false,
      error: { kind: 'timeout', message: '"moveStart" did not finish within 180 s; its PowerShell session was stopped.' },
      warnings: [],
    }));
    runner.answer(
      'jobStatus',
      inTurn(
        status([job(8, 12, { id: 'OLD-JOB' })], at('HV01')),
        status([job(8, 12, { id: 'OLD-JOB' })], at('HV01')),
        status([job(8, 12, { id: 'OLD-JOB' }), job(4, 30, { id: 'JOB-7' })]),
        status([job(8, 12, { id: 'OLD-JOB' }), job(7, 100, { id: 'JOB-7' })], at('HV02')),
      ),
    );
    const handle = await open().start(plan);
    const done = await handle.done;
    assert.equal(done.outcome?.phase, 'succeeded', JSON.stringify(done.outcome));
    assert.deepEqual(done.outcome?.vmFoundOn, { host: 'HV02', state: 'Running' });
    const saved = await journaled(done.id);
    assert.equal(saved.jobId, 'JOB-7', "the job is this move's: the earlier move's job was listed before the start");
    assert.ok(
      log.lines.some((l) => /sql01: the start script gave no answer \(timeout: .*\); looking for its migration job on HV01\./.test(l)),
      log.lines.join('\n'),
    );
  });

  it('a start whose session died re-attaches to its job, and a cancel reaches that job', async function () {
    let cancelled = false;
    let looks = 0;
    runner.answer('moveStart', () => ({
      ok: false,
      error: { kind: 'sessionCrashed', message: 'PowerShell (pid 4242) ended while running "moveStart" (killed by SIGKILL).' },
      warnings: [],
    }));
    runner.answer('jobStatus', () => {
      if (looks++ === 0) return ok(status([], at('HV01')));
      return ok(cancelled ? status([job(8, 25, { id: 'JOB-7' })], at('HV01')) : status([job(4, 25, { id: 'JOB-7' })]));
    });
    runner.answer('jobCancel', () => {
      cancelled = true;
      return ok({ found: true, returnValue: 0 });
    });
    const handle = await open().start(plan);
    while (handle.record().progress.phase !== 'moving') await new Promise((resolve) => setTimeout(resolve, 5));
    await handle.cancel();
    assert.deepEqual(calls('jobCancel'), [{ source: 'HV01', jobId: 'JOB-7' }]);
    assert.equal(handle.record().outcome?.summary, 'The move was cancelled at 25 %. sql01 is still running on HV01.');
  });

  it('sessions closed before the start answered, and no job ever listed: the move did not start, and the outcome says what was lost', async function () {
    runner.answer('moveStart', () => ({
      ok: false,
      error: { kind: 'cancelled', message: 'The PowerShell sessions were closed.' },
      warnings: [],
    }));
    runner.answer('jobStatus', inTurn(status([], at('HV01'))));
    const executor = createMoveExecutor({ runner, journalDir: dir, pollIntervalMs: 5, startGraceMs: 60, logger: log });
    executors.push(executor);
    const done = await (await executor.start(plan)).done;
    assert.equal(done.outcome?.phase, 'failed');
    assert.equal(
      done.outcome?.failure?.message,
      "The PowerShell sessions were closed.\nNo migration job of 'sql01' appeared on 'HV01', and 'sql01' is not on 'HV02': the move did not start.",
    );
    assert.match(done.outcome?.failure?.cause ?? '', /never listed a migration job for this move/);
    assert.equal(done.outcome?.summary, 'The move failed before it started. sql01 is still running on HV01.');
    assert.ok(calls('jobStatus').length > 3, `the source was asked until the grace ended: ${calls('jobStatus').length} looks`);
  });

  it('while the source cannot be asked, nothing is recorded; once it answers, the job says how the move ended', async function () {
    const connectionLost =
      'Processing data from remote server HV01 failed with the following error message: The WinRM client cannot process the request.';
    runner.answer('moveStart', () => ({ ok: false, error: { kind: 'hostUnreachable', message: connectionLost }, warnings: [] }));
    let looks = 0;
    runner.answer('jobStatus', () => {
      looks++;
      if (looks === 1) return ok(status([], at('HV01')));
      if (looks <= 4)
        return { ok: false, error: { kind: 'hostUnreachable', message: 'WinRM cannot complete the operation.' }, warnings: [] };
      return ok(
        status(
          [
            job(10, 40, {
              id: 'JOB-7',
              errorDescription: "Failed to establish a connection with host 'HV02': A connection attempt failed. (0x8007274C)",
            }),
          ],
          at('HV01'),
        ),
      );
    });
    const handle = await open().start(plan);
    while (looks < 4) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(handle.record().outcome, undefined, 'not recorded while the source cannot be asked');
    const done = await handle.done;
    assert.equal(done.outcome?.phase, 'failed');
    assert.equal(done.progress.percent, 40);
    assert.match(done.outcome?.failure?.message ?? '', /0x8007274C/);
    assert.equal(done.outcome?.summary, 'The move failed at 40 %. sql01 is still running on HV01.');
  });

  it("when the source's jobs cannot be read before the start, the move is not started", async function () {
    runner.answer('moveStart', inTurn(started()));
    runner.answer('jobStatus', () => ({
      ok: false,
      error: { kind: 'hostUnreachable', message: 'WinRM cannot complete the operation.' },
      warnings: [],
    }));
    const done = await (await open().start(plan)).done;
    assert.deepEqual(calls('moveStart'), []);
    assert.equal(done.outcome?.phase, 'failed');
    assert.match(
      done.outcome?.failure?.message ?? '',
      /^The migration jobs on HV01 could not be read, so the move was not started: WinRM cannot complete the operation\.$/,
    );
  });

  it('says plainly when the VM is on its source but not running', async function () {
    runner.answer(
      'moveStart',
      inTurn(started({ started: false, jobId: null, failure: 'The virtual machine migration limit "2" was reached on host \'HV01\'.' })),
    );
    runner.answer('jobStatus', inTurn(status([], at('HV01', 'Off'))));
    const done = await (await open().start(plan)).done;
    assert.match(done.outcome?.failure?.cause ?? '', /^HV01 already runs as many live migrations/);
    assert.equal(done.outcome?.summary, 'The move failed before it started. sql01 is still on HV01, but it is Off, not running.');
  });

  it('a job that vanished is judged by where the VM is', async function () {
    runner.answer('moveStart', inTurn(started()));
    runner.answer('jobStatus', inTurn(status([job(4, 60)]), status([job(4, 80)]), status([], at('HV01'))));
    const done = await (await open().start(plan)).done;
    assert.equal(done.outcome?.phase, 'failed');
    assert.match(done.outcome?.failure?.message ?? '', /no longer listed on 'HV01', and 'sql01' is not on 'HV02'/);
    assert.equal(done.progress.percent, 80, 'the last percent seen');

    runner.answer('jobStatus', inTurn(status([], at('HV02'))));
    const moved = await (await open().start(plan)).done;
    assert.equal(moved.outcome?.phase, 'succeeded');
  });

  it("a completed job is Hyper-V's word, unless the VM turned up elsewhere", async function () {
    runner.answer('moveStart', inTurn(started()));
    runner.answer('jobStatus', inTurn(status([job(7, 100)], null, ['HV02: WinRM cannot complete the operation.'])));
    const unconfirmed = await (await open().start(plan)).done;
    assert.equal(unconfirmed.outcome?.phase, 'succeeded');
    assert.equal(unconfirmed.outcome?.vmFoundOn, undefined);

    runner.answer('jobStatus', inTurn(status([job(7, 100)], at('HV01'))));
    const contradicted = await (await open().start(plan)).done;
    assert.equal(contradicted.outcome?.phase, 'failed');
    assert.match(
      contradicted.outcome?.failure?.message ?? '',
      /reported the move of 'sql01' to 'HV02' as completed, but 'sql01' is on 'HV01'/,
    );
  });

  it('a job not listed yet is waited for; a job of an earlier move is not mistaken for it', async function () {
    runner.answer('moveStart', inTurn(started({ jobId: null })));
    runner.answer(
      'jobStatus',
      inTurn(
        status([job(8, 12, { id: 'OLD-JOB' })], at('HV01')),
        status([job(8, 12, { id: 'OLD-JOB' }), job(4, 5, { id: 'JOB-9' })]),
        status([job(8, 12, { id: 'OLD-JOB' }), job(7, 100, { id: 'JOB-9' })], at('HV02')),
      ),
    );
    const handle = await open().start(plan);
    const done = await handle.done;
    assert.equal(done.outcome?.phase, 'succeeded');
    assert.equal((await journaled(done.id)).jobId, 'JOB-9', 'the job, once seen, is journaled');
  });

  it('recover() re-attaches to running moves, records ended ones, and skips a corrupt journal file', async function () {
    const first = new FakeRunner().answer('moveStart', inTurn(started())).answer('jobStatus', inTurn(status([job(4, 10)])));
    const a = open(first);
    const running = await a.start(plan);
    const other = await a.start({ ...plan, request: { ...plan.request, vmId: '11111111-2222-3333-4444-555555555555', vmName: 'web01' } });
    await Promise.all([jobJournaled(running.record().id), jobJournaled(other.record().id)]);
    a.dispose();
    await writeFile(join(dir, 'broken.json'), '{ not json');

    runner.answer('jobStatus', (params) =>
      ok((params as { vmId: string }).vmId === VM_ID ? status([job(4, 45, { elapsedMs: 4_500 })]) : status([job(7, 100)], at('HV02'))),
    );
    const b = open();
    const records = await b.recover();
    const byId = new Map(records.map((r) => [r.id, r]));
    assert.equal(byId.size, 2);
    assert.equal(byId.get(running.record().id)?.progress.percent, 45);
    assert.equal(byId.get(running.record().id)?.endedAt, undefined);
    assert.equal(byId.get(other.record().id)?.outcome?.phase, 'succeeded');
    assert.deepEqual(
      b.running().map((h) => h.record().id),
      [running.record().id],
    );
    assert.ok(
      log.lines.some((l) => /broken\.json: not a move entry/.test(l)),
      log.lines.join('\n'),
    );
    assert.equal((await b.recover()).length, 1, 'a second recover() returns the move it follows');
  });

  it('dispose() stops following: no more calls', async function () {
    runner.answer('moveStart', inTurn(started()));
    runner.answer('jobStatus', inTurn(status([job(4, 10)])));
    const executor = open();
    await executor.start(plan);
    await new Promise((resolve) => setTimeout(resolve, 20));
    executor.dispose();
    const count = runner.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.ok(runner.calls.length <= count + 1, 'at most the call in flight');
    assert.deepEqual(executor.running(), []);
  });

  it('rejects a plan that names no VM id or the same host twice', async function () {
    const executor = open();
    await assert.rejects(executor.start({ ...plan, request: { ...plan.request, vmId: "x' ; Remove-VM" } }), /vmId is not a VM id/);
    await assert.rejects(executor.start({ ...plan, request: { ...plan.request, destination: 'hv01' } }), /sql01 is already on hv01/);
    assert.deepEqual(runner.calls, []);
  });
});
