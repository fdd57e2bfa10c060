// Drain Host / Migrate many / Run Plan in the fleet panel: every VM placed (rated on every other host, or
// listed with why it cannot move) before anything starts, the admin's overrides, then the queue, which keeps
// every host within its limits; after a reload, the moves left are offered to resume. No 'vscode' here: the
// panel renders `view()` and routes the webview's messages to `handle()`.
import { randomUUID } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import type { HostReading as InventoryReading } from '../../hyperv/inventory';
import type { Vm } from '../../hyperv/model';
import { planDrain, planMigration, runDrain } from '../../migration/drain';
import { drainRecord } from '../../migration/history';
import { forgetDrain, leftDrains, resumeDrain, type LeftDrain } from '../../migration/drainJournal';
import { closedHosts, switchesAtHome } from '../../migration/maintenance';
import { withDestination, type PlacementPlan, type PlacementContext } from '../../migration/placement';
import { createPreflightEngine } from '../../migration/preflight';
import type { MigrationQueue, QueueOrder, QueueSummary } from '../../migration/queue';
import type { MovePlan } from '../../migration/types';
import type { NewPlan } from '../../plans/planText';
import type { DrainPhase, DrainView } from '../fleetProtocol';
import { limitLines, placementViews, queueRowView, summaryView, unmovableViews } from './drainViews';
import { FleetJobBase, type MessagesOf } from './fleetJobBase';
import { credentialsFor, errorText } from './jobContext';

/** The webview's messages for a drain (or Migrate many, or a plan file's run). */
export const DRAIN_MESSAGES = [
  'drainOverride',
  'drainStart',
  'drainPause',
  'drainResume',
  'drainCancel',
  'drainReplan',
  'drainSaveAsPlan',
] as const;
export type DrainMessage = MessagesOf<(typeof DRAIN_MESSAGES)[number]>;

/** A plan file's moves, as Run Plan hands them to the panel. */
export interface PlanRun {
  /** The plan file's name. */
  readonly subject: string;
  readonly moves: readonly { readonly vmId: string; readonly destination: string; readonly plan: MovePlan }[];
  readonly order: QueueOrder;
  readonly concurrency?: number;
  /** Plans the same moves again (the file read again), for "Plan Again". */
  readonly again: () => Promise<PlacementPlan | undefined>;
}

/** A drain (or Migrate many, or a plan file's run) whose moves have started, for whoever follows them. */
export interface StartedDrain {
  /** Its entry in the drain journal (drainJournal.ts). */
  readonly id: string;
  readonly kind: 'drain' | 'many' | 'plan';
  readonly subject: string;
  /** The host drained. */
  readonly host?: string;
  /** The one destination the VMs were sent to (Migrate many to a given host). */
  readonly destination?: string;
  readonly queue: MigrationQueue;
}

interface Drain {
  readonly kind: 'drain' | 'many' | 'plan';
  readonly subject: string;
  /** The host drained (drain) or the VMs' ids (many), to plan again. */
  readonly host?: string;
  readonly vmIds: readonly string[];
  /** Migrate many to this one host (a return from maintenance), rather than each VM to its best host. */
  readonly destination?: string;
  /** A return from maintenance: `destination` takes the VMs back though its mark is still on. */
  readonly returning?: boolean;
  readonly abort: AbortController;
  planning: boolean;
  checked?: { done: number; total: number };
  error?: string;
  notice?: string;
  plan?: PlacementPlan;
  queue?: MigrationQueue;
  summary?: QueueSummary;
  /** Resolves once the queue has ended and the fleet was read again. */
  finished?: Promise<QueueSummary>;
  /** A plan file's run: its order, its cap, and how to plan it again (from the file). */
  readonly order?: QueueOrder;
  readonly concurrency?: number;
  readonly again?: () => Promise<PlacementPlan | undefined>;
}

export class DrainJob extends FleetJobBase<Drain> {
  private readonly started = new Set<(drain: StartedDrain) => void>();

