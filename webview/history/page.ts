// The migration history's table: every entry newest first, a text box that keeps the rows whose VM or hosts
// contain what is typed, and the exports of what the table shows (CSV, Markdown) and Refresh.
import { html, type TemplateResult } from 'lit-html';
import {
  filterRows,
  type FromHistoryWebview,
  type HistoryOutcomeView,
  type HistoryPanelState,
  type HistoryRowView,
} from '../../src/panel/historyProtocol';
import { moveChart } from '../chart';
import * as l10n from '../l10n';
import { button, dataTable, disclosure, icon, nothing, statusIcon, type PageContext, type Status, type UiState } from '../ui';

export type HistoryContext = PageContext<FromHistoryWebview>;

const FILTER = 'filter';

const OUTCOME_STATUS: Record<HistoryOutcomeView, Status> = { succeeded: 'done', failed: 'failed', cancelled: 'cancelled' };

/** A move's chart, in a disclosure of its own row under the move's. */
function chartRow(ui: UiState, r: HistoryRowView, route: string): TemplateResult | typeof nothing {
  if (!r.samples) return nothing;
  const chart = moveChart(r.samples, { subject: `${r.vm}: ${route}`, ended: r.outcome });
  return html`<tr class="chart-row" data-chart=${r.id}>
    <td colspan="10">${disclosure(ui, `chart:${r.id}`, l10n.t('Throughput and progress'), 'chart', chart)}</td>
  </tr>`;
}

function row(ui: UiState, r: HistoryRowView): TemplateResult {
  const route = r.source && r.destination ? `${r.source} → ${r.destination}` : r.source || r.destination;
  return html`<tr data-id=${r.id} data-outcome=${r.outcome}>
      <td>${r.ended}</td>
      <td>${r.kind}</td>
      <td>${r.vm}</td>
      <td>${route}</td>
      <td class="number">${r.bytes}</td>
      <td class="number">${r.duration}</td>
      <td class="number">${r.throughput}</td>
      <td class=${`outcome ${r.outcome}`}>${statusIcon(OUTCOME_STATUS[r.outcome])} ${r.outcomeLabel}</td>
      <td class="message">${r.message}</td>
      <td>${r.ranBy}</td>
    </tr>
    ${chartRow(ui, r, route)}`;
}

function table(ui: UiState, rows: readonly HistoryRowView[]): TemplateResult {
  const headings = [
    l10n.t('Ended'),
    l10n.t('Kind'),
    l10n.t('VM'),
    l10n.t('Hosts'),
    l10n.t('Data'),
    l10n.t('Duration'),
    l10n.t('Average throughput'),
    l10n.t('Outcome'),
    l10n.t('Message'),
    l10n.t('Run by'),
  ];
  return dataTable(
    'data history',
    headings,
    rows,
    (r) => r.id,
    (r) => row(ui, r),
  );
}

/** What the table says, beside the rows: how many it shows of how many. */
export function countText(shown: number, total: number): string {
  if (total === 0) return l10n.t('Nothing has been recorded yet: moves, drains and HA workflows are recorded when they end.');
  if (shown === total) return total === 1 ? l10n.t('1 entry') : l10n.t('{0} entries', total);
  return l10n.t('{0} of {1} entries', shown, total);
}

export function historyPage(ctx: HistoryContext, state: HistoryPanelState): TemplateResult {
  const filter = ctx.ui.value(FILTER) ?? '';
  const rows = filterRows(state.rows, filter);
  const onInput = (event: Event) => ctx.ui.setValue(FILTER, (event.target as HTMLInputElement).value || undefined, true);
  const ids = rows.map((r) => r.id);
  return html`<h1>${state.title}</h1>
    <div class="toolbar">
      <vscode-textfield
        id="history-filter"
        type="search"
        placeholder=${l10n.t('Filter by host or VM')}
        aria-label=${l10n.t('Filter by host or VM')}
        .value=${filter}
        @input=${onInput}
      ></vscode-textfield>
      ${button(l10n.t('Export CSV'), { icon: 'export', id: 'export-csv', disabled: rows.length === 0 }, () =>
        ctx.post({ type: 'export', format: 'csv', ids }),
      )}
      ${button(l10n.t('Export Markdown'), { icon: 'markdown', id: 'export-markdown', secondary: true, disabled: rows.length === 0 }, () =>
        ctx.post({ type: 'export', format: 'markdown', ids }),
      )}
      ${button(l10n.t('Refresh'), { icon: 'refresh', id: 'refresh', secondary: true, disabled: state.loading }, () =>
        ctx.post({ type: 'refresh' }),
      )}
    </div>
    ${state.error ? html`<p class="error" role="alert">${icon('error')} ${state.error}</p>` : nothing}
    <p id="history-count">
      ${state.loading && state.rows.length === 0 ? l10n.t('Reading the history…') : countText(rows.length, state.rows.length)}
    </p>
    ${rows.length > 0 ? table(ctx.ui, rows) : nothing}`;
}
