import * as vscode from 'vscode';
import { createWebviewPanel, Throttle } from './webviewHost';
import { inBackground, reportFailure } from '../logger';
import type { Vm } from '../hyperv/model';
import type { FleetApplyResult, FleetConfiguration, TicketRefresh } from '../migration/fleetConfig';
import type { HaWorkflow, HaWorkflowState } from '../migration/haWorkflow';
import type { PlacementPlan } from '../migration/placement';
import type { MigrationQueue, QueueSummary } from '../migration/queue';
import type { NewPlan } from '../plans/planText';
import { parseFromFleetWebview, type FleetJob, type FleetPanelState, type FromFleetWebview, type ToFleetWebview } from './fleetProtocol';
import { ConfigureJob } from './fleet/configureJob';
import { DrainJob, type PlanRun } from './fleet/drainJob';
import { HaJob } from './fleet/haJob';
import type { FleetJobContext, FleetPanelDeps, FleetUi } from './fleet/jobContext';

export type { FleetPanelDeps, FleetUi } from './fleet/jobContext';
export type { PlanRun } from './fleet/drainJob';

/** Asks in VS Code's own modal dialog. */
export const vscodeFleetUi: FleetUi = {
  async confirm(message, detail, action) {
    return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
  },
};

/** Snapshots go out at most this often (a drain reports progress many times a second). */
const POST_EVERY_MS = 100;

/**
 * The fleet operations panel: it hosts the webview of three jobs, each in its own file under fleet/
 * (Configure Live Migration, Drain Host / Migrate many / Run Plan, the HA workflow of a clustered VM), routes
 * the webview's messages to them and pushes their views as one snapshot. Nothing is posted before the
 * webview says it is ready. Commands and tests drive the same methods the webview's messages reach.
 */
export class FleetPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private active: FleetJob | null = null;
  private readonly jobs: { readonly configure: ConfigureJob; readonly drain: DrainJob; readonly ha: HaJob };
  private readonly listeners = new Set<() => void>();
  private readonly poster = new Throttle(POST_EVERY_MS, () => this.post());

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly deps: FleetPanelDeps,
    ui: FleetUi = vscodeFleetUi,
  ) {
    const context: FleetJobContext = {
      deps,
      ui,
      ask: (message, ...actions) => vscode.window.showWarningMessage(message, ...actions),
      tell: (level, message, job) => this.tell(level, message, job),
      openScript: (script) => this.openScript(script),
      savePlan: async () => {
        await vscode.commands.executeCommand('hyperv.plan.saveFromPanel');
      },
      reveal: (job) => {
        this.active = job;
        this.reveal();
      },
      activate: (job) => {
        this.active = job;
        this.changed();
      },
      background: (what, work) => inBackground(deps.logger, what, work),
      reportFailure: (what, error) => reportFailure(deps.logger, what, error),
      changed: () => this.changed(),
    };
    this.jobs = { configure: new ConfigureJob(context), drain: new DrainJob(context), ha: new HaJob(context) };
  }

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
    return {
      title: this.active ? this.jobs[this.active].title() : vscode.l10n.t('Fleet operations'),
      lab: this.deps.isLab(),
      active: this.active,
      configure: this.jobs.configure.view(),
      drain: this.jobs.drain.view(),
      ha: this.jobs.ha.view(),
    };
  }

  /** Shows a job that exists (the header's links). */
  show(job: FleetJob): void {
    if (!this.jobs[job].exists) return;
    this.active = job;
    this.reveal();
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
      case 'configureShowScript':
      case 'configureApply':
      case 'configureRefreshTickets':
      case 'configureShowTicketScript':
        return this.jobs.configure.handle(message);
      case 'drainOverride':
      case 'drainStart':
      case 'drainPause':
      case 'drainResume':
      case 'drainCancel':
      case 'drainReplan':
      case 'drainSaveAsPlan':
        return this.jobs.drain.handle(message);
      case 'haStart':
      case 'haCancel':
      case 'haShowScript':
        return this.jobs.ha.handle(message);
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
      this.jobs.drain.stopPlanning();
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
    this.jobs.drain.dispose();
    this.jobs.ha.dispose();
    this.panel?.dispose();
  }
}