  title(): string {
    const job = this.current;
    const heading = job?.kind === 'many' ? l10n.t('Migrate') : l10n.t('Drain host');
    return job?.subject ? `${heading}: ${job.subject}` : heading;
  }

  /** Drain Host…: every VM of the host placed on the others (or listed with why it cannot move), before anything starts. */
  drainHost(host: string): Promise<PlacementPlan | undefined> {
    return this.plan({ kind: 'drain', subject: host, host, vmIds: [] }, (ctx, fleet) => planDrain(ctx, host, fleet));
  }

  /**
   * Migrate… for several VMs: each placed on its best-rated host, or checked on `destination` when given
   * (a host in maintenance takes none: a return uses `returnTo`), or listed with why it cannot move.
   */
  migrateMany(vms: readonly Vm[], destination?: string): Promise<PlacementPlan | undefined> {
    return this.many(vms, destination === undefined ? {} : { destination });
  }

  /** A return from maintenance: the VMs planned back to the host they left, which takes them though its mark is still on. */
  returnTo(vms: readonly Vm[], host: string): Promise<PlacementPlan | undefined> {
    return this.many(vms, { destination: host, returning: true });
  }

  private many(vms: readonly Vm[], to: Pick<Drain, 'destination' | 'returning'>): Promise<PlacementPlan | undefined> {
    if (vms.length === 0) throw new Error(l10n.t('Choose the VMs to migrate.'));
    const vmIds = vms.map((vm) => vm.id);
    const { destination } = to;
    return this.plan({ kind: 'many', subject: vms.map((vm) => vm.name).join(', '), vmIds, ...to }, (ctx, fleet) =>
      planMigration(
        ctx,
        fleet,
        vmIds.map((vmId) => ({ vmId, ...(destination && { destination }) })),
      ),
    );
  }

  /** Called with each drain whose moves start (here or resumed after a reload). */
  onDidStart(listener: (drain: StartedDrain) => void): { dispose(): void } {
    this.started.add(listener);
    return { dispose: () => this.started.delete(listener) };
  }

  /** Run Plan: the plan file's moves, each to its own destination with its own choices, checked and shown before they start. */
  runPlan(run: PlanRun): Promise<PlacementPlan | undefined> {
    if (run.moves.length === 0) throw new Error(l10n.t('The plan has no move that can run.'));
    return this.plan(
      {
        kind: 'plan',
        subject: run.subject,
        vmIds: run.moves.map((m) => m.vmId),
        order: run.order,
        again: run.again,
        ...(run.concurrency !== undefined && { concurrency: run.concurrency }),
      },
      (ctx, fleet) => planMigration(ctx, fleet, run.moves),
    );
  }

  /** The planned moves as a plan file: each VM to its destination, with placement's choices recorded as approved fixes. */
  planAsFile(): NewPlan {
    const job = this.planned();
    const fixes = (plan: MovePlan) => [
      ...Object.entries(plan.adapterSwitches).map(([adapterId, target]) =>
        target === null
          ? { finding: `network.switch-missing:${adapterId}`, fix: 'disconnect-adapter' }
          : { finding: `network.switch-missing:${adapterId}`, fix: 'map-switch', choices: { switch: target } },
      ),
      ...plan.ejectDvd.map((controller) => ({ finding: `devices.iso:${controller}`, fix: 'eject-iso-on-move' })),
    ];
    const unmovable = job.plan.unmovable.map((u) => u.vm.name);
    return {
      name: job.kind === 'drain' ? `Drain ${job.subject}` : `Migrate ${job.subject}`,
      comment: `Planned by Hyper-V Live Migration on ${job.plan.plannedAt}${unmovable.length > 0 ? `; no host could take ${unmovable.join(', ')}` : ''}. Check Plan before running it.`,
      moves: job.plan.placements.map((p) => ({
        vm: p.vm.name,
        source: p.vm.source,
        destination: p.destination,
        ...(p.vm.clustered && { ha: true }),
        fixes: fixes(p.chosen.plan),
      })),
    };
  }

