// The move executor on the lab, through the session layer and real pwsh: a planned move runs with live
// progress and lands on its destination with the plan applied; a cancel and a fault leave the VM running
// on its source and the outcome says so; a second move of the same VM is refused; a reload (a new
// executor and new sessions on the same journal) re-attaches to a running move or records how it ended.

import * as assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMoveExecutor, jobStatusScript } from '../../src/migration/executor';
import type { MoveExecutor, MovePlan, MoveRecord } from '../../src/migration/types';
import { createLab, labScript, type Lab } from '../support/labFixture';
import type { Credential } from '../../src/powershell/types';

interface VmFacts {
  Id: string;
  Host: string;
  State: string;
  Status: string;
  Adapters: { Id: string; Switch: string | null }[];
}

const VM = `param($Params)
@(Get-VM -ComputerName HV01, HV02 | Where-Object Name -eq $Params.name | ForEach-Object {
    [pscustomobject]@{ Id = $_.Id.ToString(); Host = $_.ComputerName; State = [string] $_.State; Status = $_.Status
        Adapters = @($_.NetworkAdapters | ForEach-Object { [pscustomobject]@{ Id = $_.Id; Switch = $_.SwitchName } }) } })`;

const JOBS = `param($Params)
@(Get-CimInstance -Namespace root\\virtualization\\v2 -ClassName Msvm_MigrationJob -ComputerName $Params.source |
    Where-Object VirtualSystemName -eq $Params.vmId | ForEach-Object { [pscustomobject]@{ State = [int] $_.JobState; Percent = [int] $_.PercentComplete } })`;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `done` holds (the deadline only bounds the wait; nothing asserts on time). */
