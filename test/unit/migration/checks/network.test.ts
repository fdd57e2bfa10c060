// Network: a switch the destination lacks, with the fixes offered for it.
import * as assert from 'node:assert/strict';
import { createPreflightEngine } from '../../../../src/migration/preflight';
import { destinationAnswer, sourceAnswer } from '../../../support/preflightData';
import { REQUEST, runner } from './fixtures';

describe('checks: network (fake PowerShell)', function () {
  it('offers an External switch on a free physical adapter of the destination, asking first', async function () {
    const result = await createPreflightEngine(
      runner(
        sourceAnswer(),
        destinationAnswer((d) => {
          d.host.switches = [{ name: 'Backup', switchType: 'Internal' }];
          d.host.freeNetAdapters = ['Intel(R) Ethernet Controller X710 #3'];
        }),
      ),
    ).check(REQUEST);
    const create = result.findings[0].fixes.find((f) => f.id === 'create-switch');
    assert.deepEqual(create?.choices, [
      { name: 'switchType', label: 'Switch type', options: ['Private', 'Internal', 'External'] },
      { name: 'netAdapter', label: 'Physical adapter (External)', options: ['Intel(R) Ethernet Controller X710 #3'] },
    ]);
    assert.equal(create?.destructive, true);
    assert.deepEqual(create?.args, { host: 'HV02', switchName: 'LAN1' });
  });
});
