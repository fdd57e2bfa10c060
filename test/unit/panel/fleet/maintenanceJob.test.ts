// Maintenance windows as the fleet panel runs them, driven as its webview drives them (view() and the messages
// handle() takes; the drain's Start is the drain view's), with the fake only at the PowerShell boundary: a small
// fleet whose VMs really change host when the move script runs, read by the real inventory, placement, preflight,
// executor, queue and maintenance store.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DrainJournal } from '../../../../src/migration/drainJournal';
import { createMoveExecutor, type JobView, type StartAnswer, type StatusAnswer } from '../../../../src/migration/executor';
import { closedHosts, MaintenanceStore } from '../../../../src/migration/maintenance';
import type { MoveExecutor } from '../../../../src/migration/types';
import { DrainJob } from '../../../../src/panel/fleet/drainJob';
import { MaintenanceJob } from '../../../../src/panel/fleet/maintenanceJob';
import { FakeRunner, ok } from '../../../support/fakeRunner';
import { fleetAnswer, hostJson, unreachableFacts, vmJson } from '../../../support/inventoryData';
import { destinationAnswer, GB, hostSettings, sourceAnswer } from '../../../support/preflightData';
import { fakeContext } from './fakeContext';

const HOSTS = ['HV01', 'HV02', 'HV03'];

/** The fleet the fake PowerShell answers for: where each VM is, and how much memory it takes. */
class World {
  readonly where = new Map<string, string>();
  readonly memory = new Map<string, number>();
  readonly names = new Map<string, string>();
  /** Memory free per host (default 128 GB), e.g. less on a host after its patch. */
  readonly free = new Map<string, number>();
  /** Hosts that answer nothing (restarting). */
  readonly down = new Set<string>();
  /** While set, a move starts only once it resolves. */
  hold: Promise<void> | undefined;
  private jobs = 0;
  private readonly lastJob = new Map<string, string>();

  readonly versions = new Map<string, string>();

  vm(name: string, host: string, memoryGB = 4, version = '10.0'): string {
    const id = vmJson(name, host).id as string;
    this.where.set(id, host);
    this.memory.set(id, memoryGB * GB);
    this.names.set(id, name);
    if (version !== '10.0') this.versions.set(id, version);
    return id;
  }

  on(host: string): string[] {
    return [...this.where].filter(([, h]) => h === host).map(([id]) => id);
  }

