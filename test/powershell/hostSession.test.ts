// One persistent remoting session per host (src/powershell/hostSession.ps1), counted through the lab's traffic
// counters (Get-HyperVLabTraffic: connections opened, calls in open sessions): reused by the checks that follow,
// opened again once the host's session broke, never running a failed call twice, helper functions defined once,
// and closed when idle and when the pool is disposed, so nothing stays open on a user's host.

import * as assert from 'node:assert/strict';
import { createPreflightEngine } from '../../src/migration/preflight';
import type { MigrationRequest, PreflightEngine } from '../../src/migration/types';
import { hostKey } from '../../src/hyperv/hostName';
import { openAhead } from '../../src/powershell/hostSessions';
import { PowerShellPool } from '../../src/powershell/pool';
import { defineScript } from '../../src/powershell/script';
import type { Logger, PowerShellRunner } from '../../src/powershell/types';
import { createLab, LAB_MODULE, labScript, type Lab } from '../support/labFixture';

interface HostTraffic {
  Name: string;
  Connections: number;
  Calls: number;
}

const TRAFFIC = `param($Params)
$traffic = Get-HyperVLabTraffic
@(foreach ($name in @($Params.hosts)) {
    $found = @($traffic.Hosts | Where-Object Name -eq $name)[0]
    [pscustomobject]@{ Name = $name; Connections = $(if ($found) { $found.Connections } else { 0 }); Calls = $(if ($found) { $found.Calls } else { 0 }) }
})`;

const OPEN_SESSIONS = `param($Params)
[pscustomobject]@{ psSessions = @(Get-PSSession).Count; known = $global:__HvlmHosts.Sessions.Count }`;

/** A test's own script, taking the host's credential as the extension's scripts do. */
const onHost = (name: string, body: string) =>
  defineScript<{ host: string; file?: string }, unknown>(
    name,
    `param($Params, $Credential)
${body}`,
  );

