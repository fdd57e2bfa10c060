// Every situation of the default lab is reported by the cmdlet that reports it in Hyper-V, AD and
// failover clustering, through the session layer and real pwsh.

import * as assert from 'node:assert/strict';
import { createLab, type Lab } from '../support/labFixture';

interface HostFacts {
  Name: string;
  LabProcessorVendor: string;
  LabProcessorFeatureLevel: number;
  LabOsName: string;
  VirtualMachineMigrationEnabled: boolean;
  VirtualMachineMigrationAuthenticationType: string;
  MaximumVirtualMachineMigrations: number;
  FullyQualifiedDomainName: string;
  LabVolumes: { Path: string; Size: number; FreeSpace: number }[];
  LabMemoryAvailable: number;
  MemoryCapacity: number;
  LabClusterName: string | null;
}

interface VmFacts {
  Name: string;
  Id: string;
  State: string;
  Version: string;
  IsClustered: boolean;
  ComputerName: string;
  MemoryStartup: number;
  MemoryAssigned: number;
  Generation: number;
  Types: string[];
}

const GB = 1024 ** 3;

describe('lab: the default lab as Hyper-V reports it', function () {
  let lab: Lab;

  before(async function () {
    lab = await createLab();
  });

  after(async function () {
    await lab?.dispose();
  });

  it('Get-VMHost: processors, OS, migration settings, memory and disk of each host', async function () {
    const hosts = await lab.run<HostFacts[]>(
      'hosts',
      `param($Params)
@(Get-VMHost -ComputerName HV01, HV02, HV03, HV04, HV05, HV06)`,
    );
    const byName = new Map(hosts.map((h) => [h.Name, h]));
    assert.deepEqual([...byName.keys()], ['HV01', 'HV02', 'HV03', 'HV04', 'HV05', 'HV06']);
    const hv = (name: string): HostFacts => byName.get(name)!;
    assert.equal(hv('HV01').LabProcessorVendor, 'Intel');
    assert.equal(hv('HV02').LabProcessorVendor, 'Intel');
    assert.equal(hv('HV03').LabProcessorVendor, 'AMD');
    assert.equal(hv('HV04').LabProcessorVendor, 'Intel');
    assert.ok(hv('HV02').LabProcessorFeatureLevel > hv('HV01').LabProcessorFeatureLevel, 'HV02 newest');
    assert.ok(hv('HV01').LabProcessorFeatureLevel > hv('HV04').LabProcessorFeatureLevel, 'HV01 mid, HV04 oldest');
    assert.match(hv('HV04').LabOsName, /2019/);
    assert.equal(hv('HV04').VirtualMachineMigrationEnabled, false);
    assert.equal(hv('HV04').VirtualMachineMigrationAuthenticationType, 'CredSSP');
    for (const name of ['HV01', 'HV02', 'HV03', 'HV05', 'HV06']) {
      assert.equal(hv(name).VirtualMachineMigrationEnabled, true, name);
      assert.equal(hv(name).VirtualMachineMigrationAuthenticationType, 'Kerberos', name);
      assert.equal(hv(name).MaximumVirtualMachineMigrations, 2, name);
    }
    assert.equal(
      hv('HV01').FullyQualifiedDomainName,
      'contoso.lab',
      'VMHost.FullyQualifiedDomainName is the domain (Win32_ComputerSystem.Domain)',
    );
    const freeD = (name: string): number => hv(name).LabVolumes.find((v) => v.Path === 'D:\\')!.FreeSpace;
    assert.ok(freeD('HV04') < 100 * GB, `HV04 has little free disk: ${freeD('HV04') / GB} GB`);
    assert.ok(freeD('HV02') > 1000 * GB);
    assert.ok(hv('HV01').LabMemoryAvailable < hv('HV01').MemoryCapacity - 34 * GB, 'running VMs use HV01 memory');
    assert.equal(hv('HV05').LabClusterName, 'CL1');
    assert.equal(hv('HV01').LabClusterName, null);
  });

  it('Get-VMHostSupportedVersion: HV04 (Windows Server 2019) goes up to 9.0, the others to 10.0', async function () {
    const versions = await lab.run<{ ComputerName: string; Version: { Major: number; Minor: number }; IsDefault: boolean }[]>(
      'versions',
      `param($Params)
@(Get-VMHostSupportedVersion -ComputerName HV01, HV04)`,
    );
    const top = (name: string): string =>
      versions
        .filter((v) => v.ComputerName === name)
        .map((v) => v.Version.Major * 10 + v.Version.Minor)
        .reduce((a, b) => Math.max(a, b), 0)
        .toString();
    assert.equal(top('HV04'), '90');
    assert.equal(top('HV01'), '100');
    assert.ok(versions.some((v) => v.ComputerName === 'HV04' && v.IsDefault && v.Version.Major === 9));
  });

  it('Get-VMSwitch: HV01 LAN1+Storage, HV02 LAN1+Backup, HV03 LAN-Prod, the others LAN1', async function () {
    const switches = await lab.run<{ Name: string; ComputerName: string; SwitchType: string }[]>(
      'switches',
      `param($Params)
@(Get-VMSwitch -ComputerName HV01, HV02, HV03, HV04, HV05, HV06)`,
    );
    const on = (name: string): string[] => switches.filter((s) => s.ComputerName === name).map((s) => s.Name);
    assert.deepEqual(on('HV01'), ['LAN1', 'Storage']);
    assert.deepEqual(on('HV02'), ['LAN1', 'Backup']);
    assert.deepEqual(on('HV03'), ['LAN-Prod']);
    for (const name of ['HV04', 'HV05', 'HV06']) assert.deepEqual(on(name), ['LAN1'], name);
    assert.ok(switches.every((s) => s.SwitchType === 'External'));
  });

  it('Get-VM: the VMs, their states, versions and clustering, with the real type names', async function () {
    const vms = await lab.run<VmFacts[]>(
      'vms',
      `param($Params)
@(Get-VM -ComputerName HV01, HV02, HV03, HV04, HV05, HV06 | ForEach-Object {
    [pscustomobject]@{ Name = $_.Name; Id = $_.Id; State = $_.State; Version = $_.Version; IsClustered = $_.IsClustered
        ComputerName = $_.ComputerName; MemoryStartup = $_.MemoryStartup; MemoryAssigned = $_.MemoryAssigned
        Generation = $_.Generation; Types = @($_.PSObject.TypeNames) }
})`,
    );
    const where = Object.fromEntries(vms.map((vm) => [vm.Name, vm]));
    assert.deepEqual(
      vms.map((vm) => `${vm.ComputerName}/${vm.Name}`),
      ['HV01/web01', 'HV01/sql01', 'HV01/build01', 'HV02/app02', 'HV04/legacy04', 'HV04/dc04', 'HV05/erp01', 'HV06/vault06'],
    );
    assert.equal(where.web01.State, 'Running');
    assert.ok(where.web01.MemoryStartup <= 4 * GB, 'web01 is small');
    assert.equal(where.web01.MemoryAssigned, where.web01.MemoryStartup);
    assert.equal(where.build01.State, 'Off');
    assert.equal(where.build01.MemoryAssigned, 0);
    assert.equal(where.legacy04.Version, '8.0');
    assert.equal(where.legacy04.State, 'Running');
    assert.equal(where.erp01.IsClustered, true);
    assert.ok(vms.filter((vm) => vm.Name !== 'erp01').every((vm) => !vm.IsClustered));
    assert.equal(where.web01.Types[0], 'Microsoft.HyperV.PowerShell.VirtualMachine');
    assert.match(where.web01.Id, /^[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  it('Get-VMNetworkAdapter: web01 on LAN1; sql01 on LAN1 and Storage', async function () {
    const adapters = await lab.run<{ VMName: string; SwitchName: string; Types: string[] }[]>(
      'adapters',
      `param($Params)
@(Get-VM web01, sql01 -ComputerName HV01 | Get-VMNetworkAdapter | ForEach-Object {
    [pscustomobject]@{ VMName = $_.VMName; SwitchName = $_.SwitchName; Types = @($_.PSObject.TypeNames) } })`,
    );
    assert.deepEqual(
      adapters.map((a) => `${a.VMName}:${a.SwitchName}`),
      ['web01:LAN1', 'sql01:LAN1', 'sql01:Storage'],
    );
    assert.equal(adapters[0].Types[0], 'Microsoft.HyperV.PowerShell.VMNetworkAdapter');
  });

  it('Get-VMHardDiskDrive and Get-VHD: sql01 has two large disks, dc04 a pass-through disk', async function () {
    const disks = await lab.run<{
      sql: { Path: string; FileSize: number; Size: number }[];
      dc: { Path: string; DiskNumber: number | null }[];
    }>(
      'disks',
      `param($Params)
[pscustomobject]@{
    sql = @(Get-VMHardDiskDrive -VMName sql01 -ComputerName HV01 | Get-VHD -ComputerName HV01 | Select-Object Path, FileSize, Size)
    dc = @(Get-VMHardDiskDrive -VMName dc04 -ComputerName HV04 | Select-Object Path, DiskNumber)
}`,
    );
    assert.equal(disks.sql.length, 2);
    assert.ok(disks.sql.every((d) => d.FileSize >= 200 * GB && d.Size >= d.FileSize));
    assert.deepEqual(
      disks.dc.map((d) => d.DiskNumber),
      [null, 2],
    );
  });

  it('Get-VMDvdDrive: build01 has an ISO attached; the others none', async function () {
    const dvds = await lab.run<{ VMName: string; Path: string | null; DvdMediaType: string }[]>(
      'dvds',
      `param($Params)
@(Get-VM -ComputerName HV01 | Get-VMDvdDrive | Select-Object VMName, Path, DvdMediaType)`,
    );
    const build = dvds.find((d) => d.VMName === 'build01')!;
    assert.match(build.Path!, /\.iso$/);
    assert.equal(build.DvdMediaType, 'ISO');
    assert.ok(dvds.filter((d) => d.VMName !== 'build01').every((d) => d.Path === null && d.DvdMediaType === 'None'));
  });

  it('Get-VMProcessor: app02 runs with compatibility off on the newest features; Get-VMSecurity: vault06 has a vTPM', async function () {
    const facts = await lab.run<{
      app: { CompatibilityForMigrationEnabled: boolean; LabProcessorFeatureLevelInUse: number };
      hv02: number;
      tpm: boolean[];
    }>(
      'processor',
      `param($Params)
[pscustomobject]@{
    app = Get-VMProcessor app02 -ComputerName HV02 | Select-Object CompatibilityForMigrationEnabled, LabProcessorFeatureLevelInUse
    hv02 = (Get-VMHost HV02).LabProcessorFeatureLevel
    tpm = @((Get-VMSecurity vault06 -ComputerName HV06).TpmEnabled, (Get-VMSecurity web01 -ComputerName HV01).TpmEnabled)
}`,
    );
    assert.equal(facts.app.CompatibilityForMigrationEnabled, false);
    assert.equal(facts.app.LabProcessorFeatureLevelInUse, facts.hv02);
    assert.deepEqual(facts.tpm, [true, false]);
  });

  it('Get-VMMigrationNetwork: HV01 has its migration network; HV04 none', async function () {
    const networks = await lab.run<{ Subnet: string; ComputerName: string }[]>(
      'networks',
      `param($Params)
@(Get-VMMigrationNetwork -ComputerName HV01, HV04)`,
    );
    assert.deepEqual(
      networks.map((n) => `${n.ComputerName}:${n.Subnet}`),
      ['HV01:10.10.1.0/24'],
    );
  });

  it('Get-ADComputer: the delegation of each host, with "any protocol"', async function () {
    const computers = await lab.run<
      {
        Name: string;
        'msDS-AllowedToDelegateTo': string[];
        TrustedToAuthForDelegation: boolean;
        DNSHostName: string;
        DistinguishedName: string;
      }[]
    >(
      'ad',
      `param($Params)
@('HV01', 'HV02', 'HV03', 'HV05', 'HV06' | Get-ADComputer -Properties msDS-AllowedToDelegateTo, TrustedToAuthForDelegation)`,
    );
    const ad = Object.fromEntries(computers.map((c) => [c.Name, c]));
    const full = (to: string): string[] => [
      `Microsoft Virtual System Migration Service/${to}`,
      `Microsoft Virtual System Migration Service/${to}.contoso.lab`,
      `cifs/${to}`,
      `cifs/${to}.contoso.lab`,
    ];
    const has = (from: string, to: string): boolean => full(to).every((entry) => ad[from]['msDS-AllowedToDelegateTo'].includes(entry));
    assert.ok(has('HV01', 'HV02') && has('HV02', 'HV01'), 'HV01 <-> HV02 entries');
    assert.ok(!ad.HV01['msDS-AllowedToDelegateTo'].some((e) => /HV03/.test(e)), 'HV01 -> HV03 missing');
    assert.ok(has('HV02', 'HV03'), 'HV02 -> HV03 entries present');
    assert.equal(ad.HV01.TrustedToAuthForDelegation, true);
    assert.equal(ad.HV02.TrustedToAuthForDelegation, false, 'HV02 without "any protocol"');
    assert.ok(has('HV05', 'HV01') && has('HV06', 'HV01'), 'CL1 nodes -> HV01');
    assert.ok(ad.HV05.TrustedToAuthForDelegation && ad.HV06.TrustedToAuthForDelegation);
    assert.deepEqual(ad.HV03['msDS-AllowedToDelegateTo'], []);
    assert.equal(ad.HV01.DNSHostName, 'HV01.contoso.lab');
    assert.equal(ad.HV01.DistinguishedName, 'CN=HV01,OU=Hyper-V Hosts,DC=contoso,DC=lab');
  });

  it('Get-Cluster, Get-ClusterNode, Get-ClusterGroup: CL1 of HV05 and HV06, with erp01 as a VM role', async function () {
    const cluster = await lab.run<{
      name: string;
      nodes: string[];
      groups: { Name: string; GroupType: string; OwnerNode: string; State: string }[];
    }>(
      'cluster',
      `param($Params)
[pscustomobject]@{
    name = (Get-Cluster -Name HV05).Name
    nodes = @(Get-ClusterNode -Cluster CL1 | ForEach-Object Name)
    groups = @(Get-ClusterGroup -Cluster CL1 | Select-Object Name, GroupType, OwnerNode, State)
}`,
    );
    assert.equal(cluster.name, 'CL1');
    assert.deepEqual(cluster.nodes, ['HV05', 'HV06']);
    const vmGroups = cluster.groups.filter((g) => g.GroupType === 'VirtualMachine');
    assert.deepEqual(vmGroups, [{ Name: 'erp01', GroupType: 'VirtualMachine', OwnerNode: 'HV05', State: 'Online' }]);
  });

  it('Get-VMSnapshot: build01 has its checkpoint', async function () {
    const snapshots = await lab.run<{ Name: string; VMName: string; SnapshotType: string }[]>(
      'snapshots',
      `param($Params)
@(Get-VM -ComputerName HV01 | Get-VMSnapshot | Select-Object Name, VMName, SnapshotType)`,
    );
    assert.deepEqual(snapshots, [{ Name: 'clean install', VMName: 'build01', SnapshotType: 'Standard' }]);
  });

  it('names that are not in the lab fail as Hyper-V does', async function () {
    const vm = await lab.attempt('missing-vm', `param($Params)\nGet-VM -Name nosuch -ComputerName HV01`);
    assert.equal(vm.ok, false);
    assert.ok(!vm.ok && vm.error.message === 'Hyper-V was unable to find a virtual machine with name "nosuch".');
    const host = await lab.attempt('missing-host', `param($Params)\nGet-VM -ComputerName HV99`);
    assert.ok(!host.ok);
    assert.equal(host.error.kind, 'hostUnreachable');
    assert.match(host.error.message, /The computer 'HV99' could not be resolved/);
  });
});