  runner(): FakeRunner {
    const job = (id: string, state: number, percent: number): JobView => ({
      id,
      state,
      percent,
      elapsedMs: 1000,
      startTime: new Date().toISOString(),
      errorDescription: null,
    });
    return new FakeRunner()
      .answer(
        'getFleetInventory',
        fleetAnswer((name) =>
          this.down.has(name)
            ? { error: unreachableFacts(name) }
            : {
                host: hostJson(name, { memoryFree: this.free.get(name) ?? 128 * GB }),
                vms: this.on(name).map((id) => {
                  const mem = this.memory.get(id) ?? 0;
                  return vmJson(this.names.get(id) ?? id, name, {
                    id,
                    memoryStartup: mem,
                    memoryAssigned: mem,
                    version: this.versions.get(id) ?? '10.0',
                  });
                }),
              },
        ),
      )
      .answer('placementFacts', (p) =>
        ok({
          linkSpeedBps: 10_000_000_000,
          vms: (p as { VmIds: string[] }).VmIds.map((id) => ({
            id,
            memoryBytes: this.memory.get(id) ?? 0,
            diskBytes: 14 * GB,
            checkpointBytes: 0,
            vhdCount: 1,
          })),
        }),
      )
      .answer('preflightSource', (p) => {
        const { VmId, Source } = p as { VmId: string; Source: string };
        return ok(
          sourceAnswer((d) => {
            d.host = { ...hostSettings(Source), isLocal: false };
            d.vm = {
              ...d.vm,
              id: VmId,
              name: this.names.get(VmId),
              memoryStartup: this.memory.get(VmId),
              memoryAssigned: this.memory.get(VmId),
            };
            (d as unknown as { account: { allowedToDelegateTo: string[] } }).account.allowedToDelegateTo = HOSTS.flatMap((h) => [
              `Microsoft Virtual System Migration Service/${h}`,
              `Microsoft Virtual System Migration Service/${h}.contoso.lab`,
              `cifs/${h}`,
              `cifs/${h}.contoso.lab`,
            ]);
          }),
        );
      })
      .answer('preflightDestination', (p) => {
        const { Destination } = p as { Destination: string };
        return ok(
          destinationAnswer((d) => {
            d.host = { ...d.host, ...hostSettings(Destination), memoryFree: this.free.get(Destination) ?? 128 * GB };
            (d as unknown as { account: { name: string } }).account.name = Destination;
          }),
        );
      })
      .answer('moveStart', async (p) => {
        await this.hold;
        const { vmId, destination } = p as { vmId: string; destination: string };
        const id = `JOB-${++this.jobs}`;
        this.lastJob.set(vmId, id);
        this.where.set(vmId, destination);
        const started: StartAnswer = {
          started: true,
          jobId: id,
          priorJobIds: [],
          storagePath: 'D:\\Hyper-V',
          memoryBytes: this.memory.get(vmId) ?? 0,
          diskBytes: 14 * GB,
          checkpointBytes: 0,
          failure: null,
          cleanupProblem: null,
          incompatibilities: [],
        };
        return ok(started);
      })
      .answer('jobStatus', (p) => {
        const { vmId } = p as { vmId: string };
        const id = this.lastJob.get(vmId);
        const host = this.where.get(vmId) ?? 'HV01';
        const answer: StatusAnswer = {
          jobs: id ? [job(id, 7, 100)] : [],
          located: { host, state: 'Running', status: 'Operating normally' },
          lookupProblems: [],
        };
        return ok(answer);
      });
  }
}

