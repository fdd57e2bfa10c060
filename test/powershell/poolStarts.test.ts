// Session starts in the pool: a call that finds no idle session takes whichever comes first, the session it starts
// or one another call frees (the first read after activation must not wait for every session it starts), the
// start it did not need joins the pool, and warm() starts sessions ahead of need, never more than the pool's size.
import * as assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PowerShellPool } from '../../src/powershell/pool';
import { defineScript } from '../../src/powershell/script';
import { leftoverProcesses } from './fixtures/processes';

const pid = defineScript<{ wait: number }, number>(
  'pid',
  'param($Params)\nStart-Sleep -Milliseconds $Params.wait\n$PID',
  (data) => data as number,
);

function data<T>(result: { ok: true; data: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.data;
}

describe('PowerShell pool: session starts', function () {
  this.timeout(180_000);

  afterEach(async () => {
    assert.deepEqual(await leftoverProcesses(), [], 'a process was left behind');
  });

  it('a call takes the session another call frees rather than wait for the one it starts, which then joins the pool', async () => {
    const pool = new PowerShellPool({ size: 2 });
    try {
      await pool.warm(1);
      const [first, second] = await Promise.all([pool.run(pid, { wait: 200 }), pool.run(pid, { wait: 0 })]);
      assert.equal(data(second), data(first), 'the second call ran on the session the first one freed');
      // The session the second call started meanwhile is the pool's: two calls at once now run on two sessions.
      await pool.warm(2);
      const processes = (await leftoverProcesses()).length;
      const [a, b] = await Promise.all([pool.run(pid, { wait: 300 }), pool.run(pid, { wait: 300 })]);
      assert.notEqual(data(a), data(b));
      assert.equal((await leftoverProcesses()).length, processes, 'no session started beyond the pool size');
    } finally {
      await pool.dispose();
    }
  });

  it('warm() starts sessions ahead of need up to the pool size (one at a time here), and three calls at once find three', async () => {
    const pool = new PowerShellPool({ size: 3, startsAtOnce: 1 });
    try {
      await pool.warm(5);
      const processes = (await leftoverProcesses()).length;
      const pids = await Promise.all([0, 1, 2, 3].map(() => pool.run(pid, { wait: 300 })));
      assert.equal(new Set(pids.map(data)).size, 3, 'four calls at once ran on the three warm sessions, the pool size');
      assert.equal((await leftoverProcesses()).length, processes, 'and started none');
    } finally {
      await pool.dispose();
    }
  });

  it('warm() with a PowerShell that does not start gives up after as many starts as it was asked for', async () => {
    const warned: string[] = [];
    const none = (): void => undefined;
    const logger = { trace: none, debug: none, info: none, warn: (line: string) => warned.push(line), error: none };
    const pool = new PowerShellPool({ executable: join(tmpdir(), 'no-such-pwsh'), size: 4, logger });
    try {
      await pool.warm(3);
      assert.equal(warned.length, 3, warned.join('\n'));
      assert.match(warned[0] ?? '', /no-such-pwsh/);
    } finally {
      await pool.dispose();
    }
  });
});
