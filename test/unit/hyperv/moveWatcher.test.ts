import * as assert from 'node:assert/strict';
import { Fleet } from '../../../src/hyperv/fleet';
import { MoveWatcher } from '../../../src/hyperv/moveWatcher';
import { FakeRunner } from '../../support/fakeRunner';
import { askedHosts, fleetAnswer, hostJson, vmJson } from '../../support/inventoryData';

describe('move watcher', () => {
  it('reads a host with a running move again until it ends, then the whole fleet once', async () => {
    let percent: number | null = 10;
    const runner = new FakeRunner().answer(
      'getFleetInventory',
      fleetAnswer((name) => {
        if (name === 'HV02') return { host: hostJson(name), vms: percent === null ? [vmJson('web01', 'HV02')] : [] };
        return {
          host: hostJson(name),
          vms: percent === null ? [] : [vmJson('web01', 'HV01', { migrationPercent: percent, status: 'Migrating virtual machine' })],
        };
      }),
    );
    const fleet = new Fleet(() => Promise.resolve({ runner, hosts: [{ name: 'HV01' }, { name: 'HV02' }] }));
    const watcher = new MoveWatcher(fleet, (error) => assert.fail(String(error)), 10);
    try {
      await fleet.refresh();
      const asked = () => askedHosts(runner.calls).flat();
      await new Promise((resolve) => setTimeout(resolve, 35));
      assert.ok(asked().length > 2, 'the moving host was read again');
      assert.ok(
        asked()
          .slice(2)
          .every((h) => h === 'HV01'),
        `only HV01 while it moves: ${asked().join(',')}`,
      );
      percent = null;
      const before = asked().length;
      await new Promise((resolve) => setTimeout(resolve, 60));
      assert.ok(asked().slice(before).includes('HV02'), 'the whole fleet was read when the move ended');
      assert.deepEqual(
        fleet.vms().map((v) => `${v.name}@${v.host}`),
        ['web01@HV02'],
      );
      const settled = asked().length;
      await new Promise((resolve) => setTimeout(resolve, 40));
      assert.equal(asked().length, settled, 'no reads once nothing moves');
    } finally {
      watcher.dispose();
    }
  });
});
