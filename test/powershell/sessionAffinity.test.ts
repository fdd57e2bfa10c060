// Calls with the same affinity (a host) go back to the session that served it last, when that one is idle.
import * as assert from 'node:assert/strict';
import { PowerShellPool } from '../../src/powershell/pool';
import { defineScript } from '../../src/powershell/script';

const pid = defineScript<{ wait: number }, number>('pid', 'param($Params)\nStart-Sleep -Milliseconds $Params.wait\n$PID', (data) => data as number);

describe('session affinity', function () {
  this.timeout(120_000);
  let pool: PowerShellPool;

  before(() => {
    pool = new PowerShellPool({ size: 2 });
  });

  after(async () => pool?.dispose());

  it('sends a host back to the session that knows it, and any idle session otherwise', async () => {
    const [a, b] = await Promise.all([
      pool.run(pid, { wait: 300 }, { affinity: 'hv01' }),
      pool.run(pid, { wait: 300 }, { affinity: 'hv02' }),
    ]);
    assert.ok(a.ok && b.ok);
    assert.notEqual(a.data, b.data, 'two sessions served the two calls');
    for (const [host, expected] of [['hv01', a.data], ['hv02', b.data], ['hv01', a.data], ['hv01', a.data], ['hv02', b.data]] as const) {
      const again = await pool.run(pid, { wait: 0 }, { affinity: host });
      assert.ok(again.ok);
      assert.equal(again.data, expected, `${host} went back to its session`);
    }
    const any = await pool.run(pid, { wait: 0 }, { affinity: 'hv03' });
    assert.ok(any.ok && [a.data, b.data].includes(any.data), 'a new affinity takes an idle session, it does not start one');
  });
});
