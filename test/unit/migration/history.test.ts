// The history: entries kept one file each in a folder every window shares (round trip, a malformed file
// skipped with why, two windows writing at once, pruning by age and count), the exports (CSV quoted and
// neutralized against formulas, Markdown escaped), and what is recorded: a move the executor runs (a fake at
// the PowerShell boundary), a drain's summary, an HA workflow's end.

import * as assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMoveExecutor, type JobView, type StartAnswer, type StatusAnswer } from '../../../src/migration/executor';
import {
  csvCell,
  drainRecord,
  haRecord,
  History,
  historyCsv,
  historyMarkdown,
  markdownCell,
  recordMoves,
  thinSamples,
  type HistoryEntry,
  type HistoryRecord,
} from '../../../src/migration/history';
import type { HaWorkflowState } from '../../../src/migration/haWorkflow';
import type { QueueRow, QueueSummary } from '../../../src/migration/queue';
import type { MovePlan } from '../../../src/migration/types';
import type { Logger, PowerShellResult } from '../../../src/powershell/types';
import { FakeRunner, ok } from '../../support/fakeRunner';

const GB = 1024 ** 3;
const VM_ID = '8a1c7e43-0b7e-4c77-9f3a-1e0b5d6a7c21';

/** A logger that keeps what it is told. */
function recorder(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  const keep = (m: string) => void lines.push(m);
  return { lines, trace: () => undefined, debug: () => undefined, info: keep, warn: keep, error: keep };
}

const move = (more: Partial<HistoryRecord> = {}): HistoryRecord => ({
  kind: 'move',
  startedAt: '2026-12-05T10:00:00.000Z',
  endedAt: '2026-12-05T10:01:40.000Z',
  source: 'HV01',
  destination: 'HV02',
  vm: 'sql01',
  bytes: 100 * GB,
  outcome: 'succeeded',
  message: 'sql01 is running on HV02.',
  ...more,
});

