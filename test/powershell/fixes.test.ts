// Each fix the engine offers, applied on the default lab through the session layer and real pwsh, then the
// check made again: the finding is gone. Previews are parsed by PowerShell's own parser, hostile names
// included. Every test starts from a fresh default lab.
import * as assert from 'node:assert/strict';
import { createFixer } from '../../src/migration/fixes';
import { createPreflightEngine } from '../../src/migration/preflight';
import type { Fixer, MigrationRequest, MovePlan, PreflightEngine, PreflightResult } from '../../src/migration/types';
import { createLab, type Lab } from '../support/labFixture';

interface VmRow {
  id: string;
  name: string;
  host: string;
  state: string;
}

const HOSTILE = `x'; New-Item -Path ([IO.Path]::GetTempPath()) -Name pwned -ItemType File; '$(whoami)\`"\nWrite-Host owned *[a]`;

describe('fixes on the default lab', function () {
  this.timeout(120_000);
  let lab: Lab;
  let engine: PreflightEngine;
  let fixer: Fixer;

  const vm = async (name: string): Promise<VmRow> => {
    const rows = await lab.run<VmRow[]>(
      'vm',
      `param($Params)
@(Get-VM -ComputerName (Get-HyperVLabHost | ForEach-Object Name) | Where-Object { $_.Name -eq $Params.name } | ForEach-Object {
  [pscustomobject]@{ id = [string]$_.Id; name = $_.Name; host = $_.ComputerName; state = [string]$_.State } })`,
      { name },
    );
    assert.equal(rows.length, 1, `one VM named ${name}`);
    return rows[0];
  };
  const request = async (name: string, destination: string): Promise<MigrationRequest> => {
    const row = await vm(name);
    return { vmId: row.id, vmName: row.name, source: row.host, destination };
  };

  /** Applies a fix of a finding of the check, then checks again (with the plan the fix returned). */
  const fix = async (
    result: PreflightResult,
    findingId: string,
    fixId: string,
    choices?: Record<string, string>,
    plan?: MovePlan,
  ): Promise<{ after: PreflightResult; plan?: MovePlan; message: string }> => {
    const finding = result.findings.find((f) => f.id === findingId || f.id.startsWith(findingId));
    assert.ok(finding, `${findingId} not among ${result.findings.map((f) => f.id).join(', ')}`);
    const outcome = await fixer.apply(result.request, { finding, fixId, choices }, plan);
    assert.ok(outcome.ok, outcome.ok ? '' : `${outcome.error.kind}: ${outcome.error.message}`);
    const after = await engine.check(result.request, { plan: outcome.plan ?? plan });
    assert.ok(
      !after.findings.some((f) => f.id === finding.id),
      `${finding.id} is still there: ${JSON.stringify(after.findings.find((f) => f.id === finding.id))}`,
    );
    return { after, plan: outcome.plan ?? plan, message: outcome.message };
  };

  before(async function () {
    lab = await createLab();
    // The admin's stored credential, handed on by the source to the destination (README, Requirements).
    engine = createPreflightEngine(lab.pool, { credentialFor: () => ({ userName: 'CONTOSO\\admin', password: 'not logged' }) });
    fixer = createFixer(lab.pool);
  });

  beforeEach(async function () {
    await lab.run('reset', 'param($Params)\n$null = Reset-HyperVLab');
  });

  after(async function () {
    await lab?.dispose();
  });

  it('maps the missing switch in the plan: sql01 -> HV02 is ready, the VM itself unchanged', async function () {
    const req = await request('sql01', 'HV02');
    const { after, plan, message } = await fix(await engine.check(req), 'network.switch-missing:', 'map-switch', { switch: 'Backup' });
    assert.equal(after.ready, true);
    assert.deepEqual(Object.values(plan!.adapterSwitches), ['Backup']);
    assert.match(message, /'Backup'/);
    const live = await lab.run<string[]>(
      'switches',
      'param($Params)\n@(Get-VMNetworkAdapter -VMName sql01 -ComputerName HV01 | ForEach-Object SwitchName)',
    );
    assert.deepEqual(live, ['LAN1', 'Storage']);
  });

  it('disconnects the adapter in the plan: ready, with a warning that the guest loses the network', async function () {
    const req = await request('sql01', 'HV02');
    const before = await engine.check(req);
    assert.equal(before.findings[0]?.fixes.find((f) => f.id === 'disconnect-adapter')?.destructive, true);
    const { after, plan } = await fix(before, 'network.switch-missing:', 'disconnect-adapter');
    assert.equal(after.ready, true);
    assert.deepEqual(Object.values(plan!.adapterSwitches), [null]);
  });

  it('creates the missing switch on the destination, of the chosen type', async function () {
    const req = await request('sql01', 'HV02');
    const { after } = await fix(await engine.check(req), 'network.switch-missing:', 'create-switch', { switchType: 'Internal' });
    assert.equal(after.ready, true);
    const type = await lab.run<string>('switch', 'param($Params)\n[string](Get-VMSwitch -ComputerName HV02 -Name Storage).SwitchType');
    assert.equal(type, 'Internal');
  });

  it('refuses a choice that was not offered, without running anything', async function () {
    const req = await request('sql01', 'HV02');
    const result = await engine.check(req);
    const outcome = await fixer.apply(
      req,
      { finding: result.findings[0], fixId: 'create-switch', choices: { switchType: 'External' } },
      undefined,
    );
    assert.equal(outcome.ok, false);
    if (!outcome.ok) assert.match(outcome.error.message, /Pick one of Private, Internal/);
  });

  it('turns on processor compatibility (shut down, set, started again): app02 -> HV01 loses its processor finding', async function () {
    const req = await request('app02', 'HV01');
    const { after } = await fix(await engine.check(req), 'processor.features', 'enable-compatibility');
    assert.deepEqual(
      after.findings.map((f) => f.id),
      ['authentication.any-protocol'],
      'only the delegation is left',
    );
    const state = await lab.run<{ state: string; compatible: boolean }>(
      'app02',
      'param($Params)\n$vm = Get-VM -Name app02 -ComputerName HV02\n[pscustomobject]@{ state = [string]$vm.State; compatible = (Get-VMProcessor -VM $vm).CompatibilityForMigrationEnabled }',
    );
    assert.deepEqual(state, { state: 'Running', compatible: true });
  });

  for (const [state, make, first] of [
    ['Saved', 'Stop-VM app02 -ComputerName HV02 -Save', 'started from its saved state'],
    ['Paused', 'Suspend-VM app02 -ComputerName HV02', 'resumed'],
  ] as const) {
    it(`turns on processor compatibility for a ${state.toLowerCase()} VM (${first}, shut down, set, started again): it ends running`, async function () {
      await lab.run(`make-${state}`, `param($Params)\n${make}`);
      const req = await request('app02', 'HV01');
      assert.equal((await vm('app02')).state, state);
      const before = await engine.check(req);
      const option = before.findings.find((f) => f.id === 'processor.features')?.fixes.find((f) => f.id === 'enable-compatibility');
      assert.ok(option, before.findings.map((f) => f.id).join(', '));
      const { message } = await fix(before, 'processor.features', 'enable-compatibility');
      assert.match(message, /it is running/);
      assert.equal(option.destructive, true);
      assert.match(option.description, /It ends running/);
      const after = await lab.run<{ state: string; compatible: boolean }>(
        'app02',
        'param($Params)\n$vm = Get-VM -Name app02 -ComputerName HV02\n[pscustomobject]@{ state = [string]$vm.State; compatible = (Get-VMProcessor -VM $vm).CompatibilityForMigrationEnabled }',
      );
      assert.deepEqual(after, { state: 'Running', compatible: true });
    });
  }

  it("lets HV02's account delegate with any protocol: app02 -> HV01 loses that finding", async function () {
    const req = await request('app02', 'HV01');
    const { message } = await fix(await engine.check(req), 'authentication.any-protocol', 'allow-any-protocol');
    assert.match(message, /klist purge -li 0x3e7/);
  });

  it('ejects the ISO now (build01 -> HV02 is ready), or only on the move (the VM keeps it)', async function () {
    const req = await request('build01', 'HV02');
    const now = await fix(await engine.check(req), 'devices.iso:SCSI 0:1', 'eject-iso');
    assert.equal(now.after.ready, true);
    await lab.run('reset', 'param($Params)\n$null = Reset-HyperVLab');
    const onMove = await fix(await engine.check(req), 'devices.iso:SCSI 0:1', 'eject-iso-on-move');
    assert.equal(onMove.after.ready, true);
    assert.deepEqual(onMove.plan?.ejectDvd, ['SCSI 0:1']);
    const iso = await lab.run<string>('iso', 'param($Params)\n[string](Get-VMDvdDrive -VMName build01 -ComputerName HV01).Path');
    assert.match(iso, /\.iso$/);
  });

  it('legacy04 -> HV01 becomes ready fix by fix: migration, its network, Kerberos, delegation', async function () {
    const req = await request('legacy04', 'HV01');
    let result = await engine.check(req);
    result = (await fix(result, 'migration.disabled:HV04', 'enable-migration')).after;
    result = (await fix(result, 'migration.no-network:HV04', 'add-migration-network', { subnet: '10.10.1.0/24' })).after;
    result = (await fix(result, 'authentication.credssp', 'use-kerberos')).after;
    const delegation = result.findings.find((f) => f.id === 'authentication.delegation');
    assert.match(
      fixer.preview(req, { finding: delegation!, fixId: 'add-delegation' }),
      /Set-ADObject -Add @\{ 'msDS-AllowedToDelegateTo' = \[string\[\]\]@\('Microsoft Virtual System Migration Service\/HV01'/,
    );
    result = (await fix(result, 'authentication.delegation', 'add-delegation')).after;
    assert.deepEqual(result.findings, [], 'the delegation fix also turned on "any protocol"');
    assert.equal(result.ready, true);
  });

  it('lets a host migrate over any network', async function () {
    const req = await request('legacy04', 'HV01');
    await fix(await engine.check(req), 'migration.no-network:HV04', 'use-any-network');
  });

  it('a planned VM a failed move left is replaced by the check, told and not blocked on; nothing is left', async function () {
    const req = await request('web01', 'HV02');
    const failed = await lab.attempt(
      'failed-move',
      `param($Params)
Set-HyperVLabTimeScale -TimeScale 10000
Set-HyperVLabFault -ComputerName HV02 -FailMoveAtPercent 40 -LeavePlannedVm
try { Move-VM -Name web01 -ComputerName HV01 -DestinationHost HV02 -IncludeStorage -DestinationStoragePath 'D:\\Hyper-V\\web01' }
finally { Set-HyperVLabFault -ComputerName HV02 -Clear }`,
    );
    assert.equal(failed.ok, false, 'the move failed at 40 %');
    const planned = `param($Params)\n@(Get-CimInstance -Namespace root\\virtualization\\v2 -ClassName Msvm_PlannedComputerSystem -ComputerName HV02).Count`;
    assert.equal(await lab.run<number>('planned', planned), 1);
    // Hyper-V's Compare-VM replaces a planned VM of the same Id: the check tells of it, does not block, and
    // removes the one it staged, so nothing is left to undo a fix (or to remove by hand).
    const before = await engine.check(req);
    const leftover = before.findings.find((f) => f.id === 'leftovers.planned-vm');
    assert.equal(leftover?.severity, 'info', JSON.stringify(before.findings));
    assert.equal(before.ready, true);
    assert.equal(await lab.run<number>('planned', planned), 0);
    const after = await engine.check(req);
    assert.ok(!after.findings.some((f) => f.id === 'leftovers.planned-vm'));
  });

  it('a hostile VM name stays a value: checked, fixed and checked again', async function () {
    await lab.run(
      'rename',
      `param($Params)
& (Get-Module HyperVLab) { param($name) Update-LabState { param($s) ($s.vms | Where-Object name -eq 'build01').name = $name } | Out-Null } $Params.name`,
      { name: HOSTILE },
    );
    const req = await request(HOSTILE, 'HV02');
    assert.equal(req.vmName, HOSTILE);
    const before = await engine.check(req);
    assert.equal(
      before.storagePath,
      `D:\\Hyper-V\\x'; New-Item -Path ([IO.Path]__GetTempPath()) -Name pwned -ItemType File; '$(whoami)\`__Write-Host owned _[a]`,
    );
    assert.deepEqual(
      before.findings.map((f) => f.id),
      ['devices.iso:SCSI 0:1'],
    );
    assert.ok(before.findings[0]?.fixes[0]?.title.includes(HOSTILE), 'shown as the name it is');
    const { after } = await fix(before, 'devices.iso:SCSI 0:1', 'eject-iso');
    assert.equal(after.ready, true);
  });

  it('the preview does what the fix does: run as shown in pwsh, it creates the missing switch, and sql01 -> HV02 is ready', async function () {
    const req = await request('sql01', 'HV02');
    const result = await engine.check(req);
    const finding = result.findings.find((f) => f.id.startsWith('network.switch-missing:'));
    assert.ok(finding, result.findings.map((f) => f.id).join(', '));
    const preview = fixer.preview(req, { finding, fixId: 'create-switch', choices: { switchType: 'Private' } });
    assert.match(preview, /^Invoke-Command -ComputerName 'HV02' -ArgumentList 'Storage', 'Private' -ScriptBlock \{\n/);
    // What an admin does with "Show PowerShell": paste it into a console and run it.
    await lab.run('run-preview', `param($Params)\n$ErrorActionPreference = 'Stop'\nInvoke-Expression $Params.script`, { script: preview });
    const after = await engine.check(req);
    assert.equal(after.ready, true, after.findings.map((f) => f.id).join(', '));
  });

  it('shows each fix as PowerShell that parses, with a hostile switch name as one string constant', async function () {
    await lab.run(
      'hostile-switch',
      `param($Params)
& (Get-Module HyperVLab) { param($name) Update-LabState { param($s)
  (($s.hosts | Where-Object name -eq 'HV01').switches | Where-Object name -eq 'Storage').name = $name
  (($s.vms | Where-Object name -eq 'sql01').networkAdapters | Where-Object switchName -eq 'Storage').switchName = $name } | Out-Null } $Params.name`,
      { name: HOSTILE },
    );
    const req = await request('sql01', 'HV02');
    const result = await engine.check(req);
    const finding = result.findings[0];
    const previews = [
      fixer.preview(req, { finding, fixId: 'create-switch', choices: { switchType: 'Private' } }),
      fixer.preview(req, { finding, fixId: 'map-switch', choices: { switch: 'LAN1' } }),
      fixer.preview(req, { finding, fixId: 'disconnect-adapter' }),
    ];
    for (const script of previews) {
      assert.ok(!script.includes('$Params') && !script.includes('@remote'), script);
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
      assert.equal(parsed.errors, 0, script);
      assert.ok(
        !parsed.commands.includes('New-Item') && !parsed.commands.includes('whoami') && !parsed.commands.includes('Write-Host'),
        parsed.commands.join(','),
      );
    }
    assert.match(previews[0], /^Invoke-Command -ComputerName 'HV02' -ArgumentList 'x''; New-Item.*, 'Private' -ScriptBlock \{\n/s);
    const { after } = await fix(result, 'network.switch-missing:', 'create-switch', { switchType: 'Private' });
    assert.equal(after.ready, true, 'the switch of that very name now exists on HV02');
  });
});
