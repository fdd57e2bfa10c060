import * as vscode from 'vscode';
import { createWebviewPanel, Throttle } from './webviewHost';
import type { Fleet } from '../hyperv/fleet';
import type { HostReading as InventoryReading } from '../hyperv/inventory';
import type { Vm } from '../hyperv/model';
import { planDrain, planMigration, runDrain } from '../migration/drain';
import { forgetDrain, leftDrains, resumeDrain, type LeftDrain } from '../migration/drainJournal';
import {
  applyFleetConfiguration,
  isFleetReady,
  planFleetConfiguration,
  readFleetConfiguration,
  refreshKerberosTickets,
  refreshTicketsPreview,
  type ChangeResult,
  type ConfigChange,
  type FleetApplyResult,
  type FleetConfiguration,
  type FleetConfigurationPlan,
  type TicketRefresh,
} from '../migration/fleetConfig';
import {
  prepareHaWorkflow,
  resumeHaWorkflows,
  type HaWorkflow,
  type HaWorkflowOptions,
  type HaWorkflowState,
} from '../migration/haWorkflow';
import { withDestination, type MigrationPlan, type PlacementContext } from '../migration/placement';
import { createPreflightEngine } from '../migration/preflight';
import { sameHost } from '../hyperv/hostName';
import type { MigrationQueue, QueueOrder, QueueSummary } from '../migration/queue';
import type { MigrationRequest, MoveExecutor, MovePlan } from '../migration/types';
import type { NewPlan } from '../plans/planText';
import { inBackground, reportFailure } from '../logger';
import type { Credential, Logger, PowerShellRunner } from '../powershell/types';
import {
  parseFromFleetWebview,
  type ConfigureView,
  type DrainPhase,
  type DrainView,
  type FleetJob,
  type FleetPanelState,
  type FromFleetWebview,
  type HaView,
  type ToFleetWebview,
} from './fleetProtocol';
import {
  appliedText,
  applyConfirmation,
  changeView,
  configHostView,
  limitLines,
  matrixCell,
  placementViews,
  queueRowView,
  readyCount,
  summaryView,
  haView,
  unmovableViews,
} from './fleetViews';

/** What the panel asks the admin before it changes the fleet. */
export interface FleetUi {
  confirm(message: string, detail: string, action: string): Promise<boolean>;
}

/** Asks in VS Code's own modal dialog. */
export const vscodeFleetUi: FleetUi = {
  async confirm(message, detail, action) {
    return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
  },
};

export interface FleetPanelDeps {
  readonly fleet: Fleet;
  /** The migration core's runner (the connection's pool of the moment). */
  readonly runner: PowerShellRunner;
  /** The extension's one executor: every move is journaled and followed by the rest of the extension. */
  readonly executor: MoveExecutor;
  readonly isLab: () => boolean;
  readonly logger: Logger;
  /** A host's stored credential (SecretStorage), if any. */
  readonly credential: (host: string) => Promise<Credential | undefined>;
  /** The HA workflows' journal (the extension's global storage): read again after a reload by `resumeHa()`. */
  readonly haJournalDir: string;
  /** The drains' journal (the extension's global storage): read again after a reload by `resumeDrains()`. */
  readonly drainJournalDir: string;
}

/** Snapshots go out at most this often (a drain reports progress many times a second). */
const POST_EVERY_MS = 100;

interface ConfigureJob {
  readonly hosts: readonly string[];
  busy: string | null;
  error?: string;
  config?: FleetConfiguration;
  plan?: FleetConfigurationPlan;
  applied?: {
    readonly ok: boolean;
    readonly text: string;
    readonly changes: readonly ConfigChange[];
    readonly results: readonly ChangeResult[];
  };
  refreshHosts: readonly string[];
  tickets?: readonly TicketRefresh[];
}

interface DrainJob {
  readonly kind: 'drain' | 'many' | 'plan';
  readonly subject: string;
  /** The host drained (drain) or the VMs' ids (many), to plan again. */
  readonly host?: string;
  readonly vmIds: readonly string[];
  readonly abort: AbortController;
  planning: boolean;
  checked?: { done: number; total: number };
  error?: string;
  notice?: string;
  plan?: MigrationPlan;
  queue?: MigrationQueue;
  summary?: QueueSummary;
  /** Resolves once the queue has ended and the fleet was read again. */
  finished?: Promise<QueueSummary>;
  /** A plan file's run: its order, its cap, and how to plan it again (from the file). */
  readonly order?: QueueOrder;
  readonly concurrency?: number;
  readonly again?: () => Promise<MigrationPlan | undefined>;
}

