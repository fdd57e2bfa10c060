// The preflight engine on the default lab, through the session layer and real pwsh: every situation the
// lab was built with yields its findings (ours merged with Compare-VM's), in two round trips per host.
import * as assert from 'node:assert/strict';
import { createPreflightEngine } from '../../src/migration/preflight';
import type { Finding, MigrationRequest, PreflightEngine, PreflightResult } from '../../src/migration/types';
import { createLab, type Lab } from '../support/labFixture';

interface VmRow {
  id: string;
  name: string;
  host: string;
  adapters: { id: string; switchName: string | null }[];
}

describe('preflight engine on the default lab', function () {
  this.timeout(120_000);
  let lab: Lab;
  let engine: PreflightEngine;
  let vms: Map<string, VmRow>;

  const request = (name: string, destination: string, storagePath?: string): MigrationRequest => {
    const vm = vms.get(name);
    assert.ok(vm, `no VM ${name} in the lab`);
    return { vmId: vm.id, vmName: vm.name, source: vm.host, destination, ...(storagePath && { storagePath }) };
  };
  const check = (name: string, destination: string): Promise<PreflightResult> => engine.check(request(name, destination));
  const ids = (result: PreflightResult): string[] => result.findings.map((f) => f.id);
  const blockers = (result: PreflightResult): string[] => result.findings.filter((f) => f.severity === 'blocker').map((f) => f.id);
  const find = (result: PreflightResult, id: string): Finding => {
    const finding = result.findings.find((f) => f.id === id);
    assert.ok(finding, `${id} not among ${ids(result).join(', ')}`);
    return finding;
  };

  const ADMIN = { userName: 'CONTOSO\\admin', password: 'not logged' };

  before(async function () {
    lab = await createLab();
    // The admin's stored credential, which the source hands on to the destination (-DestinationCredential):
    // what a check run from a workstation needs for the report flow's second hop (README, Requirements).
    engine = createPreflightEngine(lab.pool, { credentialFor: () => ADMIN });
    const rows = await lab.run<VmRow[]>(
      'vms',
      `param($Params)
@(Get-VM -ComputerName (Get-HyperVLabHost | ForEach-Object Name) | ForEach-Object {
  [pscustomobject]@{ id = [string]$_.Id; name = $_.Name; host = $_.ComputerName
    adapters = @($_.NetworkAdapters | ForEach-Object { [pscustomobject]@{ id = [string]$_.Id; switchName = $_.SwitchName } }) }
})`,
    );
    vms = new Map(rows.map((row) => [row.name, row]));
  });

  after(async function () {
    await lab?.dispose();
  });

  it('web01 -> HV02 is clean: ready, no finding, one round trip per host, the default storage path', async function () {
    const result = await check('web01', 'HV02');
    assert.deepEqual(result.findings, []);
    assert.equal(result.ready, true);
    assert.deepEqual(result.roundTrips, { HV01: 1, HV02: 1 });
    assert.equal(result.storagePath, 'D:\\Hyper-V\\web01');
    assert.ok(!Number.isNaN(Date.parse(result.checkedAt)));
  });

  it('web01 -> HV03: processor vendor and switch LAN1 (each merged with Compare-VM) and the missing delegation', async function () {
    const result = await check('web01', 'HV03');
    const adapter = vms.get('web01')!.adapters[0];
    assert.deepEqual(
      blockers(result).sort(),
      ['authentication.delegation', `network.switch-missing:${adapter.id}`, 'processor.vendor'].sort(),
    );
    assert.equal(result.ready, false);

    const vendor = find(result, 'processor.vendor');
    assert.equal(vendor.compareVm?.messageId, 24006);
    assert.match(vendor.title, /Intel on HV01, AMD on HV03/);
    assert.ok(
      vendor.evidence.some((e) => /Win32_Processor on HV03/.test(e.source) && /AuthenticAMD/.test(e.detail)),
      'our own reading',
    );
    assert.ok(
      vendor.evidence.some((e) => /^Compare-VM/.test(e.source)),
      "and Compare-VM's",
    );
    assert.deepEqual(vendor.fixes, []);

    const network = find(result, `network.switch-missing:${adapter.id}`);
    assert.equal(network.compareVm?.messageId, 33012);
    assert.equal(network.compareVm?.message, "Could not find Ethernet switch 'LAN1'.");
    assert.deepEqual(
      network.fixes.map((f) => f.id),
      ['map-switch', 'create-switch', 'disconnect-adapter'],
    );
    assert.deepEqual(network.fixes[0].choices?.[0]?.options, ['LAN-Prod']);
    assert.equal(network.fixes[0].appliesTo, 'plan');
    assert.equal(network.fixes[2].destructive, true);
    assert.match(network.fixes[2].description, /guest loses/);

    const delegation = find(result, 'authentication.delegation');
    const addDelegation = delegation.fixes[0];
    assert.deepEqual(addDelegation?.id === 'add-delegation' ? addDelegation.args.entries : undefined, [
      'Microsoft Virtual System Migration Service/HV03',
      'Microsoft Virtual System Migration Service/HV03.contoso.lab',
      'cifs/HV03',
      'cifs/HV03.contoso.lab',
    ]);
    assert.equal(delegation.fixes[0]?.appliesTo, 'ad');
    assert.equal(delegation.fixes[0]?.destructive, true);
    assert.match(delegation.fixes[0].description, /replicat.*klist purge -li 0x3e7/);
  });

  it('sql01 -> HV02: only the Storage switch, with the destination switches to choose from', async function () {
    const result = await check('sql01', 'HV02');
    const storage = vms.get('sql01')!.adapters.find((a) => a.switchName === 'Storage')!;
    assert.deepEqual(ids(result), [`network.switch-missing:${storage.id}`]);
    const finding = result.findings[0];
    assert.equal(finding.title, "Switch 'Storage' does not exist on HV02");
    assert.deepEqual(finding.fixes[0]?.choices?.[0]?.options, ['LAN1', 'Backup']);
    assert.deepEqual(
      finding.fixes[1]?.choices?.[0]?.options,
      ['Private', 'Internal'],
      'no physical adapter is known in the lab: no External',
    );
  });

  it('sql01 -> HV02 with the adapter mapped (or disconnected) in the plan is ready: the plan is applied on the report', async function () {
    const req = request('sql01', 'HV02');
    const storage = vms.get('sql01')!.adapters.find((a) => a.switchName === 'Storage')!;
    const mapped = await engine.check(req, { plan: { request: req, adapterSwitches: { [storage.id]: 'LAN1' }, ejectDvd: [] } });
    assert.deepEqual(mapped.findings, []);
    assert.equal(mapped.ready, true);
    const disconnected = await engine.check(req, { plan: { request: req, adapterSwitches: { [storage.id]: null }, ejectDvd: [] } });
    assert.equal(disconnected.ready, true);
    const wrong = await engine.check(req, { plan: { request: req, adapterSwitches: { [storage.id]: 'LAN-Prod' }, ejectDvd: [] } });
    assert.equal(find(wrong, `network.switch-missing:${storage.id}`).title, "Planned switch 'LAN-Prod' does not exist on HV02");
  });

  it("app02 -> HV01: processor features (Compare-VM's word, our evidence) and HV02's Kerberos-only delegation", async function () {
    const result = await check('app02', 'HV01');
    assert.deepEqual(ids(result), ['authentication.any-protocol', 'processor.features']);
    const features = find(result, 'processor.features');
    assert.equal(features.compareVm?.messageId, 24008);
    assert.ok(features.evidence.some((e) => e.detail === 'CompatibilityForMigrationEnabled: false'));
    assert.equal(features.fixes[0]?.id, 'enable-compatibility');
    assert.equal(features.fixes[0]?.destructive, true);
    assert.match(features.fixes[0].description, /Downtime/);
    const anyProtocol = find(result, 'authentication.any-protocol');
    assert.match(anyProtocol.cause, /0x8009030E/);
    assert.equal(anyProtocol.fixes[0]?.id, 'allow-any-protocol');
  });

  it('build01 (off): the ISO on local storage, ejectable now or on the move', async function () {
    const result = await check('build01', 'HV02');
    assert.deepEqual(ids(result), ['devices.iso:SCSI 0:1']);
    const iso = result.findings[0];
    assert.equal(iso.compareVm?.messageId, 20820);
    assert.deepEqual(
      iso.fixes.map((f) => [f.id, f.appliesTo]),
      [
        ['eject-iso', 'vm'],
        ['eject-iso-on-move', 'plan'],
      ],
    );
  });

  it('legacy04 -> HV01: migration off and no network on HV04, CredSSP, no delegation (nor "any protocol")', async function () {
    const result = await check('legacy04', 'HV01');
    assert.deepEqual(ids(result), ['migration.disabled:HV04', 'migration.no-network:HV04', 'authentication.credssp']);
    assert.equal(find(result, 'migration.disabled:HV04').compareVm?.messageId, 21024);
    const credssp = find(result, 'authentication.credssp');
    assert.equal(credssp.severity, 'warning', 'the move starts in a PowerShell session on HV04, which counts as signed in');
    assert.match(credssp.cause, /PowerShell session on HV04/);
    const useKerberos = credssp.fixes[0];
    assert.deepEqual(useKerberos?.id === 'use-kerberos' ? useKerberos.args.hosts : undefined, ['HV04']);
    assert.deepEqual(
      find(result, 'migration.no-network:HV04').fixes.map((f) => f.id),
      ['use-any-network', 'add-migration-network'],
    );
  });

  it('web01 -> HV04: a configuration version HV04 does not support (and its other gaps)', async function () {
    const result = await check('web01', 'HV04');
    const version = find(result, 'version.unsupported');
    assert.equal(version.compareVm?.messageId, 14420);
    assert.ok(version.evidence.some((e) => /Get-VMHostSupportedVersion -ComputerName HV04/.test(e.source) && !e.detail.includes('10.0')));
    assert.deepEqual(version.fixes, []);
    for (const id of ['processor.features', 'migration.disabled:HV04', 'authentication.delegation']) find(result, id);
  });

  it('dc04: the pass-through disk blocks, without a fix', async function () {
    const result = await check('dc04', 'HV01');
    const disk = find(result, 'devices.pass-through:SCSI 0:1');
    assert.equal(disk.severity, 'blocker');
    assert.equal(disk.compareVm?.messageId, 20822);
    assert.match(disk.title, /physical disk 2 of HV04/);
  });

  it('vault06 -> HV05: the vTPM key protector HV05 cannot unwrap (Compare-VM raises our warning to a blocker)', async function () {
    const result = await check('vault06', 'HV05');
    assert.deepEqual(ids(result), ['devices.vtpm']);
    const vtpm = result.findings[0];
    assert.equal(vtpm.severity, 'blocker');
    assert.equal(vtpm.compareVm?.messageId, 20830);
    assert.ok(vtpm.evidence.some((e) => e.detail.startsWith('TpmEnabled: true')));
  });

  it('erp01 -> HV01: a cluster role, for the HA workflow', async function () {
    const result = await check('erp01', 'HV01');
    assert.deepEqual(blockers(result), ['cluster.role']);
    const cluster = result.findings[0];
    assert.equal(cluster.compareVm?.messageId, 5016);
    assert.match(cluster.title, /cluster CL1/);
    assert.match(cluster.cause, /HA workflow/);
  });

  it('without a credential to hand on, the second hop from the source is refused: the check says to store one', async function () {
    const withoutCredential = createPreflightEngine(lab.pool);
    const result = await withoutCredential.check(request('app02', 'HV03'));
    const hop = find(result, 'authentication.second-hop');
    assert.equal(hop.severity, 'blocker');
    assert.match(hop.cause, /-DestinationCredential/);
    assert.match(hop.evidence[0]?.detail ?? '', /required permission .*'HV03'/);
    assert.equal(result.ready, false);
    // Run on the source itself (the lab's sessions run "on" HV01), the check makes no second hop.
    const local = await withoutCredential.check(request('sql01', 'HV02'));
    assert.ok(
      !local.findings.some((f) => f.id === 'authentication.second-hop' || f.id === 'other.compare-vm-failed'),
      ids(local).join(', '),
    );
    const credssp = await withoutCredential.check(request('legacy04', 'HV01'));
    find(credssp, 'authentication.second-hop');
  });

  it('an unreachable destination is a finding with its error, and the source is still checked', async function () {
    await lab.run('fault', 'param($Params)\nSet-HyperVLabFault -ComputerName HV03 -Unreachable');
    try {
      const result = await check('legacy04', 'HV03');
      const unreachable = find(result, 'hosts.unreachable:HV03');
      assert.equal(unreachable.severity, 'blocker');
      assert.match(unreachable.evidence[0].detail, /WinRM cannot complete the operation/);
      assert.ok(ids(result).includes('migration.disabled:HV04'), 'the source side was read');
      assert.ok(!ids(result).includes('other.compare-vm-failed'), 'the failed Compare-VM is explained by the unreachable host');
      assert.deepEqual(result.roundTrips, { HV04: 1, HV03: 1 });
    } finally {
      await lab.run('clear', 'param($Params)\nSet-HyperVLabFault -ComputerName HV03 -Clear');
    }
  });

  it('running migrations at the limit are a warning that the move will wait; the moving VM itself is blocked', async function () {
    await lab.run(
      'slow-move',
      `param($Params)
Set-HyperVLabTimeScale -TimeScale 0.01
Set-VMHost -ComputerName HV01 -MaximumVirtualMachineMigrations 1
$null = Move-VM -Name web01 -ComputerName HV01 -DestinationHost HV02 -IncludeStorage -DestinationStoragePath 'D:\\Hyper-V\\web01' -AsJob
$deadline = [DateTime]::UtcNow.AddSeconds(20)
while (-not @(Get-CimInstance -Namespace root\\virtualization\\v2 -ClassName Msvm_MigrationJob -ComputerName HV01 -Filter 'JobState=4').Count -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }`,
    );
    try {
      const sql01 = await check('sql01', 'HV02');
      const limit = find(sql01, 'migration.concurrency:HV01');
      assert.equal(limit.severity, 'warning');
      assert.match(limit.title, /HV01 already runs 1 live migrations \(its limit is 1\)/);
      assert.match(limit.cause, /wait/);
      const web01 = await check('web01', 'HV02');
      assert.equal(find(web01, 'migration.already-moving').severity, 'blocker');
    } finally {
      await lab.run(
        'stop-move',
        `param($Params)
foreach ($job in @(Get-CimInstance -Namespace root\\virtualization\\v2 -ClassName Msvm_MigrationJob -ComputerName HV01 -Filter 'JobState=4')) { $null = Invoke-CimMethod -InputObject $job -MethodName RequestStateChange -Arguments @{ RequestedState = 4 } }
Set-VMHost -ComputerName HV01 -MaximumVirtualMachineMigrations 2
Set-HyperVLabTimeScale -TimeScale 10`,
      );
    }
  });
});
