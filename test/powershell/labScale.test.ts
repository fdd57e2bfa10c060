// The Scale lab (30 hosts, 250 VMs) answers a full inventory, with the default lab's kinds of
// situation spread across it.

import * as assert from 'node:assert/strict';
import { createLab, type Lab } from '../support/labFixture';

describe('lab: the Scale template', function () {
  let lab: Lab;

  before(async function () {
    lab = await createLab({ template: 'Scale', size: 1 });
  });

  after(async function () {
    await lab?.dispose();
  });

  it('answers a full inventory: every host, all 250 VMs, each VM on the host that reports it', async function () {
    const inventory = await lab.run<{
      hosts: string[];
      vms: { Name: string; ComputerName: string; State: string; IsClustered: boolean; Version: string }[];
    }>(
      'scale-inventory',
      `param($Params)
$hosts = @(1..30 | ForEach-Object { 'HV{0:D2}' -f $_ })
[pscustomobject]@{
    hosts = @(Get-VMHost -ComputerName $hosts | ForEach-Object Name)
    vms = @(Get-VM -ComputerName $hosts | Select-Object Name, ComputerName, State, IsClustered, Version)
}`,
    );
    assert.equal(inventory.hosts.length, 30);
    assert.equal(inventory.vms.length, 250);
    assert.equal(new Set(inventory.vms.map((vm) => vm.Name)).size, 250, 'VM names are unique');
    const perHost = new Map<string, number>();
    for (const vm of inventory.vms) perHost.set(vm.ComputerName, (perHost.get(vm.ComputerName) ?? 0) + 1);
    assert.equal(perHost.size, 30);
    assert.ok([...perHost.values()].every((n) => n === 8 || n === 9));
    assert.ok(
      inventory.vms.some((vm) => vm.State === 'Off'),
      'some VMs are off',
    );
    assert.ok(
      inventory.vms.some((vm) => vm.IsClustered),
      'some VMs are clustered',
    );
    assert.ok(
      inventory.vms.some((vm) => vm.Version === '8.0'),
      'some VMs have an old configuration version',
    );
  });

  it('is the same lab every time it is made', async function () {
    const ids = await lab.run<string[]>(
      'scale-ids',
      `param($Params)\n@(Get-VM -ComputerName HV07 | ForEach-Object { "$($_.Name)=$($_.Id)" })`,
    );
    await lab.run('scale-reset', 'param($Params)\n$null = Reset-HyperVLab');
    const again = await lab.run<string[]>(
      'scale-ids',
      `param($Params)\n@(Get-VM -ComputerName HV07 | ForEach-Object { "$($_.Name)=$($_.Id)" })`,
    );
    assert.deepEqual(again, ids);
    assert.ok(ids.length >= 8);
  });
});
