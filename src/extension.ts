import * as vscode from 'vscode';
import { clearCredentials, addHost, editHost, refreshHost, removeHost, setCredentials } from './commands/hosts';
import { openLabFile, resetLabCommand, useLab } from './commands/lab';
import { copyMigrationScript, openForHosts, openForVms } from './commands/panel';
import { registerCommand } from './commands/register';
import { startVm, stopVm } from './commands/vmState';
import { Connection } from './connection';
import { Fleet } from './hyperv/fleet';
import { MoveWatcher } from './hyperv/moveWatcher';
import { createLogger, type ExtensionLogger } from './logger';
import { MigrationPanel } from './panel/migrationPanel';
import { readSettings } from './settings';
import { MovesStatusBar } from './statusBar';
import { FleetTreeProvider } from './tree/fleetTree';

/** What tests (and other extensions) can reach. */
export interface ExtensionApi {
  readonly fleet: Fleet;
  readonly tree: FleetTreeProvider;
  readonly connection: Connection;
  readonly panel: MigrationPanel;
  readonly statusBar: MovesStatusBar;
  readonly logger: ExtensionLogger;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const logger = createLogger();
  const connection = new Connection(context, logger);
  const fleet = new Fleet(() => connection.source());
  const isLab = () => connection.mode === 'lab';
  const tree = new FleetTreeProvider(fleet, isLab);
  const view = vscode.window.createTreeView('hyperv.fleet', { treeDataProvider: tree, canSelectMany: true, showCollapseAll: true });
  const panel = new MigrationPanel(context.extensionUri, fleet, isLab, logger);
  const statusBar = new MovesStatusBar(fleet);
  const command = (id: string, handler: (...args: never[]) => unknown) => registerCommand(logger, id, handler);

  const setContext = () => void vscode.commands.executeCommand('setContext', 'hyperv.connection', connection.mode);
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    if (timer) clearInterval(timer);
    const every = readSettings().refreshIntervalMs;
    timer = every > 0 ? setInterval(() => void fleet.refresh(), every) : undefined;
  };

  context.subscriptions.push(
    logger,
    connection,
    tree,
    view,
    panel,
    statusBar,
    new MoveWatcher(fleet),
    { dispose: () => timer && clearInterval(timer) },
    command('hyperv.log.show', () => logger.show()),
    command('hyperv.fleet.refresh', () => fleet.refresh()),
    command('hyperv.host.refresh', (node: unknown, nodes: unknown) => refreshHost(fleet, node, nodes)),
    command('hyperv.host.retry', (node: unknown) => refreshHost(fleet, node, undefined)),
    command('hyperv.host.add', () => addHost(fleet)),
    command('hyperv.host.remove', (node: unknown, nodes: unknown) => removeHost(fleet, node, nodes)),
    command('hyperv.host.edit', (node: unknown) => editHost(connection, fleet, node)),
    command('hyperv.host.setCredentials', (node: unknown) => setCredentials(connection, fleet, node)),
    command('hyperv.host.clearCredentials', (node: unknown) => clearCredentials(connection, fleet, node)),
    command('hyperv.host.drain', (node: unknown, nodes: unknown) => openForHosts(panel, fleet, 'drain', node, nodes)),
    command('hyperv.host.configureMigration', (node: unknown, nodes: unknown) => openForHosts(panel, fleet, 'configure', node, nodes)),
    command('hyperv.lab.use', () => useLab(connection, fleet)),
    command('hyperv.lab.reset', () => resetLabCommand(connection, fleet)),
    command('hyperv.lab.openFile', () => openLabFile(connection)),
    command('hyperv.vm.check', (node: unknown, nodes: unknown) => openForVms(panel, fleet, 'check', node, nodes)),
    command('hyperv.vm.migrate', (node: unknown, nodes: unknown) => openForVms(panel, fleet, 'migrate', node, nodes)),
    command('hyperv.vm.copyMigrationScript', (node: unknown) => copyMigrationScript(fleet, node)),
    command('hyperv.vm.start', (node: unknown, nodes: unknown) => startVm(connection, fleet, node, nodes)),
    command('hyperv.vm.stop', (node: unknown, nodes: unknown) => stopVm(connection, fleet, node, nodes)),
    command('hyperv.migrations.show', () => panel.show('moves')),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration('hyperv')) return;
      connection.reload();
      setContext();
      schedule();
      void fleet.refresh();
    }),
  );

  setContext();
  schedule();
  void fleet.refresh();
  logger.info(`Hyper-V Live Migration activated (${connection.mode === 'lab' ? `lab at ${connection.labFile}` : 'real hosts'})`);
  return { fleet, tree, connection, panel, statusBar, logger };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
