// Supervision: crashes, hangs, cancellation, a missing executable, many calls at once, dispose.
// Each ends with the right result or typed error, the layer keeps working, and no process is left.

import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { resolveExecutable } from '../../src/powershell/executable';
import { PowerShellPool } from '../../src/powershell/pool';
import { defineScript } from '../../src/powershell/script';
import type { PowerShellError, PowerShellResult } from '../../src/powershell/types';
import hangWithChildText from './fixtures/hangWithChild.ps1';
import { isRunning, leftoverProcesses } from './fixtures/processes';
import startThenSleepText from './fixtures/startThenSleep.ps1';

const LONG = { timeoutMs: 60_000 };
const pid = defineScript<null, number>('test-pid', 'param($Params)\n$PID', (data) => data as number);
const startThenSleep = defineScript<{ startedFile: string }, unknown>('test-start-then-sleep', startThenSleepText);

function errorOf<T>(result: PowerShellResult<T>): PowerShellError {
  assert.equal(result.ok, false, JSON.stringify(result));
  if (result.ok) throw new Error('unreachable');
  return result.error;
}

async function pidOf(pool: PowerShellPool): Promise<number> {
  const result = await pool.run(pid, null, LONG);
  assert.ok(result.ok, JSON.stringify(result));
  return result.data;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 50) {
    if (waited > 30_000) throw new Error(`waited too long for ${what}`);
    await sleep(50);
  }
}

