// The fixer with a fake at the PowerShell boundary: previews are the exact PowerShell each fix runs (values as
// literals), plan fixes run nothing and return the plan, refusals run nothing.
import * as assert from 'node:assert/strict';
import { changeScripts, refreshTicketsScript } from '../../../src/migration/fleetConfig';
import { createFixer, fixScripts } from '../../../src/migration/fixes';
import type { FixScript } from '../../../src/migration/fixScript';
import { haAddRoleScript, haRemoveRoleScript } from '../../../src/migration/haWorkflow';
import type { Finding, FixOption, MigrationRequest } from '../../../src/migration/types';
import { FakeRunner, ok } from '../../support/fakeRunner';

const REQUEST: MigrationRequest = { vmId: '9f1c0000-0000-0000-0000-000000000001', vmName: 'app02', source: 'HV02', destination: 'HV01' };
const ADAPTER = 'Microsoft:9F1C0000-0000-0000-0000-000000000001\\AB000000-0000-0000-0000-000000000002';

function finding(...fixes: FixOption[]): Finding {
  return { id: 'f', area: 'other', severity: 'blocker', title: 'a finding', cause: '', evidence: [], fixes };
}

function option(id: string, appliesTo: FixOption['appliesTo'], args?: FixOption['args'], choices?: FixOption['choices']): FixOption {
  return { id, title: id, description: '', destructive: false, appliesTo, ...(args && { args }), ...(choices && { choices }) } as FixOption;
}

