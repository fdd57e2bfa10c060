// A pool session lives as long as the extension: whatever a script opens in it (CIM sessions for a host's
// stored credential, the PowerShell job Move-VM -AsJob leaves) must be gone after the call, or the session grows
// with every progress poll; the remoting sessions to hosts are the host sessions' own (hostSession.ps1), one per
// host and credential, closed when the pool is disposed. One long-lived session runs moves with many progress
// polls, a cancel, checks, inventory and configuration reads, placement and HA reads, all with a credential, and
// counts Get-CimSession, Get-Job and Get-PSSession before and after, and the sessions closed on its hosts by dispose.

import * as assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFleet } from '../../src/hyperv/inventory';
import { createMoveExecutor, jobCancelScript, jobStatusScript } from '../../src/migration/executor';
import { readFleetConfiguration } from '../../src/migration/fleetConfig';
import { haStateScript } from '../../src/migration/haWorkflow';
import { placementFacts } from '../../src/migration/placement';
import { createPreflightEngine } from '../../src/migration/preflight';
import type { MovePlan } from '../../src/migration/types';
import type { PowerShellRunner } from '../../src/powershell/types';
import { createLab, labScript, type Lab } from '../support/labFixture';

const ADMIN = { userName: 'CONTOSO\\admin', password: 'not logged' };

interface Leftovers {
  cimSessions: number;
  jobs: string[];
  psSessions: number;
  hostSessions: number;
}

const LEFTOVERS = `param($Params)
[pscustomobject]@{
    cimSessions = @(Get-CimSession).Count
    jobs        = @(Get-Job | ForEach-Object { '{0} ({1})' -f $_.Name, $_.State })
    psSessions  = @(Get-PSSession).Count
    hostSessions = $global:__HvlmHosts.Sessions.Count
}`;

const CALLS = `param($Params)
(Get-HyperVLabTraffic).Calls`;

const VM = `param($Params)
@(Get-VM -ComputerName HV01, HV02, HV03 | Where-Object Name -eq $Params.name | ForEach-Object { [pscustomobject]@{ Id = $_.Id.ToString(); Host = $_.ComputerName } })[0]`;

describe('what scripts open in a long-lived session is closed again', function () {
  let lab: Lab;
  let journalDir: string;

  before(async function () {
    // One session: every call below runs in the same PowerShell process.
    lab = await createLab({ size: 1 });
    journalDir = await mkdtemp(join(tmpdir(), 'hyperv-journal-'));
    await lab.run('speed', 'param($Params)\nSet-HyperVLabTimeScale -TimeScale 200');
  });

  after(async function () {
    await lab?.dispose();
    if (journalDir) await rm(journalDir, { recursive: true, force: true });
  });

  it('leaves no CIM session, job or remoting session behind after moves, polls, checks and reads', async function () {
    const before = await lab.run<Leftovers>('leftovers', LEFTOVERS);
    assert.deepEqual(before, { cimSessions: 0, jobs: [], psSessions: 0, hostSessions: 0 });

    const credentialFor = () => ADMIN;
    let polls = 0;
    const counted: PowerShellRunner = {
      run: (script, params, options) => {
        if (script.name === 'jobStatus') polls++;
        return lab.pool.run(script, params, options);
      },
      dispose: () => Promise.resolve(),
    };
    const executor = createMoveExecutor({ runner: counted, journalDir, pollIntervalMs: 40, credentialFor });
    const engine = createPreflightEngine(lab.pool, { credentialFor });
    try {
      // web01 moves between HV01 and HV02 without a blocker (the default lab's clean pair).
      const web01 = await lab.run<{ Id: string; Host: string }>('vm', VM, { name: 'web01' });
      assert.equal(web01.Host, 'HV01');
      const plan = (source: string, destination: string): MovePlan => ({
        request: { vmId: web01.Id, vmName: 'web01', source, destination },
        adapterSwitches: {},
        ejectDvd: [],
      });
      // A move that succeeds, one that fails on the host (HV02 may not delegate to HV01), then one cancelled while it runs.
      const moved = await executor.start(plan('HV01', 'HV02'));
      assert.equal((await moved.done).outcome?.phase, 'succeeded');
      const refused = await executor.start(plan('HV02', 'HV01'));
      assert.equal((await refused.done).outcome?.phase, 'failed');
      await lab.run('slow', 'param($Params)\n$null = Reset-HyperVLab\nSet-HyperVLabTimeScale -TimeScale 5');
      assert.ok((await engine.check(plan('HV01', 'HV02').request)).ready);
      const cancelled = await executor.start(plan('HV01', 'HV02'));
      await new Promise((resolve) => setTimeout(resolve, 500));
      await cancelled.cancel();
      const ended = await cancelled.done;
      assert.notEqual(ended.outcome?.phase, 'succeeded', JSON.stringify(ended.outcome));
      await lab.run('fast', 'param($Params)\nSet-HyperVLabTimeScale -TimeScale 200');

      // Progress looks and a cancel of a job that has ended, on their own.
      for (let i = 0; i < 20; i++) {
        const status = await counted.run(
          jobStatusScript,
          { vmId: web01.Id, source: 'HV02', destination: 'HV01', locate: i % 2 === 0 },
          { credential: ADMIN },
        );
        assert.ok(status.ok, JSON.stringify(status));
      }
      const cancel = await lab.pool.run(jobCancelScript, { source: 'HV02', jobId: 'no-such-job' }, { credential: ADMIN });
      assert.ok(cancel.ok, JSON.stringify(cancel));

      // Inventory, configuration, placement and HA reads with a credential.
      const hosts = ['HV01', 'HV02', 'HV03'];
      for (let i = 0; i < 3; i++) {
        const readings = await readFleet(
          lab.pool,
          hosts.map((name) => ({ name, credential: ADMIN })),
        );
        assert.ok(
          readings.every((r) => r.ok),
          JSON.stringify(readings),
        );
        const config = await readFleetConfiguration(lab.pool, hosts, undefined, { credentialFor });
        assert.ok(
          config.hosts.every((h) => h.ok),
          JSON.stringify(config.hosts),
        );
        const facts = await lab.pool.run(placementFacts, { ComputerName: 'HV01', VmIds: [] }, { credential: ADMIN });
        assert.ok(facts.ok, JSON.stringify(facts));
        const ha = await lab.pool.run(haStateScript, { VmId: web01.Id, Source: 'HV02', Destination: 'HV05' }, { credential: ADMIN });
        assert.ok(ha.ok, JSON.stringify(ha));
      }
    } finally {
      executor.dispose();
    }
    assert.ok(polls >= 25, `progress was polled (${polls} looks)`);

    const after = await lab.run<Leftovers>('leftovers', LEFTOVERS);
    assert.deepEqual({ ...after, psSessions: 0, hostSessions: 0 }, before, 'what the scripts opened is closed');
    // HV02, HV03 and HV05 for the admin's credential (HV01 is the computer the lab's sessions run on: no session).
    assert.ok(after.psSessions >= 1 && after.psSessions <= 3, `one remoting session per host reached: ${after.psSessions}`);
    assert.equal(after.psSessions, after.hostSessions, 'every remoting session is a host session');

    // Disposing the pool closes them: Remove-PSSession of an open session is one round trip to its host.
    const calls = await lab.run<number>('calls', CALLS);
    await lab.pool.dispose();
    const reader = lab.openPool();
    const result = await reader.run(labScript<number>('calls', CALLS), {});
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.data, calls + after.psSessions, 'each remoting session was closed on its host');
  });
});
