import * as assert from 'node:assert/strict';
import { batchCount, batchHosts, decodeHostInventory, readFleet } from '../../../src/hyperv/inventory';
import { FakeRunner } from '../../support/fakeRunner';
import { askedHosts, fleetAnswer, hostJson, unreachableFacts, vmJson } from '../../support/inventoryData';

describe('inventory', () => {
  it("decodes what the script writes, including PowerShell's single items and nulls for arrays", () => {
    const inventory = decodeHostInventory({ host: hostJson('HV01'), vms: vmJson('web01', 'HV01') });
    assert.equal(inventory.host.name, 'HV01');
    assert.deepEqual(inventory.host.volumes, [{ name: 'D:\\', freeSpace: 1099511627776, size: 2199023255552 }]);
    assert.deepEqual(inventory.host.networks, ['10.10.1.0/24']);
    assert.equal(inventory.vms.length, 1);
    const vm = inventory.vms[0];
    assert.equal(vm.name, 'web01');
    assert.deepEqual(vm.adapters, [
      {
        id: `Microsoft:${vm.id.toUpperCase()}\\AA000000-0000-0000-0000-000000000001`,
        name: 'Network Adapter',
        switchName: 'LAN1',
        macAddress: '00155D010101',
      },
    ]);
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

  it("reads the hosts in batches at once and keeps one host's failure to that host", async () => {
    let inFlight = 0;
    let most = 0;
    const runner = new FakeRunner(4).answer(
      'getFleetInventory',
      fleetAnswer(async (name) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        return name === 'HV03' ? { error: unreachableFacts('HV03') } : { host: hostJson(name), vms: [vmJson(`vm-${name}`, name)] };
      }),
    );
    const names = ['HV01', 'HV02', 'HV03', 'HV04', 'HV05'];
    const readings = await readFleet(
      runner,
      names.map((name) => ({ name })),
    );
    assert.deepEqual(
      readings.map((r) => [r.name, r.ok]),
      names.map((name) => [name, name !== 'HV03']),
    );
    const failed = readings[2];
    assert.ok(!failed.ok && failed.error.kind === 'hostUnreachable' && failed.error.target === 'HV03', JSON.stringify(failed));
    const batches = batchCount(runner);
    assert.deepEqual(
      askedHosts(runner.calls),
      batchHosts(
        names.map((name) => ({ name })),
        batches,
      ).map((batch) => batch.map((h) => h.name)),
    );
    assert.deepEqual(askedHosts(runner.calls).flat().sort(), names, 'each host asked once');
    assert.equal(most, batches, 'the batches were asked at once');
    assert.equal(readings[4].ok && readings[4].inventory.vms[0].name, 'vm-HV05');
  });

  it("uses half the runner's sessions for batches, no more than the machine's cores", () => {
    assert.equal(batchCount(new FakeRunner(8), 16), 4);
    assert.equal(batchCount(new FakeRunner(8), 2), 2);
    assert.equal(batchCount(new FakeRunner(1), 8), 1);
    assert.equal(batchCount(new FakeRunner(), 8), 4, 'a runner without a stated limit');
  });

  it('batches hosts by credential, in the order given, never two credentials in one call', () => {
    const a = { userName: 'CONTOSO\\a', password: 'x' };
    const b = { userName: 'CONTOSO\\b', password: 'y' };
    const batches = batchHosts(
      [
        { name: 'H1', credential: a },
        { name: 'H2' },
        { name: 'H3', credential: a },
        { name: 'H4', credential: b },
        { name: 'H5' },
        { name: 'H6', credential: a },
      ],
      2,
    );
    assert.deepEqual(
      batches.map((batch) => batch.map((h) => h.name)),
      [['H1', 'H3', 'H6'], ['H2', 'H5'], ['H4']],
    );
    assert.deepEqual(
      batchHosts([{ name: 'A' }, { name: 'B' }, { name: 'C' }, { name: 'D' }, { name: 'E' }], 2).map((b) => b.length),
      [3, 2],
    );
    assert.deepEqual(batchHosts([], 4), []);
  });

  it("passes a batch's credential to its call only, never in the parameters", async () => {
    const runner = new FakeRunner(2).answer(
      'getFleetInventory',
      fleetAnswer((name) => ({ host: hostJson(name), vms: [] })),
    );
    await readFleet(runner, [{ name: 'HV01', credential: { userName: 'CONTOSO\\admin', password: 'p@ss' } }, { name: 'HV02' }]);
    const byHost = new Map(runner.calls.map((c) => [(c.params as { hosts: string[] }).hosts.join(','), c.options?.credential]));
    assert.equal(byHost.get('HV01')?.userName, 'CONTOSO\\admin');
    assert.equal(byHost.get('HV02'), undefined);
    assert.ok(!JSON.stringify(runner.calls.map((c) => c.params)).includes('p@ss'), 'the password never travels in the parameters');
  });

  it("gives each host of a failed call the call's error, a silent host a protocol error, a bad inventory its own error", async () => {
    const timedOut = new FakeRunner(2).answer('getFleetInventory', () => ({
      ok: false,
      error: { kind: 'timeout', message: 'The call ran past 120 s.' },
      warnings: [],
    }));
    const [one, two] = await readFleet(timedOut, [{ name: 'HV01' }, { name: 'HV02' }]);
    assert.ok(!one.ok && one.error.kind === 'timeout' && one.error.target === 'HV01');
    assert.ok(!two.ok && two.error.kind === 'timeout' && two.error.target === 'HV02');

    const odd = new FakeRunner().answer(
      'getFleetInventory',
      fleetAnswer((name) =>
        name === 'HV02'
          ? undefined
          : name === 'HV03'
            ? { host: { ...hostJson(name), memoryFree: 'lots' }, vms: [] }
            : { host: hostJson(name), vms: [] },
      ),
    );
    const [hv01, hv02, hv03] = await readFleet(odd, [{ name: 'hv01' }, { name: 'HV02' }, { name: 'HV03' }]);
    assert.ok(hv01.ok, 'answers are matched to hosts without regard to case');
    assert.ok(!hv02.ok && hv02.error.kind === 'protocolError' && /HV02 gave no answer/.test(hv02.error.message));
    assert.ok(
      !hv03.ok && hv03.error.kind === 'protocolError' && /memoryFree: expected number/.test(hv03.error.message),
      hv03.ok ? '' : hv03.error.message,
    );
  });

  it("classifies a host's error facts as a failed call's: missing module, access denied", async () => {
    const runner = new FakeRunner().answer(
      'getFleetInventory',
      fleetAnswer((name) => ({
        error:
          name === 'HV01'
            ? {
                message: "The term 'Get-VMHost' is not recognized as a name of a cmdlet.",
                category: 'ObjectNotFound',
                errorId: 'CommandNotFoundException',
                exceptionType: 'System.Management.Automation.RemoteException',
                targetObject: 'Get-VMHost',
                chain: [],
              }
            : {
                message: 'Connecting to remote server HV02 failed with the following error message : Access is denied.',
                category: 'OpenError',
                errorId: 'AccessDenied,PSSessionStateBroken',
                exceptionType: 'System.Management.Automation.Remoting.PSRemotingTransportException',
                targetObject: 'HV02',
                chain: [],
              },
      })),
    );
    const [hv01, hv02] = await readFleet(runner, [{ name: 'HV01' }, { name: 'HV02' }]);
    assert.ok(!hv01.ok && hv01.error.kind === 'moduleMissing' && hv01.error.target === 'HV01', JSON.stringify(hv01));
    assert.ok(!hv02.ok && hv02.error.kind === 'accessDenied' && hv02.error.target === 'HV02', JSON.stringify(hv02));
  });
});