  private get draining(): boolean {
    const queue = this.current?.queue;
    return queue !== undefined && queue.state !== 'ended';
  }

  private async plan(
    what: Pick<Drain, 'kind' | 'subject' | 'host' | 'vmIds' | 'destination' | 'returning' | 'order' | 'concurrency' | 'again'>,
    make: (ctx: PlacementContext, fleet: readonly InventoryReading[]) => Promise<PlacementPlan>,
  ): Promise<PlacementPlan | undefined> {
    if (this.draining) {
      this.ctx.reveal('drain');
      throw new Error(
        l10n.t('The moves of {0} are running: let them end, or cancel them, first.', this.current?.subject ?? l10n.t('a drain')),
      );
    }
    this.current?.abort.abort();
    const job: Drain = { ...what, abort: new AbortController(), planning: true };
    this.current = job;
    this.ctx.reveal('drain');
    const { deps } = this.ctx;
    try {
      await deps.fleet.refresh();
      const fleet = deps.fleet.readings();
      const credentialFor = await credentialsFor(
        deps,
        fleet.map((r) => r.name),
      );
      const entries = await deps.maintenance.list();
      const ctx: PlacementContext = {
        runner: deps.runner,
        engine: createPreflightEngine(deps.runner, { credentialFor }),
        credentialFor,
        // No VM is placed on a host in maintenance, but a return takes its VMs back to it (on their switches there).
        maintenance: closedHosts(entries, what.returning ? what.destination : undefined),
        switchesAtHome: (vmId, host) => switchesAtHome(entries, vmId, host),
        signal: job.abort.signal,
        onProgress: (done, total) => {
          job.checked = { done, total };
          this.ctx.changed();
        },
      };
      const plan = await make(ctx, fleet);
      if (this.current !== job) return undefined;
      job.plan = plan;
      deps.logger.info(
        `Plan for ${job.subject}: ${plan.placements.map((p) => `${p.vm.name} → ${p.destination}`).join(', ') || 'nothing movable'}${plan.unmovable.length ? `; cannot move: ${plan.unmovable.map((u) => u.vm.name).join(', ')}` : ''} (${plan.checks} checks)`,
      );
      return plan;
    } catch (error) {
      if (this.current !== job) return undefined;
      job.error = job.abort.signal.aborted
        ? l10n.t('Planning was stopped (the panel was closed). Plan again to see where the VMs can go.')
        : errorText(error);
      deps.logger.error(`Planning ${job.subject}: ${job.error}`);
      return undefined;
    } finally {
      job.planning = false;
      this.ctx.changed();
    }
  }

  private planned(): Drain & { plan: PlacementPlan } {
    const job = this.current;
    if (!job?.plan)
      throw new Error(
        job?.planning ? l10n.t('The plan is still being made.') : l10n.t('There is no plan: run Drain Host… or Migrate… first.'),
      );
    return job as Drain & { plan: PlacementPlan };
  }

  /** The admin's choice of destination for one VM (a host its checks found ready), before the start. */
  overrideDestination(vmId: string, host: string): PlacementPlan {
    const job = this.planned();
    if (job.queue) throw new Error(l10n.t('The moves have started: destinations can no longer change.'));
    try {
      job.plan = withDestination(job.plan, vmId, host);
      job.notice = undefined;
    } catch (error) {
      job.notice = errorText(error);
      this.ctx.changed();
      throw error;
    }
    this.ctx.changed();
    return job.plan;
  }

  /**
   * Starts the moves: the queue keeps every host within its limits, longest first; one failure does not
   * stop the others. `whenDrained()` resolves with the summary once the fleet has been read again.
   */
  start(): MigrationQueue {
    const job = this.planned();
    if (job.queue) throw new Error(l10n.t('The moves have already started.'));
    if (job.plan.placements.length === 0) throw new Error(l10n.t('Nothing can move: every VM is listed with why.'));
    const { deps } = this.ctx;
    const id = randomUUID();
    const queue = runDrain(job.plan, {
      executor: deps.executor,
      logger: deps.logger,
      ...(job.order && { order: job.order }),
      ...(job.concurrency !== undefined && { concurrency: job.concurrency }),
      journal: { dir: deps.drainJournalDir, kind: job.kind, subject: job.subject, id },
    });
    return this.follow(job, queue, id);
  }