async function until<T>(probe: () => T | Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}; last: ${JSON.stringify(value)}`);
    await sleep(50);
  }
}

const ADMIN = { userName: 'CONTOSO\\admin', password: 'not logged' };

describe('move executor on the lab', function () {
  let lab: Lab;
  let journalDir: string;
  const executors: MoveExecutor[] = [];

  const open = (options: { pool?: Lab['pool']; credentialFor?: (host: string) => Credential | undefined } = {}): MoveExecutor => {
    // The admin's stored credential by default: the source hands it on for the report flow's second hop.
    const executor = createMoveExecutor({
      runner: options.pool ?? lab.pool,
      journalDir,
      pollIntervalMs: 150,
      credentialFor: options.credentialFor ?? (() => ADMIN),
    });
    executors.push(executor);
    return executor;
  };
  const vm = async (name: string): Promise<VmFacts> => {
    const found = await lab.run<VmFacts[]>('vm', VM, { name });
    assert.equal(found.length, 1, `${name} is on exactly one host: ${JSON.stringify(found)}`);
    return found[0];
  };
  const plan = (facts: VmFacts, name: string, destination: string, adapterSwitches: Record<string, string | null> = {}): MovePlan => ({
    request: { vmId: facts.Id, vmName: name, source: facts.Host, destination },
    adapterSwitches,
    ejectDvd: [],
  });
  const reset = (timeScale: number, more = ''): Promise<unknown> =>
    lab.run('reset', `param($Params)\n$null = Reset-HyperVLab\nSet-HyperVLabTimeScale -TimeScale $Params.timeScale\n${more}`, {
      timeScale,
    });
  const journalFiles = async (): Promise<string[]> => (await readdir(journalDir)).filter((n) => n.endsWith('.json'));

  before(async function () {
    lab = await createLab({ size: 2 });
  });

  beforeEach(async function () {
    journalDir = await mkdtemp(join(tmpdir(), 'hyperv-journal-'));
  });

  afterEach(async function () {
    for (const executor of executors.splice(0)) executor.dispose();
    await rm(journalDir, { recursive: true, force: true });
  });

  after(async function () {
    await lab?.dispose();
  });

  it('moves sql01 to HV02 with its Storage adapter mapped to LAN1, with progress, and refuses a second move of it meanwhile', async function () {
    await reset(100);
    const sql01 = await vm('sql01');
    const storage = sql01.Adapters.find((a) => a.Switch === 'Storage');
    assert.ok(storage, 'sql01 has a Storage adapter');
    const executor = open();
    const changes: number[] = [];
    executor.onDidChange(() => changes.push(executor.running().length));
    const handle = await executor.start(plan(sql01, 'sql01', 'HV02', { [storage.Id]: 'LAN1' }));
    const seen: MoveRecord[] = [];
    handle.onProgress((record) => seen.push(record));

    const entries = await journalFiles();
    assert.deepEqual(entries, [`${handle.record().id}.json`], 'journaled before it starts');
    assert.deepEqual(executor.running(), [handle]);

    await until(
      () => handle.record().progress.percent,
      (p) => p > 0,
      'the move to show progress',
    );
    await assert.rejects(executor.start(plan(sql01, 'sql01', 'HV03')), /sql01 is already moving to HV02/);
    const other = open();
    await assert.rejects(other.start(plan(sql01, 'sql01', 'HV03')), /sql01 is already moving to HV02 .*recorded in the move journal/);

    const done = await handle.done;
    assert.equal(done.outcome?.phase, 'succeeded', JSON.stringify(done.outcome));
    assert.deepEqual(done.outcome?.vmFoundOn, { host: 'HV02', state: 'Running' });
    assert.match(done.outcome?.summary ?? '', /^sql01 moved to HV02 in .* \(\d+(\.\d)? GB moved\)\. It is running on HV02\.$/);
    assert.equal(done.progress.percent, 100);
    assert.ok(done.progress.bytesTotal > 900 * 1024 ** 3, `memory + VHD files: ${done.progress.bytesTotal}`);
    assert.equal(done.outcome?.bytesMoved, done.progress.bytesTotal);

    const moving = seen.filter((r) => r.progress.phase === 'moving');
    assert.ok(moving.length >= 2, `progress seen while moving: ${seen.map((r) => r.progress.percent).join(', ')}`);
    const percents = moving.map((r) => r.progress.percent);
    assert.deepEqual(
      percents,
      [...percents].sort((a, b) => a - b),
      'progress only goes forward',
    );
    assert.ok(percents.some((p) => p > 0 && p < 100));
    const measured = moving.find((r) => r.progress.percent > 0 && r.progress.etaMs !== null);
    assert.ok(measured, 'an ETA once the move is under way');
    assert.ok(measured.progress.throughput > 0 && measured.progress.bytesMoved > 0);

    const after = await vm('sql01');
    assert.equal(after.Host, 'HV02');
    assert.equal(after.State, 'Running');
    assert.deepEqual(
      after.Adapters.map((a) => a.Switch),
      ['LAN1', 'LAN1'],
      'the Storage adapter is on LAN1 now',
    );
    assert.deepEqual(executor.running(), []);
    assert.equal(changes.at(-1), 0, 'onDidChange told the move ended');

    const journaled = JSON.parse(await readFile(join(journalDir, entries[0]), 'utf8')) as { record: MoveRecord };
    assert.equal(journaled.record.outcome?.phase, 'succeeded', 'the end is journaled');
    assert.ok(journaled.record.endedAt);
  });

  it('moves and cancels with a stored credential: every script takes it (CIM through a session made with it)', async function () {
    await reset(5);
    const web01 = await vm('web01');
    const executor = createMoveExecutor({
      runner: lab.pool,
      journalDir,
      pollIntervalMs: 150,
      credentialFor: () => ({ userName: 'CONTOSO\\admin', password: 'not logged' }),
    });
    executors.push(executor);
    const first = await executor.start(plan(web01, 'web01', 'HV02'));
    await first.cancel();
    assert.equal(first.record().outcome?.phase, 'cancelled', JSON.stringify(first.record().outcome));
    assert.deepEqual(first.record().outcome?.vmFoundOn, { host: 'HV01', state: 'Running' });
    await reset(1_000_000);
    const second = await executor.start(plan(web01, 'web01', 'HV02'));
    const done = await second.done;
    assert.equal(done.outcome?.phase, 'succeeded', JSON.stringify(done.outcome));
    assert.equal((await vm('web01')).Host, 'HV02');
  });

  it("a move from another host runs in that host's one persistent session: its start, each status read and the cancel one round trip each", async function () {
    // web01 on HV02, whose account may now delegate with any protocol, so it can move back to HV01 (this computer).
    await reset(
      1_000_000,
      [
        'Move-VM -Name web01 -ComputerName HV01 -DestinationHost HV02 -IncludeStorage',
        'Get-ADComputer -Identity HV02 | Set-ADAccountControl -TrustedToAuthForDelegation $true',
        'Set-HyperVLabTimeScale -TimeScale 1.5',
      ].join('\n'),
    );
    const web01 = await vm('web01');
    assert.equal(web01.Host, 'HV02');
    await lab.run('clear', 'param($Params)\nClear-HyperVLabTraffic');
    const pool = lab.openPool({}, 1);
    try {
      const executor = open({ pool });
      const move = await executor.start(plan(web01, 'web01', 'HV01'));
      await until(
        () => move.record().progress.phase,
        (p) => p === 'moving',
        'the move to run',
      );
      await move.cancel();
      assert.equal(move.record().outcome?.phase, 'cancelled', JSON.stringify(move.record().outcome));
      const traffic = await lab.run<{ Hosts: { Name: string; Connections: number; Calls: number }[] }>(
        'traffic',
        'param($Params)\nGet-HyperVLabTraffic',
      );
      const hv02 = traffic.Hosts.find((h) => h.Name === 'HV02');
      // Before the start, the start, a status read or more, the cancel, the last look: each a call in the one session.
      assert.equal(hv02?.Connections, 1, JSON.stringify(traffic));
      assert.ok((hv02?.Calls ?? 0) >= 4, JSON.stringify(traffic));
    } finally {
      await pool.dispose();
    }
  });

  it('a look near the end waits on the source until the job ends (jobStatus waitMs), so the end is seen without another poll', async function () {
    await reset(100);
    const sql01 = await vm('sql01');
    const storage = sql01.Adapters.find((a) => a.Switch === 'Storage');
    assert.ok(storage, 'sql01 has a Storage adapter');
    const move = await open().start(plan(sql01, 'sql01', 'HV02', { [storage.Id]: 'LAN1' }));
    // The move takes about 8 s here (time scale 100); from 75 % on it ends within the look's 5 s.
    await until(
      () => move.record().progress.percent,
      (p) => p >= 75,
      'the move to be three quarters done',
    );
    const look = (waitMs?: number) =>
      lab.pool.run(jobStatusScript, { vmId: sql01.Id, source: 'HV01', destination: 'HV02', locate: false, ...(waitMs && { waitMs }) });
    const now = await look();
    assert.ok(now.ok && now.data.jobs.some((j) => j.state === 4), `the job runs: ${JSON.stringify(now)}`);
    const waited = await look(5000);
    assert.ok(waited.ok, JSON.stringify(waited));
    assert.deepEqual(
      waited.data.jobs.map((j) => j.state),
      [7],
      'the look answered once the job had completed (JobState 7), not while it ran',
    );
    assert.equal(waited.data.located?.host, 'HV02', 'and found the VM where it went');
    await move.done;
  });

  it('ejects the ISO on the report copy and places the files where the plan says; the bytes are what the host moves', async function () {
    await reset(1_000_000);
    const build01 = await vm('build01');
    const dvd = await lab.run<string>(
      'dvd',
      `param($Params)\n$d = Get-VMDvdDrive -VMName build01 -ComputerName HV01\n'{0} {1}:{2}' -f $d.ControllerType, $d.ControllerNumber, $d.ControllerLocation`,
    );
    const executor = open();
    const planned = plan(build01, 'build01', 'HV02');
    const handle = await executor.start({ ...planned, request: { ...planned.request, storagePath: 'D:\\VMs\\build01' }, ejectDvd: [dvd] });
    const done = await handle.done;
    assert.equal(done.outcome?.phase, 'succeeded', JSON.stringify(done.outcome));
    assert.deepEqual(done.outcome?.vmFoundOn, { host: 'HV02', state: 'Off' });
    const moved = await lab.run<{ Iso: string | null; Path: string; Total: number }>(
      'moved',
      `param($Params)
