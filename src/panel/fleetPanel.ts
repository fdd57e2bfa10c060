import * as vscode from 'vscode';
import { modalUi, openScript, PanelHost } from './webviewHost';
import { inBackground, reportFailure } from '../logger';
import type { Vm } from '../hyperv/model';
import type { FleetApplyResult, FleetConfiguration, TicketRefresh } from '../migration/fleetConfig';
import type { HaWorkflow, HaWorkflowState } from '../migration/haWorkflow';
import type { PlacementPlan } from '../migration/placement';
import type { MigrationQueue, QueueSummary } from '../migration/queue';
import type { NewPlan } from '../plans/planText';
import { parseFromFleetWebview, type FleetJob, type FleetPanelState, type FromFleetWebview } from './fleetProtocol';
import { CONFIGURE_MESSAGES, ConfigureJob } from './fleet/configureJob';
import { DRAIN_MESSAGES, DrainJob, type PlanRun } from './fleet/drainJob';
import { isMessageOf } from './fleet/fleetJobBase';
import { HA_MESSAGES, HaJob } from './fleet/haJob';
import { MAINTENANCE_MESSAGES, MaintenanceJob } from './fleet/maintenanceJob';
import type { FleetJobContext, FleetPanelDeps, FleetUi } from './fleet/jobContext';
import { dispatch } from './messages';

export type { FleetPanelDeps, FleetUi } from './fleet/jobContext';
export type { PlanRun } from './fleet/drainJob';

/**
 * The fleet operations panel: it hosts the webview of three jobs, each in its own file under fleet/
 * (Configure Live Migration, Drain Host / Migrate many / Run Plan, the HA workflow of a clustered VM), routes
 * the webview's messages to them and pushes their views as one snapshot. Nothing is posted before the
 * webview says it is ready. Commands and tests drive the same methods the webview's messages reach.
 */
export class FleetPanel implements vscode.Disposable {
  private active: FleetJob | null = null;
  private readonly jobs: {
    readonly configure: ConfigureJob;
    readonly drain: DrainJob;
    readonly ha: HaJob;
    readonly maintenance: MaintenanceJob;
  };
  private readonly host: PanelHost<FromFleetWebview, FleetPanelState>;

  constructor(
    extensionUri: vscode.Uri,
    private readonly deps: FleetPanelDeps,
    ui: FleetUi = modalUi,
  ) {
    this.host = new PanelHost({
      extensionUri,
      viewType: 'hyperv.fleetOperations',
      preserveFocus: false,
      bundle: 'fleet',
      parse: parseFromFleetWebview,
      handle: (message) => this.handle(message),
      logger: deps.logger,
      name: 'fleet panel',
      state: () => this.state(),
      // Closing the panel stops nothing that runs: the moves are the executor's (journaled, in the status
      // bar and the tree), and the jobs stay here for when the panel opens again.
      closed: () => this.jobs.drain.stopPlanning(),
    });
    const context: FleetJobContext = {
      deps,
      ui,
      ask: (message, ...actions) => vscode.window.showWarningMessage(message, ...actions),
      tell: (level, message, job) => this.tell(level, message, job),
      openScript,
      savePlan: async () => {
        await vscode.commands.executeCommand('hyperv.plan.saveFromPanel');
      },
      reveal: (job) => {
        this.active = job;
        this.host.reveal();
      },
      activate: (job) => {
        this.active = job;
        this.host.changed();
      },
      background: (what, work) => inBackground(deps.logger, what, work),
      reportFailure: (what, error) => reportFailure(deps.logger, what, error),
      changed: () => this.host.changed(),
    };
    const drain = new DrainJob(context);
    this.jobs = { configure: new ConfigureJob(context), drain, ha: new HaJob(context), maintenance: new MaintenanceJob(context, drain) };
  }

  /** Fires when the state changes. */
  onDidChange(listener: () => void): { dispose(): void } {
    return this.host.onDidChange(listener);
  }

  get visible(): boolean {
    return this.host.visible;
  }

  /** The state the webview shows now (also what tests read). */
  state(): FleetPanelState {
    return {
      title: this.active ? this.jobs[this.active].title() : vscode.l10n.t('Fleet operations'),
      lab: this.deps.isLab(),
      active: this.active,
      configure: this.jobs.configure.view(),
      drain: this.jobs.drain.view(),
      ha: this.jobs.ha.view(),
      maintenance: this.jobs.maintenance.view(),
    };
  }

  /** Shows a job that exists (the header's links). */
  show(job: FleetJob): void {
    if (!this.jobs[job].exists) return;
    this.active = job;
    this.host.reveal();
  }

  // ---- Configure Live Migration (fleet/configureJob.ts) ----------------------------------------------------

  /** Opens the panel on the hosts' live-migration configuration: reads it, shows the matrix and the plan. */
  configure(hosts: readonly string[]): Promise<FleetConfiguration | undefined> {
    return this.jobs.configure.open(hosts);
  }

  readConfiguration(): Promise<FleetConfiguration | undefined> {
    return this.jobs.configure.read();
  }

  configurationScript(): string {
    return this.jobs.configure.script();
  }

  showConfigurationScript(): Promise<string> {
    return this.jobs.configure.showScript();
  }

  /** Applies the plan after the admin confirms, then reads every host again. Undefined when the admin declined. */
  applyConfiguration(): Promise<FleetApplyResult | undefined> {
    return this.jobs.configure.apply();
  }

