import * as vscode from 'vscode';
import type { Fleet } from './hyperv/fleet';

/** How many moves are running in the fleet; a click opens the migration panel. Hidden while none runs. */
export class MovesStatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('hyperv.moves', vscode.StatusBarAlignment.Left, 10);
  private readonly subscription: { dispose(): void };

  constructor(private readonly fleet: Fleet) {
    this.item.name = 'Hyper-V migrations';
    this.item.command = 'hyperv.migrations.show';
    this.subscription = fleet.onDidChange(() => this.update());
    this.update();
  }

  running(): string[] {
    return this.fleet.vms().filter((vm) => vm.migrationPercent !== null || /migrat/i.test(vm.status)).map((vm) => vm.name);
  }

  private update(): void {
    const running = this.running();
    this.item.text = `$(sync~spin) ${running.length} ${running.length === 1 ? 'migration' : 'migrations'}`;
    this.item.tooltip = `Hyper-V: migrating ${running.join(', ')}. Click to open the migration panel.`;
    if (running.length > 0) this.item.show();
    else this.item.hide();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
