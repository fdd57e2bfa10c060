// The lab's persistent remoting sessions (New-PSSession, Invoke-Command -Session, Get-PSSession,
// Remove-PSSession) and its network cost model, counted with Get-HyperVLabTraffic, on real pwsh.
// One pwsh process (pool of one): a session belongs to the process that opened it.
import * as assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createLab, labScript, type Lab } from '../support/labFixture';

interface Failure {
  readonly id: string;
  readonly target: string | null;
  readonly category: string;
  readonly message: string;
}

interface Traffic {
  readonly Connections: number;
  readonly Calls: number;
  readonly Hosts: { Name: string; Connections: number; Calls: number }[];
}

const FAILURES = `$failures = @(foreach ($e in @($problems)) {
    [pscustomobject]@{
        id       = [string]$e.FullyQualifiedErrorId
        target   = if ($e.TargetObject -is [string]) { $e.TargetObject } else { $null }
        category = [string]$e.CategoryInfo.Category
        message  = if ($e.ErrorDetails) { $e.ErrorDetails.Message } else { $e.Exception.Message }
    }
})`;

const TRAFFIC = 'param($Params)\nGet-HyperVLabTraffic';

describe("the lab's persistent remoting sessions and network cost", function () {
  this.timeout(120_000);
  let lab: Lab;

  before(async () => {
    lab = await createLab({ size: 1 });
  });

  afterEach(async () => {
    await lab.run('clean', 'param($Params)\nGet-PSSession | Remove-PSSession\nSet-HyperVLabFault -ComputerName HV03, HV04 -Clear');
  });

  after(async () => lab?.dispose());

  it("keeps a session's functions and variables between calls; the caller's variables stay out; its cmdlets act on its host", async () => {
    const opened = await lab.run<{ id: number; name: string; computer: string; state: string; availability: string; type: string }>(
      'open',
      `param($Params)
$s = New-PSSession -ComputerName HV02 -Name keep
$null = Invoke-Command -Session $s -ScriptBlock { param($Number) $counter = $Number; function Get-Twice { $counter * 2 } } -ArgumentList 21
[pscustomobject]@{ id = $s.Id; name = $s.Name; computer = $s.ComputerName; state = [string]$s.State; availability = [string]$s.Availability; type = $s.PSObject.TypeNames[0] }`,
    );
    assert.equal(opened.name, 'keep');
    assert.equal(opened.computer, 'HV02');
    assert.equal(opened.state, 'Opened');
    assert.equal(opened.availability, 'Available');
    assert.equal(opened.type, 'System.Management.Automation.Runspaces.PSSession');

    // A later script of the same process finds the session and what the first call left in it.
    const answer = await lab.run<{
      twice: number;
      leaked: string | null;
      host: string;
      from: string;
      fresh: boolean;
      preference: string;
      type: string;
    }>(
      'reuse',
      `param($Params)
$leak = 'the caller'
$s = Get-PSSession -Name keep
$other = New-PSSession -ComputerName HV02
$fresh = [bool](Invoke-Command -Session $other -ScriptBlock { $null -eq (Get-Command -Name Get-Twice -ErrorAction SilentlyContinue) })
$result = Invoke-Command -Session $s -ScriptBlock { [pscustomobject]@{ twice = Get-Twice; leaked = $leak; host = (Get-VMHost).ComputerName } }
# What comes back crossed the wire: a property bag, as remoting deserializes it.
$vm = Invoke-Command -Session $s -ScriptBlock { @(Get-VM)[0] }
# A remote session has PowerShell's default preferences, whatever the caller's global ones are.
$saved = $global:ErrorActionPreference
try { $global:ErrorActionPreference = 'Stop'; $preference = Invoke-Command -Session $s -ScriptBlock { [string]$ErrorActionPreference } }
finally { $global:ErrorActionPreference = $saved }
[pscustomobject]@{ twice = $result.twice; leaked = $result.leaked; host = $result.host; from = $result.PSComputerName; fresh = $fresh; preference = [string]$preference; type = $vm.PSObject.TypeNames[0] }`,
    );
    assert.deepEqual(answer, {
      twice: 42,
      leaked: null,
      host: 'HV02',
      from: 'HV02',
      fresh: true,
      preference: 'Continue',
      type: 'Deserialized.Microsoft.HyperV.PowerShell.VirtualMachine',
    });
  });

  it('lists sessions with Get-PSSession until Remove-PSSession closes them; a closed session runs nothing', async () => {
    const result = await lab.run<{ listed: string[]; byId: string[]; left: string[]; state: string; failures: Failure[] }>(
      'list',
      `param($Params)
$sessions = @(New-PSSession -ComputerName HV01, HV03)
$listed = @(Get-PSSession | ForEach-Object { '{0} {1} {2}' -f $_.ComputerName, $_.State, ($_.Name -eq ('Runspace' + $_.Id)) })
$byId = @(Get-PSSession -Id $sessions[1].Id | ForEach-Object ComputerName)
Remove-PSSession -Session $sessions[0]
$left = @(Get-PSSession | ForEach-Object ComputerName)
try { $null = Invoke-Command -Session $sessions[0] -ScriptBlock { 1 } -ErrorAction SilentlyContinue -ErrorVariable problems }
catch { $problems = @($problems | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) + $_ }
${FAILURES}
[pscustomobject]@{ listed = $listed; byId = $byId; left = $left; state = [string]$sessions[0].State; failures = $failures }`,
    );
    assert.deepEqual(result.listed, ['HV01 Opened True', 'HV03 Opened True']);
    assert.deepEqual(result.byId, ['HV03']);
    assert.deepEqual(result.left, ['HV03']);
    assert.equal(result.state, 'Closed');
    // PowerShell's InvokeCommandCommand.BeginProcessing (pwsh 7.6.9 against a closed session: the same ids, types
    // and texts): an error for the session, then, no session being Opened, a terminating one.
    assert.deepEqual(
      result.failures.map((f) => [f.id, f.category]),
      [
        ['InvokeCommandCommandInvalidSessionState,Microsoft.PowerShell.Commands.InvokeCommandCommand,Invoke-Command', 'InvalidOperation'],
        ['InvalidOperation,Microsoft.PowerShell.Commands.InvokeCommandCommand,Invoke-Command', 'InvalidOperation'],
      ],
    );
    assert.match(
      result.failures[0]?.message ?? '',
      /is not equal to Open, you cannot run a command in the session\. {2}The session state is Closed\.$/,
    );
    assert.equal(
      result.failures[1]?.message,
      'No valid sessions were specified.  Ensure you provide valid sessions that are in the Opened state and are available to run commands.',
    );
  });

  it("Remove-CimSession of a CIM session removed already writes the CIM cmdlets' not-found error and removes the others", async () => {
    // PowerShell's CimSessionState.QuerySession (CimCmdlets CimSessionOperations.cs): a session the runspace no longer
    // holds is an ObjectNotFound CimException, text CouldNotFindCimsessionObject; the lab wrote nothing before.
    const result = await lab.run<{ left: number; failures: Failure[]; type: string }>(
      'cim-twice',
      `param($Params)
$first = New-CimSession -ComputerName HV02
$second = New-CimSession -ComputerName HV03
Remove-CimSession -CimSession $first
Remove-CimSession -CimSession $first, $second -ErrorAction SilentlyContinue -ErrorVariable problems
${FAILURES}
[pscustomobject]@{ left = @(Get-CimSession).Count; failures = $failures; type = [string]@($problems)[0].Exception.GetType().FullName }`,
    );
    assert.equal(result.left, 0);
    assert.deepEqual(
      result.failures.map((f) => [f.category, f.message]),
      [['ObjectNotFound', 'Could not find CimSession with the given CimSession = {CimSession Object}']],
    );
    assert.equal(result.type, 'Microsoft.Management.Infrastructure.CimException');
  });

  it("New-PSSession to a host that cannot be reached writes WinRM's transport error and opens nothing", async () => {
    await lab.run('fault', 'param($Params)\nSet-HyperVLabFault -ComputerName HV03 -Unreachable');
    const result = await lab.run<{ opened: string[]; listed: number; failures: Failure[] }>(
      'unreachable',
      `param($Params)
$opened = @(New-PSSession -ComputerName HV02, HV03, NOSUCH01 -ErrorAction SilentlyContinue -ErrorVariable problems | ForEach-Object ComputerName)
${FAILURES}
[pscustomobject]@{ opened = $opened; listed = @(Get-PSSession).Count; failures = $failures }`,
    );
    assert.deepEqual(result.opened, ['HV02']);
    assert.equal(result.listed, 1);
    assert.deepEqual(
      result.failures.map((f) => [f.id, f.target, f.category]),
      [
        ['WinRMOperationTimeout,PSSessionOpenFailed,New-PSSession', 'HV03', 'OpenError'],
        ['ComputerNotFound,PSSessionOpenFailed,New-PSSession', 'NOSUCH01', 'OpenError'],
      ],
    );
    assert.match(
      result.failures[0]?.message ?? '',
      /^\[HV03\] Connecting to remote server HV03 failed with the following error message : WinRM cannot complete/,
    );
  });

  it('a session whose host becomes unreachable breaks: the call fails with the transport error, and it stays Broken', async () => {
    await lab.run('open', 'param($Params)\n$null = New-PSSession -ComputerName HV04 -Name four');
    await lab.run('fault', 'param($Params)\nSet-HyperVLabFault -ComputerName HV04 -Unreachable');
    const broken = await lab.run<{ answers: number; state: string; failures: Failure[] }>(
      'call',
      `param($Params)
$s = Get-PSSession -Name four
$answers = @(Invoke-Command -Session $s -ScriptBlock { 1 } -ErrorAction SilentlyContinue -ErrorVariable problems).Count
try { $null = Invoke-Command -Session $s -ScriptBlock { 1 } -ErrorAction SilentlyContinue -ErrorVariable +problems }
catch { $problems = @($problems | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) + $_ }
${FAILURES}
[pscustomobject]@{ answers = $answers; state = [string]$s.State; failures = $failures }`,
    );
    assert.equal(broken.answers, 0);
    assert.equal(broken.state, 'Broken');
    assert.deepEqual(
      broken.failures.map((f) => [f.id, f.category]),
      // A Broken runspace's FQEID is the transport error's name before PSSessionStateBroken (PowerShell's
      // PSRemotingChildJob.ProcessJobFailure); 'JobFailure' goes only with OperationStopped, never with it.
      [
        ['WinRMOperationTimeout,PSSessionStateBroken,Invoke-Command', 'OpenError'],
        ['InvokeCommandCommandInvalidSessionState,Microsoft.PowerShell.Commands.InvokeCommandCommand,Invoke-Command', 'InvalidOperation'],
        ['InvalidOperation,Microsoft.PowerShell.Commands.InvokeCommandCommand,Invoke-Command', 'InvalidOperation'],
      ],
    );
    assert.match(
      broken.failures[0]?.message ?? '',
      /^\[HV04\] Processing data from remote server HV04 failed with the following error message: WinRM cannot complete/,
    );

    // The host answering again does not mend the session; a new one works.
    await lab.run('clear', 'param($Params)\nSet-HyperVLabFault -ComputerName HV04 -Clear');
    const after = await lab.run<{ state: string; availability: string; host: string }>(
      'after',
      `param($Params)
$s = Get-PSSession -Name four
$new = New-PSSession -ComputerName HV04
[pscustomobject]@{ state = [string]$s.State; availability = [string]$s.Availability; host = Invoke-Command -Session $new -ScriptBlock { (Get-VMHost).ComputerName } }`,
    );
    assert.deepEqual(after, { state: 'Broken', availability: 'None', host: 'HV04' });
  });

  it('a session pays the connection once and a call per call; -ComputerName cmdlets pay a connection every time', async () => {
    await lab.run('clear traffic', 'param($Params)\nClear-HyperVLabTraffic');
    await lab.run(
      'session',
      `param($Params)
$s = New-PSSession -ComputerName HV02
foreach ($i in 1..3) { $null = Invoke-Command -Session $s -ScriptBlock { Get-VM; Get-VMHost; Get-VMSwitch; Get-VM -ComputerName HV02 } }`,
    );
    const session = await lab.run<Traffic>('traffic', TRAFFIC);
    assert.deepEqual(session, { Connections: 1, Calls: 3, Hosts: [{ Name: 'HV02', Connections: 1, Calls: 3 }] });

    await lab.run('clear traffic', 'param($Params)\nClear-HyperVLabTraffic');
    await lab.run(
      'computer name',
      `param($Params)
foreach ($i in 1..3) { $null = Get-VM -ComputerName HV02; $null = Get-VMHost -ComputerName HV02, HV03 }
$null = Invoke-Command -ComputerName HV02 -ScriptBlock { Get-VM; Get-VMHost }
$null = Get-VM
$null = Get-VM -ComputerName localhost
$cim = New-CimSession -ComputerName HV04
$null = Get-CimInstance -CimSession $cim -ClassName Win32_OperatingSystem`,
    );
    const computerName = await lab.run<Traffic>('traffic', TRAFFIC);
    assert.deepEqual(computerName, {
      Connections: 11,
      Calls: 1,
      Hosts: [
        { Name: 'HV02', Connections: 7, Calls: 0 },
        { Name: 'HV03', Connections: 3, Calls: 0 },
        { Name: 'HV04', Connections: 1, Calls: 1 },
      ],
    });
  });

  it('counts every call of several processes calling at once: none is lost', async () => {
    // .NET appends at the end it saw when it opened the file: writers sharing one traffic file lost lines.
    const processes = 4;
    const calls = 150;
    const pool = lab.openPool({}, processes);
    try {
      await lab.run('clear traffic', 'param($Params)\nClear-HyperVLabTraffic');
      const burst = labScript(
        'burst',
        `param($Params)
$s = New-PSSession -ComputerName HV02
foreach ($i in 1..$Params.calls) { $null = Invoke-Command -Session $s -ScriptBlock { 1 } }
Remove-PSSession -Session $s`,
      );
      const answers = await Promise.all(
        Array.from({ length: processes }, (_, i) => pool.run(burst, { calls }, { affinity: `burst-${i}` })),
      );
      assert.ok(
        answers.every((a) => a.ok),
        JSON.stringify(answers.filter((a) => !a.ok)),
      );
      const traffic = await lab.run<Traffic>('traffic', TRAFFIC);
      assert.deepEqual(traffic.Hosts, [{ Name: 'HV02', Connections: processes, Calls: processes * (calls + 1) }]);
    } finally {
      await pool.dispose();
    }
  });

  it('the latencies live in the lab file: 300/50 ms for a new lab, set by Set-HyperVLabNetwork, kept by Reset-HyperVLab', async () => {
    const other = join(lab.dir, 'defaults.json');
    await lab.run(
      'new',
      `param($Params)
# The fixture's sessions make free labs (HYPERV_LAB_*_LATENCY_MS 0); without those, a new lab has the defaults.
$saved = $env:HYPERV_LAB_CONNECT_LATENCY_MS, $env:HYPERV_LAB_CALL_LATENCY_MS
try {
    $env:HYPERV_LAB_CONNECT_LATENCY_MS = $null
    $env:HYPERV_LAB_CALL_LATENCY_MS = $null
    $null = New-HyperVLab -Path $Params.path
} finally {
    $env:HYPERV_LAB_CONNECT_LATENCY_MS, $env:HYPERV_LAB_CALL_LATENCY_MS = $saved
}`,
      { path: other },
    );
    const written = JSON.parse(await readFile(other, 'utf8')) as { network: unknown };
    assert.deepEqual(written.network, { connectLatencyMs: 300, callLatencyMs: 50 });

    const fixture = await lab.run<unknown>('fixture', 'param($Params)\n(Get-HyperVLabState).network');
    assert.deepEqual(fixture, { connectLatencyMs: 0, callLatencyMs: 0 });
    try {
      const set = await lab.run<unknown>(
        'set',
        'param($Params)\nSet-HyperVLabNetwork -CallLatencyMs 5\n$null = Reset-HyperVLab\n(Get-HyperVLabState).network',
      );
      assert.deepEqual(set, { connectLatencyMs: 0, callLatencyMs: 5 });
    } finally {
      await lab.run('zero', 'param($Params)\nSet-HyperVLabNetwork -ConnectLatencyMs 0 -CallLatencyMs 0');
    }
  });
});
