import * as vscode from 'vscode';
import type { Fleet } from './hyperv/fleet';
import type { MoveExecutor } from './migration/types';

/**
 * How many moves are running: the executor's (started here or re-attached after a reload) and any other
 * the hosts report. A click opens the migration panel. Hidden while none runs.
 */
export class MovesStatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('hyperv.moves', vscode.StatusBarAlignment.Left, 10);
  private readonly subscriptions: { dispose(): void }[];

  constructor(
    private readonly fleet: Fleet,
    private readonly executor: MoveExecutor,
  ) {
    this.item.name = vscode.l10n.t('Hyper-V migrations');
    this.item.command = 'hyperv.migrations.show';
    this.subscriptions = [fleet.onDidChange(() => this.update()), executor.onDidChange(() => this.update())];
    this.update();
  }

  /** The names of the VMs moving now. */
  running(): string[] {
    const names = new Map<string, string>();
    for (const handle of this.executor.running()) {
      const { vmId, vmName } = handle.record().plan.request;
      names.set(vmId.toLowerCase(), vmName);
    }
    for (const vm of this.fleet.vms()) {
      if (vm.migrationPercent !== null || /migrat/i.test(vm.status)) names.set(vm.id.toLowerCase(), vm.name);
    }
    return [...names.values()];
  }

  private update(): void {
    const running = this.running();
    this.item.text = `$(sync~spin) ${running.length === 1 ? vscode.l10n.t('1 migration') : vscode.l10n.t('{0} migrations', running.length)}`;
    this.item.tooltip = vscode.l10n.t('Hyper-V: migrating {0}. Click to open the migration panel.', running.join(', '));
    if (running.length > 0) this.item.show();
    else this.item.hide();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