describe('PowerShell sessions: supervision', function () {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  let folder: string;

  before(async () => {
    process.on('unhandledRejection', onUnhandled);
    folder = await mkdtemp(join(tmpdir(), 'hvlm-supervision-'));
  });

  afterEach(async () => {
    assert.deepEqual(await leftoverProcesses(), [], 'a process was left behind');
  });

  after(async () => {
    await sleep(100);
    process.off('unhandledRejection', onUnhandled);
    await rm(folder, { recursive: true, force: true });
    assert.deepEqual(unhandled, [], 'an unhandled rejection escaped');
  });

  it('replaces a shell that kills itself: the call gets sessionCrashed, the next call a new shell', async () => {
    const pool = new PowerShellPool({ size: 1 });
    try {
      for (const text of ['Stop-Process -Id $PID -Force', '[Environment]::Exit(3)', 'exit 4']) {
        const before = await pidOf(pool);
        const error = errorOf(await pool.run(defineScript<null, unknown>('test-suicide', `param($Params)\n${text}`), null, LONG));
        assert.equal(error.kind, 'sessionCrashed', text);
        assert.match(error.message, /test-suicide/);
        assert.equal(await isRunning(before), false, text);
        assert.notEqual(await pidOf(pool), before, text);
      }
    } finally {
      await pool.dispose();
    }
  });

  it('kills a call past its timeout (its own or the pool default) with its whole process tree; the next call works', async () => {
    const pool = new PowerShellPool({ size: 1, defaultTimeoutMs: 1500 });
    try {
      const first = await pidOf(pool);
      const pwsh = await resolveExecutable(undefined);
      const hang = defineScript<{ pwsh?: string }, unknown>('test-hang-with-child', hangWithChildText);
      const error = errorOf(await pool.run(hang, { pwsh }, { timeoutMs: 4000 }));
      assert.equal(error.kind, 'timeout');
      assert.match(error.message, /test-hang-with-child.*4 s/);
      assert.equal(await isRunning(first), false);
      assert.deepEqual(await leftoverProcesses(), [], 'the shell or its child survived the timeout');

      const second = await pidOf(pool);
      assert.notEqual(second, first);
      const sleeper = defineScript<null, unknown>('test-sleep', 'param($Params)\nStart-Sleep -Seconds 600');
      assert.equal(errorOf(await pool.run(sleeper, null)).kind, 'timeout');
      assert.equal(await isRunning(second), false);
      await pidOf(pool);
    } finally {
      await pool.dispose();
    }
  });

  it('cancels a running call through its AbortSignal by killing its shell; the next call works', async () => {
    const pool = new PowerShellPool({ size: 1 });
    try {
      const startedFile = join(folder, 'started-running');
      const controller = new AbortController();
      const running = pool.run(startThenSleep, { startedFile }, { ...LONG, signal: controller.signal });
      await until(() => existsSync(startedFile), 'the script to start');
      controller.abort();
      const error = errorOf(await running);
      assert.equal(error.kind, 'cancelled');
      assert.match(error.message, /session was stopped/);
      assert.deepEqual(await leftoverProcesses(), []);
      await pidOf(pool);
    } finally {
      await pool.dispose();
    }
  });

  it('cancels a queued call without touching the running one, and refuses an already-aborted call', async () => {
    const pool = new PowerShellPool({ size: 1 });
    try {
      const startedFile = join(folder, 'started-queued');
      const first = new AbortController();
      const running = pool.run(startThenSleep, { startedFile }, { ...LONG, signal: first.signal });
      await until(() => existsSync(startedFile), 'the first script to start');
      const sessionsBefore = await leftoverProcesses();
      const second = new AbortController();
      const queued = pool.run(pid, null, { ...LONG, signal: second.signal });
      second.abort();
      const queuedError = errorOf(await queued);
      assert.equal(queuedError.kind, 'cancelled');
      assert.match(queuedError.message, /before it started/);
      assert.equal(errorOf(await pool.run(pid, null, { signal: AbortSignal.abort() })).kind, 'cancelled');
      assert.deepEqual(await leftoverProcesses(), sessionsBefore, 'the running call was disturbed');
      first.abort();
      assert.equal(errorOf(await running).kind, 'cancelled');
      await pidOf(pool);
    } finally {
      await pool.dispose();
    }
  });

  it('reports a missing executable as powershellMissing naming it and the setting, without hanging or rejecting', async () => {
    const cases: [string, RegExp][] = [
      [join(folder, 'no-such-pwsh'), /ENOENT/],
      [folder, /EACCES|EISDIR|ENOENT|exited/],
      [process.execPath, /exited while starting/],
    ];
    for (const [executable, reason] of cases) {
      const pool = new PowerShellPool({ executable });
      try {
        for (let attempt = 0; attempt < 2; attempt++) {
          const error = errorOf(await pool.run(pid, null, LONG));
          assert.equal(error.kind, 'powershellMissing', executable);
          assert.ok(error.message.includes(executable), error.message);
          assert.match(error.message, /hyperv\.powershell\.path/);
          assert.match(error.message, reason);
        }
      } finally {
        await pool.dispose();
      }
    }
  });

  it('runs 50 concurrent calls on 4 sessions, each with its own answer, failures and a crash included', async () => {
    const pool = new PowerShellPool({ size: 4 });
    const script = defineScript<{ index: number; mode: string }, { index: number; pid: number }>(
      'test-concurrent',
      [
        'param($Params)',
        "if ($global:HvlmTestBusy) { throw 'two calls interleaved in one session' }",
        '$global:HvlmTestBusy = $true',
        'try {',
        '    Start-Sleep -Milliseconds (5 * ($Params.index % 4))',
        '    switch ($Params.mode) {',
        "        'fail' { Write-Error -Message ('planned failure {0}' -f $Params.index) -Category InvalidOperation }",
        "        'unreachable' { Write-Error -Message (\"The operation on computer 'HV{0}' failed: The WinRM client cannot process the request.\" -f $Params.index) }",
        "        'crash' { Stop-Process -Id $PID -Force }",
        '        default { [pscustomobject]@{ index = $Params.index; pid = $PID } }',
        '    }',
        '} finally { $global:HvlmTestBusy = $false }',
      ].join('\n'),
      (data) => data as { index: number; pid: number },
    );
    const mode = (index: number): string => (index === 25 ? 'crash' : index % 10 === 3 ? 'fail' : index % 10 === 7 ? 'unreachable' : 'ok');
    try {
      const indexes = Array.from({ length: 50 }, (_, index) => index);
      const results = await Promise.all(indexes.map((index) => pool.run(script, { index, mode: mode(index) }, LONG)));
      const pids = new Set<number>();
      results.forEach((result, index) => {
        switch (mode(index)) {
          case 'ok':
            assert.ok(result.ok, `call ${index}: ${JSON.stringify(result)}`);
            assert.equal(result.data.index, index);
            pids.add(result.data.pid);
            break;
          case 'fail':
            assert.deepEqual(errorOf(result).message, `planned failure ${index}`);
            assert.equal(errorOf(result).kind, 'scriptError');
            break;
          case 'unreachable':
            assert.equal(errorOf(result).kind, 'hostUnreachable');
            assert.equal(errorOf(result).target, `HV${index}`);
            break;
          default:
            assert.equal(errorOf(result).kind, 'sessionCrashed');
        }
      });
      assert.ok(pids.size >= 2 && pids.size <= 5, `sessions used: ${pids.size}`);
      const after = await Promise.all(indexes.slice(0, 8).map((index) => pool.run(script, { index, mode: 'ok' }, LONG)));
      assert.ok(after.every((result) => result.ok));
    } finally {
      await pool.dispose();
    }
  });

  it('dispose() stops a running call as cancelled, leaves no process, and refuses later calls', async () => {
    const pool = new PowerShellPool({ size: 2 });
    const startedFile = join(folder, 'started-dispose');
    await pidOf(pool);
    const running = pool.run(startThenSleep, { startedFile }, LONG);
    await until(() => existsSync(startedFile), 'the script to start');
    await pool.dispose();
    assert.deepEqual(await leftoverProcesses(), []);
    assert.equal(errorOf(await running).kind, 'cancelled');
    assert.equal(errorOf(await pool.run(pid, null)).kind, 'cancelled');
    await pool.dispose();
  });

  it('ignores NODE_POWERSHELL, which node-powershell would obey, and keeps it from the sessions', async () => {
    const saved = process.env.NODE_POWERSHELL;
    process.env.NODE_POWERSHELL = process.execPath;
    const pool = new PowerShellPool({ size: 1 });
    try {
      const script = defineScript<null, unknown>(
        'test-env',
        'param($Params)\n@{ seen = $env:NODE_POWERSHELL; edition = $PSVersionTable.PSEdition }',
      );
      assert.deepEqual(await pool.run(script, null, LONG), { ok: true, data: { seen: null, edition: 'Core' }, warnings: [] });
    } finally {
      await pool.dispose();
      if (saved === undefined) delete process.env.NODE_POWERSHELL;
      else process.env.NODE_POWERSHELL = saved;
    }
  });

  it('logs no command even when node-powershell debug output is switched on', async () => {
    // child-shell binds its debug output to console.log when it starts a shell.
    const debug = createRequire(__filename)('debug') as { enable(namespaces: string): void; disable(): string };
    const printed: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => void printed.push(args.map(String).join(' '));
    debug.enable('*');
    const pool = new PowerShellPool({ size: 1 });
    try {
      const result = await pool.run(pid, null, { ...LONG, credential: { userName: 'u', password: 'debug-secret-password' } });
      assert.ok(result.ok);
    } finally {
      debug.disable();
      console.log = log;
      await pool.dispose();
    }
    assert.deepEqual(
      printed.filter((line) => /Hvlm|debug-secret|ZGVidWctc2VjcmV0/.test(line)),
      [],
    );
  });
});