describe('history store', function () {
  let dir: string;
  let log: ReturnType<typeof recorder>;

  beforeEach(async function () {
    dir = await mkdtemp(join(tmpdir(), 'hyperv-history-unit-'));
    log = recorder();
  });

  afterEach(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps an entry in its own file and reads it back with its duration, average throughput and who ran it', async function () {
    const history = new History(dir, {
      logger: log,
      user: 'alice',
      credentialUser: (host) => (host === 'HV01' ? 'CONTOSO\\mover' : undefined),
    });
    const samples = [
      { atMs: 0, percent: 0, throughput: 0 },
      { atMs: 50_000, percent: 50, throughput: GB },
    ];
    const written = await history.record(move({ id: 'move-1', samples }));
    assert.deepEqual(await readdir(dir), ['move-1.json']);
    const [entry] = await new History(dir).list();
    assert.deepEqual(entry, written);
    assert.equal(entry?.durationMs, 100_000);
    assert.equal(entry?.throughput, Math.round((100 * GB) / 100), 'bytes per second over the whole move');
    assert.deepEqual(entry?.ranBy, { user: 'alice', credentialUser: 'CONTOSO\\mover' });
    assert.deepEqual(entry?.samples, samples);
    assert.ok(!JSON.stringify(entry).includes('password'), 'no secret is kept');
  });

  it('lists newest first, and a move recorded twice (two windows saw it end) is one entry', async function () {
    const history = new History(dir, { user: 'alice' });
    await history.record(move({ id: 'older', endedAt: '2026-12-05T10:01:00.000Z' }));
    await history.record(move({ id: 'newer', endedAt: '2026-12-05T11:00:00.000Z' }));
    await history.record(move({ id: 'older', endedAt: '2026-12-05T10:01:00.000Z' }));
    assert.deepEqual(
      (await history.list()).map((e) => e.id),
      ['newer', 'older'],
    );
  });

  it('skips a file that is not an entry, saying why, and still lists the others', async function () {
    const history = new History(dir, { logger: log, user: 'alice' });
    const good = await history.record(move({ id: 'good' }));
    await writeFile(join(dir, 'garbage.json'), '{ not json');
    await writeFile(join(dir, 'wrong-kind.json'), JSON.stringify({ ...good, id: 'wrong-kind', kind: 'teleport' }));
    const entries = await history.list();
    assert.deepEqual(
      entries.map((e) => e.id),
      ['good'],
    );
    assert.equal(log.lines.filter((line) => line.startsWith('History: skipped')).length, 2, log.lines.join('\n'));
    assert.ok(log.lines.some((line) => line.includes('wrong-kind.json') && line.includes('kind')));
  });

  it('loses no entry when two windows record at the same time', async function () {
    const one = new History(dir, { user: 'alice' });
    const two = new History(dir, { user: 'bob' });
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? one : two).record(move({ vm: `vm${i}`, kind: i % 4 === 1 ? 'drain' : 'move' }))),
    );
    const entries = await new History(dir).list();
    assert.equal(entries.length, 40);
    assert.deepEqual(new Set(entries.map((e) => e.ranBy.user)), new Set(['alice', 'bob']));
    assert.deepEqual(
      (await readdir(dir)).filter((name) => !name.endsWith('.json')),
      [],
      'no temp file left',
    );
  });

  it('forgets entries that ended more than 90 days ago and the oldest beyond the limit', async function () {
    const history = new History(dir, { user: 'alice' });
    const now = Date.parse('2026-12-05T12:00:00.000Z');
    const day = 24 * 3600 * 1000;
    const ended = (daysAgo: number) => new Date(now - daysAgo * day).toISOString();
    for (const [id, daysAgo] of [
      ['ancient', 120],
      ['old', 91],
      ['a', 30],
      ['b', 2],
      ['c', 1],
    ] as const) {
      await history.record(move({ id, startedAt: ended(daysAgo + 0.01), endedAt: ended(daysAgo) }));
    }
    assert.equal(await history.prune(now), 2);
    assert.deepEqual(
      (await history.list()).map((e) => e.id),
      ['c', 'b', 'a'],
    );
    assert.equal(await history.prune(now, 2), 1);
    assert.deepEqual(
      (await history.list()).map((e) => e.id),
      ['c', 'b'],
    );
  });

  it("thins a move's samples to at most 200, keeping the first and the last", function () {
    const samples = Array.from({ length: 1000 }, (_, i) => ({ atMs: i * 500, percent: i / 10, throughput: i }));
    const thinned = thinSamples(samples);
    assert.equal(thinned.length, 200);
    assert.deepEqual(thinned[0], samples[0]);
    assert.deepEqual(thinned.at(-1), samples.at(-1));
    assert.ok(
      thinned.every((s, i) => i === 0 || s.atMs > (thinned[i - 1]?.atMs ?? 0)),
      'in order',
    );
    assert.equal(thinSamples(samples.slice(0, 5)).length, 5);
  });
});

