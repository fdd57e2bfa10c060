import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { Fleet } from '../hyperv/fleet';
import type { Vm } from '../hyperv/model';
import type { Logger } from '../powershell/types';
import { parseFromWebview, type PanelIntent, type PanelState, type ToWebview } from './protocol';
import { summarizeHost, summarizeVm } from './summaries';

const titles: Record<PanelIntent, string> = {
  check: 'Check migration',
  migrate: 'Migrate',
  copy: 'Migration as PowerShell',
  drain: 'Drain host',
  configure: 'Configure live migration',
  moves: 'Migrations',
};

/**
 * The migration panel. The extension owns the state and pushes snapshots; the webview renders them and
 * asks. Nothing is posted before the webview says it is ready.
 */
export class MigrationPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private intent: PanelIntent = 'moves';
  private vmIds: string[] = [];
  private hostNames: string[] = [];
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly fleet: Fleet,
    private readonly isLab: () => boolean,
    private readonly logger: Logger,
  ) {
    this.subscription = fleet.onDidChange(() => this.post());
  }

  /** The state the webview shows now (also what tests read). */
  state(): PanelState {
    const vms = this.vmIds.map((id) => this.fleet.vms().find((vm) => vm.id === id)).filter((vm): vm is Vm => vm !== undefined);
    const names = vms.map((vm) => vm.name);
    const subject = names.length > 0 ? names.join(', ') : this.hostNames.join(', ');
    return {
      intent: this.intent,
      title: subject ? `${titles[this.intent]}: ${subject}` : titles[this.intent],
      lab: this.isLab(),
      vms: vms.map(summarizeVm),
      hosts: this.hostNames.map((n) => this.fleet.host(n)).filter((h) => h !== undefined).map(summarizeHost),
      fleet: this.fleet.hosts().map(summarizeHost),
      migrating: this.fleet.vms().filter((vm) => vm.migrationPercent !== null || /migrat/i.test(vm.status)).map((vm) => `${vm.name}${vm.migrationPercent !== null ? ` (${vm.migrationPercent}%)` : ''}`),
    };
  }

  get visible(): boolean {
    return this.panel !== undefined;
  }

  show(intent: PanelIntent, vms: readonly Vm[] = [], hosts: readonly string[] = []): void {
    this.intent = intent;
    this.vmIds = vms.map((vm) => vm.id);
    this.hostNames = [...hosts];
    if (!this.panel) this.create();
    else this.panel.reveal(vscode.ViewColumn.Active);
    this.panel!.title = this.state().title;
    this.post();
  }

  private create(): void {
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel('hyperv.migration', 'Migration', vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [dist, media],
    });
    panel.iconPath = vscode.Uri.joinPath(media, 'hyperv.svg');
    const nonce = randomBytes(16).toString('base64');
    const webview = panel.webview;
    const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css'));
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource} data:`,
      `font-src ${webview.cspSource}`,
      `style-src ${webview.cspSource} 'unsafe-inline'`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    webview.html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}" id="vscode-codicon-stylesheet">
<title>Migration</title>
</head>
<body>
<main id="app" aria-live="polite"></main>
<script type="module" nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
    webview.onDidReceiveMessage((raw: unknown) => {
      const message = parseFromWebview(raw);
      if (!message) {
        this.logger.warn(`panel: ignored a malformed message from the webview`);
        return;
      }
      switch (message.type) {
        case 'ready':
          this.ready = true;
          this.post();
          break;
        case 'refresh':
          void this.fleet.refresh();
          break;
        case 'showLog':
          void vscode.commands.executeCommand('hyperv.log.show');
          break;
        default: {
          const never: never = message;
          this.logger.warn(`panel: unknown message ${JSON.stringify(never)}`);
        }
      }
    });
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.ready = false;
    });
    this.panel = panel;
  }

  private post(): void {
    if (!this.panel || !this.ready) return;
    const message: ToWebview = { type: 'state', state: this.state() };
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    this.subscription.dispose();
    this.panel?.dispose();
  }
}
