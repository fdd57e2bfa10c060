import * as assert from 'node:assert/strict';
import { Fleet } from '../../../src/hyperv/fleet';
import { sameHost } from '../../../src/hyperv/hostName';
import { FakeRunner } from '../../support/fakeRunner';
import { askedHosts, fleetAnswer, hostJson, vmJson } from '../../support/inventoryData';

describe('fleet', () => {
  it('keeps the configured order and lists every VM', async () => {
    const runner = new FakeRunner().answer(
      'getFleetInventory',
      fleetAnswer((name) => ({ host: hostJson(name), vms: [vmJson(`a-${name}`, name), vmJson(`b-${name}`, name)] })),
    );
    const fleet = new Fleet(() => Promise.resolve({ runner, hosts: [{ name: 'HV02' }, { name: 'HV01' }] }));
    await fleet.refresh();
    assert.deepEqual(
      fleet.hosts().map((h) => [h.name, h.state]),
      [
        ['HV02', 'ok'],
        ['HV01', 'ok'],
      ],
    );
    assert.deepEqual(
      fleet.vms().map((v) => v.name),
      ['a-HV02', 'b-HV02', 'a-HV01', 'b-HV01'],
    );
  });

  it('ignores an older answer that arrives after a newer one', async () => {
    let round = 0;
    const runner = new FakeRunner().answer(
      'getFleetInventory',
      fleetAnswer(async () => {
        const mine = ++round;
        await new Promise((resolve) => setTimeout(resolve, mine === 1 ? 40 : 1));
        return { host: hostJson('HV01'), vms: [vmJson(mine === 1 ? 'old' : 'new', 'HV01')] };
      }),
    );
    const fleet = new Fleet(() => Promise.resolve({ runner, hosts: [{ name: 'HV01' }] }));
    await Promise.all([fleet.refresh(), new Promise((resolve) => setTimeout(resolve, 5)).then(() => fleet.refresh())]);
    assert.deepEqual(
      fleet.vms().map((v) => v.name),
      ['new'],
    );
  });

  it('says why when the fleet itself cannot be read, and recovers on the next refresh', async () => {
    let broken = true;
    const runner = new FakeRunner().answer(
      'getFleetInventory',
      fleetAnswer(() => ({ host: hostJson('HV01'), vms: [] })),
    );
    const fleet = new Fleet(() =>
      broken
        ? Promise.reject(new Error("The lab file '/tmp/lab.json' is not valid JSON"))
        : Promise.resolve({ runner, hosts: [{ name: 'HV01' }] }),
    );
    let changes = 0;
    fleet.onDidChange(() => changes++);
    await fleet.refresh();
    assert.match(fleet.problem ?? '', /not valid JSON/);
    assert.equal(fleet.hosts().length, 0);
    broken = false;
    await fleet.refresh();
    assert.equal(fleet.problem, undefined);
    assert.equal(fleet.hosts().length, 1);
    assert.ok(changes >= 3);
  });

  it('refreshes only the named hosts and drops hosts no longer configured', async () => {
    const runner = new FakeRunner().answer(
      'getFleetInventory',
      fleetAnswer((name) => ({ host: hostJson(name), vms: [] })),
    );
    let hosts = [{ name: 'HV01' }, { name: 'HV02' }];
    const fleet = new Fleet(() => Promise.resolve({ runner, hosts }));
    await fleet.refresh();
    await fleet.refresh(['hv02.contoso.lab']);
    assert.deepEqual(askedHosts(runner.calls).flat(), ['HV01', 'HV02', 'HV02']);
    hosts = [{ name: 'HV02' }];
    await fleet.refresh();
    assert.deepEqual(
      fleet.hosts().map((h) => h.name),
      ['HV02'],
    );
  });

  it('names a host and its VMs by the configured name that answered, not by the name the host gives itself', async () => {
    // Hyper-V's ComputerName is the NetBIOS form of the name DNS resolves: an alias or a stale record gives another.
    const runner = new FakeRunner().answer(
      'getFleetInventory',
      fleetAnswer(() => ({ host: hostJson('HV03-OLD'), vms: [vmJson('web01', 'HV03-OLD')] })),
    );
    const fleet = new Fleet(() => Promise.resolve({ runner, hosts: [{ name: 'hv03.contoso.lab' }] }));
    await fleet.refresh();
    const entry = fleet.host('HV03');
    assert.equal(entry?.state === 'ok' && entry.inventory.host.name, 'hv03.contoso.lab');
    assert.deepEqual(
      fleet.vms().map((v) => v.host),
      ['hv03.contoso.lab'],
    );
  });

  it('treats a short name and its FQDN as the same host', () => {
    assert.ok(sameHost('HV01', 'hv01.contoso.lab'));
    assert.ok(!sameHost('HV01', 'HV010'));
  });
});