describe('history exports', function () {
  const entry = (more: Partial<HistoryEntry>): HistoryEntry => ({
    id: 'e1',
    kind: 'move',
    startedAt: '2026-12-05T10:00:00.000Z',
    endedAt: '2026-12-05T10:01:40.000Z',
    source: 'HV01',
    destination: 'HV02',
    vm: 'sql01',
    bytes: 100 * GB,
    durationMs: 100_000,
    throughput: GB,
    outcome: 'succeeded',
    message: 'done',
    ranBy: { user: 'alice' },
    ...more,
  });

  it('quotes every CSV cell, doubles quotes, and neutralizes what a spreadsheet would run as a formula', function () {
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('line\nbreak'), '"line\nbreak"');
    assert.equal(csvCell('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
    for (const start of ['+', '-', '@', '\t', '\r']) assert.equal(csvCell(`${start}1`), `"'${start}1"`);
    assert.equal(csvCell(42), '"42"');
  });

  it('writes a header and one CSV line per entry, numbers plain, user and credential named', function () {
    const csv = historyCsv([
      entry({ vm: '=cmd|calc', message: 'moved, "fast"\nreally', ranBy: { user: 'alice', credentialUser: 'CONTOSO\\admin' } }),
    ]);
    const lines = csv.split('\r\n');
    assert.equal(lines.length, 3, 'header, entry, and the final line end');
    assert.ok(lines[0]?.startsWith('"Kind","Started","Ended","VM","Source","Destination","Bytes","Duration (s)"'));
    assert.equal(
      lines[1],
      `"Move","2026-12-05T10:00:00.000Z","2026-12-05T10:01:40.000Z","'=cmd|calc","HV01","HV02","${100 * GB}","100","${GB}","Succeeded","moved, ""fast""\nreally","alice (as CONTOSO\\admin)"`,
    );
  });

  it('writes a Markdown table whose cells cannot break the table or inject markup', function () {
    assert.equal(markdownCell('a | b\nc'), 'a \\| b c');
    assert.equal(markdownCell('<img src=x> *bold* [link](u)'), '\\<img src=x\\> \\*bold\\* \\[link\\]\\(u\\)');
    const md = historyMarkdown([entry({ message: 'one | two' })]).split('\n');
    assert.equal(md[0], '# Migration History');
    assert.equal(md[2]?.split(' | ').length, 12, 'twelve columns');
    assert.ok(md[3]?.startsWith('| --- |'));
    assert.equal(
      md[4],
      '| Move | 2026-12-05T10:00:00.000Z | 2026-12-05T10:01:40.000Z | sql01 | HV01 | HV02 | 100 GB | 1 min 40 s | 1 GB/s | Succeeded | one \\| two | alice |',
    );
  });
});

describe('what the history records', function () {
  let dir: string;

  beforeEach(async function () {
    dir = await mkdtemp(join(tmpdir(), 'hyperv-history-rec-'));
  });

  afterEach(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  const plan: MovePlan = {
    request: { vmId: VM_ID, vmName: 'sql01', source: 'HV01', destination: 'HV02' },
    adapterSwitches: {},
    ejectDvd: [],
  };
  const started: StartAnswer = {
    started: true,
    jobId: 'JOB-1',
    priorJobIds: [],
    storagePath: 'D:\\Hyper-V\\sql01',
    memoryBytes: 32 * GB,
    diskBytes: 60 * GB,
    checkpointBytes: 8 * GB,
    failure: null,
    cleanupProblem: null,
    incompatibilities: [],
  };
  const job = (state: number, percent: number, elapsedMs: number): JobView => ({
    id: 'JOB-1',
    state,
    percent,
    elapsedMs,
    startTime: '2026-01-01T10:00:00.000Z',
    errorDescription: null,
  });
  const status = (jobs: JobView[], host: string | null = null): StatusAnswer => ({
    jobs,
    located: host ? { host, state: 'Running', status: 'Operating normally' } : null,
    lookupProblems: [],
  });
  function inTurn<T>(...answers: T[]): () => PowerShellResult<unknown> {
    let i = 0;
    return () => ok(answers[Math.min(i++, answers.length - 1)]);
  }

  it('records each move the executor runs when it ends, with its numbers and its progress over time', async function () {
    const runner = new FakeRunner()
      .answer('moveStart', () => ok(started))
      .answer(
        'jobStatus',
        inTurn(
          status([]),
          status([job(4, 10, 1_000)]),
          status([job(4, 50, 5_000)]),
          status([job(4, 80, 8_000)]),
          status([job(7, 100, 10_000)], 'HV02'),
        ),
      );
    const executor = createMoveExecutor({ runner, journalDir: join(dir, 'moves'), pollIntervalMs: 5 });
    const history = new History(join(dir, 'history'), { user: 'alice', credentialUser: () => 'CONTOSO\\mover' });
    const recording = recordMoves(executor, history);
    const recorded = new Promise<HistoryEntry>((resolve) => history.onDidRecord(resolve));
    try {
      const handle = await executor.start(plan);
      const done = await handle.done;
      const entry = await recorded;
      assert.deepEqual(
        (await history.list()).map((e) => e.id),
        [done.id],
        'one entry, named for the move',
      );
      assert.equal(entry.kind, 'move');
      assert.equal(entry.vm, 'sql01');
      assert.equal(entry.source, 'HV01');
      assert.equal(entry.destination, 'HV02');
      assert.equal(entry.bytes, 100 * GB);
      assert.equal(entry.outcome, 'succeeded');
      assert.equal(entry.startedAt, done.startedAt);
      assert.equal(entry.endedAt, done.endedAt);
      assert.equal(entry.message, done.outcome?.summary);
      assert.deepEqual(entry.ranBy, { user: 'alice', credentialUser: 'CONTOSO\\mover' });
      assert.deepEqual(
        entry.samples?.map((s) => s.percent),
        [0, 10, 50, 80, 100],
      );
      const samples = entry.samples ?? [];
      assert.ok(
        samples.every((s, i) => i === 0 || s.atMs > (samples[i - 1]?.atMs ?? 0)),
        'in time order',
      );
      const moved = samples.reduce((sum, s, i) => (i === 0 ? 0 : sum + (s.throughput * (s.atMs - (samples[i - 1]?.atMs ?? 0))) / 1000), 0);
      assert.ok(Math.abs(moved - 100 * GB) < 1024, `each sample's throughput is what moved since the one before (${moved} bytes in all)`);
    } finally {
      recording.dispose();
      executor.dispose();
    }
  });

  it('records a failed move as failed, with why', async function () {
    const runner = new FakeRunner()
      .answer('moveStart', () => ok({ ...started, started: false, jobId: null, failure: 'The virtual machine migration failed.' }))
      .answer('jobStatus', () => ok(status([], 'HV01')));
    const executor = createMoveExecutor({ runner, journalDir: join(dir, 'moves'), pollIntervalMs: 5 });
    const history = new History(join(dir, 'history'), { user: 'alice' });
    const recording = recordMoves(executor, history);
    const recorded = new Promise<HistoryEntry>((resolve) => history.onDidRecord(resolve));
    try {
      const done = await (await executor.start(plan)).done;
      const entry = await recorded;
      assert.equal(done.outcome?.phase, 'failed');
      assert.equal(entry.outcome, 'failed');
      assert.ok(entry.message.includes('HV01'), entry.message);
    } finally {
      recording.dispose();
      executor.dispose();
    }
  });

  it("a drain's summary: the VMs, where they went, the bytes moved, how it ended", function () {
    const row = (vmName: string, destination: string, state: QueueRow['state'], bytes: number): QueueRow => ({
      index: 0,
      vmId: vmName,
      vmName,
      source: 'HV01',
      destination,
      state,
      bytes,
      estimatedMs: 0,
      attempts: 1,
    });
    const summary: QueueSummary = {
      moved: [row('web01', 'HV02', 'succeeded', 10 * GB), row('web02', 'HV03', 'succeeded', 20 * GB)],
      failed: [row('sql01', 'HV02', 'failed', 40 * GB)],
      notMoved: [{ vmId: 'dc01', vmName: 'dc01', source: 'HV01', why: 'pass-through disk' }],
      startedAt: '2026-12-05T10:00:00.000Z',
      endedAt: '2026-12-05T10:05:00.000Z',
      durationMs: 300_000,
      text: '2 of 4 VMs moved in 5 min; 1 failed (sql01).',
    };
    assert.deepEqual(drainRecord(summary, 'HV01', 'HV01'), {
      kind: 'drain',
      startedAt: summary.startedAt,
      endedAt: summary.endedAt,
      source: 'HV01',
      destination: 'HV02, HV03',
      vm: 'web01, web02, sql01, dc01',
      bytes: 30 * GB,
      outcome: 'failed',
      message: summary.text,
    });
    assert.equal(drainRecord({ ...summary, failed: [] }, 'HV01', 'HV01').outcome, 'succeeded');
    assert.equal(drainRecord({ ...summary, failed: [], moved: [] }, 'HV01', 'HV01').outcome, 'cancelled');
  });

  it("an HA workflow's end: its move's bytes, its phase, its summary", function () {
    const state = {
      request: plan.request,
      sourceCluster: 'CL01',
      role: 'sql01',
      destinationCluster: null,
      phase: 'cancelled',
      steps: [],
      summary: 'The move was cancelled; HA is restored on CL01.',
      move: {
        id: 'm',
        plan,
        startedAt: '2026-12-05T10:00:05.000Z',
        progress: {} as never,
        outcome: { phase: 'cancelled', durationMs: 5, bytesMoved: GB },
      },
    } as unknown as HaWorkflowState;
    assert.deepEqual(haRecord(state, '2026-12-05T10:00:00.000Z', '2026-12-05T10:02:00.000Z'), {
      kind: 'ha',
      startedAt: '2026-12-05T10:00:00.000Z',
      endedAt: '2026-12-05T10:02:00.000Z',
      source: 'HV01',
      destination: 'HV02',
      vm: 'sql01',
      bytes: GB,
      outcome: 'cancelled',
      message: state.summary,
    });
  });
});
