import * as path from 'node:path';
import * as vscode from 'vscode';
import { clearCredentials, addHost, editHost, refreshHost, removeHost, setCredentials } from './commands/hosts';
import { openLabFile, resetLabCommand, useLab } from './commands/lab';
import { checkMigration } from './commands/checkMigration';
import { configureMigration } from './commands/configureMigration';
import { drainHost } from './commands/drainHost';
import { enterMaintenance, exitMaintenance, hostIsBack, maintainHosts } from './commands/maintenance';
import { migrateVm } from './commands/migrateVm';
import { copyMigrationScript } from './commands/panel';
import { registerCommand } from './commands/register';
import { startVm, stopVm } from './commands/vmState';
import {
  applyPlanFix,
  approvePlanFix,
  checkPlan,
  checkPlanMove,
  copyPlanMove,
  exportPlan,
  migratePlanMove,
  newPlan,
  runPlan,
  saveDrainAsPlan,
  saveVmsAsPlan,
} from './commands/plans';
import { PlanController } from './editor/planController';
import { PLAN_SELECTOR, PlanCodeActions, PlanCodeLenses, PlanCompletions } from './editor/planProviders';
import { Connection } from './connection';
import { Fleet } from './hyperv/fleet';
import { setDisplayLanguage } from './hyperv/format';
import { MoveWatcher } from './hyperv/moveWatcher';
import { createLogger, type ExtensionLogger } from './logger';
import { createMoveExecutor } from './migration/executor';
import { History, recordMoves } from './migration/history';
import { createFixer } from './migration/fixes';
import { MaintenanceStore } from './migration/maintenance';
import { createPreflightEngine } from './migration/preflight';
import { prepareHaWorkflow } from './migration/haWorkflow';
import type { MigrationRequest, MoveExecutor, MovePlan } from './migration/types';
import { FleetPanel } from './panel/fleetPanel';
import { exportHistory, HistoryPanel } from './panel/historyPanel';
import { MigrationPanel } from './panel/migrationPanel';
import { modalUi } from './panel/webviewHost';
import type { PowerShellRunner } from './powershell/types';
import { readSettings } from './settings';
import { MovesStatusBar } from './statusBar';
import { AutoRefresh } from './tree/autoRefresh';
import { FleetTreeProvider } from './tree/fleetTree';
import { MaintenanceMarks } from './tree/maintenanceMarks';
import { ReadOnlyPlans, requireTrust, trusted, whenTrusted } from './trust';

/** What tests (and other extensions) can reach. */
export interface ExtensionApi {
  readonly fleet: Fleet;
  readonly tree: FleetTreeProvider;
  readonly connection: Connection;
  readonly panel: MigrationPanel;
  /** Configure Live Migration, Drain Host / Migrate many, the HA workflow. */
  readonly fleetPanel: FleetPanel;
  readonly executor: MoveExecutor;
  /** Resolves when the moves of the journal have been re-attached or recorded (at activation). */
  readonly recovered: Promise<unknown>;
  readonly statusBar: MovesStatusBar;
  readonly logger: ExtensionLogger;
  /** Plan files: their problems, checks, fixes and runs. */
  readonly plans: PlanController;
  /** Every move, drain, return, HA workflow and maintenance window that ended (shared by every window). */
  readonly history: History;
  readonly historyPanel: HistoryPanel;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  // The core (which knows no vscode) translates through @vscode/l10n and writes lists with Intl: the same bundle
  // VS Code chose here, in VS Code's display language.
  setDisplayLanguage(vscode.env.language, vscode.l10n.bundle);
  const logger = createLogger();
  const connection = new Connection(context, logger);
  // In Restricted Mode no host is read (src/trust.ts): the view shows why instead.
  const fleet = new Fleet(() => (vscode.workspace.isTrusted ? connection.source() : Promise.resolve(undefined)));
  const isLab = () => connection.mode === 'lab';
  // Hosts in maintenance: one store beside the journals, its marks read again whenever any window changes it (or a
  // return's drain ends or is resumed).
  const drainJournalDir = path.join(context.globalStorageUri.fsPath, 'drains');
  const maintenance = new MaintenanceStore(path.join(context.globalStorageUri.fsPath, 'maintenance'), logger, drainJournalDir);
  const marks = new MaintenanceMarks(maintenance, (error) => logger.warn(`Maintenance marks: ${String(error)}`));
  const tree = new FleetTreeProvider(fleet, isLab, marks);
  const view = vscode.window.createTreeView('hyperv.fleet', { treeDataProvider: tree, canSelectMany: true, showCollapseAll: true });
  // The migration core runs on whatever pool the connection has now (settings may replace it).
  const runner: PowerShellRunner = {
    run: async (script, params, options) => {
      requireTrust();
      return (await connection.runner()).run(script, params, options);
    },
    dispose: async () => {},
  };
  const journalDir = path.join(context.globalStorageUri.fsPath, 'moves');
  const haJournalDir = path.join(context.globalStorageUri.fsPath, 'ha-workflows');
  const executor = createMoveExecutor({ runner, journalDir, logger, credentialFor: (host) => connection.knownCredential(host) });
  const history = new History(path.join(context.globalStorageUri.fsPath, 'history'), {
    logger,
    credentialUser: (host) => connection.knownCredential(host)?.userName,
  });
  const historyPanel = new HistoryPanel(context.extensionUri, history, logger);
  const engine = createPreflightEngine(runner, { credentialFor: (host) => connection.knownCredential(host) });
  const fixer = createFixer(runner, { credentialFor: (host) => connection.knownCredential(host) });
  const panel = new MigrationPanel(context.extensionUri, fleet, isLab, logger, { engine, fixer, executor }, modalUi, (host) =>
    marks.why(host),
  );
  const fleetPanel = new FleetPanel(context.extensionUri, {
    fleet,
    runner,
    executor,
    isLab,
    logger,
    credential: (host) => connection.credential(host),
    haJournalDir,
    drainJournalDir,
    maintenance,
    history,
  });
  const statusBar = new MovesStatusBar(fleet, executor);
  const haScript = async (request: MigrationRequest, plan: MovePlan) => {
    const prepared = await prepareHaWorkflow(
      { runner, executor, preflight: engine, credentialFor: (host) => connection.knownCredential(host), logger, journalDir: haJournalDir },
      request,
      { plan },
    );
    return prepared.ok ? { script: prepared.workflow.preview() } : { why: prepared.message };
  };
  const destinations = { panel, fleet, marks, logger };
  const plans = new PlanController({ fleet, engine, fixer, fleetPanel, migrationPanel: panel, logger, haScript, marks });
  // Every command but these runs PowerShell, so is refused in Restricted Mode (package.json disables it there too).
  const withoutPowerShell = new Set([
    'hyperv.log.show',
    'hyperv.plan.new',
    'hyperv.history.show',
    'hyperv.history.exportCsv',
    'hyperv.history.exportMarkdown',
  ]);
  const command = (id: string, handler: (...args: never[]) => unknown) =>
    registerCommand(logger, id, withoutPowerShell.has(id) ? handler : trusted(handler));

