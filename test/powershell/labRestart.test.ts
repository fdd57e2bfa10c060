// A lab host restarts (Restart-Computer): down for its restart time, then back with a new boot, its VMs stopped
// and started by their automatic actions, the sessions opened before it broken, and an upgrade left for the next boot.

import * as assert from 'node:assert/strict';
import { createLab, type Lab } from '../support/labFixture';

describe('lab: a host restarts', function () {
  let lab: Lab;

  beforeEach(async function () {
    lab = await createLab({ size: 1 });
  });

  afterEach(async function () {
    await lab?.dispose();
  });

  it('is unreachable while it restarts and answers again after; -Wait returns once it has booted', async function () {
    // 90 simulated seconds at 30 per second: three real seconds down.
    const seen = await lab.run<{
      returnedMs: number;
      downError: string;
      others: number;
      waitedMs: number;
      upHost: string;
      bootChanged: boolean;
    }>(
      'restart-reach',
      `param($Params)
Set-HyperVLabTimeScale 30
$before = (Get-CimInstance -ClassName Win32_OperatingSystem -ComputerName HV02).LastBootUpTime
$clock = [System.Diagnostics.Stopwatch]::StartNew()
Restart-Computer -ComputerName HV02
$returnedMs = $clock.ElapsedMilliseconds
$downError = $null
$null = Get-VM -ComputerName HV02 -ErrorAction SilentlyContinue -ErrorVariable failed
if ($failed) { $downError = [string] $failed[0] }
$others = @(Get-VM -ComputerName HV01).Count
$clock.Restart()
Restart-Computer -ComputerName HV03 -Wait
$waitedMs = $clock.ElapsedMilliseconds
Start-Sleep -Milliseconds ([System.Math]::Max(0, 3300 - $waitedMs - $returnedMs))
[pscustomobject]@{
    returnedMs = $returnedMs
    downError = $downError
    others = $others
    waitedMs = $waitedMs
    upHost = (Get-VMHost -ComputerName HV03).ComputerName
    bootChanged = (Get-CimInstance -ClassName Win32_OperatingSystem -ComputerName HV02).LastBootUpTime -gt $before
}`,
    );
    assert.ok(seen.returnedMs < 2500, `without -Wait it returns at once (${seen.returnedMs} ms)`);
    assert.match(seen.downError ?? '', /^The operation on computer 'HV02' failed: WinRM cannot complete the operation\./);
    assert.equal(seen.others, 3, 'the other hosts answer');
    assert.ok(seen.waitedMs >= 2900, `-Wait waits for the boot (${seen.waitedMs} ms)`);
    assert.equal(seen.upHost, 'HV03', 'HV03 answers after -Wait');
    assert.equal(seen.bootChanged, true, 'HV02 is back with a new LastBootUpTime');
  });

  it('-Wait gives up after -Timeout with the timeout error; -Timeout without -Wait is refused; -Wait skips the local computer', async function () {
    const timedOut = await lab.attempt(
      'restart-timeout',
      `param($Params)
Set-HyperVLabTimeScale 100
Restart-Computer -ComputerName HV02 -Wait -Timeout 30 -Delay 2`,
    );
    assert.ok(!timedOut.ok);
    assert.equal(timedOut.error.category, 'OperationTimeout');
    assert.equal(
      timedOut.error.message,
      'Failed to restart the computer HV02 with the following error message: The computer did not finish restarting within the specified time-out period..',
    );

    const noWait = await lab.attempt('restart-nowait', `param($Params)\nRestart-Computer -ComputerName HV02 -Timeout 30`);
    assert.ok(!noWait.ok);
    assert.equal(noWait.error.message, 'The parameters Timeout, For, and Delay are valid only when the parameter Wait is specified.');

    const down = await lab.run<string[]>(
      'restart-down',
      `param($Params)
Restart-Computer -ComputerName HV03
Restart-Computer -ComputerName HV03 -ErrorAction SilentlyContinue -ErrorVariable failed
Restart-Computer -ComputerName HV03 -Wait -ErrorAction SilentlyContinue -ErrorVariable skipped
@($failed + $skipped | ForEach-Object { '{0} {1}: {2}' -f $_.FullyQualifiedErrorId.Split(',')[0], $_.CategoryInfo.Category, $_.Exception.Message })`,
    );
    assert.equal(down.length, 2);
    assert.match(
      down[0],
      /^RestartcomputerFailed OperationStopped: Failed to restart the computer HV03 with the following error message: WinRM cannot complete the operation\./,
    );
    assert.match(
      down[1],
      /^RestartComputerSkipped OperationStopped: The computer HV03 is skipped\. Fail to retrieve its LastBootUpTime via the WMI service with the following error message: WinRM cannot/,
    );

    const local = await lab.attempt('restart-local-wait', `param($Params)\nRestart-Computer -Wait`);
    assert.ok(!local.ok);
    assert.equal(
      local.error.message,
      'Cannot wait for the local computer to restart. The local computer is ignored when the Wait parameter is specified.',
    );
    const hv01 = await lab.run<number>('hv01-up', `param($Params)\n@(Get-VM -ComputerName HV01).Count`);
    assert.equal(hv01, 3, 'the local computer was not restarted');
  });

  it('stops each running VM by its AutomaticStopAction and starts it at boot by its AutomaticStartAction, after its delay', async function () {
    const states = await lab.run<{ defaults: string[]; atBoot: Record<string, string>; later: string; sqlUptime: number }>(
      'restart-vms',
      `param($Params)
Set-HyperVLabTimeScale 30
$defaults = @((Get-VM web01 -ComputerName HV01) | ForEach-Object { $_.AutomaticStopAction, $_.AutomaticStartAction, $_.AutomaticStartDelay })
Stop-VM web01 -ComputerName HV01 -TurnOff -Force
Set-VM web01 -ComputerName HV01 -AutomaticStopAction Save -AutomaticStartAction Nothing
Start-VM web01 -ComputerName HV01
Stop-VM app02 -ComputerName HV02 -TurnOff -Force
Get-VM app02 -ComputerName HV02 | Set-VM -AutomaticStopAction ShutDown -AutomaticStartAction Nothing
Start-VM app02 -ComputerName HV02
Set-VM build01 -ComputerName HV01 -AutomaticStartAction Start -AutomaticStartDelay 120
Restart-Computer -ComputerName HV01, HV02 -Wait
$atBoot = @{}
foreach ($vm in @(Get-VM -ComputerName HV01) + @(Get-VM -ComputerName HV02)) { $atBoot[$vm.Name] = [string] $vm.State }
$sqlUptime = (Get-VM sql01 -ComputerName HV01).Uptime.TotalSeconds
Start-Sleep -Milliseconds 4500
[pscustomobject]@{ defaults = @($defaults | ForEach-Object { [string] $_ }); atBoot = $atBoot; later = [string] (Get-VM build01 -ComputerName HV01).State; sqlUptime = $sqlUptime }`,
    );
    assert.deepEqual(states.defaults, ['Save', 'StartIfRunning', '0'], "Hyper-V's defaults");
    assert.deepEqual(states.atBoot, { web01: 'Saved', sql01: 'Running', build01: 'Off', app02: 'Off' });
    assert.ok(states.sqlUptime < 60, `sql01 started again at the boot (uptime ${states.sqlUptime} s)`);
    assert.equal(states.later, 'Running', 'build01 (Start, 120 s) starts after its delay');
  });

  it('fails a move from the host that restarts; the VM, back on its source, takes its stop and start actions', async function () {
    const seen = await lab.run<{ job: string; reason: string; state: string; uptime: number; onHv02: number; moves: string[] }>(
      'restart-moving',
      `param($Params)
# web01's move takes 15 simulated seconds (3 real at 5 per second); the restart starts once the move runs.
Set-HyperVLabTimeScale 5
Set-HyperVLabHost -ComputerName HV01 -RestartSeconds 10
$job = Move-VM -Name web01 -ComputerName HV01 -DestinationHost HV02 -IncludeStorage -AsJob
$until = [System.DateTime]::UtcNow.AddSeconds(10)
while ((Get-VM web01 -ComputerName HV01).Status -ne 'Migrating virtual machine' -and [System.DateTime]::UtcNow -lt $until) { Start-Sleep -Milliseconds 50 }
Restart-Computer -ComputerName HV01 -Wait -Delay 1
$null = Wait-Job $job -Timeout 30
[pscustomobject]@{
    job = [string] $job.State
    reason = [string] $job.ChildJobs[0].JobStateInfo.Reason.Message
    state = [string] (Get-VM web01 -ComputerName HV01).State
    uptime = (Get-VM web01 -ComputerName HV01).Uptime.TotalSeconds
    onHv02 = @(Get-VM -ComputerName HV02 | Where-Object Name -EQ web01).Count
    moves = @(Get-CimInstance -Namespace root\\virtualization\\v2 -ClassName Msvm_MigrationJob -ComputerName HV01 | Where-Object JobType -In 305, 306 | ForEach-Object { [string] $_.JobState })
}`,
    );
    assert.equal(seen.onHv02, 0, 'web01 did not arrive on HV02');
    assert.deepEqual(seen.moves, ['10'], 'the move ended in Exception');
    assert.equal(seen.state, 'Running', 'web01 was saved at the shutdown and started again at the boot');
    assert.ok(seen.uptime < 60, `web01 runs since the boot (uptime ${seen.uptime} s)`);
    assert.equal(seen.job, 'Failed', seen.reason);
  });

  it('Set-VM changes the automatic actions only while the VM is off', async function () {
    const refused = await lab.attempt('set-vm-running', `param($Params)\nSet-VM web01 -ComputerName HV01 -AutomaticStopAction TurnOff`);
    assert.ok(!refused.ok);
    assert.equal(refused.error.category, 'InvalidOperation');
    assert.match(refused.error.message, /^'web01' failed to modify settings\. \(Virtual machine ID [0-9A-F-]{36}\)/);
  });

  it('breaks a session opened before the restart; a new one opens once the host is back', async function () {
    const seen = await lab.run<{ before: string; after: string; callError: string; fresh: string; answer: string }>(
      'restart-session',
      `param($Params)
Set-HyperVLabTimeScale 100
$old = New-PSSession -ComputerName HV02
$before = [string] $old.State
Restart-Computer -ComputerName HV02 -Wait
$after = [string] $old.State
try { $null = Invoke-Command -Session $old -ScriptBlock { 1 } -ErrorAction SilentlyContinue -ErrorVariable failed } catch { $null = $_ }
$new = New-PSSession -ComputerName HV02
[pscustomobject]@{
    before = $before
    after = $after
    callError = [string] $failed[0].FullyQualifiedErrorId
    fresh = [string] $new.State
    answer = [string] (Invoke-Command -Session $new -ScriptBlock { (Get-VM app02).State })
}`,
    );
    assert.equal(seen.before, 'Opened');
    assert.equal(seen.after, 'Broken');
    assert.match(seen.callError, /^InvokeCommandCommandInvalidSessionState,/);
    assert.equal(seen.fresh, 'Opened');
    assert.equal(seen.answer, 'Running');
  });

  it('an upgrade left with Set-HyperVLabHost -NextBoot takes effect at the next boot, not before', async function () {
    const seen = await lab.run<{ waiting: string[]; booted: string[]; again: string[] }>(
      'restart-upgrade',
      `param($Params)
Set-HyperVLabTimeScale 100
function Get-HostVersions {
    $os = Get-CimInstance -ClassName Win32_OperatingSystem -ComputerName HV04
    @($os.Version, $os.Caption, (Get-VMHostSupportedVersion -ComputerName HV04 -Default).Version.ToString(), ((Get-VMHost -ComputerName HV04).SupportedVmVersions -join ','))
}
Set-HyperVLabHost -ComputerName HV04 -RestartSeconds 300 -NextBoot @{ OsName = 'Windows Server 2022 Datacenter'; OsVersion = '10.0.20348'; SupportedVersions = @('8.0', '9.0', '10.0'); DefaultVersion = '10.0' }
$waiting = Get-HostVersions
Restart-Computer -ComputerName HV04 -Wait
$booted = Get-HostVersions
Restart-Computer -ComputerName HV04 -Wait
[pscustomobject]@{ waiting = $waiting; booted = $booted; again = Get-HostVersions }`,
    );
    assert.deepEqual(seen.waiting, ['10.0.17763', 'Microsoft Windows Server 2019 Datacenter', '9.0', seen.waiting[3]]);
    assert.ok(!seen.waiting[3].split(',').includes('10.0'));
    assert.deepEqual(seen.booted, ['10.0.20348', 'Microsoft Windows Server 2022 Datacenter', '10.0', '8.0,9.0,10.0']);
    assert.deepEqual(seen.again, seen.booted, 'the upgrade stays; nothing is applied twice');
  });

  it('-WhatIf restarts nothing and writes nothing', async function () {
    const seen = await lab.run<{ same: boolean; vms: number; state: string }>(
      'restart-whatif',
      `param($Params)
$before = [System.IO.File]::ReadAllText($env:HYPERV_LAB_PATH)
Restart-Computer -ComputerName HV01, HV02 -WhatIf
Restart-Computer -WhatIf
[pscustomobject]@{
    same = ([System.IO.File]::ReadAllText($env:HYPERV_LAB_PATH) -eq $before)
    vms = @(Get-VM -ComputerName HV01).Count
    state = [string] (Get-VM web01 -ComputerName HV01).State
}`,
    );
    assert.deepEqual(seen, { same: true, vms: 3, state: 'Running' });
  });
});