/** A plan file's moves, as Run Plan hands them to the panel. */
export interface PlanRun {
  /** The plan file's name. */
  readonly subject: string;
  readonly moves: readonly { readonly vmId: string; readonly destination: string; readonly plan: MovePlan }[];
  readonly order: QueueOrder;
  readonly concurrency?: number;
  /** Plans the same moves again (the file read again), for "Plan Again". */
  readonly again: () => Promise<MigrationPlan | undefined>;
}

interface HaJob {
  readonly request: MigrationRequest;
  preparing: boolean;
  unavailable?: string;
  workflow?: HaWorkflow;
  subscription?: { dispose(): void };
}

function jobTitle(job: FleetJob): string {
  return job === 'configure'
    ? vscode.l10n.t('Configure live migration')
    : job === 'drain'
      ? vscode.l10n.t('Drain host')
      : vscode.l10n.t('Move a clustered VM');
}

/**
 * The fleet operations panel and its controller: Configure Live Migration (the matrix, the plan, apply,
 * tickets), Drain Host / Migrate many (placement with ratings and overrides, the queue), and the HA
 * workflow of a clustered VM. The extension owns the state and pushes snapshots; the webview renders
 * them and asks. Nothing is posted before the webview says it is ready. Commands and tests drive the same
 * methods the webview's messages reach.
 */
