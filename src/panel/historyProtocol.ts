// The one protocol between the migration history panel and its webview; both sides import it. The extension
// reads the history and pushes it whole (`state`), every cell already in words; the webview filters it by
// host or VM as the admin types, and asks for a refresh or an export of what it shows. Self-contained on
// purpose: the webview's type check sees nothing of the extension but this file.

import type { MoveSample } from './protocol';

export type HistoryOutcomeView = 'succeeded' | 'failed' | 'cancelled';

/** One entry of the history, as the table shows it. */
export interface HistoryRowView {
  readonly id: string;
  readonly kind: string;
  /** Local time, `2026-12-05 14:03:07`. */
  readonly started: string;
  readonly ended: string;
  readonly vm: string;
  readonly source: string;
  readonly destination: string;
  /** `12 GB`, or '' when nothing was measured. */
  readonly bytes: string;
  readonly duration: string;
  /** `120 MB/s`, or ''. */
  readonly throughput: string;
  readonly outcome: HistoryOutcomeView;
  readonly outcomeLabel: string;
  readonly message: string;
  readonly ranBy: string;
  /** A move's progress over time, for its chart (webview/chart.ts); two samples at least. */
  readonly samples?: readonly MoveSample[];
}

export interface HistoryPanelState {
  readonly title: string;
  readonly loading: boolean;
  /** Newest first. */
  readonly rows: readonly HistoryRowView[];
  /** Why the history could not be read. */
  readonly error?: string;
}

export type HistoryExportFormat = 'csv' | 'markdown';

export type FromHistoryWebview =
  | { readonly type: 'ready' }
  | { readonly type: 'refresh' }
  /** Exports the entries the table shows (its filter applied), by id. */
  | { readonly type: 'export'; readonly format: HistoryExportFormat; readonly ids: readonly string[] };

export type ToHistoryWebview = { readonly type: 'state'; readonly state: HistoryPanelState };

const MAX_IDS = 10000;
const ID = /^[A-Za-z0-9-]{1,64}$/;

/** The rows whose VM or hosts contain `filter` (any case); every row for an empty filter. */
export function filterRows(rows: readonly HistoryRowView[], filter: string): HistoryRowView[] {
  const wanted = filter.trim().toLowerCase();
  if (!wanted) return [...rows];
  return rows.filter((row) => [row.vm, row.source, row.destination].some((field) => field.toLowerCase().includes(wanted)));
}

/** Inbound messages are untrusted: only these shapes, with strings of sane length, are acted on. */
export function parseFromHistoryWebview(message: unknown): FromHistoryWebview | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const o = message as Record<string, unknown>;
  switch (o.type) {
    case 'ready':
    case 'refresh':
      return { type: o.type };
    case 'export': {
      const format = o.format === 'csv' || o.format === 'markdown' ? o.format : undefined;
      const ids =
        Array.isArray(o.ids) && o.ids.length <= MAX_IDS && o.ids.every((id) => typeof id === 'string' && ID.test(id))
          ? (o.ids as string[])
          : undefined;
      return format && ids ? { type: 'export', format, ids } : undefined;
    }
    default:
      return undefined;
  }
}
