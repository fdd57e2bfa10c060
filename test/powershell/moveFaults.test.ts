// The fault matrix of one move on the lab, through real pwsh: the session that runs the move's scripts is
// killed at each phase, the pool is disposed, a host becomes unreachable and the lab file cannot be written,
// each at the moment that matters. Every row asserts "nothing lost" from the lab's own state: the VM ends
// either moved or running on its source, and the outcome the executor records says which.
//
// "Right after Move-VM -AsJob started" is caught, not hoped for: the test watches the lab file and freezes
// the start script's pwsh the moment the move is recorded, then checks that the script has not answered yet
// before it acts. A freeze that came too late is said so (and the test runs again). The freeze
// (test/support/freeze.ts): on Linux and macOS SIGSTOP/SIGCONT, the lab's lock tested with `flock --nonblock`;
// on Windows a helper pwsh suspends and resumes the process's threads (ntdll NtSuspendProcess/NtResumeProcess)
// and tests the lock by opening <lab>.lock with FileShare.None as the lab does. The Windows path is untested on
// Windows: it was written and checked on Linux only (its PowerShell compiles and its protocol answers there).

import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMoveExecutor } from '../../src/migration/executor';
import type { MoveExecutor, MovePlan, MoveRecord } from '../../src/migration/types';
import type { PowerShellPool } from '../../src/powershell/pool';
import type { CallOptions, PowerShellResult, PowerShellRunner, Script } from '../../src/powershell/types';
import { openFreezer, type Freezer } from '../support/freeze';
import { createLab, labScript, type Lab } from '../support/labFixture';

interface VmFacts {
  Id: string;
  Host: string;
  State: string;
}

const VM = `param($Params)
@(Get-VM -ComputerName HV01, HV02 | Where-Object Name -eq $Params.name | ForEach-Object {
    [pscustomobject]@{ Id = $_.Id.ToString(); Host = $_.ComputerName; State = [string] $_.State } })`;

/** Holds the lab's lock file (as a session in the middle of a write does) until the file `release` exists. */
const HOLD_LOCK = `param($Params)
$lock = [System.IO.File]::Open($Params.lock, [System.IO.FileMode]::OpenOrCreate, [System.IO.FileAccess]::ReadWrite, [System.IO.FileShare]::None)
try {
    [System.IO.File]::WriteAllText($Params.held, 'held')
    while (-not [System.IO.File]::Exists($Params.release)) { Start-Sleep -Milliseconds 20 }
} finally { $lock.Dispose() }`;

