// No silent hangs: a listener that throws (a panel's bug) cannot stop a move from being followed to its end
// nor a queue from ending, and what failed is logged.

import * as assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMoveExecutor, type JobView, type StatusAnswer } from '../../src/migration/executor';
import { limitsFrom, MigrationQueue } from '../../src/migration/queue';
import type { MoveExecutor, MovePlan } from '../../src/migration/types';
import type { Logger, PowerShellResult } from '../../src/powershell/types';
import { FakeRunner, ok } from '../support/fakeRunner';

const VM_ID = '8a1c7e43-0b7e-4c77-9f3a-1e0b5d6a7c21';
const GB = 1024 ** 3;
const plan: MovePlan = {
  request: { vmId: VM_ID, vmName: 'sql01', source: 'HV01', destination: 'HV02' },
  adapterSwitches: {},
  ejectDvd: [],
};

const job = (state: number, percent: number): JobView => ({
  id: 'JOB-1',
  state,
  percent,
  elapsedMs: null,
  startTime: null,
  errorDescription: null,
});
const status = (jobs: JobView[], located: StatusAnswer['located'] = null): StatusAnswer => ({ jobs, located, lookupProblems: [] });

/** Answers in turn; the last one repeats. */
function inTurn(...answers: unknown[]): () => PowerShellResult<unknown> {
  let i = 0;
  return () => ok(answers[Math.min(i++, answers.length - 1)]);
}

function recorder(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (m: string): void => {
    lines.push(m);
  };
  return { lines, trace: () => undefined, debug: () => undefined, info: keep, warn: keep, error: keep };
}

/** Rejects when `promise` has not settled within `ms`: a hang fails the test instead of stalling it. */
function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not end within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

describe('no silent hangs', function () {
  let dir: string;
  const executors: MoveExecutor[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };

  before(() => process.on('unhandledRejection', onUnhandled));
  after(() => process.off('unhandledRejection', onUnhandled));

  beforeEach(async function () {
    dir = await mkdtemp(join(tmpdir(), 'hyperv-hangs-'));
    unhandled.length = 0;
  });

  afterEach(async function () {
    for (const e of executors.splice(0)) e.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  const runner = (): FakeRunner =>
    new FakeRunner()
      .answer('moveStart', () =>
        ok({
          started: true,
          jobId: 'JOB-1',
          priorJobIds: [],
          storagePath: 'D:\\VMs\\sql01',
          memoryBytes: GB,
          diskBytes: GB,
          checkpointBytes: 0,
          failure: null,
          cleanupProblem: null,
          incompatibilities: [],
        }),
      )
      .answer(
        'jobStatus',
        inTurn(
          status([]),
          status([job(4, 30)]),
          status([job(4, 70)]),
          status([job(7, 100)], { host: 'HV02', state: 'Running', status: 'Operating normally' }),
        ),
      );

  it('a progress listener that throws does not stop the move from being followed to its end', async function () {
    const log = recorder();
    const executor = createMoveExecutor({ runner: runner(), journalDir: dir, pollIntervalMs: 5, logger: log });
    executors.push(executor);
    executor.onDidChange(() => {
      throw new Error('panel bug (executor listener)');
    });
    const handle = await executor.start(plan);
    handle.onProgress(() => {
      throw new Error('panel bug (progress listener)');
    });
    const done = await within(3000, handle.done, 'the move');
    assert.equal(done.outcome?.phase, 'succeeded');
    assert.ok(
      log.lines.some((line) => line.includes('a progress listener failed: panel bug (progress listener)')),
      log.lines.join('\n'),
    );
    assert.ok(
      log.lines.some((line) => line.includes('a listener failed: panel bug (executor listener)')),
      log.lines.join('\n'),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(unhandled, []);
  });

  it('a row listener that throws does not keep the queue from ending', async function () {
    const log = recorder();
    const executor = createMoveExecutor({ runner: runner(), journalDir: dir, pollIntervalMs: 5, logger: log });
    executors.push(executor);
    const queue = new MigrationQueue([{ plan, bytes: 2 * GB, estimatedMs: 1000, movesStorage: true }], {
      executor,
      limits: limitsFrom({}),
      logger: log,
    });
    queue.onDidChangeRow(() => {
      throw new Error('panel bug (row listener)');
    });
    queue.onDidChangeState(() => {
      throw new Error('panel bug (state listener)');
    });
    const summary = await within(3000, queue.start(), 'the queue');
    assert.equal(summary.moved.length, 1, summary.text);
    assert.ok(
      log.lines.some((line) => line.includes('a row listener failed: panel bug (row listener)')),
      log.lines.join('\n'),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(unhandled, []);
  });
});
