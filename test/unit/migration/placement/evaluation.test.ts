// Placement checks every VM against every other host; it asks the pool for a few checks at a time, so a
// drain of a full host never queues VMs × hosts calls at once (the pool refuses calls past its waiting limit).

import * as assert from 'node:assert/strict';
import { readFleet } from '../../../../src/hyperv/inventory';
import { evaluate, planPlacement } from '../../../../src/migration/placement';
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

describe('placement and maintenance', () => {
  it('never places a VM on a host in maintenance: rated "in maintenance", not checked, not chosen even as the only host', async () => {
    const runner = new FakeRunner()
      .answer(
        'getFleetInventory',
        fleetAnswer((name) => ({ host: hostJson(name), vms: name === 'HV01' ? [vmJson('web01', 'HV01')] : [] })),
      )
      .answer('placementFacts', () => ok({ linkSpeedBps: null, vms: [] }));
    const fleet = await readFleet(runner, [{ name: 'HV01' }, { name: 'HV02' }, { name: 'HV03' }]);
    const wanted = fleet.flatMap((reading) => (reading.ok ? reading.inventory.vms : [])).map((vm) => ({ vm }));
    const checked: string[] = [];
    const engine: PreflightEngine = {
      check(request) {
        checked.push(request.destination);
        return Promise.resolve({ request, findings: [], ready: true, checkedAt: '', roundTrips: {} });
      },
    };
    const plan = await planPlacement({ runner, engine, maintenance: ['hv02'] }, fleet, wanted, 'HV01');
    assert.deepEqual(checked, ['HV03'], 'HV02 is not checked');
    assert.deepEqual(
      plan.placements.map((p) => p.destination),
      ['HV03'],
    );
    const hv02 = plan.placements[0]?.candidates.find((c) => c.host === 'HV02');
    assert.equal(hv02?.ready, false);
    assert.deepEqual(hv02?.blockers, ['HV02 is in maintenance: no VM is placed on it until it leaves maintenance.']);

    const only = await planPlacement({ runner, engine, maintenance: ['HV02', 'HV03'] }, fleet, wanted, 'HV01');
    assert.deepEqual(only.placements, []);
    assert.match(only.unmovable[0]?.why ?? '', /HV02: HV02 is in maintenance.*HV03: HV03 is in maintenance/);

    const given = await planPlacement({ runner, engine, maintenance: ['HV02'] }, fleet, [{ vm: wanted[0].vm, destination: 'HV02' }]);
    assert.deepEqual(given.placements, [], 'not even when asked for by name');
  });

  it('a VM moving back to a host it left for maintenance is connected to the switch it had there, checked with that plan', async () => {
    // web01 is on HV02 now, on LAN1; on HV01, before it left, its adapter was on Storage (HV01 has both).
    const runner = new FakeRunner()
      .answer(
        'getFleetInventory',
        fleetAnswer((name) => ({
          host: hostJson(
            name,
            name === 'HV01'
              ? {
                  switches: [
                    { name: 'LAN1', switchType: 'External' },
                    { name: 'Storage', switchType: 'Private' },
                  ],
                }
              : {},
          ),
          vms: name === 'HV02' ? [vmJson('web01', 'HV02')] : [],
        })),
      )
      .answer('placementFacts', () => ok({ linkSpeedBps: null, vms: [] }));
    const fleet = await readFleet(runner, [{ name: 'HV01' }, { name: 'HV02' }]);
    const web01 = fleet.flatMap((reading) => (reading.ok ? reading.inventory.vms : []))[0];
    const adapter = web01.adapters[0].id;
    const plans: unknown[] = [];
    const engine: PreflightEngine = {
      check(request, options) {
        plans.push(options?.plan?.adapterSwitches);
        return Promise.resolve({ request, findings: [], ready: true, checkedAt: '', roundTrips: {} });
      },
    };
    const home = (vmId: string, host: string) => (vmId === web01.id && host === 'HV01' ? { [adapter]: 'storage' } : undefined);
    const plan = await planPlacement({ runner, engine, switchesAtHome: home }, fleet, [{ vm: web01, destination: 'HV01' }]);
    assert.deepEqual(plans, [{ [adapter]: 'Storage' }], 'checked with the adapter on Storage, as HV01 names it');
    assert.deepEqual(plan.placements[0]?.chosen.plan?.adapterSwitches, { [adapter]: 'Storage' });
    assert.deepEqual(plan.placements[0]?.chosen.choices, [
      "Adapter 'Network Adapter' is connected to 'Storage' on HV01 again, its switch there before it left.",
    ]);

    plans.length = 0;
    await planPlacement({ runner, engine }, fleet, [{ vm: web01, destination: 'HV01' }]);
    assert.deepEqual(plans, [undefined], 'any other move of it keeps its switch (LAN1 is on HV01 too)');
  });
});