const ADMIN = { userName: 'CONTOSO\\admin', password: 'not logged' };

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until<T>(probe: () => T | Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}; last: ${JSON.stringify(value)}`);
    await sleep(50);
  }
}

interface LabMove {
  vmId: string;
  jobType: number;
  state: string;
}

/** The lab's moves of the VM (Msvm_MigrationJob JobType 305-307), read from the file itself. */
function labMoves(labPath: string, vmId: string): LabMove[] {
  const state = JSON.parse(readFileSync(labPath, 'utf8')) as { moves?: LabMove[] };
  return (state.moves ?? []).filter((m) => m.vmId.toLowerCase() === vmId.toLowerCase() && m.jobType >= 305 && m.jobType <= 307);
}

/**
 * A runner over the pool of the moment (the extension's connection swaps pools when settings change), that
 * tells whether the start script has answered.
 */
class Runner implements PowerShellRunner {
  startCalledAt: number | undefined;
  startSettled = false;
  startResult: PowerShellResult<unknown> | undefined;
  constructor(public pool: PowerShellPool) {}
  async run<P, T>(script: Script<P, T>, params: P, options?: CallOptions): Promise<PowerShellResult<T>> {
    if (script.name === 'moveStart') this.startCalledAt = Date.now();
    const result = await this.pool.run(script, params, options);
    if (script.name === 'moveStart') {
      this.startResult = result;
      this.startSettled = true;
    }
    return result;
  }
  async dispose(): Promise<void> {}
}

describe('fault matrix of a move on the lab: nothing is lost, nothing is misreported', function () {
  let lab: Lab;
  let freezer: Freezer;
  let journalDir: string;
  const executors: MoveExecutor[] = [];
  const pools: PowerShellPool[] = [];
  const stopped = new Set<number>();

  before(async function () {
    lab = await createLab({ size: 2 });
    freezer = await openFreezer();
  });

  beforeEach(async function () {
    journalDir = await mkdtemp(join(tmpdir(), 'hyperv-faults-'));
  });

  afterEach(async function () {
    for (const pid of stopped) {
      try {
        await freezer.thaw(pid);
      } catch (error) {
        if (alive(pid)) throw error; // else it ended already
      }
    }
    stopped.clear();
    for (const executor of executors.splice(0)) executor.dispose();
    await Promise.all(pools.splice(0).map((pool) => pool.dispose()));
    await rm(journalDir, { recursive: true, force: true });
  });

  after(async function () {
    await freezer?.dispose();
    await lab?.dispose();
  });

  const reset = (timeScale: number): Promise<unknown> =>
    lab.run('reset', 'param($Params)\n$null = Reset-HyperVLab\nSet-HyperVLabTimeScale -TimeScale $Params.timeScale', { timeScale });
  const fault = (text: string): Promise<unknown> => lab.run('fault', `param($Params)\n${text}`);
  const vm = async (name: string): Promise<VmFacts> => {
    const found = await lab.run<VmFacts[]>('vm', VM, { name });
    assert.equal(found.length, 1, `${name} is on exactly one host: ${JSON.stringify(found)}`);
    return found[0];
  };

  /** The executor's own pool: one session, whose pid is known (the session that runs the start script). */
  async function executorPool(env: Record<string, string> = {}): Promise<{ pool: PowerShellPool; pid: number }> {
    const pool = lab.openPool({ HYPERV_LAB_LOCK_TIMEOUT_MS: '60000', ...env }, 1);
    pools.push(pool);
    const answer = await pool.run(labScript<number>('pid', 'param($Params)\n$PID'), {});
    assert.ok(answer.ok, JSON.stringify(answer));
    return { pool, pid: answer.data };
  }

  function open(runner: Runner, startGraceMs = 30_000): MoveExecutor {
    const executor = createMoveExecutor({ runner, journalDir, pollIntervalMs: 150, startGraceMs, credentialFor: () => ADMIN });
    executors.push(executor);
    return executor;
  }

  const plan = (facts: VmFacts, name: string): MovePlan => ({
    request: { vmId: facts.Id, vmName: name, source: facts.Host, destination: 'HV02' },
    adapterSwitches: {},
    ejectDvd: [],
  });

  /**
   * Freezes `pid` the moment the lab file lists the VM's move, and checks that the start script has
   * not answered: from here the host has the move and the extension has not heard of it.
   */
  function freezeRightAfterMoveVm(runner: Runner, pid: number, vmId: string): Promise<void> {
    return freezeWhen(
      pid,
      vmId,
      (moves) => moves.length > 0,
      () => runner.startSettled,
      'the start script',
    );
  }

  /** Freezes `pid` the moment the lab's moves of the VM are as `seen` wants, unless `answered` already. */
  async function freezeWhen(
    pid: number,
    vmId: string,
    seen: (moves: LabMove[]) => boolean,
    answered: () => boolean,
    what: string,
  ): Promise<void> {
    const deadline = Date.now() + 120_000;
    let stamp = '';
    for (;;) {
      const stat = statSync(lab.path);
      const now = `${stat.mtimeMs}:${stat.size}`;
      if (now !== stamp) {
        stamp = now;
        let moves: LabMove[] = [];
        try {
          moves = labMoves(lab.path, vmId);
        } catch {
          stamp = ''; // read while replaced: read again
        }
        if (seen(moves)) break;
      }
      if (answered()) throw new Error(`${what} answered before the lab showed what the test waits for (the test runs again)`);
      if (Date.now() > deadline)
        throw new Error(`the lab never showed what the test waits for: ${JSON.stringify(labMoves(lab.path, vmId))}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await freezer.freeze(pid);
    stopped.add(pid);
    // Frozen in the middle of a write, it would hold the lab's lock (and every other session would wait on it):
    // let it finish the write first.
    for (let attempt = 0; await freezer.lockHeld(`${lab.path}.lock`); attempt++) {
      if (attempt > 50) throw new Error('the frozen session holds the lab lock');
      await freezer.thaw(pid);
      await sleep(2);
      await freezer.freeze(pid);
    }
    await sleep(300); // an answer already on its way arrives meanwhile
    if (answered()) {
      await freezer.thaw(pid);
      stopped.delete(pid);
      throw new Error(`the freeze came after ${what} had answered (the test runs again)`);
    }
  }

  /** Whether the process is still there (signal 0 only asks, on Windows too). */
  function alive(pid: number): boolean {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  function kill(pid: number): void {
    process.kill(pid, 'SIGKILL');
    stopped.delete(pid);
  }

  /** Holds the lab's lock from another pwsh; resolves once it is held, with the function that lets go. */
  async function holdLabLock(): Promise<() => Promise<void>> {
    const held = join(journalDir, 'held');
    const release = join(journalDir, 'release');
    const holder = lab.openPool({}, 1);
    pools.push(holder); // a test that fails while it holds the lock lets go with the process
    const holding = holder.run(labScript('hold lock', HOLD_LOCK), { lock: `${lab.path}.lock`, held, release }, { timeoutMs: 900_000 });
    await until(
      () => existsSync(held),
      (is) => is,
      'the lab lock to be held',
    );
    return async () => {
      await writeFile(release, 'go');
      const result = await holding;
      assert.ok(result.ok, JSON.stringify(result));
      await holder.dispose();
    };
  }

  /** Nothing lost: the lab has the VM exactly once, moved or running on its source, where the outcome says. */
  async function assertNothingLost(done: MoveRecord): Promise<VmFacts> {
    const { vmName, source, destination } = done.plan.request;
    const facts = await vm(vmName);
    const phase = done.outcome?.phase;
    if (phase === 'succeeded') {
      assert.equal(facts.Host, destination, `reported moved, and the lab has it on ${facts.Host}`);
    } else {
      assert.deepEqual([facts.Host, facts.State], [source, 'Running'], `reported ${phase}: the lab has it ${facts.State} on ${facts.Host}`);
    }
    assert.deepEqual(done.outcome?.vmFoundOn, { host: facts.Host, state: facts.State }, done.outcome?.summary);
    return facts;
  }

  it('pwsh killed before Move-VM: the source is asked, no job is there, and the move is reported as not started, the VM running on its source', async function () {
    await reset(5);
    const web01 = await vm('web01');
    const { pool, pid } = await executorPool();
    const runner = new Runner(pool);
    const letGo = await holdLabLock(); // the start script's first write (Compare-VM's staging) waits for it
    const handle = await open(runner, 4_000).start(plan(web01, 'web01'));
    await until(
      () => runner.startCalledAt,
      (at) => at !== undefined && Date.now() - at > 2_000,
      'the start script to wait on the lock',
    );
    assert.deepEqual(labMoves(lab.path, web01.Id), []);
    kill(pid);
    await letGo();
    const done = await handle.done;

    assert.equal(done.outcome?.phase, 'failed', JSON.stringify(done.outcome));
    assert.match(done.outcome?.failure?.message ?? '', /ended while running "moveStart"/);
    assert.match(
      done.outcome?.failure?.message ?? '',
      /\nNo migration job of 'web01' appeared on 'HV01', and 'web01' is not on 'HV02': the move did not start\.$/,
    );
    assert.equal(done.outcome?.summary, 'The move failed before it started. web01 is still running on HV01.');
    await assertNothingLost(done);
    assert.deepEqual(labMoves(lab.path, web01.Id), [], 'the host never had a move of it');
  });

  it('pwsh killed right after Move-VM -AsJob started: the move is found on the source, followed, and reported moved', async function () {
    this.retries(2);
    await reset(5);
    const web01 = await vm('web01');
    const { pool, pid } = await executorPool();
    const runner = new Runner(pool);
    const handle = await open(runner).start(plan(web01, 'web01'));
    await freezeRightAfterMoveVm(runner, pid, web01.Id);
    kill(pid);
    const done = await handle.done;

    assert.equal(runner.startResult?.ok === false && runner.startResult.error.kind, 'sessionCrashed');
    assert.equal(done.outcome?.phase, 'succeeded', JSON.stringify(done.outcome));
    await assertNothingLost(done);
  });

  it('the pool disposed right after Move-VM -AsJob started (settings changed): the new pool finds the move and follows it to the end', async function () {
    this.retries(2);
    await reset(5);
    const web01 = await vm('web01');
    const { pool, pid } = await executorPool();
    const next = await executorPool();
    const runner = new Runner(pool);
    const handle = await open(runner).start(plan(web01, 'web01'));
    await freezeRightAfterMoveVm(runner, pid, web01.Id);
    runner.pool = next.pool;
    await pool.dispose();
    stopped.delete(pid);
    const done = await handle.done;

    assert.equal(runner.startResult?.ok === false && runner.startResult.error.kind, 'cancelled');
    assert.equal(done.outcome?.phase, 'succeeded', JSON.stringify(done.outcome));
    await assertNothingLost(done);
  });

  it('pwsh killed while progress is polled: the next session reads the job on, and the move is reported moved', async function () {
    await reset(2);
    const web01 = await vm('web01');
    const { pool, pid } = await executorPool();
    const handle = await open(new Runner(pool)).start(plan(web01, 'web01'));
    await until(
      () => handle.record().progress.phase,
      (p) => p === 'moving',
      'the move to be under way',
    );
    kill(pid);
    const done = await handle.done;

    assert.equal(done.outcome?.phase, 'succeeded', JSON.stringify(done.outcome));
    await assertNothingLost(done);
  });

  it('pwsh killed as the move finishes (its job has ended, its end not yet read): the end is read by the next session', async function () {
    this.retries(2);
    await reset(5);
    const web01 = await vm('web01');
    const { pool, pid } = await executorPool();
    const handle = await open(new Runner(pool)).start(plan(web01, 'web01'));
    // The session that writes the move's end (the lab settles a move when it is next read) is frozen before the executor has read it.
    await freezeWhen(
      pid,
      web01.Id,
      (moves) => moves.some((m) => m.state === 'Completed'),
      () => handle.record().endedAt !== undefined,
      'the poll',
    );
    kill(pid);
    const done = await handle.done;

    assert.equal(done.outcome?.phase, 'succeeded', JSON.stringify(done.outcome));
    await assertNothingLost(done);
  });

  it("the source unreachable right after Move-VM -AsJob started: nothing is recorded until it answers, then the failure is the job's own, the VM running on its source", async function () {
    this.retries(2);
    await reset(5);
    const web01 = await vm('web01');
    const { pool, pid } = await executorPool();
    const runner = new Runner(pool);
    const handle = await open(runner).start(plan(web01, 'web01'));
    await freezeRightAfterMoveVm(runner, pid, web01.Id);
    await fault('Set-HyperVLabFault -ComputerName HV01 -Unreachable');
    await freezer.thaw(pid);
    stopped.delete(pid);
    await until(
      () => runner.startSettled,
      (s) => s,
      'the start script to fail',
    );
    await sleep(1_000);
    assert.equal(
      handle.record().outcome,
      undefined,
      `nothing recorded while HV01 cannot be asked: ${JSON.stringify(handle.record().outcome)}`,
    );
    await fault('Set-HyperVLabFault -ComputerName HV01 -Clear');
    const done = await handle.done;

    assert.equal(done.outcome?.phase, 'failed', JSON.stringify(done.outcome));
    assert.match(done.outcome?.failure?.message ?? '', /0x8007274C/);
    assert.match(done.outcome?.failure?.cause ?? '', /TCP 6600/);
    await assertNothingLost(done);
  });

  it('the destination unreachable mid-move: the move fails, and the VM is confirmed running on its source', async function () {
    await reset(2);
    const web01 = await vm('web01');
    const { pool } = await executorPool();
    const handle = await open(new Runner(pool)).start(plan(web01, 'web01'));
    await until(
      () => handle.record().progress.phase,
      (p) => p === 'moving',
      'the move to be under way',
    );
    await fault('Set-HyperVLabFault -ComputerName HV02 -Unreachable');
    const done = await handle.done;
    await fault('Set-HyperVLabFault -ComputerName HV02 -Clear');

    assert.equal(done.outcome?.phase, 'failed', JSON.stringify(done.outcome));
    assert.match(done.outcome?.failure?.message ?? '', /0x8007274C/);
    await assertNothingLost(done);
  });

  it('the lab file cannot be written right after Move-VM -AsJob started: the start script fails, yet the move is found and reported moved', async function () {
    this.retries(2);
    await reset(30); // web01's move takes about half a second
    const web01 = await vm('web01');
    const { pool, pid } = await executorPool({ HYPERV_LAB_LOCK_TIMEOUT_MS: '1500' });
    const runner = new Runner(pool);
    const handle = await open(runner).start(plan(web01, 'web01'));
    await freezeRightAfterMoveVm(runner, pid, web01.Id);
    const letGo = await holdLabLock();
    await sleep(1_000); // the move is due: the next reader must write its end, and cannot
    await freezer.thaw(pid);
    stopped.delete(pid);
    await until(
      () => runner.startSettled,
      (s) => s,
      'the start script to give up',
    );
    assert.match(JSON.stringify(runner.startResult), /is locked by another session/);
    await sleep(500);
    assert.equal(handle.record().outcome, undefined, 'nothing recorded while the source cannot be read');
    await letGo();
    const done = await handle.done;

    assert.equal(done.outcome?.phase, 'succeeded', JSON.stringify(done.outcome));
    await assertNothingLost(done);
  });
});
