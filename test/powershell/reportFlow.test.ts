// The report flow as Hyper-V runs it. Compare-VM and Move-VM -CompatibilityReport have no -ComputerName:
// they find the report's VM on the computer they run on (ParameterResolvers.GetServers, MoveVM
// EnumerateOperands), so from an admin's machine they fail for a VM on another host; the extension runs the
// flow on the source host in one Invoke-Command, as Windows Admin Center does. Compare-VM stages a planned VM
// on the destination (replacing an earlier one of the same Id); the check removes the one it staged.
import * as assert from 'node:assert/strict';
import { createMoveExecutor } from '../../src/migration/executor';
import { createPreflightEngine } from '../../src/migration/preflight';
import type { MigrationRequest } from '../../src/migration/types';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLab, type Lab } from '../support/labFixture';

interface Vm {
  readonly id: string;
  readonly adapters: { readonly id: string; readonly switchName: string | null }[];
}

const PLANNED = `param($Params)
@(Get-CimInstance -Namespace root\\virtualization\\v2 -ClassName Msvm_PlannedComputerSystem -ComputerName (Get-HyperVLabHost | ForEach-Object Name) | ForEach-Object { '{0}@{1}' -f $_.ElementName, $_.PSComputerName })`;

describe('the report flow on the source host (default lab; the lab runs "on" HV01)', function () {
  let lab: Lab;
  const ADMIN = { userName: 'CONTOSO\\admin', password: 'not logged' };

  before(async function () {
    lab = await createLab();
  });

  after(async function () {
    await lab?.dispose();
  });

  const vm = (name: string): Promise<Vm> =>
    lab.run<Vm>(
      'vm',
      `param($Params)
$vm = Get-VM -ComputerName (Get-HyperVLabHost | ForEach-Object Name) | Where-Object Name -eq $Params.name
[pscustomobject]@{ id = [string]$vm.Id; adapters = @($vm.NetworkAdapters | ForEach-Object { [pscustomobject]@{ id = [string]$_.Id; switchName = $_.SwitchName } }) }`,
      { name },
    );

  it('-CompatibilityReport from another computer does not find the VM; on its host it does (the lab follows Hyper-V)', async function () {
    const answer = await lab.run<{ Here: string; There: number; Move: string }>(
      'report-elsewhere',
      `param($Params)
$report = Compare-VM -Name app02 -ComputerName HV02 -DestinationHost HV03 -DestinationCredential ([pscredential]::new('CONTOSO\\admin', (ConvertTo-SecureString 'x' -AsPlainText -Force)))
$here = try { $null = Compare-VM -CompatibilityReport $report -ErrorAction Stop; 'found' } catch { $_.Exception.Message }
$move = try { $null = Move-VM -CompatibilityReport $report -ErrorAction Stop; 'moved' } catch { $_.Exception.Message }
$there = @(Invoke-Command -ComputerName HV02 -ArgumentList $report -ScriptBlock { param($r) Compare-VM -CompatibilityReport $r }).Count
[pscustomobject]@{ Here = $here; There = $there; Move = $move }`,
    );
    assert.match(answer.Here, /^Hyper-V was unable to find a virtual machine with id "[0-9A-F-]{36}"\.$/);
    assert.match(answer.Move, /^Hyper-V was unable to find a virtual machine with id/);
    assert.equal(answer.There, 1);
  });

  it('the second hop: from a block on HV01, HV02 answers only with a credential passed in or a CredSSP session (the lab follows Windows)', async function () {
    const answer = await lab.run<{ Bare: string; BareRecord: string; WithCredential: string; Credssp: string; Local: string }>(
      'second-hop',
      `param($Params)
$credential = [pscredential]::new('CONTOSO\\admin', (ConvertTo-SecureString 'x' -AsPlainText -Force))
$try = { param($block, $auth) try { [string]@(Invoke-Command -ComputerName HV01 -Authentication $auth -ArgumentList $credential -ScriptBlock $block -ErrorAction Stop)[0] } catch { $_.Exception.Message } }
$hop = try { Invoke-Command -ComputerName HV01 -ScriptBlock { Get-VMHost -ComputerName HV02 } -ErrorAction Stop } catch { $_ }
[pscustomobject]@{
    Bare = & $try { (Get-VMHost -ComputerName HV02).ComputerName } 'Default'
    BareRecord = '{0}|{1}|{2}|{3}' -f $hop.CategoryInfo.Category, $hop.FullyQualifiedErrorId.Split(',')[0], $hop.CategoryInfo.Reason, ($null -eq $hop.TargetObject)
    WithCredential = & $try { param($c) (Get-VMHost -ComputerName HV02 -Credential $c).ComputerName } 'Default'
    Credssp = & $try { (Get-VMHost -ComputerName HV02).ComputerName } 'Credssp'
    Local = & $try { (Get-VMHost).ComputerName } 'Default'
}`,
    );
    assert.match(answer.Bare, /required permission .*'HV02'/);
    // Hyper-V's connection refusal (decompiled ThrowHelper.CreateServerException, ExceptionHelper): no PermissionDenied.
    assert.equal(answer.BareRecord, 'NotSpecified|Unspecified|VirtualizationException|True');
    assert.deepEqual([answer.WithCredential, answer.Credssp, answer.Local], ['HV02', 'HV02', 'HV01']);
  });

  it('a check of a VM on another host applies its plan on the report there, and leaves no planned VM behind', async function () {
    const app02 = await vm('app02');
    const engine = createPreflightEngine(lab.pool, { credentialFor: () => ADMIN });
    const request: MigrationRequest = { vmId: app02.id, vmName: 'app02', source: 'HV02', destination: 'HV03' };
    const adapter = app02.adapters[0];
    const result = await engine.check(request, { plan: { request, adapterSwitches: { [adapter.id]: null }, ejectDvd: [] } });
    assert.ok(
      !result.findings.some((f) => f.id === 'other.compare-vm-failed'),
      result.findings.map((f) => `${f.id}: ${f.cause}`).join('\n'),
    );
    assert.deepEqual(await lab.run<string[]>('planned', PLANNED), [], 'the check removed the planned VM its Compare-VM staged');
  });

  it('a planned VM an earlier failed move left is told (info), never a blocker, and the check does not leave one', async function () {
    const web01 = await vm('web01');
    await lab.run(
      'leave',
      `param($Params)
Set-HyperVLabTimeScale -TimeScale 100000
Set-HyperVLabFault -ComputerName HV02 -FailMoveAtPercent 10 -LeavePlannedVm
try { Move-VM -Name web01 -ComputerName HV01 -DestinationHost HV02 -IncludeStorage -ErrorAction Stop } catch { $null = $_ }
Set-HyperVLabFault -ComputerName HV02 -Clear`,
    );
    assert.deepEqual(await lab.run<string[]>('planned', PLANNED), ['web01@HV02']);
    const engine = createPreflightEngine(lab.pool, { credentialFor: () => ADMIN });
    const result = await engine.check({ vmId: web01.id, vmName: 'web01', source: 'HV01', destination: 'HV02' });
    const planned = result.findings.find((f) => f.id === 'leftovers.planned-vm');
    assert.equal(planned?.severity, 'info', result.findings.map((f) => f.id).join(', '));
    assert.equal(result.ready, true);
    assert.deepEqual(await lab.run<string[]>('planned', PLANNED), [], 'Compare-VM replaced it, and the check removed what it staged');
    const again = await engine.check({ vmId: web01.id, vmName: 'web01', source: 'HV01', destination: 'HV02' });
    assert.ok(!again.findings.some((f) => f.area === 'leftovers'), 'its own staging is never reported');
  });

  it('a move from a host that is not the local one starts there, with the credential handed on, and leaves no planned VM', async function () {
    const journalDir = await mkdtemp(join(tmpdir(), 'hvlm-report-flow-'));
    const seen: { script: string; destination: boolean }[] = [];
    const runner = {
      run: ((script, params, options) => {
        seen.push({ script: script.name, destination: !!options?.destinationCredential });
        return lab.pool.run(script, params, options);
      }) as typeof lab.pool.run,
      dispose: () => Promise.resolve(),
    };
    const executor = createMoveExecutor({ runner, journalDir, pollIntervalMs: 100, credentialFor: () => ADMIN });
    try {
      await lab.run('fast', 'param($Params)\nSet-HyperVLabTimeScale -TimeScale 100000');
      const app02 = await vm('app02');
      // Whether Hyper-V then accepts the move (HV02's delegation is "Kerberos only") is not the point: run on
      // the admin's computer, the report flow would not find app02 at all.
      const record = await (
        await executor.start({
          request: { vmId: app02.id, vmName: 'app02', source: 'HV02', destination: 'HV03' },
          adapterSwitches: {},
          ejectDvd: [],
        })
      ).done;
      assert.doesNotMatch(record.outcome?.failure?.message ?? '', /unable to find a virtual machine with id/);
      assert.ok(
        seen.some((c) => c.script === 'moveStart' && c.destination),
        'moveStart carries the destination credential',
      );
      assert.deepEqual(await lab.run<string[]>('planned', PLANNED), [], 'no planned VM is left, moved into or removed');
    } finally {
      executor.dispose();
      await rm(journalDir, { recursive: true, force: true });
    }
  });
});