  refreshTickets(): Promise<readonly TicketRefresh[] | undefined> {
    return this.jobs.configure.refreshTickets();
  }

  showTicketScript(): Promise<string> {
    return this.jobs.configure.showTicketScript();
  }

  // ---- Drain Host / Migrate many / Run Plan (fleet/drainJob.ts) ------------------------------------------

  drainHost(host: string): Promise<PlacementPlan | undefined> {
    return this.jobs.drain.drainHost(host);
  }

  migrateMany(vms: readonly Vm[]): Promise<PlacementPlan | undefined> {
    return this.jobs.drain.migrateMany(vms);
  }

  runPlan(run: PlanRun): Promise<PlacementPlan | undefined> {
    return this.jobs.drain.runPlan(run);
  }

  planAsFile(): NewPlan {
    return this.jobs.drain.planAsFile();
  }

  overrideDestination(vmId: string, host: string): PlacementPlan {
    return this.jobs.drain.overrideDestination(vmId, host);
  }

  startDrain(): MigrationQueue {
    return this.jobs.drain.start();
  }

  /** Resolves with the summary once the moves have ended and the fleet has been read again. */
  whenDrained(): Promise<QueueSummary> {
    return this.jobs.drain.whenDrained();
  }

  pauseDrain(): void {
    this.jobs.drain.pause();
  }

  resumeDrain(): void {
    this.jobs.drain.resume();
  }

  cancelDrain(): Promise<QueueSummary> {
    return this.jobs.drain.cancel();
  }

  replan(): Promise<PlacementPlan | undefined> {
    return this.jobs.drain.replan();
  }

  /** After a reload (activation calls it): the drains left unfinished are offered to resume. */
  resumeDrains(): Promise<void> {
    return this.jobs.drain.resumeLeft();
  }

  // ---- maintenance windows (fleet/maintenanceJob.ts) ----------------------------------------------------

  /** Enter Maintenance…: the host is marked, then drained (with the usual preview and confirmation). */
  enterMaintenance(host: string): Promise<void> {
    return this.jobs.maintenance.enter(host);
  }

  /** Exit Maintenance…: the host is checked again, then its VMs are offered to return. */
  exitMaintenance(host: string): Promise<void> {
    return this.jobs.maintenance.exit(host);
  }

  /** Maintain Hosts One by One…: enter, wait for the admin, exit, for each host in turn. */
  maintainHosts(hosts: readonly string[]): Promise<void> {
    return this.jobs.maintenance.maintain(hosts);
  }

  /** The hosts a rolling maintenance waits for (Host Is Back). */
  waitingHosts(): string[] {
    return this.jobs.maintenance.waitingHosts();
  }

  /** The admin says the host is patched and back: the rolling maintenance waiting for it goes on. */
  hostIsBack(host: string): Promise<void> {
    return this.jobs.maintenance.hostIsBack(host);
  }

  /** Resolves once the maintenance run has ended (tests wait for it). */
  whenMaintained(): Promise<void> {
    return this.jobs.maintenance.whenDone();
  }

  // ---- the HA workflow (fleet/haJob.ts) ------------------------------------------------------------------

  moveClusteredVm(vm: Vm, destination: string): Promise<HaWorkflow | undefined> {
    return this.jobs.ha.prepare(vm, destination);
  }

  startHa(): Promise<HaWorkflowState | undefined> {
    return this.jobs.ha.start();
  }

  /** After a reload (activation calls it): the HA workflows left unfinished are finished. */
  resumeHa(): Promise<readonly HaWorkflowState[]> {
    return this.jobs.ha.resume();
  }

  cancelHa(): Promise<void> {
    return this.jobs.ha.cancel();
  }

  showHaScript(): Promise<string> {
    return this.jobs.ha.showScript();
  }

  // ---- the webview ---------------------------------------------------------------------------------------

  /** A notification that offers to show the job. */
  private tell(level: 'info' | 'warning', message: string, job: FleetJob): void {
    const label = vscode.l10n.t('Show');
    const shown =
      level === 'info' ? vscode.window.showInformationMessage(message, label) : vscode.window.showWarningMessage(message, label);
    void shown.then(
      (choice) => choice === label && this.show(job),
      (error: unknown) => this.deps.logger.error(`fleet panel: ${String(error)}`),
    );
  }

  private async handle(message: FromFleetWebview): Promise<void> {
    if (isMessageOf(CONFIGURE_MESSAGES, message)) return this.jobs.configure.handle(message);
    if (isMessageOf(DRAIN_MESSAGES, message)) return this.jobs.drain.handle(message);
    if (isMessageOf(HA_MESSAGES, message)) return this.jobs.ha.handle(message);
    if (isMessageOf(MAINTENANCE_MESSAGES, message)) return this.jobs.maintenance.handle(message);
    return dispatch(
      message,
      {
        ready: () => this.host.webviewReady(),
        showLog: () => vscode.commands.executeCommand('hyperv.log.show'),
        show: (m) => this.show(m.job),
      },
      this.deps.logger,
      'fleet panel',
    );
  }

  dispose(): void {
    this.jobs.maintenance.dispose();
    this.jobs.drain.dispose();
    this.jobs.ha.dispose();
    this.host.dispose();
  }
}
