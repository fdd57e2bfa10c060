// The tree's one-round-trip inventory script, run by real pwsh against the lab module.
import * as assert from 'node:assert/strict';
import { readFleet } from '../../src/hyperv/inventory';
import { migrationScript } from '../../src/hyperv/migrationScript';
import type { HostInventory } from '../../src/hyperv/model';
import { createLab, type Lab } from '../support/labFixture';

describe('inventory script on the default lab', function () {
  this.timeout(120_000);
  let lab: Lab;
  let fleet: Map<string, HostInventory>;

  before(async () => {
    lab = await createLab({ size: 3 });
    const readings = await readFleet(
      lab.pool,
      ['HV01', 'HV02', 'HV03', 'HV04', 'HV05', 'HV06'].map((name) => ({ name })),
    );
    fleet = new Map();
    for (const r of readings) {
      assert.ok(r.ok, `${r.name}: ${r.ok ? '' : JSON.stringify(r.error)}`);
      fleet.set(r.name, r.inventory);
    }
  });

  after(async () => lab?.dispose());

  it('reads each host: OS, processor, memory, disks, migration settings, switches, cluster', () => {
    const hv01 = fleet.get('HV01')!.host;
    assert.equal(hv01.fqdn, 'HV01.contoso.lab');
    assert.equal(hv01.cpuVendor, 'GenuineIntel');
    assert.deepEqual(
      hv01.switches.map((s) => s.name),
      ['LAN1', 'Storage'],
    );
    assert.ok(hv01.memoryFree > 0 && hv01.memoryFree < hv01.memoryCapacity);
    assert.ok(hv01.volumes.length > 0 && hv01.volumes.every((v) => v.freeSpace <= v.size));
    assert.equal(hv01.cluster, null);
    assert.equal(fleet.get('HV03')!.host.cpuVendor, 'AuthenticAMD');
    const hv04 = fleet.get('HV04')!.host;
    assert.match(hv04.osCaption, /2019/);
    assert.equal(hv04.migrationEnabled, false);
    assert.equal(hv04.authenticationType, 'CredSSP');
    assert.ok(!hv04.supportedVersions.includes('10.0') && hv04.supportedVersions.includes('9.0'));
    assert.equal(fleet.get('HV05')!.host.cluster, 'CL1');
    assert.equal(fleet.get('HV06')!.host.cluster, 'CL1');
  });

  it('reads each VM with what the tree shows', () => {
    const hv01 = fleet.get('HV01')!.vms;
    assert.deepEqual(hv01.map((v) => v.name).sort(), ['build01', 'sql01', 'web01']);
    const sql01 = hv01.find((v) => v.name === 'sql01')!;
    assert.deepEqual(
      sql01.adapters.map((a) => a.switchName),
      ['LAN1', 'Storage'],
    );
    assert.equal(sql01.disks.length, 2);
    assert.ok(sql01.disks.every((d) => d.fileSize !== null && d.size !== null && d.fileSize > 0));
    const build01 = hv01.find((v) => v.name === 'build01')!;
    assert.equal(build01.state, 'Off');
    assert.equal(build01.isoPaths.length, 1);
    const dc04 = fleet.get('HV04')!.vms.find((v) => v.name === 'dc04')!;
    assert.ok(
      dc04.disks.some((d) => d.diskNumber !== null),
      'dc04 has a pass-through disk',
    );
    assert.equal(fleet.get('HV04')!.vms.find((v) => v.name === 'legacy04')!.version, '8.0');
    assert.equal(fleet.get('HV05')!.vms.find((v) => v.name === 'erp01')!.isClustered, true);
    assert.equal(fleet.get('HV02')!.vms.find((v) => v.name === 'app02')!.compatibilityForMigration, false);
  });

  it("turns an unreachable host into that host's hostUnreachable error", async () => {
    await lab.run('fault', 'param($Params)\nSet-HyperVLabFault -ComputerName HV03 -Unreachable');
    try {
      const [hv02, hv03] = await readFleet(lab.pool, [{ name: 'HV02' }, { name: 'HV03' }]);
      assert.ok(hv02?.ok);
      assert.ok(hv03 && !hv03.ok);
      assert.equal(hv03.error.kind, 'hostUnreachable');
      assert.equal(hv03.error.target, 'HV03');
    } finally {
      await lab.run('clear', 'param($Params)\nSet-HyperVLabFault -ComputerName HV03 -Clear');
    }
  });

  it("shows a running move's percent on its VM, then the VM on its new host", async () => {
    await lab.run(
      'move',
      "param($Params)\nSet-HyperVLabTimeScale -TimeScale 1\n$null = Move-VM -Name web01 -ComputerName HV01 -DestinationHost HV02 -IncludeStorage -DestinationStoragePath 'D:\\Hyper-V\\web01' -AsJob",
    );
    // Move-VM -AsJob returns before the host has the job (as in Hyper-V): wait until the host lists it.
    let during = (await readFleet(lab.pool, [{ name: 'HV01' }]))[0];
    // (The host's VM list and its job list are read one after the other: wait until both show the move.)
    const moving = (r: typeof during) => {
      const vm = r?.ok ? r.inventory.vms.find((v) => v.name === 'web01') : undefined;
      return vm !== undefined && vm.migrationPercent !== null && /Migrating/.test(vm.status);
    };
    for (let i = 0; i < 40 && during?.ok && !moving(during); i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      during = (await readFleet(lab.pool, [{ name: 'HV01' }]))[0];
    }
    assert.ok(during?.ok);
    const web01 = during.inventory.vms.find((v) => v.name === 'web01');
    assert.ok(web01, 'web01 is still on HV01 while it moves');
    assert.equal(typeof web01.migrationPercent, 'number');
    assert.match(web01.status, /Migrating/);
    assert.equal(during.inventory.vms.find((v) => v.name === 'sql01')?.migrationPercent, null);
    let moved = false;
    for (let i = 0; i < 60 && !moved; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const [hv02] = await readFleet(lab.pool, [{ name: 'HV02' }]);
      moved = !!(hv02?.ok && hv02.inventory.vms.some((v) => v.name === 'web01' && v.migrationPercent === null));
    }
    assert.ok(moved, 'web01 arrived on HV02');
  });

  it('copies a migration as a script whose values stay values, whatever the VM is called', async () => {
    const hostile = `x\nNew-Item -Path ([IO.Path]::GetTempPath()) -Name pwned2 -ItemType File\n'; New-Item -Path ([IO.Path]::GetTempPath()) -Name pwned -ItemType File; '$(whoami)\`"`;
    const vm = { ...fleet.get('HV01')!.vms.find((v) => v.name === 'web01')!, name: hostile };
    const script = migrationScript(vm, fleet.get('HV02')!.host);
    const parsed = await lab.run<{ errors: number; strings: string[]; commands: string[] }>(
      'parse',
      `param($Params)
$tokens = $null; $errors = $null
$ast = [System.Management.Automation.Language.Parser]::ParseInput($Params.script, [ref]$tokens, [ref]$errors)
[pscustomobject]@{
  errors = $errors.Count
  strings = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.StringConstantExpressionAst] }, $true) | ForEach-Object Value)
  commands = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true) | ForEach-Object { $_.GetCommandName() })
}`,
      { script },
    );
    assert.equal(parsed.errors, 0);
    assert.ok(!parsed.commands.includes('New-Item') && !parsed.commands.includes('whoami'), parsed.commands.join(','));
    assert.ok(
      parsed.strings.some((s) => s.includes(hostile)),
      'the name survives as one string constant',
    );
  });
});
