// What both panels do to host their webview: the panel with its icon, the page with a strict CSP (scripts
// by nonce only, resources from the bundle and media), and every inbound message validated before the
// panel's handler sees it; a handler's failure is logged and shown.
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
