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

    const local = await lab.attempt('restart-local-wait', `param($Params)\nRestart-Computer -Wait`);
    assert.ok(!local.ok);
    assert.equal(
      local.error.message,
      'Cannot wait for the local computer to restart. The local computer is ignored when the Wait parameter is specified.',
    );
    const hv01 = await lab.run<number>('hv01-up', `param($Params)\n@(Get-VM -ComputerName HV01).Count`);
    assert.equal(hv01, 3, 'the local computer was not restarted');
  });
});
