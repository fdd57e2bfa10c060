// Placement checks every VM against every other host; it asks the pool for a few checks at a time, so a
// drain of a full host never queues VMs × hosts calls at once (the pool refuses calls past its waiting limit).

import * as assert from 'node:assert/strict';
import { readFleet } from '../../../../src/hyperv/inventory';
import { evaluate } from '../../../../src/migration/placement';
import type { PreflightEngine } from '../../../../src/migration/types';
import { FakeRunner, ok } from '../../../support/fakeRunner';
import { fleetAnswer, hostJson, vmJson } from '../../../support/inventoryData';

describe('placement load', () => {
  it('runs at most as many checks at once as the runner has sessions', async () => {
    const names = ['HV01', 'HV02', 'HV03', 'HV04', 'HV05'];
    const vms = Array.from({ length: 12 }, (_, i) => vmJson(`vm${i}`, 'HV01'));
    const runner = new FakeRunner(3)
      .answer(
        'getFleetInventory',
        fleetAnswer((name) => ({ host: hostJson(name), vms: name === 'HV01' ? vms : [] })),
      )
      .answer('placementFacts', () => ok({ linkSpeedBps: null, vms: [] }));
    const fleet = await readFleet(
      runner,
      names.map((name) => ({ name })),
    );
    const wanted = fleet.flatMap((reading) => (reading.ok ? reading.inventory.vms : [])).map((vm) => ({ vm }));
    assert.equal(wanted.length, 12);

    let running = 0;
    let most = 0;
    const engine: PreflightEngine = {
      async check(request) {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 2));
        running--;
        return { request, findings: [], ready: true, checkedAt: '', roundTrips: {} };
      },
    };
    const { checks } = await evaluate({ runner, engine }, fleet, wanted);
    assert.equal(checks, 12 * 4, 'every VM against every other host');
    assert.equal(most, 3, 'three checks at once, as the runner has three sessions');
  });
});
