// What both panels do to host their webview: the panel with its icon, the page with a strict CSP (scripts
// by nonce only, resources from the bundle and media), and every inbound message validated before the
// panel's handler sees it; a handler's failure is logged and shown. `PanelHost` keeps one such panel over
// its life: the throttled snapshots, nothing posted before `ready`, the listeners, and closing.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { Logger } from '../powershell/types';

export interface WebviewHostOptions<M extends { readonly type: string }> {
  readonly extensionUri: vscode.Uri;
  readonly viewType: string;
  readonly title: string;
  readonly showOptions: vscode.ViewColumn | { readonly viewColumn: vscode.ViewColumn; readonly preserveFocus?: boolean };
  /** The bundle's base name in dist/: `<bundle>.js` and `<bundle>.css`. */
  readonly bundle: string;
  /** The validator of inbound messages (undefined: malformed, ignored). */
  readonly parse: (raw: unknown) => M | undefined;
  readonly handle: (message: M) => Promise<void>;
  readonly logger: Logger;
  /** The log's name for this panel, e.g. `fleet panel`. */
  readonly name: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function createWebviewPanel<M extends { readonly type: string }>(options: WebviewHostOptions<M>): vscode.WebviewPanel {
  const media = vscode.Uri.joinPath(options.extensionUri, 'media');
  const dist = vscode.Uri.joinPath(options.extensionUri, 'dist');
  const panel = vscode.window.createWebviewPanel(options.viewType, options.title, options.showOptions, {
    enableScripts: true,
    retainContextWhenHidden: true,
    localResourceRoots: [dist, media],
  });
  panel.iconPath = vscode.Uri.joinPath(media, 'hyperv.svg');
  const nonce = randomBytes(16).toString('base64');
  const webview = panel.webview;
  const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, `${options.bundle}.js`));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(dist, `${options.bundle}.css`));
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
    `style-src ${webview.cspSource} 'unsafe-inline'`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  // The l10n bundle VS Code chose for this display language (none in English), for the webview's @vscode/l10n;
  // `<` escaped so no message can end the script element.
  const l10nBundle = JSON.stringify(vscode.l10n.bundle ?? null).replace(/</g, '\\u003c');
  webview.html = `<!DOCTYPE html>
<html lang="${escapeHtml(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}" id="vscode-codicon-stylesheet">
<title>${escapeHtml(options.title)}</title>
</head>
<body>
<main id="app" aria-live="polite"></main>
<script type="application/json" id="l10n-bundle">${l10nBundle}</script>
<script type="module" nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  webview.onDidReceiveMessage((raw: unknown) => {
    const message = options.parse(raw);
    if (!message) {
      options.logger.warn(`${options.name}: ignored a malformed message from the webview`);
      return;
    }
    options.handle(message).catch((error: unknown) => {
      if (error instanceof vscode.CancellationError) return;
      const text = error instanceof Error ? error.message : String(error);
      options.logger.error(`${options.name}: ${message.type}: ${text}`);
      void vscode.window.showErrorMessage(text);
    });
  });
  return panel;
}

/** The modal question both panels ask before they change something (their `ui` in VS Code). */
export const modalUi = {
  /** Resolves true when the admin chose `action`. */
  async confirm(message: string, detail: string, action: string): Promise<boolean> {
    return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
  },
};

/** "Show PowerShell": a script in an untitled PowerShell editor beside the panel. */
export async function openScript(script: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument({ language: 'powershell', content: script });
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true });
}

/** Snapshots go out at most this often (a move or a drain reports progress many times a second). */
const POST_EVERY_MS = 100;

export interface PanelHostOptions<M extends { readonly type: string }, S extends { readonly title: string }>
  extends Omit<WebviewHostOptions<M>, 'title' | 'showOptions'> {
  /** Whether opening or revealing the panel leaves the focus where it is. */
  readonly preserveFocus: boolean;
  /** The state the webview shows now; its title is the panel's. */
  readonly state: () => S;
  /** After the admin closed the panel (the host has already forgotten it). */
  readonly closed: () => void;
}

/**
 * One panel's webview over its life: created on the first reveal, sent a snapshot of `state()` (throttled)
 * whenever something changed, but only once the webview said it is ready, and forgotten when closed.
 */
export class PanelHost<M extends { readonly type: string }, S extends { readonly title: string }> implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private readonly listeners = new Set<() => void>();
  private readonly poster = new Throttle(POST_EVERY_MS, () => this.post());

  constructor(private readonly options: PanelHostOptions<M, S>) {}

  /** Fires when the state changes. */
  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  get visible(): boolean {
    return this.panel !== undefined;
  }

  reveal(): void {
    const { preserveFocus } = this.options;
    if (this.panel) this.panel.reveal(vscode.ViewColumn.Active, preserveFocus);
    else this.panel = this.create();
    this.panel.title = this.options.state().title;
    this.changed();
  }

  /** The webview said `ready`: from now on it gets the snapshots, starting with this one. */
  webviewReady(): void {
    this.ready = true;
    this.post();
  }

  changed(): void {
    for (const listener of [...this.listeners]) listener();
    this.poster.schedule();
  }

  private create(): vscode.WebviewPanel {
    const { preserveFocus, state, closed, ...webview } = this.options;
    const panel = createWebviewPanel({
      ...webview,
      title: state().title,
      showOptions: { viewColumn: vscode.ViewColumn.Active, preserveFocus },
    });
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.ready = false;
      closed();
    });
    return panel;
  }

  private post(): void {
    if (!this.panel || !this.ready) return;
    const state = this.options.state();
    this.panel.title = state.title;
    const message: { readonly type: 'state'; readonly state: S } = { type: 'state', state };
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    this.poster.dispose();
    this.panel?.dispose();
  }
}

/** Runs `run` at most once per `everyMs`, however often it is asked for (the panels' snapshots). */
export class Throttle {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly everyMs: number,
    private readonly run: () => void,
  ) {}

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.run();
    }, this.everyMs);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
