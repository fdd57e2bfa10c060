// Maintenance windows in the fleet panel. Enter: the host is marked (no VM is placed on it from then on), then
// drained through the drain job (its plan shown, the admin starts it), each VM that left recorded with where it
// went; the host is in maintenance once the drain ended, with what could not move listed. Exit: the host is
// read again (it may have been patched), each VM that left it is planned back to it through placement and its
// checks, then the queue; a VM moved elsewhere by hand meanwhile goes back only if the admin says so. Rolling:
// enter, wait for the admin to say the host is back, exit, then the next host. No 'vscode' here: the panel
// renders `view()` and routes the webview's messages to `handle()`.
import { userInfo } from 'node:os';
import * as l10n from '@vscode/l10n';
import type { Fleet } from '../../hyperv/fleet';
import { sameHost } from '../../hyperv/hostName';
import type { Vm } from '../../hyperv/model';
import type { HistoryRecord } from '../../migration/history';
import type { QueueSummary } from '../../migration/queue';
import type { MaintenanceView } from '../fleetProtocol';
import type { DrainJob, StartedDrain } from './drainJob';
import { FleetJobBase, type MessagesOf } from './fleetJobBase';
import { errorText, type FleetJobContext } from './jobContext';
import { hostView, movedBytes, runPhase, switchesOf, unmoved, type HostRun, type Run } from './maintenanceViews';

/** The webview's messages for maintenance. */
export const MAINTENANCE_MESSAGES = [
  'maintenanceHostIsBack',
  'maintenanceExit',
  'maintenanceReturnAnyway',
  'maintenancePause',
  'maintenanceResume',
  'maintenanceCancel',
] as const;
export type MaintenanceMessage = MessagesOf<(typeof MAINTENANCE_MESSAGES)[number]>;

/** The run was cancelled: what waited for the admin or for moves stops. */
class Cancelled extends Error {}

/** The VMs of the hosts read (a host being read again keeps what it had). */
function vmsRead(fleet: Fleet): Vm[] {
  return fleet.readings().flatMap((reading) => (reading.ok ? reading.inventory.vms : []));
}