export class FleetPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private active: FleetJob | null = null;
  private configureJob: ConfigureJob | undefined;
  private drainJob: DrainJob | undefined;
  private haJob: HaJob | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly poster = new Throttle(POST_EVERY_MS, () => this.post());

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly deps: FleetPanelDeps,
    private readonly ui: FleetUi = vscodeFleetUi,
  ) {}

  /** Fires when the state changes. */
  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  get visible(): boolean {
    return this.panel !== undefined;
  }

  /** The state the webview shows now (also what tests read). */
  state(): FleetPanelState {
    const drain = this.drainView();
    const subject =
      this.active === 'configure'
        ? vscode.l10n.t('{0} hosts', this.configureJob?.hosts.length ?? 0)
        : this.active === 'drain'
          ? (drain?.subject ?? '')
          : this.active === 'ha'
            ? (this.haJob?.request.vmName ?? '')
            : '';
    const heading =
      this.active === 'drain' && this.drainJob?.kind === 'many'
        ? vscode.l10n.t('Migrate')
        : this.active
          ? jobTitle(this.active)
          : vscode.l10n.t('Fleet operations');
    return {
      title: subject ? `${heading}: ${subject}` : heading,
      lab: this.deps.isLab(),
      active: this.active,
      configure: this.configureView(),
      drain,
      ha: this.haView(),
    };
  }

  /** Shows a job that exists (the header's links). */
  show(job: FleetJob): void {
    const exists = job === 'configure' ? this.configureJob : job === 'drain' ? this.drainJob : this.haJob;
    if (!exists) return;
    this.active = job;
    this.reveal();
  }

  // ---- Configure Live Migration ------------------------------------------------------------------------

  /** Opens the panel on the hosts' live-migration configuration: reads it, shows the matrix and the plan. */
  async configure(hosts: readonly string[]): Promise<FleetConfiguration | undefined> {
    if (this.configureJob?.busy)
      throw new Error(vscode.l10n.t('Live migration is being configured already ({0}); wait for it to end.', this.configureJob.busy));
    if (hosts.length < 2) throw new Error(vscode.l10n.t('Live migration runs between hosts: choose at least two.'));
    this.configureJob = { hosts: [...hosts], busy: null, refreshHosts: [] };
    this.active = 'configure';
    this.reveal();
    return this.readConfiguration();
  }

  private configuring(): ConfigureJob {
    const job = this.configureJob;
    if (!job) throw new Error(vscode.l10n.t('Configure Live Migration is not open: run it on the hosts first.'));
    return job;
  }

  /** Reads every host again (one round trip each) and plans. */
  async readConfiguration(): Promise<FleetConfiguration | undefined> {
    const job = this.configuring();
    return this.busy(job, vscode.l10n.t('Reading {0} hosts…', job.hosts.length), () => this.read(job));
  }

  private async read(job: ConfigureJob): Promise<FleetConfiguration> {
    const credentialFor = await this.credentialsFor(job.hosts);
    const config = await readFleetConfiguration(this.deps.runner, job.hosts, undefined, { credentialFor });
    job.config = config;
    job.plan = planFleetConfiguration(config);
    job.error = undefined;
    return config;
  }

  private async busy<T>(job: ConfigureJob, what: string, work: () => Promise<T>): Promise<T | undefined> {
    if (job.busy) throw new Error(`Wait: ${job.busy}`);
    job.busy = what;
    this.changed();
    try {
      return await work();
    } catch (error) {
      job.error = error instanceof Error ? error.message : String(error);
      this.deps.logger.error(`Configure live migration: ${job.error}`);
      return undefined;
    } finally {
      job.busy = null;
      this.changed();
    }
  }

  /** "Show PowerShell": the whole plan as one script. */
  configurationScript(): string {
    const plan = this.configuring().plan;
    if (!plan) throw new Error(vscode.l10n.t('The hosts have not been read yet.'));
    return plan.script;
  }

  async showConfigurationScript(): Promise<string> {
    const script = this.configurationScript();
    await this.openScript(script);
    return script;
  }

  /**
   * Applies the plan after the admin confirms (the AD changes are listed), then reads every host again:
   * the matrix shows what the hosts say now. Undefined when the admin declined.
   */
  async applyConfiguration(): Promise<FleetApplyResult | undefined> {
    const job = this.configuring();
    const plan = job.plan;
    if (!plan || !job.config) throw new Error(vscode.l10n.t('The hosts have not been read yet.'));
    if (plan.changes.length === 0) throw new Error(vscode.l10n.t('Nothing to change: every pair that could be read is ready.'));
    const { message, detail } = applyConfirmation(plan);
    const confirmed = await this.ui.confirm(message, detail, vscode.l10n.t('Apply'));
    if (!confirmed) return undefined;
    const before = readyCount(job.config);
    return this.busy(job, vscode.l10n.t('Applying {0} changes…', plan.changes.length), async () => {
      const credentialFor = await this.credentialsFor(job.hosts);
      const result = await applyFleetConfiguration(this.deps.runner, plan, undefined, { credentialFor });
      job.refreshHosts = plan.refreshHosts;
      job.tickets = undefined;
      job.busy = vscode.l10n.t('Reading the hosts again…');
      this.changed();
      const after = await this.read(job).catch((error: unknown) => {
        job.error = vscode.l10n.t(
          'The changes ran, but reading the hosts again failed: {0}',
          error instanceof Error ? error.message : String(error),
        );
        return undefined;
      });
      job.applied = { ok: result.ok, text: appliedText(result, before, after), changes: plan.changes, results: result.results };
      this.deps.logger.info(`Configure live migration: ${job.applied.text}`);
      inBackground(this.deps.logger, vscode.l10n.t('Reading the configured hosts again'), this.deps.fleet.refresh(job.hosts));
      return result;
    });
  }

  /** Purges the computer account's Kerberos tickets on the hosts whose AD account changed (or every host). */
  async refreshTickets(): Promise<readonly TicketRefresh[] | undefined> {
    const job = this.configuring();
    const hosts = job.refreshHosts.length > 0 ? job.refreshHosts : job.hosts;
    return this.busy(job, vscode.l10n.t('Refreshing Kerberos tickets on {0} hosts…', hosts.length), async () => {
      const credentialFor = await this.credentialsFor(hosts);
      const tickets = await refreshKerberosTickets(this.deps.runner, hosts, undefined, { credentialFor });
      job.tickets = tickets;
      return tickets;
    });
  }

  async showTicketScript(): Promise<string> {
    const job = this.configuring();
    const hosts = job.refreshHosts.length > 0 ? job.refreshHosts : job.hosts;
    const script = [
      "# Refresh the Kerberos tickets of the hosts' computer accounts (after AD has replicated the delegation changes).",
      ...hosts.map((h) => refreshTicketsPreview(h)),
    ].join('\n');
    await this.openScript(script);
    return script;
  }

  private configureView(): ConfigureView | null {
    const job = this.configureJob;
    if (!job) return null;
    const config = job.config;
    const results = new Map((job.applied?.results ?? []).map((r) => [r.id, r]));
    return {
      hosts: job.hosts,
      busy: job.busy,
      ...(job.error ? { error: job.error } : {}),
      ...(config ? { readAt: config.readAt } : {}),
      hostRows: config?.hosts.map(configHostView) ?? [],
      cells: config?.pairs.map(matrixCell) ?? [],
      readyPairs: config ? readyCount(config) : 0,
      pairs: config?.pairs.length ?? 0,
      allReady: config ? isFleetReady(config) : false,
      changes: job.plan?.changes.map((c) => changeView(c)) ?? [],
      notes: job.plan?.notes ?? [],
      unplanned: job.plan?.unplanned.map((p) => `${p.source} → ${p.destination}`) ?? [],
      ...(job.applied
        ? {
            applied: {
              ok: job.applied.ok,
              text: job.applied.text,
              changes: job.applied.changes.map((c) => changeView(c, results.get(c.id))),
            },
          }
        : {}),
      refreshHosts: job.refreshHosts,
      ...(job.tickets
        ? { tickets: job.tickets.map((t) => ({ host: t.host, ok: t.ok, ...(t.error ? { message: t.error.message } : {}) })) }
        : {}),
    };
  }

  // ---- Drain Host / Migrate many ------------------------------------------------------------------------

  /** Drain Host…: every VM of the host placed on the others (or listed with why it cannot move), before anything starts. */
  drainHost(host: string): Promise<MigrationPlan | undefined> {
    return this.plan({ kind: 'drain', subject: host, host, vmIds: [] }, (ctx, fleet) => planDrain(ctx, host, fleet));
  }

  /** Migrate… for several VMs: each placed on its best-rated host (or listed with why it cannot move). */
  migrateMany(vms: readonly Vm[]): Promise<MigrationPlan | undefined> {
    if (vms.length === 0) throw new Error(vscode.l10n.t('Choose the VMs to migrate.'));
    const vmIds = vms.map((vm) => vm.id);
    return this.plan({ kind: 'many', subject: vms.map((vm) => vm.name).join(', '), vmIds }, (ctx, fleet) =>
      planMigration(
        ctx,
        fleet,
        vmIds.map((vmId) => ({ vmId })),
      ),
    );
  }

  /** Run Plan: the plan file's moves, each to its own destination with its own choices, checked and shown before they start. */
  runPlan(run: PlanRun): Promise<MigrationPlan | undefined> {
    if (run.moves.length === 0) throw new Error(vscode.l10n.t('The plan has no move that can run.'));
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

  /** "Save as Plan": the command writes the file (and opens it). */
  async savePlan(): Promise<void> {
    await vscode.commands.executeCommand('hyperv.plan.saveFromPanel');
  }

  private get draining(): boolean {
    const queue = this.drainJob?.queue;
    return queue !== undefined && queue.state !== 'ended';
  }

  private async plan(
    what: Pick<DrainJob, 'kind' | 'subject' | 'host' | 'vmIds' | 'order' | 'concurrency' | 'again'>,
    make: (ctx: PlacementContext, fleet: readonly InventoryReading[]) => Promise<MigrationPlan>,
  ): Promise<MigrationPlan | undefined> {
    if (this.draining) {
      this.show('drain');
      throw new Error(
        vscode.l10n.t(
          'The moves of {0} are running: let them end, or cancel them, first.',
          this.drainJob?.subject ?? vscode.l10n.t('a drain'),
        ),
      );
    }
    this.drainJob?.abort.abort();
    const job: DrainJob = { ...what, abort: new AbortController(), planning: true };
    this.drainJob = job;
    this.active = 'drain';
    this.reveal();
    try {
      await this.deps.fleet.refresh();
      const fleet = this.deps.fleet.readings();
      const credentialFor = await this.credentialsFor(fleet.map((r) => r.name));
      const ctx: PlacementContext = {
        runner: this.deps.runner,
        engine: createPreflightEngine(this.deps.runner, { credentialFor }),
        credentialFor,
        signal: job.abort.signal,
        onProgress: (done, total) => {
          job.checked = { done, total };
          this.changed();
        },
      };
      const plan = await make(ctx, fleet);
      if (this.drainJob !== job) return undefined;
      job.plan = plan;
      this.deps.logger.info(
        `Plan for ${job.subject}: ${plan.placements.map((p) => `${p.vm.name} → ${p.destination}`).join(', ') || 'nothing movable'}${plan.unmovable.length ? `; cannot move: ${plan.unmovable.map((u) => u.vm.name).join(', ')}` : ''} (${plan.checks} checks)`,
      );
      return plan;
    } catch (error) {
      if (this.drainJob !== job) return undefined;
      job.error = job.abort.signal.aborted
        ? vscode.l10n.t('Planning was stopped (the panel was closed). Plan again to see where the VMs can go.')
        : error instanceof Error
          ? error.message
          : String(error);
      this.deps.logger.error(`Planning ${job.subject}: ${job.error}`);
      return undefined;
    } finally {
      job.planning = false;
      this.changed();
    }
  }

  private planned(): DrainJob & { plan: MigrationPlan } {
    const job = this.drainJob;
    if (!job?.plan)
      throw new Error(
        job?.planning
          ? vscode.l10n.t('The plan is still being made.')
          : vscode.l10n.t('There is no plan: run Drain Host… or Migrate… first.'),
      );
    return job as DrainJob & { plan: MigrationPlan };
  }

  /** The admin's choice of destination for one VM (a host its checks found ready), before the start. */
  overrideDestination(vmId: string, host: string): MigrationPlan {
    const job = this.planned();
    if (job.queue) throw new Error(vscode.l10n.t('The moves have started: destinations can no longer change.'));
    try {
      job.plan = withDestination(job.plan, vmId, host);
      job.notice = undefined;
    } catch (error) {
      job.notice = error instanceof Error ? error.message : String(error);
      this.changed();
      throw error;
    }
    this.changed();
    return job.plan;
  }

  /**
   * Starts the moves: the queue keeps every host within its limits, longest first; one failure does not
   * stop the others. `whenDrained()` resolves with the summary once the fleet has been read again.
   */
  startDrain(): MigrationQueue {
    const job = this.planned();
    if (job.queue) throw new Error(vscode.l10n.t('The moves have already started.'));
    if (job.plan.placements.length === 0) throw new Error(vscode.l10n.t('Nothing can move: every VM is listed with why.'));
    const queue = runDrain(job.plan, {
      executor: this.deps.executor,
      logger: this.deps.logger,
      ...(job.order && { order: job.order }),
      ...(job.concurrency !== undefined && { concurrency: job.concurrency }),
      journal: { dir: this.deps.drainJournalDir, kind: job.kind, subject: job.subject },
    });
    return this.follow(job, queue);
  }

  /** Shows the queue's rows here; `whenDrained()` resolves once it ended and the fleet was read again. */
  private follow(job: DrainJob, queue: MigrationQueue): MigrationQueue {
    job.queue = queue;
    queue.onDidChangeRow(() => this.changed());
    queue.onDidChangeState(() => this.changed());
    job.finished = queue.done.then(async (summary) => {
      job.summary = summary;
      this.deps.logger.info(
        `${job.kind === 'drain' ? `Drain of ${job.subject}` : job.kind === 'plan' ? `Plan ${job.subject}` : 'Migrate'}: ${summary.text}`,
      );
      this.changed();
      // The moves are over whatever this read does: a failure is told, and the summary still stands.
      await this.deps.fleet
        .refresh()
        .catch((error: unknown) => reportFailure(this.deps.logger, vscode.l10n.t('Reading the hosts after the moves'), error));
      return summary;
    });
    this.changed();
    return queue;
  }

  /**
   * After a reload (activation calls it): a drain VS Code left unfinished is not resumed by itself. Its
   * moves that had started go on on their hosts and are followed (here, and in the Migrations view); the
   * admin is told which VMs were still waiting for their turn, and resumes them with one click or forgets
   * them. Resolves once each drain was resumed, forgotten, or the question dismissed (asked again at the
   * next start).
   */
  async resumeDrains(): Promise<void> {
    for (const drain of await leftDrains(this.deps.drainJournalDir, this.deps.executor, this.deps.logger)) {
      const { kind, subject } = drain.entry;
      const what =
        kind === 'drain'
          ? vscode.l10n.t('the drain of {0}', subject)
          : kind === 'plan'
            ? vscode.l10n.t('plan {0}', subject)
            : vscode.l10n.t('Migrate ({0})', subject);
      if (drain.left.length === 0) {
        // Every move of it had started: followed here to the summary, nothing new starts.
        this.adoptDrain(drain);
        continue;
      }
      const names = drain.left.map((item) => item.plan.request.vmName);
      const moving = drain.running.map((handle) => handle.record().plan.request.vmName);
      const notStarted =
        names.length === 1
          ? vscode.l10n.t('VS Code was reloaded during {0}: {1} had not started and was not moved.', what, names.join(', '))
          : vscode.l10n.t('VS Code was reloaded during {0}: {1} had not started and were not moved.', what, names.join(', '));
      const followed =
        moving.length === 0
          ? ''
          : moving.length === 1
            ? ` ${vscode.l10n.t('{0} is still moving and followed.', moving.join(', '))}`
            : ` ${vscode.l10n.t('{0} are still moving and followed.', moving.join(', '))}`;
      const message = vscode.l10n.t('{0}{1} Resume the remaining moves?', notStarted, followed);
      const resume = vscode.l10n.t('Resume');
      const forget = vscode.l10n.t('Forget');
      const choice = await vscode.window.showWarningMessage(message, resume, forget);
      this.deps.logger.info(
        `${message} ${choice === resume ? 'Resumed.' : choice === forget ? 'Forgotten.' : 'Not answered: asked again at the next start.'}`,
      );
      if (choice === resume) this.adoptDrain(drain);
      else if (choice === forget) await forgetDrain(drain, this.deps.drainJournalDir, this.deps.logger);
    }
  }

  /** A drain picked up after a reload, shown and run here as if it had been started here. */
  private adoptDrain(drain: LeftDrain): MigrationQueue {
    if (this.draining)
      throw new Error(
        vscode.l10n.t(
          'The moves of {0} are running: resume {1} once they have ended.',
          this.drainJob?.subject ?? vscode.l10n.t('a drain'),
          drain.entry.subject,
        ),
      );
    const { kind, subject, moves } = drain.entry;
    const job: DrainJob = { kind, subject, vmIds: moves.map((m) => m.plan.request.vmId), abort: new AbortController(), planning: false };
    this.drainJob = job;
    this.active = 'drain';
    const queue = this.follow(
      job,
      resumeDrain(drain, { dir: this.deps.drainJournalDir, executor: this.deps.executor, logger: this.deps.logger }),
    );
    this.show('drain');
    return queue;
  }

  /** Resolves with the summary once the moves have ended and the fleet has been read again. */
  whenDrained(): Promise<QueueSummary> {
    const finished = this.drainJob?.finished;
    if (!finished) throw new Error(vscode.l10n.t('No moves have been started.'));
    return finished;
  }

  pauseDrain(): void {
    this.running().pause();
  }

  resumeDrain(): void {
    this.running().resume();
  }

  /** Cancels the running moves (their VMs stay on their sources) and starts nothing more. */
  cancelDrain(): Promise<QueueSummary> {
    return this.running().cancel();
  }

  private running(): MigrationQueue {
    const queue = this.drainJob?.queue;
    if (!queue || queue.state === 'ended') throw new Error('No moves are running.');
    return queue;
  }

  /** Plans the same drain (or the same VMs) again, e.g. after it ended or the fleet changed. */
  replan(): Promise<MigrationPlan | undefined> {
    const job = this.drainJob;
    if (!job) throw new Error(vscode.l10n.t('There is nothing to plan again.'));
    if (job.kind === 'drain' && job.host) return this.drainHost(job.host);
    if (job.again) return job.again();
    const vms = job.vmIds.map((id) => this.deps.fleet.vms().find((vm) => vm.id === id)).filter((vm): vm is Vm => vm !== undefined);
    if (vms.length === 0) throw new Error(vscode.l10n.t('None of those VMs is in the fleet any more.'));
    return this.migrateMany(vms);
  }

  private drainView(): DrainView | null {
    const job = this.drainJob;
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

  // ---- the HA workflow -----------------------------------------------------------------------------------

  /**
   * Migrate… of a clustered VM: prepares the guarded HA workflow (check, remove the role, move, add the
   * role on a destination cluster, verify; HA restored on the source cluster if the move fails or is
   * cancelled) and shows every step with its script. `startHa()` runs it.
   */
  async moveClusteredVm(vm: Vm, destination: string): Promise<HaWorkflow | undefined> {
    if (this.haRunning) {
      this.show('ha');
      throw new Error(
        vscode.l10n.t(
          'The HA workflow of {0} is running: let it end, or cancel it, first.',
          this.haJob?.request.vmName ?? vscode.l10n.t('a VM'),
        ),
      );
    }
    this.haJob?.subscription?.dispose();
    const job: HaJob = { request: { vmId: vm.id, vmName: vm.name, source: vm.host, destination }, preparing: true };
    this.haJob = job;
    this.active = 'ha';
    this.reveal();
    try {
      const credentialFor = await this.credentialsFor([vm.host, destination]);
      const prepared = await prepareHaWorkflow(this.haOptions(credentialFor), job.request);
      if (this.haJob !== job) return undefined;
      if (!prepared.ok) {
        job.unavailable = prepared.message;
        return undefined;
      }
      job.workflow = prepared.workflow;
      job.subscription = prepared.workflow.onDidChange(() => this.changed());
      return prepared.workflow;
    } catch (error) {
      job.unavailable = error instanceof Error ? error.message : String(error);
      return undefined;
    } finally {
      job.preparing = false;
      this.changed();
    }
  }

  private get haRunning(): boolean {
    return this.haJob?.workflow?.snapshot().phase === 'running';
  }

  private workflow(): HaWorkflow {
    const workflow = this.haJob?.workflow;
    if (!workflow)
      throw new Error(this.haJob?.unavailable ?? vscode.l10n.t('There is no HA workflow: run Migrate… on a clustered VM first.'));
    return workflow;
  }

  /** Runs the workflow after the admin confirms; resolves when it ended and the fleet was read again. Undefined when declined. */
  async startHa(): Promise<HaWorkflowState | undefined> {
    const workflow = this.workflow();
    const s = workflow.snapshot();
    if (s.phase !== 'ready')
      throw new Error(
        s.phase === 'running' ? 'The workflow is running.' : 'The workflow has run: run Migrate… again to move the VM again.',
      );
    const { vmName, destination, source } = s.request;
    const end = s.destinationCluster
      ? vscode.l10n.t('On {0} it is added as a role of {1} (HA on).', destination, s.destinationCluster)
      : vscode.l10n.t('{0} is not a cluster node: {1} stays a plain VM there, not highly available.', destination, vmName);
    const confirmed = await this.ui.confirm(
      vscode.l10n.t('Move {0} out of cluster {1} to {2}?', vmName, s.sourceCluster, destination),
      vscode.l10n.t(
        "The role '{0}' is removed from {1}: {2} is not highly available while it moves. {3}\n\nIf the move fails or is cancelled, the role is restored on {1} and {2} keeps running on {4}.",
        s.role,
        s.sourceCluster,
        vmName,
        end,
        source,
      ),
      vscode.l10n.t('Move'),
    );
    if (!confirmed) return undefined;
    const final = await workflow.run();
    await this.deps.fleet.refresh();
    return final;
  }

  /** What an HA workflow runs with, started here or picked up from the journal. */
  private haOptions(credentialFor: (host: string) => Credential | undefined): HaWorkflowOptions {
    return {
      runner: this.deps.runner,
      executor: this.deps.executor,
      preflight: createPreflightEngine(this.deps.runner, { credentialFor }),
      credentialFor,
      logger: this.deps.logger,
      journalDir: this.deps.haJournalDir,
    };
  }

  /**
   * After a reload (activation calls it): the HA workflows VS Code left unfinished are picked up from their
   * journal and finished without asking again (the admin confirmed the whole workflow): a move that still
   * runs is followed to its end, then the VM's role is added on the destination cluster if it moved, or HA
   * is restored on the source cluster if it did not. The admin is told when it is picked up and how it
   * ended; the panel shows it. Resolves when they have ended.
   */
  async resumeHa(): Promise<readonly HaWorkflowState[]> {
    // The hosts are known once the journal is read; the workflows look their credentials up only when they run.
    let lookup: (host: string) => Credential | undefined = () => undefined;
    const credentialFor = (host: string): Credential | undefined => lookup(host);
    const workflows = await resumeHaWorkflows(this.haOptions(credentialFor));
    lookup = await this.credentialsFor(workflows.flatMap((w) => [w.snapshot().request.source, w.snapshot().request.destination]));
    return Promise.all(workflows.map((workflow) => this.finishResumed(workflow)));
  }

  private async finishResumed(workflow: HaWorkflow): Promise<HaWorkflowState> {
    const s = workflow.snapshot();
    const { vmName } = s.request;
    this.haJob?.subscription?.dispose();
    this.haJob = { request: s.request, preparing: false, workflow, subscription: workflow.onDidChange(() => this.changed()) };
    this.active = 'ha';
    this.changed();
    const then = s.destinationCluster
      ? vscode.l10n.t(
          '{0} is made a role of {1} if it moved, or HA is restored on {2} if it did not',
          vmName,
          s.destinationCluster,
          s.sourceCluster,
        )
      : vscode.l10n.t('HA is restored on {0} if {1} did not move', s.sourceCluster, vmName);
    this.tell(
      'warning',
      vscode.l10n.t('{0} It is finished now: a move still running is followed to its end, then {1}.', s.resumed ?? '', then),
    );
    const final = await workflow.run();
    await this.deps.fleet.refresh();
    this.tell(
      final.phase === 'succeeded' ? 'info' : 'warning',
      final.summary ?? vscode.l10n.t('The HA workflow of {0} ended: {1}.', vmName, final.phase),
    );
    return final;
  }

  /** A notification that offers to show the job. */
  private tell(level: 'info' | 'warning', message: string): void {
    const label = vscode.l10n.t('Show');
    const shown =
      level === 'info' ? vscode.window.showInformationMessage(message, label) : vscode.window.showWarningMessage(message, label);
    void shown.then(
      (choice) => choice === label && this.show('ha'),
      (error: unknown) => this.deps.logger.error(`fleet panel: ${String(error)}`),
    );
  }

  /** Cancels: before the move nothing more changes; during it the move stops and HA is restored. */
  cancelHa(): Promise<void> {
    return this.workflow().cancel();
  }

  async showHaScript(): Promise<string> {
    const script = this.workflow().preview();
    await this.openScript(script);
    return script;
  }

  private haView(): HaView | null {
    const job = this.haJob;
    if (!job) return null;
    if (job.workflow) return haView(job.workflow.snapshot());
    const { request } = job;
    return {
      vmId: request.vmId,
      vmName: request.vmName,
      source: request.source,
      destination: request.destination,
      sourceCluster: '',
      destinationCluster: null,
      role: '',
      phase: job.preparing ? 'preparing' : 'unavailable',
      ...(job.unavailable ? { message: job.unavailable } : {}),
      steps: [],
      findings: [],
    };
  }

  // ---- plumbing ----------------------------------------------------------------------------------------

  /** The stored credentials of the hosts, looked up once, for the core's synchronous `credentialFor`. */
  private async credentialsFor(hosts: readonly string[]): Promise<(host: string) => Credential | undefined> {
    const found = await Promise.all(hosts.map(async (host) => [host, await this.deps.credential(host)] as const));
    return (host) => found.find(([name]) => sameHost(name, host))?.[1];
  }

  private async openScript(script: string): Promise<void> {
    const document = await vscode.workspace.openTextDocument({ language: 'powershell', content: script });
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  }

  private async handle(message: FromFleetWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.post();
        return;
      case 'showLog':
        await vscode.commands.executeCommand('hyperv.log.show');
        return;
      case 'show':
        this.show(message.job);
        return;
      case 'configureRead':
        await this.readConfiguration();
        return;
      case 'configureShowScript':
        await this.showConfigurationScript();
        return;
      case 'configureApply':
        await this.applyConfiguration();
        return;
      case 'configureRefreshTickets':
        await this.refreshTickets();
        return;
      case 'configureShowTicketScript':
        await this.showTicketScript();
        return;
      case 'drainOverride':
        this.overrideDestination(message.vmId, message.host);
        return;
      case 'drainStart':
        this.startDrain();
        return;
      case 'drainPause':
        this.pauseDrain();
        return;
      case 'drainResume':
        this.resumeDrain();
        return;
      case 'drainCancel':
        await this.cancelDrain();
        return;
      case 'drainReplan':
        await this.replan();
        return;
      case 'drainSaveAsPlan':
        await this.savePlan();
        return;
      case 'haStart':
        await this.startHa();
        return;
      case 'haCancel':
        await this.cancelHa();
        return;
      case 'haShowScript':
        await this.showHaScript();
        return;
      default: {
        const never: never = message;
        this.deps.logger.warn(`fleet panel: unknown message ${JSON.stringify(never)}`);
      }
    }
  }

  private reveal(): void {
    if (!this.panel) this.create();
    else this.panel.reveal(vscode.ViewColumn.Active);
    this.changed();
  }

  private create(): void {
    const panel = createWebviewPanel({
      extensionUri: this.extensionUri,
      viewType: 'hyperv.fleetOperations',
      title: this.state().title,
      showOptions: vscode.ViewColumn.Active,
      bundle: 'fleet',
      parse: parseFromFleetWebview,
      handle: (message) => this.handle(message),
      logger: this.deps.logger,
      name: 'fleet panel',
    });
    // Closing the panel stops nothing that runs: the moves are the executor's (journaled, in the status
    // bar and the tree), and the jobs stay here for when the panel opens again.
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.ready = false;
      if (this.drainJob?.planning) this.drainJob.abort.abort();
    });
    this.panel = panel;
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
    this.poster.schedule();
  }

  private post(): void {
    if (!this.panel || !this.ready) return;
    const state = this.state();
    this.panel.title = state.title;
    const message: ToFleetWebview = { type: 'state', state };
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    this.poster.dispose();
    this.drainJob?.abort.abort();
    // Nothing more of a running drain starts or is journaled: the next extension host lists what was left.
    this.drainJob?.queue?.dispose();
    this.haJob?.subscription?.dispose();
    // Nothing more of a running HA workflow is done or journaled: the next extension host picks it up.
    this.haJob?.workflow?.dispose();
    this.panel?.dispose();
  }
}
