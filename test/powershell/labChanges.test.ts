// What the lab's configuration cmdlets change, and what Hyper-V, AD and clustering refuse.

import * as assert from 'node:assert/strict';
import { createLab, type Lab } from '../support/labFixture';

describe('lab: changes through the cmdlets', function () {
  let lab: Lab;

  beforeEach(async function () {
    lab = await createLab({ size: 1 });
  });

  afterEach(async function () {
    await lab?.dispose();
  });

  it('Stop-VM shuts down, turns off or saves; Start-VM starts; objects piped from Get-VM work', async function () {
    const states = await lab.run<string[]>(
      'stop-start',
      `param($Params)
@(
    (Get-VM web01 -ComputerName HV01 | Stop-VM -Passthru).State
    (Get-VM web01 -ComputerName HV01).State
    (Start-VM -Name web01 -ComputerName HV01 -Passthru).State
    (Get-VM web01 -ComputerName HV01 | Stop-VM -Save -Passthru).State
    (Start-VM web01 -ComputerName HV01 -Passthru).State
    (Stop-VM web01 -ComputerName HV01 -TurnOff -Force -Passthru).State
    (Get-VMHost HV01).LabMemoryAvailable -gt 0
)`,
    );
    assert.deepEqual(states, ['Off', 'Off', 'Running', 'Saved', 'Running', 'Off', true]);
  });

  it('Set-VMProcessor refuses while the VM runs, with Hyper-V wording, and works once it is off', async function () {
    const refused = await lab.attempt(
      'compat-running',
      `param($Params)
Set-VMProcessor -VMName app02 -ComputerName HV02 -CompatibilityForMigrationEnabled $true`,
    );
    assert.ok(!refused.ok);
    assert.equal(refused.error.category, 'InvalidOperation');
    assert.match(refused.error.message, /^'app02' failed to modify device 'Processor'\. \(Virtual machine ID [0-9A-F-]{36}\)/);
    assert.match(refused.error.message, /The operation cannot be performed while the object is in its current state\./);

    const after = await lab.run<{ compat: boolean; inUse: number; hv01: number }>(
      'compat-off',
      `param($Params)
Stop-VM app02 -ComputerName HV02
Get-VM app02 -ComputerName HV02 | Set-VMProcessor -CompatibilityForMigrationEnabled $true
Start-VM app02 -ComputerName HV02
$processor = Get-VMProcessor app02 -ComputerName HV02
[pscustomobject]@{ compat = $processor.CompatibilityForMigrationEnabled; inUse = $processor.LabProcessorFeatureLevelInUse; hv01 = (Get-VMHost HV01).LabProcessorFeatureLevel }`,
    );
    assert.equal(after.compat, true);
    assert.ok(after.inUse <= after.hv01, 'with compatibility on, app02 uses no more than HV01 has');
  });

  it('Set-VMProcessor refuses a saved or paused VM too (neither is off); Suspend-VM pauses and Resume-VM resumes', async function () {
    for (const [name, make] of [
      ['saved', 'Stop-VM app02 -ComputerName HV02 -Save'],
      ['paused', 'Suspend-VM app02 -ComputerName HV02'],
    ] as const) {
      const refused = await lab.attempt(
        `compat-${name}`,
        `param($Params)
$null = Reset-HyperVLab
${make}
Set-VMProcessor -VMName app02 -ComputerName HV02 -CompatibilityForMigrationEnabled $true`,
      );
      assert.ok(!refused.ok, name);
      assert.equal(refused.error.category, 'InvalidOperation', name);
      assert.match(
        refused.error.message,
        /^'app02' failed to modify device 'Processor'\. \(Virtual machine ID [0-9A-F-]{36}\)\r\nThe operation cannot be performed while the object is in its current state\.$/,
        name,
      );
    }
    const states = await lab.run<string[]>(
      'suspend-resume',
      `param($Params)
$null = Reset-HyperVLab
@(
    (Suspend-VM app02 -ComputerName HV02 -Passthru).State
    (Get-VMProcessor app02 -ComputerName HV02).CompatibilityForMigrationEnabled
    (Get-VM app02 -ComputerName HV02 | Resume-VM -Passthru).State
    (Stop-VM app02 -ComputerName HV02 -Passthru).State
)`,
    );
    assert.deepEqual(states, ['Paused', false, 'Running', 'Off']);
    // The cmdlet checks the state itself (decompiled VirtualMachine.ChangeState): a VM in a state it cannot
    // change from gets its own InvalidState error, one already there a warning only.
    const offRefused = await lab.attempt('resume-off', 'param($Params)\nResume-VM app02 -ComputerName HV02');
    assert.ok(!offRefused.ok);
    assert.equal(offRefused.error.category, 'InvalidOperation');
    assert.equal(offRefused.error.message, 'The operation cannot be performed while the virtual machine is in its current state.');
    const already = await lab.run<{ warnings: string[]; errors: number; state: string }>(
      'resume-running',
      `param($Params)
$null = Reset-HyperVLab
$warnings = @()
Resume-VM app02 -ComputerName HV02 -ErrorVariable failed -WarningVariable warnings -WarningAction SilentlyContinue
[pscustomobject]@{ warnings = @($warnings | ForEach-Object { [string]$_ }); errors = @($failed).Count; state = [string](Get-VM app02 -ComputerName HV02).State }`,
    );
    assert.deepEqual(already, { warnings: ['The virtual machine is already in the specified state.'], errors: 0, state: 'Running' });
  });

  it('Remove-VM deletes a realized VM that is off or saved (DestroySystem: "powered off or saved"); a running one stays', async function () {
    const left = await lab.run<{ running: number; errors: number; saved: number; off: number }>(
      'remove-realized',
      `param($Params)
$null = Reset-HyperVLab
Remove-VM app02 -ComputerName HV02 -Force -ErrorAction SilentlyContinue -ErrorVariable refused
$running = @(Get-VM -ComputerName HV02 | Where-Object Name -eq app02).Count
Stop-VM app02 -ComputerName HV02 -Save
Remove-VM app02 -ComputerName HV02 -Force
Stop-VM web01 -ComputerName HV01 -TurnOff -Force
Remove-VM web01 -ComputerName HV01 -Force
[pscustomobject]@{ running = $running; errors = @($refused).Count
    saved = @(Get-VM -ComputerName HV02 | Where-Object Name -eq app02).Count; off = @(Get-VM -ComputerName HV01 | Where-Object Name -eq web01).Count }`,
    );
    assert.deepEqual(left, { running: 1, errors: 1, saved: 0, off: 0 });
  });

  it('New-VMSwitch creates the Storage switch on HV02; adapters disconnect and reconnect, piped from Get-VMNetworkAdapter', async function () {
    const result = await lab.run<{ created: string; onHv02: string[]; before: string | null; after: string | null; again: string | null }>(
      'switch',
      `param($Params)
$created = New-VMSwitch -Name Storage -NetAdapterName 'SLOT 3 Port 1' -ComputerName HV02
$adapter = Get-VMNetworkAdapter -VMName sql01 -ComputerName HV01 -Name 'Storage Adapter'
$before = $adapter.SwitchName
$after = ($adapter | Disconnect-VMNetworkAdapter -Passthru).SwitchName
$again = (Get-VMNetworkAdapter -VMName sql01 -ComputerName HV01 -Name 'Storage Adapter' | Connect-VMNetworkAdapter -SwitchName Storage -Passthru).SwitchName
[pscustomobject]@{ created = $created.ComputerName; onHv02 = @(Get-VMSwitch -ComputerName HV02 | ForEach-Object Name); before = $before; after = $after; again = $again }`,
    );
    assert.equal(result.created, 'HV02');
    assert.deepEqual(result.onHv02, ['LAN1', 'Backup', 'Storage']);
    assert.equal(result.before, 'Storage');
    assert.equal(result.after, null);
    assert.equal(result.again, 'Storage');
    const duplicate = await lab.attempt(
      'switch-twice',
      `param($Params)\nNew-VMSwitch -Name Storage -SwitchType Internal -ComputerName HV02`,
    );
    assert.ok(!duplicate.ok && /already exists/.test(duplicate.error.message));
  });

  it("Set-VMDvdDrive -Path $null ejects build01's ISO", async function () {
    const path = await lab.run<string | null>(
      'eject',
      `param($Params)
Get-VMDvdDrive build01 -ComputerName HV01 | Set-VMDvdDrive -Path $null
(Get-VMDvdDrive build01 -ComputerName HV01).Path`,
    );
    assert.equal(path, null);
  });

  it('Set-VMHost, Enable-VMMigration, Add-VMMigrationNetwork configure HV04 for migration', async function () {
    const hv04 = await lab.run<{ enabled: boolean; auth: string; anyNetwork: boolean; networks: string[]; limit: number }>(
      'configure',
      `param($Params)
Enable-VMMigration -ComputerName HV04
Set-VMHost -ComputerName HV04 -VirtualMachineMigrationAuthenticationType Kerberos -MaximumVirtualMachineMigrations 4
Add-VMMigrationNetwork 10.10.4.0/24 -ComputerName HV04
$h = Get-VMHost HV04
[pscustomobject]@{ enabled = $h.VirtualMachineMigrationEnabled; auth = $h.VirtualMachineMigrationAuthenticationType; anyNetwork = $h.UseAnyNetworkForMigration
    networks = @(Get-VMMigrationNetwork -ComputerName HV04 | ForEach-Object Subnet); limit = $h.MaximumVirtualMachineMigrations }`,
    );
    assert.deepEqual(hv04, { enabled: true, auth: 'Kerberos', anyNetwork: false, networks: ['10.10.4.0/24'], limit: 4 });
  });

  it('Set-ADObject adds and removes delegation entries; Set-ADAccountControl sets "any protocol"', async function () {
    const ad = await lab.run<{ added: string[]; removed: string[]; anyProtocol: boolean }>(
      'delegation',
      `param($Params)
$entries = @('Microsoft Virtual System Migration Service/HV03', 'Microsoft Virtual System Migration Service/HV03.contoso.lab', 'cifs/HV03', 'cifs/HV03.contoso.lab')
Get-ADComputer HV01 | Set-ADObject -Add @{ 'msDS-AllowedToDelegateTo' = $entries }
$added = @((Get-ADComputer HV01 -Properties msDS-AllowedToDelegateTo).'msDS-AllowedToDelegateTo')
Set-ADObject -Identity (Get-ADComputer HV01) -Remove @{ 'msDS-AllowedToDelegateTo' = $entries }
$removed = @((Get-ADComputer HV01 -Properties msDS-AllowedToDelegateTo).'msDS-AllowedToDelegateTo')
Set-ADAccountControl -Identity HV02 -TrustedToAuthForDelegation $true
[pscustomobject]@{ added = $added; removed = $removed; anyProtocol = (Get-ADComputer HV02 -Properties TrustedToAuthForDelegation).TrustedToAuthForDelegation }`,
    );
    assert.equal(ad.added.length, 8);
    assert.ok(ad.added.includes('cifs/HV03.contoso.lab'));
    assert.deepEqual(
      ad.removed.filter((e) => /HV03/.test(e)),
      [],
    );
    assert.equal(ad.removed.length, 4);
    assert.equal(ad.anyProtocol, true);

    const twice = await lab.attempt(
      'delegation-twice',
      `param($Params)\nSet-ADObject -Identity HV01 -Add @{ 'msDS-AllowedToDelegateTo' = 'cifs/HV02' }`,
    );
    assert.ok(!twice.ok && twice.error.message === 'The specified value already exists');
    const missing = await lab.attempt('ad-missing', `param($Params)\nGet-ADComputer -Identity HV99`);
    assert.ok(!missing.ok && /Cannot find an object with identity: 'HV99' under: 'DC=contoso,DC=lab'/.test(missing.error.message));
  });

  it('Remove-ClusterGroup takes erp01 out of CL1 (with -RemoveResources) and Add-ClusterVirtualMachineRole, run on HV05 itself, puts it back', async function () {
    const refused = await lab.attempt('remove-no-resources', `param($Params)\nRemove-ClusterGroup -Name erp01 -Cluster CL1 -Force`);
    assert.ok(!refused.ok && /contains resources/.test(refused.error.message));
    const steps = await lab.run<{ removed: boolean; groups: string[]; added: string; clustered: boolean; owner: string; from: string }>(
      'cluster-roundtrip',
      `param($Params)
Get-ClusterGroup -Name erp01 -Cluster CL1 | Remove-ClusterGroup -RemoveResources -Force
$removed = -not (Get-VM erp01 -ComputerName HV05).IsClustered
$groups = @(Get-ClusterGroup -Cluster CL1 | ForEach-Object Name)
$group = Invoke-Command -ComputerName HV05 -ScriptBlock { param($name) Add-ClusterVirtualMachineRole -VMName $name } -ArgumentList erp01
[pscustomobject]@{ removed = $removed; groups = $groups; added = $group.GroupType; clustered = (Get-VM erp01 -ComputerName HV05).IsClustered; owner = $group.OwnerNode; from = $group.PSComputerName }`,
    );
    assert.deepEqual(steps, {
      removed: true,
      groups: ['Cluster Group', 'Available Storage'],
      added: 'VirtualMachine',
      clustered: true,
      owner: 'HV05',
      from: 'HV05',
    });
  });

  it("Add-ClusterVirtualMachineRole does not run remotely: refused from the admin's machine and from another node without CredSSP, nothing added; with CredSSP it works", async function () {
    await lab.run('unclustered', `param($Params)\nRemove-ClusterGroup -Name erp01 -Cluster CL1 -RemoveResources -Force`);
    const remote = await lab.attempt(
      'add-remote',
      `param($Params)\nAdd-ClusterVirtualMachineRole -VMId (Get-VM erp01 -ComputerName HV05).Id -Cluster CL1`,
    );
    assert.ok(!remote.ok, "refused from HV01, the lab's local computer");
    assert.match(
      remote.error.message,
      /Access is denied: 'HV01' cannot configure the virtual machine 'erp01' on node 'HV05'\. This cmdlet cannot be run remotely without Credential Security Service Provider \(CredSSP\) authentication/,
    );
    const otherNode = await lab.attempt(
      'add-other-node',
      `param($Params)\nInvoke-Command -ComputerName HV06 -ScriptBlock { Add-ClusterVirtualMachineRole -VMName erp01 -Cluster CL1 }`,
    );
    assert.ok(
      !otherNode.ok && /'HV06' cannot configure the virtual machine 'erp01' on node 'HV05'/.test(otherNode.error.message),
      otherNode.ok ? '' : otherNode.error.message,
    );
    const clustered = await lab.run<boolean>('clustered', `param($Params)\n(Get-VM erp01 -ComputerName HV05).IsClustered`);
    assert.equal(clustered, false);
    const credssp = await lab.run<string>(
      'add-credssp',
      `param($Params)\n(Invoke-Command -ComputerName HV06 -Authentication Credssp -ScriptBlock { Add-ClusterVirtualMachineRole -VMName erp01 -Cluster CL1 }).OwnerNode`,
    );
    assert.equal(credssp, 'HV05', "a CredSSP session may reach the VM's node");
  });
});