function who(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export class MaintenanceJob extends FleetJobBase<Run> {
  /** Drains and returns waited for: the next drain of that host (or to it) whose moves start. */
  private readonly waiters: { match: (drain: StartedDrain) => boolean; found: (drain: StartedDrain) => void }[] = [];
  private readonly subscription: { dispose(): void };

  constructor(
    ctx: FleetJobContext,
    private readonly drain: DrainJob,
  ) {
    super(ctx);
    this.subscription = drain.onDidStart((started) => {
      const at = this.waiters.findIndex((w) => w.match(started));
      if (at >= 0) this.waiters.splice(at, 1)[0]?.found(started);
    });
  }

  title(): string {
    const run = this.current;
    if (!run) return l10n.t('Maintenance');
    const hosts = run.hosts.map((h) => h.host).join(', ');
    return run.kind === 'rolling' ? l10n.t('Maintain one by one: {0}', hosts) : l10n.t('Maintenance: {0}', hosts);
  }

  /** Enter Maintenance…: resolves once the drain's plan is shown (or the host had nothing to move). */
  enter(host: string): Promise<void> {
    return this.begin('enter', [host], (h, run) => this.enterHost(h, run));
  }

  /** Exit Maintenance…: resolves once the return's plan is shown (or nothing had to go back). */
  exit(host: string): Promise<void> {
    return this.begin('exit', [host], (h, run) => this.exitHost(h, run));
  }

  /** Maintain Hosts One by One…: resolves once the first host's drain is planned; the run goes on in the panel. */
  maintain(hosts: readonly string[]): Promise<void> {
    if (hosts.length === 0) throw new Error(l10n.t('Choose the hosts to maintain.'));
    return this.begin('rolling', hosts, async (h, run) => {
      await this.enterHost(h, run);
      for (;;) {
        await this.waitForHost(h, run);
        if (await this.exitHost(h, run)) return;
      }
    });
  }

  /** The hosts a run waits for, until the admin says each is back. */
  waitingHosts(): string[] {
    return (this.current?.hosts ?? []).filter((h) => h.back).map((h) => h.host);
  }

  /** The admin says the host is patched and back: the run waiting for it goes on. */
  hostIsBack(host: string): Promise<void> {
    const h = this.current?.hosts.find((x) => sameHost(x.host, host));
    if (!h?.back) throw new Error(l10n.t('No maintenance run waits for {0}.', host));
    h.back();
    return Promise.resolve();
  }

  /** Resolves once the run has ended (every host done, or it failed or was cancelled). */
  whenDone(): Promise<void> {
    const run = this.current;
    if (!run) throw new Error(l10n.t('No maintenance has been started.'));
    return run.done;
  }

  /** No next step starts (the moves that run go on). */
  pause(): void {
    this.running().paused = true;
    this.ctx.changed();
  }

  resume(): void {
    const run = this.running();
    run.paused = false;
    run.resumed?.();
    this.ctx.changed();
  }

  /** Stops the run: what waits stops, the moves of its drain or return are cancelled; each host's mark stays as it is. */
  async cancel(): Promise<void> {
    const run = this.running();
    run.abort.abort(new Cancelled());
    this.ctx.changed();
    if (run.queue && run.queue.state !== 'ended') await run.queue.cancel();
  }

  /** A VM moved elsewhere by hand goes back to the host it left after all. */
  async returnAnyway(vmId: string): Promise<void> {
    const h = this.current?.hosts.find((x) => x.movedAway.some((m) => m.vmId.toLowerCase() === vmId.toLowerCase()));
    const away = h?.movedAway.find((m) => m.vmId.toLowerCase() === vmId.toLowerCase());
    if (!h || !away) throw new Error(l10n.t('VM {0} is not one that was moved elsewhere meanwhile.', vmId));
    away.returning = true;
    this.ctx.changed();
    // Before the return started: planned again with it. After (or with nothing else to return): its own return.
    const pending = h.step === 'exiting' && h.returnPlanned && !h.returnStarted;
    const ids = pending ? [...h.returning, away.vmId] : [away.vmId];
    if (pending) h.returning = ids;
    await this.planReturn(h, ids);
  }

  private running(): Run {
    const run = this.current;
    if (!run || run.phase === 'ended' || run.phase === 'cancelled' || run.phase === 'failed')
      throw new Error(l10n.t('No maintenance runs.'));
    return run;
  }

  private async begin(kind: Run['kind'], hosts: readonly string[], each: (h: HostRun, run: Run) => Promise<unknown>): Promise<void> {
    if (this.current && (this.current.phase === 'running' || this.current.phase === 'waiting')) {
      this.ctx.reveal('maintenance');
      throw new Error(l10n.t('A maintenance run is going on ({0}): let it end, or cancel it, first.', this.title()));
    }
    let shown: () => void = () => undefined;
    const planned = new Promise<void>((resolve) => (shown = resolve));
    const run: Run = {
      kind,
      hosts: hosts.map((host) => ({
        host,
        step: 'pending',
        detail: '',
        moved: [],
        returned: [],
        notMoved: [],
        movedAway: [],
        returning: [],
      })),
      phase: 'running',
      paused: false,
      abort: new AbortController(),
      shown,
      done: Promise.resolve(),
    };
    this.current = run;
    this.ctx.reveal('maintenance');
    run.done = this.go(run, each).finally(() => {
      run.shown();
      this.ctx.changed();
    });
    this.ctx.background(l10n.t('Maintenance of {0}', hosts.join(', ')), run.done);
    await planned;
    if (run.error && run.phase === 'failed') throw new Error(run.error);
  }

  private async go(run: Run, each: (h: HostRun, run: Run) => Promise<unknown>): Promise<void> {
    try {
      for (const h of run.hosts) {
        await this.gate(run);
        await each(h, run);
      }
      run.phase = 'ended';
    } catch (error) {
      if (run.abort.signal.aborted) {
        run.phase = 'cancelled';
        for (const h of run.hosts) if (h.step !== 'done' && h.step !== 'pending') h.step = 'stopped';
        this.ctx.deps.logger.info(`Maintenance: ${this.title()} cancelled; each host's mark is left as it is.`);
        return;
      }
      run.phase = 'failed';
      run.error = errorText(error);
      const h = run.hosts.find((x) => x.step !== 'done' && x.step !== 'pending');
      if (h) h.step = 'failed';
      this.ctx.deps.logger.error(`Maintenance: ${this.title()}: ${run.error}`);
    }
  }

  /** Waits while the run is paused; throws once it is cancelled. */
  private async gate(run: Run): Promise<void> {
    run.abort.signal.throwIfAborted();
    while (run.paused) {
      await this.until(run, new Promise<void>((resolve) => (run.resumed = resolve)));
    }
  }

  /** `work`, unless the run is cancelled first. */
  private until<T>(run: Run, work: Promise<T>): Promise<T> {
    const { signal } = run.abort;
    signal.throwIfAborted();
    return new Promise<T>((resolve, reject) => {
      const stop = () => reject(signal.reason instanceof Error ? signal.reason : new Cancelled());
      signal.addEventListener('abort', stop, { once: true });
      work.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
    });
  }

  /**
   * Its plan is shown (`review` says so): the next drain whose moves start and that `match` picks is
   * followed until its queue has ended.
   */
  private async moves(
    run: Run,
    h: HostRun,
    review: string,
    match: (drain: StartedDrain) => boolean,
    onStart: (drain: StartedDrain) => void,
  ): Promise<QueueSummary> {
    h.detail = review;
    run.shown();
    this.ctx.changed();
    let waiter: (typeof this.waiters)[number] | undefined;
    const started = new Promise<StartedDrain>((found) => {
      waiter = { match, found };
      this.waiters.push(waiter);
    });
    try {
      const drain = await this.until(run, started);
      run.queue = drain.queue;
      onStart(drain);
      return await this.until(run, drain.queue.done);
    } finally {
      const at = waiter ? this.waiters.indexOf(waiter) : -1;
      if (at >= 0) this.waiters.splice(at, 1);
    }
  }

  private async enterHost(h: HostRun, run: Run): Promise<void> {
    const { deps } = this.ctx;
    const startedAt = new Date().toISOString();
    await deps.maintenance.enter(h.host, who());
    h.step = 'entering';
    h.detail = l10n.t('Planning where its VMs go…');
    this.ctx.changed();
    const plan = await this.drain.drainHost(h.host);
    if (!plan) throw new Error(this.drain.view()?.error ?? l10n.t('The drain of {0} could not be planned.', h.host));
    const origins: Promise<void>[] = [];
    let summary: QueueSummary | undefined;
    if (plan.placements.length > 0) {
      summary = await this.moves(
        run,
        h,
        l10n.t('Review where its VMs go in Drain / Migrate, then start the moves.'),
        (d) => d.kind === 'drain' && d.host !== undefined && sameHost(d.host, h.host),
        (d) => {
          h.detail = l10n.t('Its VMs are leaving.');
          // Each VM's switches here, read before it leaves: a return connects its adapters to them again.
          const switches = new Map(vmsRead(deps.fleet).map((vm) => [vm.id.toLowerCase(), switchesOf(vm)]));
          d.queue.onDidChangeRow((row) => {
            if (row.state !== 'succeeded') return;
            h.moved.push(`${row.vmName} → ${row.destination}`);
            const home = switches.get(row.vmId.toLowerCase());
            const movedAt = new Date().toISOString();
            const origin = { vmId: row.vmId, vmName: row.vmName, movedTo: row.destination, movedAt, ...(home && { switches: home }) };
            origins.push(deps.maintenance.recordOrigin(h.host, origin));
            this.ctx.changed();
          });
        },
      );
    }
    await Promise.all(origins);
    this.ctx.activate('maintenance');
    h.notMoved = summary ? unmoved(summary) : plan.unmovable.map((u) => ({ vmName: u.vm.name, why: u.why }));
    await deps.maintenance.setState(h.host, 'in-maintenance');
    h.detail =
      h.notMoved.length === 0
        ? l10n.t('In maintenance: no VM left on it.')
        : l10n.t('In maintenance, with {0} VM(s) still on it that could not move.', h.notMoved.length);
    h.step = run.kind === 'enter' ? 'done' : 'waiting';
    run.shown();
    this.ctx.changed();
    this.ctx.tell(
      h.notMoved.length === 0 ? 'info' : 'warning',
      h.notMoved.length === 0
        ? l10n.t('{0} is in maintenance: every VM left it.', h.host)
        : l10n.t(
            '{0} is in maintenance; these VMs could not move and are still on it: {1}',
            h.host,
            h.notMoved.map((n) => `${n.vmName} (${n.why})`).join('; '),
          ),
      'maintenance',
    );
    await this.record({
      kind: 'maintenance',
      startedAt,
      endedAt: new Date().toISOString(),
      source: h.host,
      destination: [...new Set(summary?.moved.map((r) => r.destination) ?? [])].join(', '),
      vm: [...(summary?.moved.map((r) => r.vmName) ?? []), ...h.notMoved.map((n) => n.vmName)].join(', '),
      bytes: movedBytes(summary),
      outcome: h.notMoved.length === 0 ? 'succeeded' : 'failed',
      message: h.detail,
    });
  }

  /** Rolling: the admin patches and restarts the host, then says it is back (the notification, the panel or a command). */
  private async waitForHost(h: HostRun, run: Run): Promise<void> {
    h.step = 'waiting';
    run.phase = 'waiting';
    run.waitingFor = h.host;
    // Host Is Back pressed while the host could not be read yet: the run waits again, saying why.
    h.detail = h.unreadable ?? l10n.t('Waiting for {0}: patch and restart it, then press Host Is Back.', h.host);
    h.unreadable = undefined;
    this.ctx.changed();
    const back = new Promise<void>((resolve) => (h.back = resolve));
    const label = l10n.t('Host Is Back');
    void Promise.resolve(this.ctx.ask(h.detail, label)).then(
      (choice) => choice === label && h.back?.(),
      (error: unknown) => this.ctx.deps.logger.error(`Maintenance: ${errorText(error)}`),
    );
    try {
      await this.until(run, back);
    } finally {
      h.back = undefined;
      run.waitingFor = undefined;
      if (run.phase === 'waiting') run.phase = 'running';
    }
    await this.gate(run);
  }

  /**
   * Reads the host again, then plans the return of each VM that left it. Resolves with false when the host
   * cannot be read yet (a rolling run waits for it again), true once it left maintenance.
   */
  private async exitHost(h: HostRun, run: Run): Promise<boolean> {
    const { deps } = this.ctx;
    const startedAt = new Date().toISOString();
    const entry = await deps.maintenance.get(h.host);
    if (!entry) throw new Error(l10n.t('{0} is not in maintenance.', h.host));
    h.step = 'exiting';
    h.detail = l10n.t('Reading {0} again…', h.host);
    this.ctx.changed();
    await deps.fleet.refresh();
    const reading = deps.fleet.readings().find((r) => sameHost(r.name, h.host));
    if (!reading?.ok) {
      const why = reading ? reading.error.message : l10n.t('it is not one of the hosts read');
      h.unreadable = l10n.t('{0} could not be read yet ({1}): press Host Is Back once it is up.', h.host, why);
      if (run.kind === 'rolling') return false;
      throw new Error(h.unreadable);
    }
    const vms = vmsRead(deps.fleet);
    const back: string[] = [];
    for (const origin of entry.origins) {
      const vm = vms.find((v) => v.id.toLowerCase() === origin.vmId.toLowerCase());
      if (!vm) h.notMoved.push({ vmName: origin.vmName, why: l10n.t('It is no longer on any host read.') });
      else if (sameHost(vm.host, h.host)) h.returned.push(vm.name);
      else if (sameHost(vm.host, origin.movedTo)) back.push(vm.id);
      else h.movedAway.push({ vmId: vm.id, vmName: vm.name, movedTo: origin.movedTo, now: vm.host, returning: false });
    }
    h.returning = back;
    let summary: QueueSummary | undefined;
    if (back.length > 0) {
      // The mark stays 'in-maintenance' (closed) until the moves start: a return planned and never started leaves it so.
      let exiting: Promise<void> = Promise.resolve();
      const plan = await this.planReturn(h, back);
      if (plan && plan.placements.length > 0) {
        summary = await this.moves(
          run,
          h,
          l10n.t('Review the return in Drain / Migrate, then start the moves.'),
          (d) => d.kind === 'many' && d.destination !== undefined && sameHost(d.destination, h.host),
          (d) => {
            h.returnStarted = true;
            exiting = deps.maintenance.returnStarted(h.host, d.id);
            h.detail = l10n.t('Its VMs are going back.');
            d.queue.onDidChangeRow((row) => {
              if (row.state === 'succeeded') h.returned.push(row.vmName);
              this.ctx.changed();
            });
          },
        );
        await exiting;
        this.ctx.activate('maintenance');
        h.notMoved.push(...unmoved(summary));
      } else if (plan) h.notMoved.push(...plan.unmovable.map((u) => ({ vmName: u.vm.name, why: u.why })));
      else h.notMoved.push({ vmName: back.join(', '), why: this.drain.view()?.error ?? l10n.t('The return could not be planned.') });
    }
    await deps.maintenance.exit(h.host);
    h.step = 'done';
    h.detail =
      h.notMoved.length === 0 && h.movedAway.length === 0
        ? l10n.t('Out of maintenance: every VM that left it is back.')
        : l10n.t('Out of maintenance; the VMs listed did not go back.');
    run.shown();
    this.ctx.changed();
    if (h.notMoved.length > 0 || h.movedAway.length > 0) {
      const away = h.movedAway.map((m) => l10n.t('{0} (moved to {1} by hand meanwhile; Return anyway in the panel)', m.vmName, m.now));
      this.ctx.tell(
        'warning',
        l10n.t(
          '{0} is out of maintenance; these VMs did not go back: {1}',
          h.host,
          [...h.notMoved.map((n) => `${n.vmName} (${n.why})`), ...away].join('; '),
        ),
        'maintenance',
      );
    } else this.ctx.tell('info', l10n.t('{0} is out of maintenance: its VMs are back.', h.host), 'maintenance');
    await this.record({
      kind: 'return',
      startedAt,
      endedAt: new Date().toISOString(),
      source: [...new Set(summary?.moved.map((r) => r.source) ?? [])].join(', '),
      destination: h.host,
      vm: [...h.returned, ...h.notMoved.map((n) => n.vmName), ...h.movedAway.map((m) => m.vmName)].join(', '),
      bytes: movedBytes(summary),
      outcome: h.notMoved.length === 0 ? 'succeeded' : 'failed',
      message: h.detail,
    });
    return true;
  }

  /** Plans the VMs back to the host (each checked on it like any move, though its mark is on), shown in Drain / Migrate. */
  private async planReturn(h: HostRun, vmIds: readonly string[]) {
    const vms = vmIds
      .map((id) => vmsRead(this.ctx.deps.fleet).find((vm) => vm.id.toLowerCase() === id.toLowerCase()))
      .filter((vm): vm is Vm => vm !== undefined);
    const plan = await this.drain.returnTo(vms, h.host);
    h.returnPlanned = true;
    return plan;
  }

  /** The history's entry (kind 'maintenance' or 'return'), when the extension keeps a history. */
  private async record(entry: HistoryRecord): Promise<void> {
    await this.ctx.deps.history?.record(entry);
  }

  view(): MaintenanceView | null {
    const run = this.current;
    if (!run) return null;
    return {
      kind: run.kind,
      phase: runPhase(run),
      ...(run.waitingFor && { waitingFor: run.waitingFor }),
      hosts: run.hosts.map(hostView),
      ...(run.error && { error: run.error }),
    };
  }

  handle(message: MaintenanceMessage): Promise<void> {
    return this.dispatch(message, {
      maintenanceHostIsBack: (m) => this.hostIsBack(m.host),
      maintenanceExit: (m) => this.exit(m.host),
      maintenanceReturnAnyway: (m) => this.returnAnyway(m.vmId),
      maintenancePause: () => this.pause(),
      maintenanceResume: () => this.resume(),
      maintenanceCancel: () => this.cancel(),
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.current?.abort.abort(new Cancelled());
  }
}