describe('one persistent remoting session per host', function () {
  this.timeout(180_000);
  let lab: Lab;
  let engine: PreflightEngine;
  let app02: MigrationRequest;

  const traffic = async (runner: PowerShellRunner, ...hosts: string[]): Promise<HostTraffic[]> => {
    const result = await runner.run(labScript<HostTraffic[]>('traffic', TRAFFIC), { hosts });
    assert.ok(result.ok, JSON.stringify(result));
    return result.data;
  };

  before(async function () {
    lab = await createLab({ size: 1 });
    engine = createPreflightEngine(lab.pool);
    const vm = await lab.run<{ id: string }>(
      'vm',
      `param($Params)\n[pscustomobject]@{ id = [string](Get-VM -ComputerName HV02 -Name app02).Id }`,
    );
    // app02 on HV02 to HV01: HV01 is the computer the lab's sessions run on (Test-OnComputer), so HV02 alone is reached remotely.
    app02 = { vmId: vm.id, vmName: 'app02', source: 'HV02', destination: 'HV01' };
  });

  after(async function () {
    await lab?.dispose();
  });

  beforeEach(async function () {
    // No host session open and nothing counted yet (the pool has one PowerShell session: every call runs in it).
    await lab.run(
      'clear',
      'param($Params)\nSet-HyperVLabFault -ComputerName HV02 -Clear\n$null = __HvlmCloseHostSessions 0\nClear-HyperVLabTraffic',
    );
  });

  it('opens one session to a host and makes each later check one call in it', async function () {
    await engine.check(app02);
    await engine.check(app02);
    const [hv02] = await traffic(lab.pool, 'HV02');
    assert.deepEqual(hv02, { Name: 'HV02', Connections: 1, Calls: 2 }, 'one connection, one round trip per check');
    const open = await lab.run<{ psSessions: number; known: number }>('open', OPEN_SESSIONS);
    assert.equal(open.psSessions, open.known, 'every remoting session is one the host sessions know');
  });

  it('opens the session again once its host went away and came back, and reports the unreachable host meanwhile', async function () {
    assert.ok((await engine.check(app02)).findings.every((f) => f.id !== 'hostUnreachable'));
    await lab.run('down', 'param($Params)\nSet-HyperVLabFault -ComputerName HV02 -Unreachable');
    const down = await engine.check(app02);
    assert.ok(!down.ready, 'a check of an unreachable source is not ready');
    await lab.run('up', 'param($Params)\nSet-HyperVLabFault -ComputerName HV02 -Clear');
    const back = await engine.check(app02);
    assert.deepEqual(back.findings, (await engine.check(app02)).findings, 'the host answers as before');
    const [hv02] = await traffic(lab.pool, 'HV02');
    // The first session, then the failed attempt while the host was away, then the new session kept for two checks.
    assert.equal(hv02.Connections, 3, JSON.stringify(hv02));
  });

  it('opened ahead (the tree shown, each host its own pool session), the first read of every host opens no connection', async function () {
    const hosts = ['HV02', 'HV03', 'HV04', 'HV05', 'HV06'];
    const pool = lab.openPool({}, hosts.length);
    try {
      await openAhead(pool, hosts, hosts.length, () => undefined, hostKey);
      await pool.run(labScript('clear', 'param($Params)\nClear-HyperVLabTraffic'), {});
      // A first read of each host at once, each with its host's affinity, as Configure Live Migration reads them.
      const name = onHost(
        'name',
        'Invoke-OnHost -ComputerName $Params.host -Credential $Credential -ScriptBlock { [string](Get-VMHost).ComputerName }',
      );
      const names = await Promise.all(hosts.map((host) => pool.run(name, { host }, { affinity: hostKey(host) })));
      assert.deepEqual(
        names.map((answer) => answer.ok && answer.data),
        hosts,
      );
      assert.deepEqual(
        (await traffic(pool, ...hosts)).map((t) => [t.Connections, t.Calls]),
        hosts.map(() => [0, 1]),
        'each host read in the session opened for it ahead, one call each',
      );
    } finally {
      await pool.dispose();
    }
  });

  it('never runs a block again that failed mid-way', async function () {
    const file = `${lab.dir}/ran.txt`;
    const breaks = onHost(
      'breaks',
      `Invoke-OnHost -ComputerName $Params.host -Credential $Credential -ArgumentList $Params.file, $Params.host -ScriptBlock {
    param($File, $Name)
    Add-Content -Path $File -Value 'ran'
    # The host goes away while the block runs, after the block did its work.
    Set-HyperVLabFault -ComputerName $Name -Unreachable
    Write-Error -Message "The connection to $Name broke." -ErrorAction Stop
}`,
    );
    const answer = await lab.pool.run(breaks, { host: 'HV02', file }, { affinity: 'hv02' });
    assert.equal(answer.ok, false);
    const ran = await lab.run<string[]>('ran', 'param($Params)\n@(Get-Content -Path $Params.file)', { file });
    assert.deepEqual(ran, ['ran'], 'the block ran once');
    await lab.run('up', 'param($Params)\nSet-HyperVLabFault -ComputerName HV02 -Clear');
    const again = await lab.pool.run(
      onHost('name', `Invoke-OnHost -ComputerName $Params.host -Credential $Credential -ScriptBlock { [string](Get-VMHost).ComputerName }`),
      {
        host: 'HV02',
      },
    );
    assert.deepEqual(again.ok && again.data, 'HV02');
  });

  it("a batch whose sessions all stopped being open between the look and the call answers each host's error, and throws nothing", async function () {
    // The race on a real fleet: a session found Opened, then closed or broken before Invoke-Command runs in it, which
    // then refuses the whole call ("No valid sessions were specified"). Here the look is wrapped to close what it found.
    const batch = onHost(
      'batch',
      `$look = \${function:__HvlmOpenHostSessions}
Set-Item -Path function:global:__HvlmOpenHostSessions -Value {
    param([string[]]$ComputerName, $Credential)
    $opened = & $look $ComputerName $Credential
    foreach ($entry in @($opened.Entries.Values)) { Remove-PSSession -Session $entry.Session }
    $opened
}.GetNewClosure()
try {
    @(Invoke-OnHosts -ComputerName $Params.host -Credential $Credential -ScriptBlock { 'answered' }) | ForEach-Object {
        [pscustomobject]@{ computer = $_.computer; output = @($_.output); error = $(if ($_.error) { [string]$_.error.message } else { $null }) }
    }
} finally {
    Set-Item -Path function:global:__HvlmOpenHostSessions -Value $look
}`,
    );
    const answer = await lab.pool.run(batch, { host: 'HV02' });
    assert.ok(answer.ok, `the batch answered instead of failing as a whole: ${JSON.stringify(answer)}`);
    const [hv02] = [answer.data].flat() as { computer: string; output: unknown[]; error: string | null }[];
    assert.equal(hv02.computer, 'HV02');
    assert.deepEqual(hv02.output, []);
    assert.match(hv02.error ?? '', /No valid sessions were specified/);
    const again = await lab.pool.run(
      onHost('name', `Invoke-OnHost -ComputerName $Params.host -Credential $Credential -ScriptBlock { [string](Get-VMHost).ComputerName }`),
      { host: 'HV02' },
    );
    assert.deepEqual(again.ok && again.data, 'HV02', 'the next call opens the session again');
  });

  it('forgets a session whose call failed in its connection (the shell gone after a restart), not one whose block failed', async function () {
    const forget = onHost(
      'forget',
      `$key = __HvlmHostSessionKey $Params.host $Credential
$null = Invoke-OnHost -ComputerName $Params.host -Credential $Credential -ScriptBlock { 1 }
$session = $global:__HvlmHosts.Sessions[$key].Session
$block = [System.Management.Automation.ErrorRecord]::new([System.Management.Automation.RuntimeException]::new('The block failed.'), 'BlockFailed', 'NotSpecified', $null)
__HvlmForgetFailedHostSession $block $Params.host $Credential
$keptAfterBlock = $global:__HvlmHosts.Sessions.ContainsKey($key)
$lost = [System.Management.Automation.Remoting.PSRemotingTransportException]::new('The request for the Windows Remote Shell with ShellId 1 failed because the shell was not found on the server.')
$wrapped = [System.Management.Automation.ErrorRecord]::new([System.Management.Automation.RuntimeException]::new('The call failed.', $lost), 'JobFailure', 'OperationStopped', $null)
__HvlmForgetFailedHostSession $wrapped $Params.host $Credential
[pscustomobject]@{ keptAfterBlock = $keptAfterBlock; keptAfterTransport = $global:__HvlmHosts.Sessions.ContainsKey($key); state = [string]$session.State }`,
    );
    const answer = await lab.pool.run(forget, { host: 'HV02' });
    assert.ok(answer.ok, JSON.stringify(answer));
    assert.deepEqual(answer.data, { keptAfterBlock: true, keptAfterTransport: false, state: 'Closed' });
    await lab.pool.run(onHost('again', `Invoke-OnHost -ComputerName $Params.host -Credential $Credential -ScriptBlock { 1 }`), {
      host: 'HV02',
    });
    const [hv02] = await traffic(lab.pool, 'HV02');
    assert.equal(hv02.Connections, 2, 'the next call opened a new session');
  });

  it('defines a helper in a session once, and again only when its text changed', async function () {
    const call = (name: string, answer: string) =>
      lab.pool.run(
        onHost(
          name,
          `function Get-Answer { '${answer}' }
Invoke-OnHost -ComputerName $Params.host -Credential $Credential -Helper 'Get-Answer' -ScriptBlock { Get-Answer }`,
        ),
        { host: 'HV02' },
      );
    assert.deepEqual(await call('first', 'one'), { ok: true, data: 'one', warnings: [] });
    // Changed in the host's session behind the helpers' back: a helper sent again would undo it.
    const changed = await lab.pool.run(
      onHost(
        'change',
        `Invoke-OnHost -ComputerName $Params.host -Credential $Credential -ScriptBlock { function script:Get-Answer { 'changed there' } }`,
      ),
      { host: 'HV02' },
    );
    assert.ok(changed.ok, JSON.stringify(changed));
    assert.deepEqual(await call('second', 'one'), { ok: true, data: 'changed there', warnings: [] }, 'the same text is not sent again');
    assert.deepEqual(await call('third', 'two'), { ok: true, data: 'two', warnings: [] }, 'a changed text is');
  });

  it("a call without affinity is not kept waiting by a host's calls that keep coming (a move's progress polls)", async function () {
    const pool = new PowerShellPool({ size: 1 });
    try {
      const nap = labScript('nap', 'param($Params)\nStart-Sleep -Milliseconds 150');
      const done: string[] = [];
      const poll = async (name: string): Promise<void> => {
        for (let i = 0; i < 8; i++) {
          await pool.run(nap, {}, { affinity: 'hv01' });
          done.push(name);
        }
      };
      await pool.run(nap, {}, { affinity: 'hv01' });
      // Two streams of polls: whenever the session comes free, one of them waits with the session's affinity.
      const polls = [poll('poll'), poll('poll')];
      await new Promise((resolve) => setTimeout(resolve, 50));
      const other = pool.run(nap, {}).then(() => done.push('other'));
      await Promise.all([...polls, other]);
      assert.ok(done.indexOf('other') <= 4, done.join(', '));
    } finally {
      await pool.dispose();
    }
  });

  it('closes a session left idle, and every session when the pool is disposed', async function () {
    const debug: string[] = [];
    const logger: Logger = { trace() {}, debug: (m) => debug.push(m), info() {}, warn() {}, error() {} };
    const pool = new PowerShellPool({
      size: 1,
      hostSessionIdleMs: 1500,
      env: { HYPERV_LAB_PATH: lab.path },
      modules: [LAB_MODULE],
      logger,
    });
    try {
      const idleEngine = createPreflightEngine(pool);
      await idleEngine.check(app02);
      const opened = await pool.run(labScript<{ psSessions: number; known: number }>('open', OPEN_SESSIONS), {});
      assert.deepEqual(opened.ok && opened.data, { psSessions: 1, known: 1 });
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const open = await pool.run(labScript<{ psSessions: number; known: number }>('open', OPEN_SESSIONS), {});
      assert.deepEqual(open.ok && open.data, { psSessions: 0, known: 0 }, 'closed after 1.5 s idle');
      assert.ok(
        debug.some((m) => /closed 1 remoting sessions/.test(m)),
        debug.join('\n'),
      );

      await idleEngine.check(app02);
      const before = await traffic(pool, 'HV02');
      debug.length = 0;
      await pool.dispose();
      assert.ok(
        debug.some((m) => /closed 1 remoting sessions/.test(m)),
        debug.join('\n'),
      );
      // Remove-PSSession of an open session is one round trip to its host: the session was closed there.
      const [after] = await traffic(lab.pool, 'HV02');
      assert.equal(after.Calls, before[0].Calls + 1, JSON.stringify({ before, after }));
    } finally {
      await pool.dispose();
    }
  });
});
