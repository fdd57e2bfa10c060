// The migration history panel: every move, drain, return, HA workflow and maintenance window that ended,
// newest first, filtered by host or VM in the webview, and exported as CSV or Markdown into an untitled
// editor (with Save As… offered). It reads the history when it opens, when this window records an entry,
// and on Refresh (other windows' entries).
import * as vscode from 'vscode';
import { duration as durationText, bytes as bytesText } from '../hyperv/format';
import {
  historyCsv,
  historyMarkdown,
  kindLabel,
  outcomeLabel,
  ranByText,
  throughputText,
  type History,
  type HistoryEntry,
} from '../migration/history';
import type { Logger } from '../powershell/types';
import {
  parseFromHistoryWebview,
  type FromHistoryWebview,
  type HistoryExportFormat,
  type HistoryPanelState,
  type HistoryRowView,
} from './historyProtocol';
import { PanelHost } from './webviewHost';
import { dispatch } from './messages';

/** Local time to the second: `2026-12-05 14:03:07`. */
function localTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const two = (n: number) => n.toString().padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

export function historyRow(entry: HistoryEntry): HistoryRowView {
  return {
    id: entry.id,
    kind: kindLabel(entry.kind),
    started: localTime(entry.startedAt),
    ended: localTime(entry.endedAt),
    vm: entry.vm,
    source: entry.source,
    destination: entry.destination,
    bytes: entry.bytes > 0 ? bytesText(entry.bytes) : '',
    duration: durationText(entry.durationMs),
    throughput: throughputText(entry.throughput),
    outcome: entry.outcome,
    outcomeLabel: outcomeLabel(entry.outcome),
    message: entry.message,
    ranBy: ranByText(entry),
    ...(entry.samples && entry.samples.length > 1 && { samples: entry.samples }),
  };
}

export class HistoryPanel implements vscode.Disposable {
  private readonly host: PanelHost<FromHistoryWebview, HistoryPanelState>;
  private entries: HistoryEntry[] = [];
  private loading = false;
  private error: string | undefined;
  private readonly recorded: { dispose(): void };

  constructor(
    extensionUri: vscode.Uri,
    private readonly history: History,
    private readonly logger: Logger,
  ) {
    this.host = new PanelHost({
      extensionUri,
      viewType: 'hyperv.history',
      preserveFocus: false,
      bundle: 'history',
      parse: parseFromHistoryWebview,
      handle: (message) => this.handle(message),
      logger,
      name: 'history panel',
      state: () => this.state(),
      closed: () => undefined,
    });
    this.recorded = history.onDidRecord(() => {
      if (this.host.visible) void this.load();
    });
  }

  /** Opens the panel (or brings it forward) and reads the history again. */
  async show(): Promise<void> {
    this.host.reveal();
    await this.load();
  }

  /** What the table shows now (tests read it). */
  state(): HistoryPanelState {
    return {
      title: vscode.l10n.t('Migration History'),
      loading: this.loading,
      rows: this.entries.map(historyRow),
      ...(this.error !== undefined && { error: this.error }),
    };
  }

  /** Reads the history again and shows it. */
  async load(): Promise<void> {
    this.loading = true;
    this.host.changed();
    try {
      this.entries = await this.history.list();
      this.error = undefined;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      this.logger.error(`history panel: reading ${this.history.dir} failed: ${this.error}`);
    } finally {
      this.loading = false;
      this.host.changed();
    }
  }

  private async handle(message: FromHistoryWebview): Promise<void> {
    return dispatch(
      message,
      {
        ready: () => this.host.webviewReady(),
        refresh: () => this.load(),
        export: (m) => exportHistory(this.history, this.logger, m.format, new Set(m.ids)),
      },
      this.logger,
      'history panel',
    );
  }

  dispose(): void {
    this.recorded.dispose();
    this.host.dispose();
  }
}

/**
 * The history (the entries of `ids`, or all) as CSV or Markdown in an untitled editor beside the panel;
 * Save As… is offered (not waited for). Resolves with the document.
 */
export async function exportHistory(
  history: History,
  logger: Logger,
  format: HistoryExportFormat,
  ids?: ReadonlySet<string>,
): Promise<vscode.TextDocument> {
  const entries = (await history.list()).filter((entry) => !ids || ids.has(entry.id));
  const content = format === 'csv' ? historyCsv(entries) : historyMarkdown(entries);
  const document = await vscode.workspace.openTextDocument({ language: format, content });
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  const saveAs = vscode.l10n.t('Save As…');
  const extension = format === 'csv' ? 'csv' : 'md';
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  void vscode.window
    .showInformationMessage(vscode.l10n.t('The history is open as an unsaved {0} document.', format === 'csv' ? 'CSV' : 'Markdown'), saveAs)
    .then(async (choice) => {
      if (choice !== saveAs) return;
      const target = await vscode.window.showSaveDialog({
        filters: format === 'csv' ? { CSV: ['csv'] } : { Markdown: ['md'] },
        ...(folder && { defaultUri: vscode.Uri.joinPath(folder, `migration-history.${extension}`) }),
      });
      if (target) await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(document.getText()));
    })
    .then(undefined, (error: unknown) => logger.error(`Saving the history failed: ${String(error)}`));
  return document;
}