  /** Shows the queue's rows here; `whenDrained()` resolves once it ended and the fleet was read again. */
  private follow(job: Drain, queue: MigrationQueue, id: string): MigrationQueue {
    const { deps } = this.ctx;
    job.queue = queue;
    const started: StartedDrain = {
      id,
      kind: job.kind,
      subject: job.subject,
      queue,
      ...(job.host && { host: job.host }),
      ...(job.destination && { destination: job.destination }),
    };
    for (const listener of [...this.started]) listener(started);
    queue.onDidChangeRow(() => this.ctx.changed());
    queue.onDidChangeState(() => this.ctx.changed());
    job.finished = queue.done.then(async (summary) => {
      job.summary = summary;
      void deps.history?.record(drainRecord(summary, job.subject, job.kind === 'drain' ? job.subject : ''));
      deps.logger.info(
        `${job.kind === 'drain' ? `Drain of ${job.subject}` : job.kind === 'plan' ? `Plan ${job.subject}` : 'Migrate'}: ${summary.text}`,
      );
      this.ctx.changed();
      // The moves are over whatever this read does: a failure is told, and the summary still stands.
      await deps.fleet.refresh().catch((error: unknown) => this.ctx.reportFailure(l10n.t('Reading the hosts after the moves'), error));
      return summary;
    });
    this.ctx.changed();
    return queue;
  }

  /**
   * After a reload (activation calls it): a drain VS Code left unfinished is not resumed by itself. Its
   * moves that had started go on on their hosts and are followed (here, and in the Migrations view); the
   * admin is told which VMs were still waiting for their turn, and resumes them with one click or forgets
   * them. Resolves once each drain was resumed, forgotten, or the question dismissed (asked again at the
   * next start).
   */
  async resumeLeft(): Promise<void> {
    const { deps } = this.ctx;
    for (const drain of await leftDrains(deps.drainJournalDir, deps.executor, deps.logger)) {
      const { kind, subject } = drain.entry;
      const what =
        kind === 'drain'
          ? l10n.t('the drain of {0}', subject)
          : kind === 'plan'
            ? l10n.t('plan {0}', subject)
            : l10n.t('Migrate ({0})', subject);
      if (drain.left.length === 0) {
        // Every move of it had started: followed here to the summary, nothing new starts.
        this.adopt(drain);
        continue;
      }
      const names = drain.left.map((item) => item.plan.request.vmName);
      const moving = drain.running.map((handle) => handle.record().plan.request.vmName);
      const notStarted =
        names.length === 1
          ? l10n.t('VS Code was reloaded during {0}: {1} had not started and was not moved.', what, names.join(', '))
          : l10n.t('VS Code was reloaded during {0}: {1} had not started and were not moved.', what, names.join(', '));
      const followed =
        moving.length === 0
          ? ''
          : moving.length === 1
            ? ` ${l10n.t('{0} is still moving and followed.', moving.join(', '))}`
            : ` ${l10n.t('{0} are still moving and followed.', moving.join(', '))}`;
      const message = l10n.t('{0}{1} Resume the remaining moves?', notStarted, followed);
      const resume = l10n.t('Resume');
      const forget = l10n.t('Forget');
      const choice = await this.ctx.ask(message, resume, forget);
      deps.logger.info(
        `${message} ${choice === resume ? 'Resumed.' : choice === forget ? 'Forgotten.' : 'Not answered: asked again at the next start.'}`,
      );
      if (choice === resume) this.adopt(drain);
      else if (choice === forget) await forgetDrain(drain, deps.drainJournalDir, deps.logger);
    }
  }