$vm = Get-VM -Name build01 -ComputerName HV02
[pscustomobject]@{ Iso = (Get-VMDvdDrive -VM $vm).Path; Path = $vm.Path
    Total = @((Get-HyperVLabState).moves | Where-Object { $_.vmName -eq 'build01' -and $_.jobType -in 305, 306 })[0].totalBytes }`,
    );
    assert.deepEqual({ Iso: moved.Iso, Path: moved.Path }, { Iso: null, Path: 'D:\\VMs\\build01' });
    assert.equal(
      done.progress.bytesTotal,
      moved.Total,
      'VHD files (with parents) + checkpoints, no memory for an Off VM: what the lab moved',
    );
  });

  it('a cancel mid-move leaves the VM running on its source, and the outcome says so', async function () {
    await reset(100);
    const sql01 = await vm('sql01');
    const storage = sql01.Adapters.find((a) => a.Switch === 'Storage');
    assert.ok(storage);
    const executor = open();
    const handle = await executor.start(plan(sql01, 'sql01', 'HV02', { [storage.Id]: null }));
    await until(
      () => handle.record().progress.percent,
      (p) => p >= 3,
      'the move to be under way',
    );
    await handle.cancel();
    const done = handle.record();
    assert.equal(done.outcome?.phase, 'cancelled', JSON.stringify(done.outcome));
    assert.deepEqual(done.outcome?.vmFoundOn, { host: 'HV01', state: 'Running' });
    assert.match(done.outcome?.summary ?? '', /^The move was cancelled at \d+ %\. sql01 is still running on HV01\.$/);
    assert.ok(done.progress.percent >= 3 && done.progress.percent < 100, `${done.progress.percent}`);
    const after = await vm('sql01');
    assert.deepEqual([after.Host, after.State, after.Status], ['HV01', 'Running', 'Operating normally']);
    assert.deepEqual(
      after.Adapters.map((a) => a.Switch),
      ['LAN1', 'Storage'],
      'the plan never touched the VM itself',
    );
  });

  it('a fault at 40 % fails with the translated explanation, and the VM is confirmed running on its source', async function () {
    await reset(
      5,
      "Set-HyperVLabFault -ComputerName HV02 -FailMoveAtPercent 40 -Message 'Failed to establish a connection with host ''HV02'': A connection attempt failed. (0x8007274C)'",
    );
    const web01 = await vm('web01');
    const executor = open();
    const handle = await executor.start(plan(web01, 'web01', 'HV02'));
    const done = await handle.done;
    assert.equal(done.outcome?.phase, 'failed', JSON.stringify(done.outcome));
    assert.equal(done.progress.percent, 40);
    assert.equal(
      done.outcome?.failure?.message,
      "Failed to establish a connection with host 'HV02': A connection attempt failed. (0x8007274C)",
    );
    assert.match(done.outcome?.failure?.cause ?? '', /TCP 6600/);
    assert.match(done.outcome?.failure?.fix ?? '', /Allow TCP 6600 between the hosts/);
    assert.deepEqual(done.outcome?.vmFoundOn, { host: 'HV01', state: 'Running' });
    assert.match(done.outcome?.summary ?? '', /^The move failed at 40 %\. web01 is still running on HV01\.$/);
    assert.equal((await vm('web01')).Host, 'HV01');
  });

  it('what Compare-VM still finds, or Move-VM refuses, ends the move before it starts, explained, with the VM where it was', async function () {
    await reset(1_000_000, 'Move-VM -Name web01 -ComputerName HV01 -DestinationHost HV02 -IncludeStorage');
    const executor = open();

    const sql01 = await vm('sql01');
    const incompatible = await (await executor.start(plan(sql01, 'sql01', 'HV02'))).done;
    assert.equal(incompatible.outcome?.phase, 'failed');
    assert.match(
      incompatible.outcome?.failure?.message ?? '',
      /not compatible with physical computer 'HV02'\.\nCould not find Ethernet switch 'Storage'\. \(VMNetworkAdapter, MessageId 33012\)$/,
    );
    assert.match(incompatible.outcome?.failure?.fix ?? '', /Check the move again/);
    assert.deepEqual(incompatible.outcome?.vmFoundOn, { host: 'HV01', state: 'Running' });
    assert.match(incompatible.outcome?.summary ?? '', /^The move failed before it started\. sql01 is still running on HV01\.$/);

    // web01 is on HV02 now; HV02's delegation is "Kerberos only", so Move-VM itself refuses the way back.
    const web01 = await vm('web01');
    assert.equal(web01.Host, 'HV02');
    const refused = await (await executor.start(plan(web01, 'web01', 'HV01'))).done;
    assert.equal(refused.outcome?.phase, 'failed');
    assert.match(refused.outcome?.failure?.message ?? '', /No credentials are available in the security package \(0x8009030E\)\.$/);
    assert.match(refused.outcome?.failure?.fix ?? '', /TrustedToAuthForDelegation/);
    assert.deepEqual(refused.outcome?.vmFoundOn, { host: 'HV02', state: 'Running' });
  });

  it('after a reload, a new executor re-attaches to the running move and sees it finish', async function () {
    await reset(1.5);
    const web01 = await vm('web01');
    // Both windows' sessions are up before the move starts, so the reload is quick even under load.
    const poolA = lab.openPool({}, 1);
    const poolB = lab.openPool({}, 1);
    await Promise.all([poolA, poolB].map((p) => p.run(labScript('warm', 'param($Params)\n$null = Get-VMHost -ComputerName HV01'), {})));
    const a = open({ pool: poolA });
    const started = await a.start(plan(web01, 'web01', 'HV02'));
    await until(
      () => started.record().progress.phase,
      (p) => p === 'moving',
      'the move to run',
    );
    a.dispose();
    await poolA.dispose();

    const b = open({ pool: poolB });
    const recovered = await b.recover();
    assert.equal(recovered.length, 1);
    assert.equal(recovered[0].id, started.record().id);
    assert.equal(recovered[0].endedAt, undefined, `still running: ${JSON.stringify(recovered[0].progress)}`);
    const [handle] = b.running();
    assert.ok(handle, 're-attached');
    assert.equal(handle.record().id, started.record().id);
    const done = await handle.done;
    assert.equal(done.outcome?.phase, 'succeeded', JSON.stringify(done.outcome));
    assert.equal(done.progress.bytesTotal, started.record().progress.bytesTotal, 'the totals come back from the journal');
    assert.equal((await vm('web01')).Host, 'HV02');
    await poolB.dispose();
  });

  it('a move that ended while nobody watched is recorded with its outcome', async function () {
    await reset(1.5, "Set-HyperVLabFault -ComputerName HV02 -FailMoveAtPercent 40 -Message 'Ran out of memory (0x8007000E)'");
    const web01 = await vm('web01');
    const poolA = lab.openPool({}, 1);
    const a = open({ pool: poolA });
    const started = await a.start(plan(web01, 'web01', 'HV02'));
    await until(
      () => started.record().progress.phase,
      (p) => p === 'moving',
      'the move to run',
    );
    a.dispose();
    await poolA.dispose();
    const vmKey = web01.Id.toUpperCase();
    await until(
      () => lab.run<{ State: number }[]>('jobs', JOBS, { source: 'HV01', vmId: vmKey }),
      (jobs) => jobs.some((j) => j.State === 10),
      'the move to fail',
    );

    const b = open();
    const [record] = await b.recover();
    assert.equal(record.id, started.record().id);
    assert.ok(record.endedAt);
    assert.equal(record.outcome?.phase, 'failed');
    assert.equal(record.outcome?.failure?.message, 'Ran out of memory (0x8007000E)');
    assert.match(record.outcome?.failure?.cause ?? '', /enough free memory/);
    assert.deepEqual(record.outcome?.vmFoundOn, { host: 'HV01', state: 'Running' });
    assert.deepEqual(b.running(), []);
    const journaled = JSON.parse(await readFile(join(journalDir, `${record.id}.json`), 'utf8')) as { record: MoveRecord };
    assert.equal(journaled.record.outcome?.phase, 'failed', 'the end is journaled');
    assert.deepEqual(await b.recover(), [], 'nothing left to recover');
  });
});
