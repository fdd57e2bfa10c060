// A maintenance window on the default lab, through the fleet panel's jobs (vscode-free), the session layer and
// real pwsh: entering maintenance on HV01 moves every movable VM off it; placement never picks HV01 meanwhile;
// HV01 restarts (Restart-Computer); exiting returns the VMs, each checked again on HV01; a VM moved away by hand
// meanwhile (Move-VM to a third host) stays where it is.

import * as assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fleet } from '../../src/hyperv/fleet';
import { createMoveExecutor } from '../../src/migration/executor';
import { History, recordMoves } from '../../src/migration/history';
import { MaintenanceStore } from '../../src/migration/maintenance';
import type { MoveExecutor } from '../../src/migration/types';
import { DrainJob } from '../../src/panel/fleet/drainJob';
import type { FleetJobContext } from '../../src/panel/fleet/jobContext';
import { MaintenanceJob } from '../../src/panel/fleet/maintenanceJob';
import type { Logger } from '../../src/powershell/types';
import { createLab, type Lab } from '../support/labFixture';

const HOSTS = ['HV01', 'HV02', 'HV03', 'HV04', 'HV05', 'HV06'];
// The admin's stored credential, which a source hands on to the destination (README, Requirements).
const ADMIN = { userName: 'CONTOSO\\admin', password: 'not logged' };
const silent: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

const WHERE = `param($Params)
@(Get-VM -ComputerName $Params.hosts | ForEach-Object { [pscustomobject]@{ name = $_.Name; host = $_.ComputerName } })`;

// The fleet as an admin would have configured it for the window: HV02 may hand VMs on to HV01 and HV06 with any
// protocol (the default lab's HV02 delegates "Kerberos only", so nothing could go back from it).
const PREPARE = `param($Params)
$null = Reset-HyperVLab
Set-HyperVLabTimeScale -TimeScale 100
$hv02 = 'CN=HV02,OU=Hyper-V Hosts,DC=contoso,DC=lab'
Set-ADObject -Identity $hv02 -Add @{ 'msDS-AllowedToDelegateTo' = @('Microsoft Virtual System Migration Service/HV06', 'Microsoft Virtual System Migration Service/HV06.contoso.lab', 'cifs/HV06', 'cifs/HV06.contoso.lab') }
Set-ADAccountControl -Identity $hv02 -TrustedToAuthForDelegation $true`;

// HV01 restarts (its patch), and is waited for until it answers again.
const SWITCHES = `param($Params)
@(Get-VM -ComputerName HV01 -Name sql01 | Get-VMNetworkAdapter | ForEach-Object { '{0}={1}' -f $_.Name, $_.SwitchName })`;

const RESTART = `param($Params)
Restart-Computer -ComputerName HV01
$down = $null -eq (Get-VMHost -ComputerName HV01 -ErrorAction SilentlyContinue)
$clock = [System.Diagnostics.Stopwatch]::StartNew()
do {
    Start-Sleep -Milliseconds 200
    $up = Get-VMHost -ComputerName HV01 -ErrorAction SilentlyContinue
} until ($up -or $clock.ElapsedMilliseconds -gt 60000)
[pscustomobject]@{ down = $down; up = [bool]$up }`;

// HV01's patch: it restarts into a newer build (down for 5 real seconds at the time scale of 100).
const PATCH = `param($Params)
Set-HyperVLabHost -ComputerName HV01 -RestartSeconds 500 -NextBoot @{ OsVersion = '10.0.26100'; OsName = 'Windows Server 2025 Datacenter'; SupportedVersions = @('9.0', '10.0', '11.0', '12.0'); DefaultVersion = '12.0' }
Restart-Computer -ComputerName HV01`;

const UP = `param($Params)
$clock = [System.Diagnostics.Stopwatch]::StartNew()
do {
    Start-Sleep -Milliseconds 200
    $up = Get-VMHost -ComputerName HV01 -ErrorAction SilentlyContinue
} until ($up -or $clock.ElapsedMilliseconds -gt 60000)
[string]((Get-CimInstance -ClassName Win32_OperatingSystem -ComputerName HV01).Version)`;

// web01 moved by hand to a third host while HV01 is in maintenance.
const BY_HAND = `param($Params)
Move-VM -ComputerName HV02 -Name web01 -DestinationHost HV06 -IncludeStorage -DestinationStoragePath 'C:\\ClusterStorage\\Volume1\\web01'`;