describe('fixer (fake PowerShell)', function () {
  it('previews a host fix as the script body with its values as literals, run on the host as Invoke-Command', function () {
    const fixer = createFixer(new FakeRunner());
    const enable = finding(option('enable-migration', 'host', { host: 'HV04' }));
    assert.equal(
      fixer.preview(REQUEST, { finding: enable, fixId: 'enable-migration' }),
      ["Invoke-Command -ComputerName 'HV04' -ScriptBlock {", '    Enable-VMMigration', '}'].join('\n'),
    );
    const compatibility = finding(option('enable-compatibility', 'vm'));
    assert.equal(
      fixer.preview(REQUEST, { finding: compatibility, fixId: 'enable-compatibility' }),
      [
        "Invoke-Command -ComputerName 'HV02' -ArgumentList '9f1c0000-0000-0000-0000-000000000001' -ScriptBlock {",
        '    param($VmId)',
        '    # A remoting session starts with ErrorActionPreference Continue: the first error stops here, not the step after.',
        "    $ErrorActionPreference = 'Stop'",
        '    $vm = Get-VM -Id $VmId',
        '    $state = [string]$vm.State',
        "    if ($state -notin 'Off', 'Running', 'Paused', 'Saved') { throw \"$($vm.Name) is $state; processor compatibility changes only while it is off. Wait until it is running, off, saved or paused, then apply the fix again.\" }",
        "    if ($state -eq 'Paused') { Resume-VM -VM $vm }",
        "    if ($state -eq 'Saved') { Start-VM -VM $vm }",
        "    if ($state -ne 'Off') { Stop-VM -VM $vm -Force }",
        '    Set-VMProcessor -VM $vm -CompatibilityForMigrationEnabled $true',
        "    if ($state -ne 'Off') { Start-VM -VM $vm }",
        '}',
      ].join('\n'),
    );
    const kerberos = finding(option('use-kerberos', 'host', { hosts: ['HV04', 'HV01'] }));
    assert.equal(
      fixer.preview(REQUEST, { finding: kerberos, fixId: 'use-kerberos' }),
      [
        "foreach ($computer in @('HV04', 'HV01')) {",
        '    Invoke-Command -ComputerName $computer -ScriptBlock {',
        '        Set-VMHost -VirtualMachineMigrationAuthenticationType Kerberos',
        '    }',
        '}',
      ].join('\n'),
    );
  });

  it('previews the AD change the delegation fix makes, with the ticket refresh it needs', function () {
    const fixer = createFixer(new FakeRunner());
    const delegation = finding(
      option('add-delegation', 'ad', { account: 'HV01', host: 'HV01', entries: ['cifs/HV03', 'cifs/HV03.contoso.lab'] }),
    );
    assert.equal(
      fixer.preview(REQUEST, { finding: delegation, fixId: 'add-delegation' }),
      [
        "Get-ADComputer -Identity 'HV01' | Set-ADObject -Add @{ 'msDS-AllowedToDelegateTo' = [string[]]@('cifs/HV03', 'cifs/HV03.contoso.lab') }",
        "Get-ADComputer -Identity 'HV01' | Set-ADAccountControl -TrustedToAuthForDelegation $true",
        '# Takes effect after AD replication and a new Kerberos ticket on the source host: klist purge -li 0x3e7 there, or a reboot.',
      ].join('\n'),
    );
  });

  it('applies a plan fix by returning the plan, and previews what the move runs on the report', async function () {
    const fake = new FakeRunner();
    const fixer = createFixer(fake);
    const map = finding(
      option('map-switch', 'plan', { adapterId: ADAPTER }, [{ name: 'switch', label: 'Switch', options: ['LAN1', 'LAN[1]'] }]),
    );
    const outcome = await fixer.apply(REQUEST, { finding: map, fixId: 'map-switch', choices: { switch: 'LAN[1]' } }, undefined);
    assert.ok(outcome.ok);
    assert.deepEqual(outcome.plan, { request: REQUEST, adapterSwitches: { [ADAPTER]: 'LAN[1]' }, ejectDvd: [] });
    assert.equal(fake.calls.length, 0);
    assert.equal(
      fixer.preview(REQUEST, { finding: map, fixId: 'map-switch', choices: { switch: 'LAN[1]' } }),
      [
        "# On Compare-VM's report ($report), before Move-VM -CompatibilityReport $report:",
        `$adapter = $report.VM.NetworkAdapters | Where-Object Id -eq '${ADAPTER}'`,
        "Connect-VMNetworkAdapter -VMNetworkAdapter $adapter -VMSwitch (Get-VMSwitch -ComputerName 'HV01' -Name 'LAN`[1`]' @toDestination)",
        '$report = Compare-VM -CompatibilityReport $report',
      ].join('\n'),
    );
    const eject = finding(option('eject-iso-on-move', 'plan', { controller: 'SCSI 0:1' }));
    const ejected = await fixer.apply(REQUEST, { finding: eject, fixId: 'eject-iso-on-move' }, outcome.ok ? outcome.plan : undefined);
    assert.ok(ejected.ok);
    assert.deepEqual(
      ejected.plan,
      { request: REQUEST, adapterSwitches: { [ADAPTER]: 'LAN[1]' }, ejectDvd: ['SCSI 0:1'] },
      'the earlier choice is kept',
    );
  });

  it('runs a host fix with its values in $Params and the host credential', async function () {
    const fake = new FakeRunner().answer('fixCreateSwitch', () => ok(null));
    const credential = { userName: 'CONTOSO\\admin', password: 'secret' };
    const fixer = createFixer(fake, { credentialFor: (host) => (host === 'HV01' ? credential : undefined) });
    const create = finding(
      option('create-switch', 'host', { host: 'HV01', switchName: 'Storage' }, [
        { name: 'switchType', label: 'Type', options: ['Private', 'Internal'] },
      ]),
    );
    const outcome = await fixer.apply(REQUEST, { finding: create, fixId: 'create-switch', choices: { switchType: 'Internal' } }, undefined);
    assert.deepEqual(outcome, { ok: true, message: "Created the Internal switch 'Storage' on HV01." });
    assert.deepEqual(
      fake.calls.map((c) => [c.script, c.params, c.options?.credential]),
      [['fixCreateSwitch', { SwitchName: 'Storage', SwitchType: 'Internal', Host: 'HV01' }, credential]],
    );
  });

  it('creates an External switch on the adapter picked', async function () {
    const fake = new FakeRunner().answer('fixCreateExternalSwitch', () => ok(null));
    const fixer = createFixer(fake);
    const create = finding(
      option('create-switch', 'host', { host: 'HV01', switchName: 'LAN-Prod' }, [
        { name: 'switchType', label: 'Type', options: ['Private', 'Internal', 'External'] },
        { name: 'netAdapter', label: 'Adapter', options: ['X710 #3'] },
      ]),
    );
    const request = { finding: create, fixId: 'create-switch', choices: { switchType: 'External', netAdapter: 'X710 #3' } };
    assert.equal(
      fixer.preview(REQUEST, request),
      [
        "Invoke-Command -ComputerName 'HV01' -ArgumentList 'LAN-Prod', 'X710 #3' -ScriptBlock {",
        '    param($Name, $NetAdapter)',
        '    $null = New-VMSwitch -Name $Name -NetAdapterInterfaceDescription $NetAdapter -AllowManagementOS $true',
        '}',
      ].join('\n'),
    );
    const outcome = await fixer.apply(REQUEST, request, undefined);
    assert.ok(outcome.ok);
    assert.deepEqual(fake.calls[0]?.params, { SwitchName: 'LAN-Prod', NetAdapter: 'X710 #3', Host: 'HV01' });
  });

  it('refuses what the finding does not offer, running nothing', async function () {
    const fake = new FakeRunner();
    const fixer = createFixer(fake);
    const create = finding(
      option('create-switch', 'host', { host: 'HV01', switchName: 'Storage' }, [
        { name: 'switchType', label: 'Type', options: ['Private', 'Internal'] },
      ]),
    );
    const missingChoice = await fixer.apply(REQUEST, { finding: create, fixId: 'create-switch' }, undefined);
    assert.ok(!missingChoice.ok && /Pick one of Private, Internal for "Type"/.test(missingChoice.error.message));
    const notOffered = await fixer.apply(REQUEST, { finding: create, fixId: 'remove-planned-vm' }, undefined);
    assert.ok(!notOffered.ok && /offers no fix remove-planned-vm/.test(notOffered.error.message));
    const noArgs = await fixer.apply(
      REQUEST,
      { finding: finding(option('enable-migration', 'host')), fixId: 'enable-migration' },
      undefined,
    );
    assert.ok(!noArgs.ok && /lacks its host/.test(noArgs.error.message));
    assert.equal(fake.calls.length, 0);
    assert.throws(
      () => fixer.preview(REQUEST, { finding: create, fixId: 'create-switch', choices: { switchType: 'External' } }),
      /Pick one of/,
    );
  });

  it("passes a host's refusal back with the host named", async function () {
    const fake = new FakeRunner().answer('fixEnableMigration', () => ({
      ok: false,
      error: { kind: 'accessDenied', message: 'Access is denied.' },
      warnings: [],
    }));
    const outcome = await createFixer(fake).apply(
      REQUEST,
      { finding: finding(option('enable-migration', 'host', { host: 'HV04' })), fixId: 'enable-migration' },
      undefined,
    );
    assert.deepEqual(outcome, { ok: false, error: { kind: 'accessDenied', message: 'Access is denied.', target: 'HV04' } });
  });

  it('renders every fix script without a $Params left, and refuses a value the fix does not set', function () {
    const values = {
      SwitchName: 's',
      SwitchType: 'Private',
      NetAdapter: 'n',
      Host: 'h',
      VmId: 'v',
      ControllerType: 'SCSI',
      ControllerNumber: 0,
      ControllerLocation: 1,
      Subnet: '10.0.0.0/24',
      Hosts: ['h'],
      Account: 'a',
      Entries: ['e'],
    };
    for (const script of Object.values(fixScripts)) {
      const body = script.preview(values);
      assert.ok(!/\$Params|\$Credential|Invoke-OnHost|@remote|@ad\b|@cim/.test(body), `${script.name}: ${body}`);
      assert.ok(script.text.startsWith('param($Params, $Credential)'), script.name);
    }
    assert.throws(() => fixScripts.enableMigration.preview({}), /reads \$Params\.Host, which the fix does not set/);
    assert.match(
      fixScripts.removePlannedVm.preview(values),
      /^Invoke-Command -ComputerName 'h' -ArgumentList 'v' -ScriptBlock \{\n {4}param\(\$VmId\)\n[\s\S]*-ClassName Msvm_PlannedComputerSystem \| Where-Object Name -eq \$VmId/,
    );
  });

  it('builds each preview from the parts the script runs: the same block text on the host, the same commands in the session', function () {
    const values = {
      SwitchName: "s'1",
      SwitchType: 'Private',
      NetAdapter: 'n',
      Host: 'h',
      VmId: 'v',
      ControllerType: 'SCSI',
      ControllerNumber: 0,
      ControllerLocation: 1,
      Subnet: '10.0.0.0/24',
      Hosts: ['h', 'g'],
      Account: 'a',
      Entries: ['e', 'f'],
      Role: 'r',
      Cluster: 'c',
    };
    const all: FixScript[] = [
      ...Object.values(fixScripts),
      ...Object.values(changeScripts),
      refreshTicketsScript,
      haAddRoleScript,
      haRemoveRoleScript,
    ];
    const fromBlock = (text: string): string => text.slice(text.indexOf(' -ScriptBlock {'));
    const literal = (value: unknown): string =>
      Array.isArray(value)
        ? `@(${value.map(literal).join(', ')})`
        : typeof value === 'number'
          ? String(value)
          : `'${String(value).replace(/'/g, "''")}'`;
    for (const script of all) {
      const preview = script.preview(values);
      assert.ok(!script.text.includes("'h'") && !script.text.includes("s''1"), `${script.name} runs no value pasted in its text`);
      if (script.block !== null) {
        // The very block text the script runs in the host's session is what the preview's Invoke-Command runs.
        assert.ok(script.text.includes(' -ScriptBlock {'), script.name);
        assert.equal(fromBlock(preview), fromBlock(script.text), script.name);
        let at = 0;
        for (const line of script.block.split('\n')) {
          at = preview.indexOf(line, at);
          assert.ok(at >= 0, `${script.name}: the preview holds the block's line ${line}`);
        }
      } else {
        // Commands run in the admin's session: the script's last lines, each $Params value as its literal, no AD credential.
        const lines = preview.split('\n');
        const ran = script.text.split('\n').slice(-lines.length).join('\n');
        assert.equal(
          preview,
          ran.replace(/ @ad\b/g, '').replace(/\$Params\.(\w+)/g, (_, name: string) => literal(values[name as keyof typeof values])),
          script.name,
        );
      }
    }
  });
});