  const setContext = () => void vscode.commands.executeCommand('setContext', 'hyperv.connection', connection.mode);
  const autoRefresh = new AutoRefresh(fleet, (error) => logger.error(`The periodic refresh failed: ${String(error)}`));
  const schedule = () => autoRefresh.schedule(readSettings().refreshIntervalMs);
  const refreshInBackground = () =>
    void fleet
      .refresh()
      .then(() => connection.warmUp(fleet.hosts().map((host) => host.name)))
      .catch((error: unknown) => {
        logger.error(`Reading the hosts failed: ${String(error)}`);
        void vscode.window.showErrorMessage(
          vscode.l10n.t('Hyper-V: reading the hosts failed: {0}', error instanceof Error ? error.message : String(error)),
        );
      });

  context.subscriptions.push(
    logger,
    connection,
    tree,
    view,
    executor,
    panel,
    fleetPanel,
    statusBar,
    new MoveWatcher(fleet, (error) => logger.error(`Following the moves in the tree failed: ${String(error)}`)),
    plans,
    marks,
    new ReadOnlyPlans(),
    vscode.languages.registerCompletionItemProvider(PLAN_SELECTOR, new PlanCompletions(plans), '"'),
    // The walkthrough's "look at a host" step.
    view.onDidChangeSelection(() => void vscode.commands.executeCommand('setContext', 'hyperv.walkthrough.hostSeen', true)),
    view.onDidExpandElement(() => void vscode.commands.executeCommand('setContext', 'hyperv.walkthrough.hostSeen', true)),
    autoRefresh,
    command('hyperv.log.show', () => logger.show()),
    recordMoves(executor, history),
    historyPanel,
    command('hyperv.history.show', () => historyPanel.show()),
    command('hyperv.history.exportCsv', () => exportHistory(history, logger, 'csv')),
    command('hyperv.history.exportMarkdown', () => exportHistory(history, logger, 'markdown')),
    command('hyperv.fleet.refresh', () => fleet.refresh()),
    command('hyperv.host.refresh', (node: unknown, nodes: unknown) => refreshHost(fleet, node, nodes)),
    command('hyperv.host.retry', (node: unknown) => refreshHost(fleet, node, undefined)),
    command('hyperv.host.add', () => addHost(fleet)),
    command('hyperv.host.remove', (node: unknown, nodes: unknown) => removeHost(fleet, node, nodes)),
    command('hyperv.host.edit', (node: unknown) => editHost(connection, fleet, node)),
    command('hyperv.host.setCredentials', (node: unknown) => setCredentials(connection, fleet, node)),
    command('hyperv.host.clearCredentials', (node: unknown) => clearCredentials(connection, fleet, node)),
    command('hyperv.host.drain', (node: unknown) => drainHost(fleetPanel, fleet, node)),
    command('hyperv.host.enterMaintenance', (node: unknown) => enterMaintenance(fleetPanel, fleet, marks, node)),
    command('hyperv.host.exitMaintenance', (node: unknown) => exitMaintenance(fleetPanel, fleet, marks, node)),
    command('hyperv.host.maintainOneByOne', (node: unknown, nodes: unknown) => maintainHosts(fleetPanel, fleet, marks, node, nodes)),
    command('hyperv.host.isBack', (node: unknown) => hostIsBack(fleetPanel, fleet, marks, node)),
    command('hyperv.host.configureMigration', (node: unknown, nodes: unknown) => configureMigration(fleetPanel, fleet, node, nodes)),
    command('hyperv.lab.use', () => useLab(connection, fleet)),
    command('hyperv.lab.reset', () => resetLabCommand(connection, fleet)),
    command('hyperv.lab.openFile', () => openLabFile(connection)),
    command('hyperv.vm.check', (node: unknown, nodes: unknown) => checkMigration(destinations, node, nodes)),
    command('hyperv.vm.migrate', (node: unknown, nodes: unknown) => migrateVm(destinations, fleetPanel, node, nodes)),
    command('hyperv.vm.copyMigrationScript', (node: unknown) => copyMigrationScript(destinations, node)),
    command('hyperv.vm.start', (node: unknown, nodes: unknown) => startVm(connection, fleet, node, nodes)),
    command('hyperv.vm.stop', (node: unknown, nodes: unknown) => stopVm(connection, fleet, node, nodes)),
    command('hyperv.migrations.show', () => panel.show('moves')),
    command('hyperv.plan.new', () => newPlan(fleet)),
    command('hyperv.plan.check', (uri: unknown) => checkPlan(plans, uri)),
    command('hyperv.plan.run', (uri: unknown) => runPlan(plans, uri)),
    command('hyperv.plan.export', (uri: unknown) => exportPlan(plans, uri)),
    command('hyperv.plan.checkMove', (uri: unknown, index: unknown) => checkPlanMove(plans, uri, index)),
    command('hyperv.plan.migrateMove', (uri: unknown, index: unknown) => migratePlanMove(plans, uri, index)),
    command('hyperv.plan.copyMove', (uri: unknown, index: unknown) => copyPlanMove(plans, uri, index)),
    command('hyperv.plan.applyFix', (uri: unknown, index: unknown, finding: unknown, fix: unknown) =>
      applyPlanFix(plans, uri, index, finding, fix),
    ),
    command('hyperv.plan.approveFix', (uri: unknown, index: unknown, finding: unknown, fix: unknown) =>
      approvePlanFix(plans, uri, index, finding, fix),
    ),
    command('hyperv.plan.saveFromPanel', () => plans.save(fleetPanel.planAsFile())),
    command('hyperv.vm.saveAsPlan', (node: unknown, nodes: unknown) => saveVmsAsPlan(plans, fleetPanel, fleet, node, nodes)),
    command('hyperv.host.saveDrainAsPlan', (node: unknown) => saveDrainAsPlan(plans, fleetPanel, fleet, node)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration('hyperv')) return;
      connection.reload();
      setContext();
      schedule();
      refreshInBackground();
    }),
  );

  setContext();
  schedule();
  refreshInBackground();
  // What checks, fixes or moves a plan (its lenses and lightbulb) and the journal's re-attach wait for trust.
  const recovered = whenTrusted(() => {
    context.subscriptions.push(
      vscode.languages.registerCodeActionsProvider(PLAN_SELECTOR, new PlanCodeActions(plans), {
        providedCodeActionKinds: PlanCodeActions.kinds,
      }),
      vscode.languages.registerCodeLensProvider(PLAN_SELECTOR, new PlanCodeLenses(plans)),
    );
    if (!fleet.refreshing) refreshInBackground();
    const moves = panel
      .recover()
      .catch((error: unknown) => logger.error(`Re-attaching to the moves of the journal failed: ${String(error)}`));
    // HA workflows a reload interrupted are finished, and drains it interrupted offered to resume, after their
    // moves are re-attached (not waited for here).
    void moves
      .then(() => fleetPanel.resumeHa())
      .catch((error: unknown) => logger.error(`Picking up the HA workflows of the journal failed: ${String(error)}`));
    void moves
      .then(() => fleetPanel.resumeDrains())
      .catch((error: unknown) => logger.error(`Listing the drains a reload interrupted failed: ${String(error)}`));
    return moves;
  });
  const where = connection.mode === 'lab' ? `lab at ${connection.labFile}` : 'real hosts';
  logger.info(
    `Hyper-V Live Migration activated (${where}${vscode.workspace.isTrusted ? '' : '; Restricted Mode: no PowerShell runs until the workspace is trusted'})`,
  );
  void history
    .prune()
    .then((pruned) => pruned > 0 && logger.info(`History: forgot ${pruned} entries older than 90 days or beyond the newest 2000.`))
    .catch((error: unknown) => logger.warn(`History: could not prune: ${String(error)}`));
  return { fleet, tree, connection, panel, fleetPanel, executor, recovered, statusBar, logger, plans, history, historyPanel };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
