// The history as a CSV file (for a spreadsheet) and as a Markdown table (for a change record or a ticket).
// A CSV cell is always quoted, and one that a spreadsheet would read as a formula (= + - @, a tab or a
// carriage return first) is neutralized with a leading apostrophe (OWASP's advice on CSV injection); a
// Markdown cell has the characters of the table syntax and of inline markup escaped.

import * as l10n from '@vscode/l10n';
import { bytes, duration } from '../../hyperv/format';
import type { HistoryEntry, HistoryKind, HistoryOutcome } from './store';

const KINDS: Readonly<Record<HistoryKind, () => string>> = {
  move: () => l10n.t('Move'),
  drain: () => l10n.t('Drain'),
  return: () => l10n.t('Return'),
  ha: () => l10n.t('HA workflow'),
  maintenance: () => l10n.t('Maintenance'),
};

const OUTCOMES: Readonly<Record<HistoryOutcome, () => string>> = {
  succeeded: () => l10n.t('Succeeded'),
  failed: () => l10n.t('Failed'),
  cancelled: () => l10n.t('Cancelled'),
};

export function kindLabel(kind: HistoryKind): string {
  return KINDS[kind]();
}

export function outcomeLabel(outcome: HistoryOutcome): string {
  return OUTCOMES[outcome]();
}

/** Who ran it, in a cell: `alice (as CONTOSO\admin)`. */
export function ranByText(entry: HistoryEntry): string {
  const { user, credentialUser } = entry.ranBy;
  return credentialUser ? l10n.t('{0} (as {1})', user, credentialUser) : user;
}

/** An average throughput: `120 MB/s`, or '' when nothing was measured. */
export function throughputText(bytesPerSecond: number): string {
  return bytesPerSecond > 0 ? `${bytes(bytesPerSecond)}/s` : '';
}

/** The columns; `csv` names the units of its plain numbers. */
function headers(csv: boolean): string[] {
  return [
    l10n.t('Kind'),
    l10n.t('Started'),
    l10n.t('Ended'),
    l10n.t('VM'),
    l10n.t('Source'),
    l10n.t('Destination'),
    l10n.t('Bytes'),
    csv ? l10n.t('Duration (s)') : l10n.t('Duration'),
    csv ? l10n.t('Average throughput (bytes/s)') : l10n.t('Average throughput'),
    l10n.t('Outcome'),
    l10n.t('Message'),
    l10n.t('Run by'),
  ];
}

/** An entry's cells in the columns' order, with its bytes, duration and throughput as `amounts` says them. */
function cells<T>(e: HistoryEntry, amounts: readonly [T, T, T]): (string | T)[] {
  const { startedAt, endedAt, vm, source, destination, message } = e;
  return [kindLabel(e.kind), startedAt, endedAt, vm, source, destination, ...amounts, outcomeLabel(e.outcome), message, ranByText(e)];
}

/** A CSV cell: quoted, quotes doubled, a formula's first character neutralized. */
export function csvCell(value: string | number): string {
  const text = String(value);
  const safe = typeof value === 'string' && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** The entries as CSV (RFC 4180, CRLF line ends): bytes, seconds and bytes per second as plain numbers. */
export function historyCsv(entries: readonly HistoryEntry[]): string {
  const head = headers(true);
  const rows = entries.map((e) => cells(e, [e.bytes, Math.round(e.durationMs / 100) / 10, e.throughput]));
  return [head, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** A Markdown table cell: table syntax and inline markup escaped, line breaks as spaces. */
export function markdownCell(value: string): string {
  return value
    .replace(/\r?\n|\r/g, ' ')
    .replace(/[\\`*_{}[\]()<>#+!|~]/g, (c) => `\\${c}`)
    .trim();
}

/** The entries as a Markdown table, sizes and durations as the panel shows them. */
export function historyMarkdown(entries: readonly HistoryEntry[], title = l10n.t('Migration History')): string {
  const head = headers(false);
  const rows = entries.map((e) => cells(e, [e.bytes > 0 ? bytes(e.bytes) : '', duration(e.durationMs), throughputText(e.throughput)]));
  const line = (cells: readonly string[]) => `| ${cells.map(markdownCell).join(' | ')} |`;
  return [`# ${markdownCell(title)}`, '', line(head), `|${head.map(() => ' --- ').join('|')}|`, ...rows.map(line), ''].join('\n');
}
