// Bounded work and no silent hangs in the pool: a call beyond the waiting limit is refused at once with
// `busy`, and a kill that fails cannot keep a call (or dispose) waiting on a process that does not end.

import * as assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { PowerShellPool } from '../../src/powershell/pool';
import { killProcessTree } from '../../src/powershell/processTree';
import { defineScript } from '../../src/powershell/script';
import type { Logger, PowerShellResult } from '../../src/powershell/types';
import { isRunning, leftoverProcesses } from './fixtures/processes';

const pid = defineScript<null, number>('test-pid', 'param($Params)\n$PID', (data) => data as number);
const pause = defineScript<{ ms: number }, number>(
  'test-pause',
  'param($Params)\nStart-Sleep -Milliseconds $Params.ms\n$PID',
  (data) => data as number,
);

function warnings(): { logger: Logger; said: string[] } {
  const said: string[] = [];
  const none = (): void => undefined;
  return {
    said,
    logger: { trace: none, debug: none, info: none, warn: (message) => said.push(message), error: (message) => said.push(message) },
  };
}

function data<T>(result: PowerShellResult<T>): T {
  assert.ok(result.ok, JSON.stringify(result));
  return result.data;
}

describe('PowerShell pool: bounded queue, bounded kill', function () {
  afterEach(async () => {
    assert.deepEqual(await leftoverProcesses(), [], 'a process was left behind');
  });

  it('refuses a call beyond the waiting limit at once with "busy", and serves the others', async () => {
    const pool = new PowerShellPool({ size: 1, maxWaiting: 2 });
    try {
      data(await pool.run(pid, null)); // the session is started, so the slow call below holds it at once
      const running = pool.run(pause, { ms: 1500 });
      const waiting = [pool.run(pause, { ms: 1 }), pool.run(pause, { ms: 1 })];
      const began = performance.now();
      const refused = await pool.run(pause, { ms: 1 });
      assert.ok(performance.now() - began < 500, 'refused without waiting for a session');
      assert.equal(refused.ok, false);
      if (!refused.ok) {
        assert.equal(refused.error.kind, 'busy');
        assert.match(refused.error.message, /2 calls already wait for its 1 sessions, so "test-pause" was not started/);
      }
      for (const result of await Promise.all([running, ...waiting])) data(result);
      data(await pool.run(pid, null)); // the queue drained: calls are taken again
    } finally {
      await pool.dispose();
    }
  });

  it('a kill that fails ends the call with its time limit all the same, says so, and the next call gets a new session', async () => {
    const { logger, said } = warnings();
    const pool = new PowerShellPool({
      size: 1,
      logger,
      killWaitMs: 500,
      killTree: () => Promise.reject(new Error('ERROR: The process could not be terminated. Access is denied.')),
    });
    let stuck: number | undefined;
    try {
      stuck = data(await pool.run(pid, null));
      const began = performance.now();
      const result = await pool.run(pause, { ms: 60_000 }, { timeoutMs: 1000 });
      const took = performance.now() - began;
      assert.ok(took < 5000, `the call came back after ${Math.round(took)} ms`);
      assert.equal(result.ok, false);
      if (!result.ok) {
        assert.equal(result.error.kind, 'timeout');
        assert.match(
          result.error.message,
          /stopping it failed: PowerShell \(pid \d+\) still ran 0\.5 s after the kill \(ERROR: The process could not be terminated\. Access is denied\.\)/,
        );
      }
      assert.ok(await isRunning(stuck), 'the fake kill left the process running');
      assert.ok(
        said.some((line) => line.includes('still ran 0.5 s after the kill')),
        said.join('\n'),
      );
      const next = data(await pool.run(pid, null));
      assert.notEqual(next, stuck, 'the session that would not stop is not used again');
      const disposing = performance.now();
      await pool.dispose();
      assert.ok(performance.now() - disposing < 5000, 'dispose does not wait forever on a kill that fails either');
    } finally {
      await pool.dispose();
      // What the fake kill left: killed for real, so the machine is as before.
      for (const left of await leftoverProcesses()) await killProcessTree(left).catch(() => undefined);
      await sleep(50);
    }
  });
});
