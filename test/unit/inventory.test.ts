import * as assert from 'node:assert/strict';
import { decodeHostInventory, readFleet } from '../../src/hyperv/inventory';
import { FakeRunner, ok } from './fakeRunner';
import { hostJson, vmJson } from './inventoryData';

describe('inventory', () => {
  it('decodes what the script writes, including PowerShell\'s single items and nulls for arrays', () => {
    const inventory = decodeHostInventory({ host: hostJson('HV01'), vms: vmJson('web01', 'HV01') });
    assert.equal(inventory.host.name, 'HV01');
    assert.deepEqual(inventory.host.volumes, [{ name: 'D:', freeSpace: 1099511627776, size: 2199023255552 }]);
    assert.deepEqual(inventory.host.migrationNetworks, ['10.10.1.0/24']);
    assert.equal(inventory.vms.length, 1);
    const vm = inventory.vms[0];
    assert.equal(vm.name, 'web01');
    assert.deepEqual(vm.adapters, [{ name: 'Network Adapter', switchName: 'LAN1', macAddress: '00155D010101' }]);
    assert.deepEqual(vm.isoPaths, []);
    assert.equal(vm.disks[0].diskNumber, null);
  });

  it('maps an unknown VM state to Other instead of trusting it', () => {
    const inventory = decodeHostInventory({ host: hostJson('HV01'), vms: [vmJson('x', 'HV01', { state: 'FastSavingCritical' })] });
    assert.equal(inventory.vms[0].state, 'Other');
  });

  it('names the field that has the wrong shape', () => {
    assert.throws(
      () => decodeHostInventory({ host: hostJson('HV01'), vms: [vmJson('a', 'HV01'), vmJson('b', 'HV01', { memoryStartup: '4GB' })] }),
      /inventory\.vms\[1\]\.memoryStartup: expected number, got string/,
    );
    assert.throws(() => decodeHostInventory({ host: null, vms: [] }), /inventory\.host: expected object, got null/);
  });

  it('reads every host in parallel and keeps one host\'s failure to that host', async () => {
    let inFlight = 0;
    let most = 0;
    const runner = new FakeRunner().answer('getHostInventory', async (params) => {
      const name = (params as { ComputerName: string }).ComputerName;
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      if (name === 'HV03') return { ok: false, error: { kind: 'hostUnreachable', message: "The operation on computer 'HV03' failed" }, warnings: [] };
      return ok({ host: hostJson(name), vms: [vmJson(`vm-${name}`, name)] });
    });
    const readings = await readFleet(runner, [{ name: 'HV01' }, { name: 'HV02' }, { name: 'HV03' }]);
    assert.deepEqual(
      readings.map((r) => [r.name, r.ok]),
      [
        ['HV01', true],
        ['HV02', true],
        ['HV03', false],
      ],
    );
    const failed = readings[2];
    assert.ok(!failed.ok && failed.error.kind === 'hostUnreachable' && failed.error.target === 'HV03');
    assert.equal(most, 3, 'all hosts were asked at once');
    assert.equal(runner.calls.length, 3, 'one round trip per host');
  });

  it('passes a host\'s credential to its call only', async () => {
    const runner = new FakeRunner().answer('getHostInventory', (params) => {
      const name = (params as { ComputerName: string }).ComputerName;
      return ok({ host: hostJson(name), vms: [] });
    });
    await readFleet(runner, [{ name: 'HV01', credential: { userName: 'CONTOSO\\admin', password: 'p@ss' } }, { name: 'HV02' }]);
    assert.equal(runner.calls[0].options?.credential?.userName, 'CONTOSO\\admin');
    assert.equal(runner.calls[1].options?.credential, undefined);
    assert.ok(!JSON.stringify(runner.calls.map((c) => c.params)).includes('p@ss'), 'the password never travels in the parameters');
  });
});
