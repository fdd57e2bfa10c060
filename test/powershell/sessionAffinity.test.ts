// Calls with the same affinity (a host) go back to the session that served it last, when that one is idle.
import * as assert from 'node:assert/strict';
import { PowerShellPool } from '../../src/powershell/pool';
import { defineScript } from '../../src/powershell/script';

const pid = defineScript<{ wait: number }, number>(
  'pid',
  'param($Params)\nStart-Sleep -Milliseconds $Params.wait\n$PID',
  (data) => data as number,
);

describe('session affinity', function () {
  this.timeout(120_000);
  let pool: PowerShellPool;

  before(async () => {
    pool = new PowerShellPool({ size: 2 });
    // Both sessions started first: a call takes whichever session comes free first, its own start or another's.
    await pool.warm(2);
  });

  after(async () => pool?.dispose());

  it('sends a host back to the session that knows it, and any idle session otherwise', async () => {
    const [a, b] = await Promise.all([
      pool.run(pid, { wait: 300 }, { affinity: 'hv01' }),
      pool.run(pid, { wait: 300 }, { affinity: 'hv02' }),
    ]);
    assert.ok(a.ok && b.ok);
    assert.notEqual(a.data, b.data, 'two sessions served the two calls');
    for (const [host, expected] of [
      ['hv01', a.data],
      ['hv02', b.data],
      ['hv01', a.data],
      ['hv01', a.data],
      ['hv02', b.data],
    ] as const) {
      const again = await pool.run(pid, { wait: 0 }, { affinity: host });
      assert.ok(again.ok);
      assert.equal(again.data, expected, `${host} went back to its session`);
    }
    const any = await pool.run(pid, { wait: 0 }, { affinity: 'hv03' });
    assert.ok(any.ok && [a.data, b.data].includes(any.data), 'a new affinity takes an idle session, it does not start one');
  });

  it('hands a freed session to the queued host it served last, ahead of hosts queued before it', async () => {
    const [a, b] = await Promise.all([
      pool.run(pid, { wait: 300 }, { affinity: 'hv11' }),
      pool.run(pid, { wait: 300 }, { affinity: 'hv12' }),
    ]);
    assert.ok(a.ok && b.ok && a.data !== b.data);
    // Both sessions busy; then hv12 and hv11 queue in that order. The session of hv11 frees first; hv12 then
    // takes whichever session is idle rather than wait for its own.
    const busyA = pool.run(pid, { wait: 300 }, { affinity: 'hv11' });
    const busyB = pool.run(pid, { wait: 800 }, { affinity: 'hv12' });
    const queued = [pool.run(pid, { wait: 1000 }, { affinity: 'hv12' }), pool.run(pid, { wait: 0 }, { affinity: 'hv11' })];
    const [, , twelve, eleven] = await Promise.all([busyA, busyB, ...queued]);
    assert.ok(twelve?.ok && eleven?.ok);
    assert.equal(eleven.data, a.data, 'hv11 went back to its session although hv12 was queued first');
  });
});