async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = await probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('fleet panel: maintenance', function () {
  let dir: string;
  let executor: MoveExecutor | undefined;
  let jobs: { drain: DrainJob; maintenance: MaintenanceJob } | undefined;

  beforeEach(async function () {
    dir = await mkdtemp(join(tmpdir(), 'hyperv-maintenance-job-'));
  });

  afterEach(async function () {
    jobs?.maintenance.dispose();
    jobs?.drain.dispose();
    executor?.dispose();
    jobs = undefined;
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 });
  });

  function setup(world: World) {
    const runner = world.runner();
    executor = createMoveExecutor({ runner, journalDir: join(dir, 'moves'), pollIntervalMs: 5 });
    const store = new MaintenanceStore(join(dir, 'maintenance'), undefined, join(dir, 'drains'));
    const asked: string[] = [];
    const { ctx, recorded, fleet } = fakeContext({ runner, hosts: HOSTS, executor, journalDir: join(dir, 'drains'), maintenance: store });
    const context = {
      ...ctx,
      ask: (message: string) => {
        asked.push(message);
        return Promise.resolve(undefined);
      },
    };
    const drain = new DrainJob(context);
    jobs = { drain, maintenance: new MaintenanceJob(context, drain) };
    return { ...jobs, store, recorded, asked, fleet };
  }

  it('enter: the host is marked, its drain shown before anything moves; each VM that left is recorded, what could not move is listed and told', async function () {
    const world = new World();
    const web = world.vm('web01', 'HV01');
    const sql = world.vm('sql01', 'HV01', 8);
    world.vm('old01', 'HV01', 2, '99.0');
    const app = world.vm('app01', 'HV02');
    const s = setup(world);

    await s.maintenance.enter('HV01');
    assert.equal((await s.store.get('HV01'))?.state, 'entering');
    assert.deepEqual(
      s.drain.view()?.placements.map((p) => p.vmName),
      ['web01', 'sql01'],
    );
    assert.deepEqual(
      s.drain.view()?.unmovable.map((u) => u.vmName),
      ['old01'],
    );
    assert.equal(world.where.get(web), 'HV01', 'nothing moves before the admin starts it');
    assert.equal(s.maintenance.view()?.hosts[0]?.step, 'entering');

    await s.drain.handle({ type: 'drainStart' });
    await s.maintenance.whenDone();
    assert.notEqual(world.where.get(web), 'HV01');
    assert.notEqual(world.where.get(sql), 'HV01');
    const entry = await s.store.get('HV01');
    assert.equal(entry?.state, 'in-maintenance');
    assert.deepEqual(
      entry?.origins.map((o) => [o.vmName, o.movedTo]).sort(),
      [
        ['sql01', world.where.get(sql)],
        ['web01', world.where.get(web)],
      ].sort(),
    );
    assert.deepEqual(
      entry?.origins.find((o) => o.vmName === 'web01')?.switches,
      { [`Microsoft:${web.toUpperCase()}\\AA000000-0000-0000-0000-000000000001`]: 'LAN1' },
      'with its switch on HV01 before it left, for its return',
    );
    const host = s.maintenance.view()?.hosts[0];
    assert.equal(host?.step, 'done');
    assert.deepEqual(
      host?.notMoved.map((n) => n.vmName),
      ['old01'],
    );
    assert.match(host?.notMoved[0]?.why ?? '', /Configuration version 99\.0 is not supported/);
    assert.match(s.recorded.told.at(-1)?.message ?? '', /^HV01 is in maintenance; these VMs could not move and are still on it: old01 \(/);

    // Placement never picks HV01 while it is in maintenance, even for a VM that could go nowhere else.
    const app01 = s.fleet.vms().find((vm) => vm.id === app);
    assert.ok(app01);
    await s.drain.migrateMany([app01], 'HV01');
    assert.deepEqual(s.drain.view()?.placements, []);
    assert.match(s.drain.view()?.unmovable[0]?.why ?? '', /HV01 is in maintenance/);
  });

  it('exit: the host is read again and each VM goes back through the checks and the queue; one moved away by hand stays unless the admin says Return anyway; one that cannot go back is listed with why', async function () {
    const world = new World();
    const web = world.vm('web01', 'HV01');
    const sql = world.vm('sql01', 'HV01');
    const big = world.vm('big01', 'HV01', 64);
    const s = setup(world);
    await s.maintenance.enter('HV01');
    await s.drain.handle({ type: 'drainStart' });
    await s.maintenance.whenDone();
    assert.equal((await s.store.get('HV01'))?.origins.length, 3);

    // Meanwhile: sql01 moved to another host by hand; HV01 patched, with less memory free than before.
    const byHand = [...HOSTS].find((h) => h !== 'HV01' && h !== world.where.get(sql)) ?? 'HV03';
    world.where.set(sql, byHand);
    world.free.set('HV01', 16 * GB);

    await s.maintenance.handle({ type: 'maintenanceExit', host: 'HV01' });
    assert.equal((await s.store.get('HV01'))?.state, 'in-maintenance', 'its return is only planned: nothing goes back yet');
    assert.deepEqual(
      s.drain.view()?.placements.map((p) => [p.vmName, p.destination]),
      [['web01', 'HV01']],
      'sql01 is not planned back without asking',
    );
    assert.match(s.drain.view()?.unmovable[0]?.why ?? '', /big01/);
    assert.deepEqual(
      s.maintenance.view()?.hosts[0]?.movedAway.map((m) => [m.vmName, m.now, m.returning]),
      [['sql01', byHand, false]],
    );

    await s.maintenance.handle({ type: 'maintenanceReturnAnyway', vmId: sql });
    assert.deepEqual(
      s.drain.view()?.placements.map((p) => p.vmName),
      ['web01', 'sql01'],
    );
    await s.drain.handle({ type: 'drainStart' });
    await s.maintenance.whenDone();

    assert.equal(world.where.get(web), 'HV01');
    assert.equal(world.where.get(sql), 'HV01');
    assert.notEqual(world.where.get(big), 'HV01');
    assert.equal(await s.store.get('HV01'), undefined, 'out of maintenance');
    const host = s.maintenance.view()?.hosts[0];
    assert.deepEqual([...(host?.returned ?? [])].sort(), ['sql01', 'web01']);
    assert.deepEqual(
      host?.notMoved.map((n) => n.vmName),
      ['big01'],
    );
    assert.match(host?.notMoved[0]?.why ?? '', /Memory: HV01 has 16 GB free; big01 needs 64 GB/);
  });

  it('rolling: each host in turn, waiting for the admin between (Host Is Back); pause holds the next step; cancel stops and leaves each mark as it is', async function () {
    const world = new World();
    const web = world.vm('web01', 'HV01');
    const app = world.vm('app01', 'HV02');
    const s = setup(world);

    await s.maintenance.maintain(['HV01', 'HV02']);
    assert.deepEqual(s.maintenance.waitingHosts(), [], 'nothing waits while HV01 is drained');
    await s.drain.handle({ type: 'drainStart' });
    await until('waiting for HV01', () => s.maintenance.view()?.waitingFor === 'HV01');
    assert.deepEqual(s.maintenance.waitingHosts(), ['HV01'], 'Host Is Back is offered for HV01 alone');
    assert.equal(s.maintenance.view()?.phase, 'waiting');
    assert.deepEqual(s.asked, ['Waiting for HV01: patch and restart it, then press Host Is Back.']);
    assert.equal((await s.store.get('HV01'))?.state, 'in-maintenance');
    assert.notEqual(world.where.get(web), 'HV01');
    await assert.rejects(() => s.maintenance.handle({ type: 'maintenanceHostIsBack', host: 'HV02' }), /No maintenance run waits for HV02/);

    await s.maintenance.handle({ type: 'maintenancePause' });
    assert.equal(s.maintenance.view()?.phase, 'paused');
    await s.maintenance.handle({ type: 'maintenanceHostIsBack', host: 'HV01' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal((await s.store.get('HV01'))?.state, 'in-maintenance', 'paused: HV01 is not read again yet');
    assert.equal(s.maintenance.view()?.hosts[0]?.step, 'waiting', 'paused: HV01 is not read again yet');
    await s.maintenance.handle({ type: 'maintenanceResume' });

    await until('the return planned', () => s.drain.view()?.phase === 'planned' && s.drain.view()?.placements[0]?.destination === 'HV01');
    await s.drain.handle({ type: 'drainStart' });
    await until('HV02 entering', () => s.maintenance.view()?.hosts[1]?.step === 'entering' && s.drain.view()?.phase === 'planned');
    assert.equal(world.where.get(web), 'HV01', 'web01 is back');
    assert.equal(await s.store.get('HV01'), undefined);
    assert.equal(s.maintenance.view()?.hosts[0]?.step, 'done');

    await s.maintenance.handle({ type: 'maintenanceCancel' });
    await s.maintenance.whenDone();
    assert.equal(s.maintenance.view()?.phase, 'cancelled');
    assert.equal(s.maintenance.view()?.hosts[1]?.step, 'stopped');
    assert.equal((await s.store.get('HV02'))?.state, 'entering', 'the mark stays: the admin can exit later');
    assert.equal(world.where.get(app), 'HV02', 'its drain never started');
  });

  /** web01 on HV01, app01 on HV02; HV01 put in maintenance (web01 drained off it), then its exit planned, not started. */
  async function returnPlanned(world: World) {
    const web = world.vm('web01', 'HV01');
    const app = world.vm('app01', 'HV02');
    const s = setup(world);
    await s.maintenance.enter('HV01');
    await s.drain.handle({ type: 'drainStart' });
    await s.maintenance.whenDone();
    await s.maintenance.exit('HV01');
    assert.deepEqual(
      s.drain.view()?.placements.map((p) => [p.vmName, p.destination]),
      [['web01', 'HV01']],
    );
    return { s, web, app };
  }

  /** Exit Maintenance… on HV01 and its return started: web01 is back, HV01 out of maintenance. */
  async function exitHV01(s: ReturnType<typeof setup>, world: World, web: string): Promise<void> {
    await s.maintenance.exit('HV01');
    await s.drain.handle({ type: 'drainStart' });
    await s.maintenance.whenDone();
    assert.equal(world.where.get(web), 'HV01');
    assert.equal(await s.store.get('HV01'), undefined, 'out of maintenance');
  }

  /** Whether placement puts the VM on HV01 when asked for it by name (a host in maintenance is rated so). */
  async function placedOnHV01(s: ReturnType<typeof setup>, vmId: string): Promise<boolean> {
    const vm = s.fleet.vms().find((v) => v.id === vmId);
    assert.ok(vm);
    await s.drain.migrateMany([vm], 'HV01');
    const placed = s.drain.view()?.placements.some((p) => p.destination === 'HV01') ?? false;
    if (!placed) assert.match(s.drain.view()?.unmovable[0]?.why ?? '', /HV01 is in maintenance/);
    return placed;
  }

  it('exit whose return was planned but never started (the run cancelled): the host stays in maintenance, closed to placement; Exit again returns its VMs', async function () {
    const world = new World();
    const { s, web, app } = await returnPlanned(world);
    await s.maintenance.handle({ type: 'maintenanceCancel' });
    await s.maintenance.whenDone();
    assert.equal(s.maintenance.view()?.hosts[0]?.step, 'stopped');
    assert.equal((await s.store.get('HV01'))?.state, 'in-maintenance', 'nothing went back: the mark says in maintenance');
    assert.equal(await placedOnHV01(s, app), false, 'no VM is placed on it');

    await exitHV01(s, world, web);
    assert.equal(await placedOnHV01(s, app), true, 'out of maintenance, it takes VMs again');
  });

  /** VS Code reloaded: this window's jobs and executor go away; the next window is set up again. */
  function reload(s: ReturnType<typeof setup>): void {
    s.maintenance.dispose();
    s.drain.dispose();
    executor?.dispose();
  }

  it('exit whose return was planned but never started (VS Code reloaded): the next window reads the host as in maintenance, closed to placement, and can exit it', async function () {
    const world = new World();
    const first = await returnPlanned(world);
    // The reload: this window's jobs end with the return's plan never started; the next window has its own.
    reload(first.s);

    const s = setup(world);
    assert.equal((await s.store.get('HV01'))?.state, 'in-maintenance');
    await s.fleet.refresh();
    assert.equal(await placedOnHV01(s, first.app), false, 'no VM is placed on it');
    await exitHV01(s, world, first.web);
  });

  it("exit: the mark says its VMs are going back once the return's moves start, and no other VM is placed on it until they are back", async function () {
    const world = new World();
    const { s, web } = await returnPlanned(world);
    assert.equal((await s.store.get('HV01'))?.state, 'in-maintenance', 'only planned: nothing goes back yet');
    let release: () => void = () => undefined;
    world.hold = new Promise<void>((resolve) => (release = resolve));
    await s.drain.handle({ type: 'drainStart' });
    await until('the mark exiting', async () => (await s.store.get('HV01'))?.state === 'exiting');
    assert.deepEqual(closedHosts(await s.store.list()), ['HV01'], 'closed to placement while its VMs go back');
    release();
    await s.maintenance.whenDone();
    assert.equal(world.where.get(web), 'HV01');
    assert.equal(await s.store.get('HV01'), undefined);
  });

  /** HV01's return started, its moves held: the mark says its VMs are going back, naming the return's drain. */
  async function returnHeld(world: World) {
    const { s, web } = await returnPlanned(world);
    let release: () => void = () => undefined;
    world.hold = new Promise<void>((resolve) => (release = resolve));
    await s.drain.handle({ type: 'drainStart' });
    const mark = await until('the mark exiting', async () => (await s.store.marks()).find((m) => m.state === 'exiting'));
    const journaled = await new DrainJournal(join(dir, 'drains')).list();
    assert.equal(mark.returnDrain, journaled.at(-1)?.id, "the mark names the return's drain");
    assert.equal(mark.returnRunning, true);
    return { s, web, release };
  }

  /** Exit Maintenance… again, web01's move (started before the return stopped) having brought it back: the mark is gone. */
  async function exitFindsItBack(s: ReturnType<typeof setup>): Promise<void> {
    await s.maintenance.exit('HV01');
    await s.maintenance.whenDone();
    assert.deepEqual(s.maintenance.view()?.hosts[0]?.returned, ['web01']);
    assert.equal(await s.store.get('HV01'), undefined, 'out of maintenance');
  }

  it('exit whose return was cancelled while its VMs went back: the mark says its return is not running, the host stays closed; Exit again finishes it', async function () {
    const world = new World();
    const { s, release } = await returnHeld(world);
    // The cancel comes once web01's move has started: that move goes on (the queue cancels moves, not their start).
    const cancelled = s.maintenance.handle({ type: 'maintenanceCancel' });
    release();
    await cancelled;
    await s.maintenance.whenDone();
    assert.equal(s.maintenance.view()?.phase, 'cancelled');
    const mark = await until('the return seen ended', async () => (await s.store.marks()).find((m) => m.returnRunning === false));
    assert.equal(mark.state, 'exiting');
    assert.deepEqual(closedHosts(await s.store.list()), ['HV01'], 'still closed to placement');

    await exitFindsItBack(s);
  });

  it('exit reloaded while its VMs went back, the return not resumed: the next window reads the mark as a return not running, and can exit it', async function () {
    const world = new World();
    const first = await returnHeld(world);
    reload(first.s);
    first.release();
    await until('web01 moved back on its host', () => world.where.get(first.web) === 'HV01');
    // The next extension host: the drain's journal names the one that went away.
    const journal = new DrainJournal(join(dir, 'drains'));
    const entry = (await journal.list()).at(-1);
    assert.ok(entry);
    await journal.write({ ...entry, pid: spawnSync(process.execPath, ['-e', '']).pid });

    const s = setup(world);
    const marks = await s.store.marks();
    assert.deepEqual(
      marks.map((m) => [m.host, m.state, m.returnRunning]),
      [['HV01', 'exiting', false]],
    );
    await exitFindsItBack(s);
  });

  it('rolling: Host Is Back pressed while the host is still down waits again, saying why, the host still in maintenance; once it answers its VMs go back', async function () {
    const world = new World();
    const web = world.vm('web01', 'HV01');
    const s = setup(world);
    await s.maintenance.maintain(['HV01']);
    await s.drain.handle({ type: 'drainStart' });
    await until('waiting for HV01', () => s.maintenance.view()?.waitingFor === 'HV01');
    const drained = s.drain.view()?.subject;

    world.down.add('HV01');
    await s.maintenance.handle({ type: 'maintenanceHostIsBack', host: 'HV01' });
    await until('waiting for HV01 again', () => s.asked.length === 2 && s.maintenance.view()?.waitingFor === 'HV01');
    const why = /^HV01 could not be read yet \(.+\): press Host Is Back once it is up\.$/;
    assert.match(s.asked[1] ?? '', why, 'the admin is asked again, with why');
    assert.match(s.maintenance.view()?.hosts[0]?.detail ?? '', why);
    assert.equal(s.maintenance.view()?.hosts[0]?.step, 'waiting');
    assert.equal(s.maintenance.view()?.phase, 'waiting');
    assert.deepEqual(s.maintenance.waitingHosts(), ['HV01'], 'Host Is Back is offered again');
    assert.equal((await s.store.get('HV01'))?.state, 'in-maintenance', 'still in maintenance while it is down');
    assert.equal(s.drain.view()?.subject, drained, 'no return is planned');
    assert.notEqual(world.where.get(web), 'HV01');

    world.down.delete('HV01');
    await s.maintenance.handle({ type: 'maintenanceHostIsBack', host: 'HV01' });
    await until('the return planned', () => s.drain.view()?.phase === 'planned' && s.drain.view()?.placements[0]?.destination === 'HV01');
    await s.drain.handle({ type: 'drainStart' });
    await s.maintenance.whenDone();
    assert.equal(world.where.get(web), 'HV01', 'web01 is back');
    assert.equal(await s.store.get('HV01'), undefined);
    assert.equal(s.maintenance.view()?.phase, 'ended');
  });
});