async function until(what: string, probe: () => boolean, state: () => unknown = () => ''): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(state())}`);
}

describe('maintenance window on the lab', function () {
  let lab: Lab;
  let dir: string;
  let executor: MoveExecutor | undefined;
  let jobs: { drain: DrainJob; maintenance: MaintenanceJob } | undefined;
  let recording: { dispose(): void } | undefined;

  const where = async (): Promise<Map<string, string>> =>
    new Map((await lab.run<{ name: string; host: string }[]>('where', WHERE, { hosts: HOSTS })).map((vm) => [vm.name, vm.host]));

  before(async function () {
    lab = await createLab({ size: 2 });
  });

  beforeEach(async function () {
    dir = await mkdtemp(join(tmpdir(), 'hyperv-maintenance-lab-'));
  });

  afterEach(async function () {
    jobs?.maintenance.dispose();
    jobs?.drain.dispose();
    recording?.dispose();
    executor?.dispose();
    jobs = undefined;
    executor = undefined;
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  after(async function () {
    await lab?.dispose();
  });

  function open() {
    const fleet = new Fleet(() => Promise.resolve({ runner: lab.pool, hosts: HOSTS.map((name) => ({ name })) }));
    executor = createMoveExecutor({ runner: lab.pool, journalDir: join(dir, 'moves'), pollIntervalMs: 100, credentialFor: () => ADMIN });
    const store = new MaintenanceStore(join(dir, 'maintenance'));
    // The history as the extension keeps it: every move the executor ends, and the jobs' own entries.
    const history = new History(join(dir, 'history'));
    recording = recordMoves(executor, history);
    const told: string[] = [];
    const ctx: FleetJobContext = {
      deps: {
        fleet,
        runner: lab.pool,
        executor,
        isLab: () => true,
        logger: silent,
        credential: () => Promise.resolve(ADMIN),
        haJournalDir: join(dir, 'ha'),
        drainJournalDir: join(dir, 'drains'),
        maintenance: store,
        history,
      },
      ui: { confirm: () => Promise.resolve(true) },
      ask: () => Promise.resolve(undefined),
      tell: (_level, message) => told.push(message),
      openScript: () => Promise.resolve(),
      savePlan: () => Promise.resolve(),
      reveal: () => undefined,
      activate: () => undefined,
      background: (_what, work) => void work.catch(() => undefined),
      reportFailure: () => undefined,
      changed: () => undefined,
    };
    const drain = new DrainJob(ctx);
    jobs = { drain, maintenance: new MaintenanceJob(ctx, drain) };
    return { ...jobs, fleet, store, told, history };
  }

  it('enter moves every movable VM off HV01, placement never picks HV01 meanwhile, HV01 restarts, exit returns the VMs but not one moved away by hand', async function () {
    this.timeout(300_000);
    await lab.run('prepare', PREPARE);
    const s = open();
    const switchesBefore = await lab.run<string[]>('switches', SWITCHES);

    await s.maintenance.enter('HV01');
    assert.equal((await s.store.get('HV01'))?.state, 'entering');
    assert.deepEqual(
      s.drain.view()?.placements.map((p) => p.vmName),
      ['web01', 'sql01', 'build01'],
      JSON.stringify(s.drain.view()?.unmovable),
    );
    await s.drain.handle({ type: 'drainStart' });
    await s.maintenance.whenDone();
    await s.drain.whenDrained();
    const off = await where();
    for (const vm of ['web01', 'sql01', 'build01'])
      assert.notEqual(
        off.get(vm),
        'HV01',
        `${vm} left HV01: ${s.drain.view()?.summary?.text ?? ''} ${JSON.stringify(s.maintenance.view()?.hosts[0]?.notMoved)}`,
      );
    const entry = await s.store.get('HV01');
    assert.equal(entry?.state, 'in-maintenance');
    assert.deepEqual(entry?.origins.map((o) => o.vmName).sort(), ['build01', 'sql01', 'web01']);
    assert.deepEqual(s.maintenance.view()?.hosts[0]?.notMoved, []);

    // Placement never picks HV01 while it is in maintenance: app02 (HV02) has nowhere else to go, and is not sent there.
    const app02 = s.fleet.vms().find((vm) => vm.name === 'app02');
    assert.ok(app02);
    await s.drain.migrateMany([app02]);
    const rated = [...(s.drain.view()?.placements ?? []), ...(s.drain.view()?.unmovable ?? [])][0];
    assert.deepEqual(
      rated?.candidates.filter((c) => c.host === 'HV01').map((c) => [c.ready, c.blockers]),
      [[false, ['HV01 is in maintenance: no VM is placed on it until it leaves maintenance.']]],
    );
    assert.notEqual(s.drain.view()?.placements[0]?.destination, 'HV01');
    await s.drain.migrateMany([app02], 'HV01');
    assert.deepEqual(s.drain.view()?.placements, [], 'not even when asked for by name');

    // The patch: HV01 restarts; meanwhile web01 is moved to HV06 by hand.
    const restart = await lab.run<{ down: boolean; up: boolean }>('restart', RESTART);
    assert.deepEqual(restart, { down: true, up: true });
    await lab.run('by-hand', BY_HAND);

    await s.maintenance.exit('HV01');
    assert.equal((await s.store.get('HV01'))?.state, 'in-maintenance', 'its return is only planned: nothing goes back yet');
    assert.deepEqual(
      s.drain
        .view()
        ?.placements.map((p) => [p.vmName, p.destination])
        .sort(),
      [
        ['build01', 'HV01'],
        ['sql01', 'HV01'],
      ],
      JSON.stringify(s.drain.view()?.unmovable.map((u) => u.why)),
    );
    assert.deepEqual(
      s.maintenance.view()?.hosts[0]?.movedAway.map((m) => [m.vmName, m.now]),
      [['web01', 'HV06']],
    );
    await s.drain.handle({ type: 'drainStart' });
    await s.maintenance.whenDone();
    await s.drain.whenDrained();

    const back = await where();
    assert.equal(back.get('sql01'), 'HV01');
    assert.deepEqual(await lab.run<string[]>('switches', SWITCHES), switchesBefore, "sql01's adapters are on their switches again");
    assert.equal(back.get('build01'), 'HV01');
    assert.equal(back.get('web01'), 'HV06', 'moved away by hand: it stays where the admin put it');
    assert.equal(await s.store.get('HV01'), undefined, 'HV01 is out of maintenance');
    assert.match(s.told.at(-1) ?? '', /^HV01 is out of maintenance; these VMs did not go back: web01 \(moved to HV06 by hand meanwhile/);

    // The history holds every move the extension made, with its numbers (web01's move by hand is not one of them).
    const moves = async () => (await s.history.list()).filter((e) => e.kind === 'move');
    for (let i = 0; i < 100 && (await moves()).length < 5; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    const recorded = await moves();
    assert.deepEqual(
      recorded.map((e) => `${e.vm} ${e.source} → ${e.destination} ${e.outcome}`).sort(),
      [
        `build01 HV01 → ${off.get('build01')} succeeded`,
        `build01 ${off.get('build01')} → HV01 succeeded`,
        `sql01 HV01 → ${off.get('sql01')} succeeded`,
        `sql01 ${off.get('sql01')} → HV01 succeeded`,
        `web01 HV01 → ${off.get('web01')} succeeded`,
      ].sort(),
    );
    for (const entry of recorded) {
      assert.ok(entry.bytes > 0 && entry.durationMs > 0 && entry.throughput > 0, JSON.stringify(entry));
      assert.ok(entry.ranBy.user.length > 0, 'who ran it');
    }
    const kinds = new Set((await s.history.list()).map((e) => e.kind));
    assert.ok(kinds.has('maintenance') && kinds.has('return'), [...kinds].join(', '));
  });

  it('rolling: HV01 drained, then waited for while it is patched; Host Is Back pressed too early waits again; once it is up its VMs go back', async function () {
    this.timeout(300_000);
    await lab.run('prepare', PREPARE);
    const s = open();
    await s.maintenance.maintain(['HV01']);
    await s.drain.handle({ type: 'drainStart' });
    await until('waiting for HV01', () => s.maintenance.view()?.waitingFor === 'HV01');
    await s.drain.whenDrained();
    const off = await where();
    for (const vm of ['web01', 'sql01', 'build01']) assert.notEqual(off.get(vm), 'HV01', `${vm} left HV01`);
    assert.equal((await s.store.get('HV01'))?.state, 'in-maintenance');

    await lab.run('patch', PATCH);
    await s.maintenance.handle({ type: 'maintenanceHostIsBack', host: 'HV01' });
    await until(
      'waiting for HV01 again',
      () => /could not be read yet/.test(s.maintenance.view()?.hosts[0]?.detail ?? '') && s.maintenance.view()?.waitingFor === 'HV01',
      () => [s.maintenance.view(), s.drain.view()?.phase, s.drain.view()?.error],
    );
    assert.equal((await s.store.get('HV01'))?.state, 'in-maintenance', 'still in maintenance while it is down');

    assert.equal(await lab.run<string>('up', UP), '10.0.26100', 'HV01 is back on its new build');
    await s.maintenance.handle({ type: 'maintenanceHostIsBack', host: 'HV01' });
    await until('the return planned', () => s.drain.view()?.phase === 'planned' && s.drain.view()?.placements[0]?.destination === 'HV01');
    await s.drain.handle({ type: 'drainStart' });
    await s.maintenance.whenDone();
    await s.drain.whenDrained();
    const back = await where();
    for (const vm of ['web01', 'sql01', 'build01']) assert.equal(back.get(vm), 'HV01', `${vm} is back on HV01`);
    assert.equal(await s.store.get('HV01'), undefined);
    assert.equal(s.maintenance.view()?.phase, 'ended');
  });
});