  /** A drain picked up after a reload, shown and run here as if it had been started here. */
  private adopt(drain: LeftDrain): MigrationQueue {
    if (this.draining)
      throw new Error(
        l10n.t(
          'The moves of {0} are running: resume {1} once they have ended.',
          this.current?.subject ?? l10n.t('a drain'),
          drain.entry.subject,
        ),
      );
    const { kind, subject, moves } = drain.entry;
    const job: Drain = { kind, subject, vmIds: moves.map((m) => m.plan.request.vmId), abort: new AbortController(), planning: false };
    this.current = job;
    this.ctx.activate('drain');
    const { deps } = this.ctx;
    const resumed = resumeDrain(drain, { dir: deps.drainJournalDir, executor: deps.executor, logger: deps.logger });
    const queue = this.follow(job, resumed, drain.entry.id);
    this.ctx.reveal('drain');
    return queue;
  }

  /** Resolves with the summary once the moves have ended and the fleet has been read again. */
  whenDrained(): Promise<QueueSummary> {
    const finished = this.current?.finished;
    if (!finished) throw new Error(l10n.t('No moves have been started.'));
    return finished;
  }

  pause(): void {
    this.running().pause();
  }

  resume(): void {
    this.running().resume();
  }

  /** Cancels the running moves (their VMs stay on their sources) and starts nothing more. */
  cancel(): Promise<QueueSummary> {
    return this.running().cancel();
  }

  private running(): MigrationQueue {
    const queue = this.current?.queue;
    if (!queue || queue.state === 'ended') throw new Error('No moves are running.');
    return queue;
  }

  /** Plans the same drain (or the same VMs) again, e.g. after it ended or the fleet changed. */
  replan(): Promise<PlacementPlan | undefined> {
    const job = this.current;
    if (!job) throw new Error(l10n.t('There is nothing to plan again.'));
    if (job.kind === 'drain' && job.host) return this.drainHost(job.host);
    if (job.again) return job.again();
    const vms = job.vmIds.map((id) => this.ctx.deps.fleet.vms().find((vm) => vm.id === id)).filter((vm): vm is Vm => vm !== undefined);
    if (vms.length === 0) throw new Error(l10n.t('None of those VMs is in the fleet any more.'));
    return job.returning && job.destination ? this.returnTo(vms, job.destination) : this.migrateMany(vms, job.destination);
  }

  /** The panel was closed: a plan being made stops (moves that run go on). */
  stopPlanning(): void {
    if (this.current?.planning) this.current.abort.abort();
  }

  view(): DrainView | null {
    const job = this.current;
    if (!job) return null;
    const queueState = job.queue?.state;
    const phase: DrainPhase = job.planning
      ? 'planning'
      : job.error && !job.plan
        ? 'failed'
        : job.summary
          ? 'ended'
          : queueState === 'paused'
            ? 'paused'
            : queueState === 'cancelling'
              ? 'cancelling'
              : job.queue
                ? 'running'
                : 'planned';
    return {
      kind: job.kind,
      subject: job.subject,
      phase,
      ...(job.checked ? { checked: job.checked } : {}),
      ...(job.error ? { error: job.error } : {}),
      ...(job.notice ? { notice: job.notice } : {}),
      placements: job.plan ? placementViews(job.plan) : [],
      unmovable: job.plan ? unmovableViews(job.plan) : [],
      limits: job.plan ? limitLines(job.plan) : [],
      rows: job.queue?.rows().map(queueRowView) ?? [],
      ...(job.summary ? { summary: summaryView(job.summary) } : {}),
    };
  }

  handle(message: DrainMessage): Promise<void> {
    return this.dispatch(message, {
      drainOverride: (m) => this.overrideDestination(m.vmId, m.host),
      drainStart: () => this.start(),
      drainPause: () => this.pause(),
      drainResume: () => this.resume(),
      drainCancel: () => this.cancel(),
      drainReplan: () => this.replan(),
      drainSaveAsPlan: () => this.ctx.savePlan(),
    });
  }

  /** Nothing more of a running drain starts or is journaled: the next extension host lists what was left. */
  dispose(): void {
    this.current?.abort.abort();
    this.current?.queue?.dispose();
  }
}
