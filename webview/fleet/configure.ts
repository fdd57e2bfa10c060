// Configure Live Migration: the matrix of host pairs (an ARIA grid), the hosts as read, the plan of
// changes with their PowerShell, what the last apply did, and the Kerberos tickets to refresh.
import { html, type TemplateResult } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import { formatList } from '../../src/hyperv/format';
import type { ChangeResultView, ConfigChangeView, ConfigHostView, ConfigureView, MatrixCell } from '../../src/panel/fleetProtocol';
import * as l10n from '../l10n';
import { button, dataTable, icon, key, nothing, statusIcon, unseen, type Status } from '../ui';
import { callout, collapsible, scriptBlock, toolbar, type FleetContext } from './shared';

// The words this view gives screen readers beside what it shows (one place, for localization).
const say = {
  matrix: l10n.t('Live migration from each host (row) to each other host (column)'),
  sameHost: (host: string) => l10n.t('{0}: the same host', host),
  notRead: (source: string, destination: string) => l10n.t('{0} to {1}: not read', source, destination),
  pair: (source: string, destination: string, status: string, label?: string) =>
    label ? l10n.t('{0} to {1}: {2}: {3}', source, destination, status, label) : l10n.t('{0} to {1}: {2}', source, destination, status),
  cellStatus: { ready: l10n.t('ready'), missing: l10n.t('not ready'), unknown: l10n.t('not known') } as Record<
    MatrixCell['status'],
    string
  >,
  ok: `${l10n.t('OK:')} `,
  notOk: `${l10n.t('Needs a change:')} `,
  hostNotRead: `${l10n.t('Not read:')} `,
  result: { applied: `${l10n.t('Applied:')} `, failed: `${l10n.t('Failed:')} `, skipped: `${l10n.t('Skipped:')} ` } as Record<
    string,
    string
  >,
  pairsReady: (ready: number, pairs: number) => l10n.t('Live migration: {0} of {1} pairs ready', ready, pairs),
};

// The matrix's pair the admin selected (its detail shown) and the one in the tab order, in the saved state.
const SELECTED = 'configure:selected';
const FOCUSED = 'configure:focused';

/**
 * The matrix as an ARIA grid: one cell in the tab order, the arrow keys (Home, End, Ctrl+Home, Ctrl+End)
 * move among the cells, Enter or Space opens a pair's detail; each cell names its pair and state in words.
 */
function matrix(ctx: FleetContext, view: ConfigureView): TemplateResult {
  const cells = new Map(view.cells.map((c) => [key(c.source, c.destination), c]));
  const first = view.cells[0];
  const current = [ctx.ui.value(FOCUSED), ctx.ui.value(SELECTED), first && key(first.source, first.destination)].find(
    (k) => k !== undefined && view.hosts.some((s) => view.hosts.some((d) => key(s, d) === k)),
  );
  const cell = (source: string, destination: string) => {
    const pair = key(source, destination);
    const tabindex = pair === current ? '0' : '-1';
    if (source === destination)
      return html`<td
        data-pair=${`${source}>${destination}`}
        role="gridcell"
        tabindex=${tabindex}
        class="cell self"
        aria-label=${say.sameHost(source)}
      >
        —
      </td>`;
    const found = cells.get(pair);
    if (!found)
      return html`<td
        data-pair=${`${source}>${destination}`}
        role="gridcell"
        tabindex=${tabindex}
        class="cell"
        aria-label=${say.notRead(source, destination)}
      ></td>`;
    return matrixCell(ctx, found, tabindex);
  };
  const focusin = (event: Event) => {
    const td = (event.target as HTMLElement).closest<HTMLElement>('td[data-pair]');
    if (td) ctx.ui.setValue(FOCUSED, pairOf(td));
  };
  return html`<table class="matrix" role="grid" aria-label=${say.matrix} @keydown=${matrixKey} @focusin=${focusin}>
    <thead>
      <tr>
        <th class="corner" scope="col"><span class="hint">from ↓ · to →</span></th>
        ${view.hosts.map((h) => html`<th scope="col">${h}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${repeat(
        view.hosts,
        (source) => source,
        (source) =>
          html`<tr data-source=${source}>
            <th scope="row">${source}</th>
            ${view.hosts.map((destination) => cell(source, destination))}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

const pairOf = (td: HTMLElement): string => {
  const [source = '', destination = ''] = (td.dataset.pair ?? '').split('>');
  return key(source, destination);
};

function matrixKey(e: KeyboardEvent): void {
  const table = e.currentTarget as HTMLElement;
  const td = (e.target as HTMLElement).closest<HTMLTableCellElement>('td[data-pair]');
  if (!td) return;
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    td.click();
    return;
  }
  const grid = [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll<HTMLElement>('td[data-pair]')]);
  const row = grid.findIndex((cells) => cells.includes(td));
  const column = grid[row]?.indexOf(td) ?? 0;
  const last = (grid[0]?.length ?? 1) - 1;
  const to: Record<string, [number, number]> = {
    ArrowRight: [row, column + 1],
    ArrowLeft: [row, column - 1],
    ArrowDown: [row + 1, column],
    ArrowUp: [row - 1, column],
    Home: e.ctrlKey ? [0, 0] : [row, 0],
    End: e.ctrlKey ? [grid.length - 1, last] : [row, last],
  };
  const [r, c] = to[e.key] ?? [];
  const next = r === undefined || c === undefined ? undefined : grid[r]?.[c];
  if (!next) return;
  e.preventDefault();
  td.tabIndex = -1;
  next.tabIndex = 0;
  next.focus();
}

function matrixCell(ctx: FleetContext, cell: MatrixCell, tabindex: string): TemplateResult {
  const pair = key(cell.source, cell.destination);
  const look = cell.status === 'ready' ? 'pass-filled' : cell.status === 'unknown' ? 'question' : 'error';
  const selected = ctx.ui.value(SELECTED) === pair;
  const title =
    cell.status === 'ready'
      ? `${cell.source} → ${cell.destination}: ${l10n.t('ready')}`
      : `${cell.source} → ${cell.destination}:\n${cell.gaps.map((g) => `• ${g}`).join('\n')}`;
  const click = () => {
    ctx.ui.setValue(FOCUSED, pair);
    ctx.ui.setValue(SELECTED, selected ? undefined : pair, true);
  };
  return html`<td
    data-pair=${`${cell.source}>${cell.destination}`}
    role="gridcell"
    tabindex=${tabindex}
    class=${`cell ${cell.status}${selected ? ' selected' : ''}`}
    data-status=${cell.status}
    title=${title}
    aria-label=${say.pair(cell.source, cell.destination, say.cellStatus[cell.status], cell.status === 'ready' ? undefined : cell.label)}
    aria-selected=${selected ? 'true' : 'false'}
    @click=${click}
  >
    ${icon(look)}<span class="cell-label">${cell.status === 'ready' ? 'ready' : cell.label}</span>
  </td>`;
}

function pairDetail(ctx: FleetContext, view: ConfigureView): TemplateResult {
  const cell = view.cells.find((c) => key(c.source, c.destination) === ctx.ui.value(SELECTED));
  if (!cell) return html`<p class="hint">${l10n.t('Select a cell to see what its pair lacks.')}</p>`;
  return html`<div class=${`pair-detail ${cell.status}`}>
    <h4>${`${cell.source} → ${cell.destination}: ${say.cellStatus[cell.status]}`}</h4>
    ${cell.gaps.length > 0
      ? html`<ul>
          ${cell.gaps.map((g) => html`<li>${g}</li>`)}
        </ul>`
      : html`<p>${l10n.t('Both hosts allow live migration with Kerberos, and the delegation is in place in this direction.')}</p>`}
  </div>`;
}

function yes(ok: boolean, text: string): TemplateResult {
  return html`<span class=${ok ? 'ok' : 'bad'}>${statusIcon(ok ? 'done' : 'failed')}${unseen(ok ? say.ok : say.notOk)} ${text}</span>`;
}

function hostRow(h: ConfigHostView): TemplateResult {
  if (!h.read) {
    return html`<tr data-host=${h.name}>
      <td>${statusIcon('failed')} ${h.name}</td>
      <td colspan="6" class="bad">${unseen(say.hostNotRead)}${h.problem ?? l10n.t('Could not be read.')}</td>
    </tr>`;
  }
  return html`<tr data-host=${h.name}>
    <td>${icon('server')} ${h.name}</td>
    <td>${yes(h.migrationEnabled, h.migrationEnabled ? l10n.t('enabled') : l10n.t('disabled'))}</td>
    <td>${yes(h.networksOk, h.networks)}</td>
    <td>${yes(h.kerberos, h.authentication)}</td>
    <td>${h.performance}</td>
    <td>${h.limits}</td>
    <td>${h.problem ? yes(false, h.problem) : yes(h.anyProtocol, h.delegation)}</td>
  </tr>`;
}

function hostsTable(view: ConfigureView): TemplateResult {
  const columns = [
    l10n.t('Host'),
    l10n.t('Live migration'),
    l10n.t('Networks'),
    l10n.t('Authentication'),
    l10n.t('Performance'),
    l10n.t('At once'),
    l10n.t('Delegation (AD)'),
  ];
  return dataTable('hosts', columns, view.hostRows, (h) => h.name, hostRow);
}

const resultStatus: Record<ChangeResultView['status'], Status> = { applied: 'done', failed: 'failed', skipped: 'skipped' };

function changeCard(ctx: FleetContext, change: ConfigChangeView, index: number): TemplateResult {
  return html`<li class=${`change${change.ad ? ' ad' : ''}`} data-change=${change.id}>
    <div class="change-head">
      ${change.result
        ? html`<span>${statusIcon(resultStatus[change.result.status])}${unseen(say.result[change.result.status] ?? '')}</span>`
        : html`<span class="step-number">${String(index + 1)}</span>`}<span class="change-title">${change.title}</span>${change.ad
        ? html`<vscode-badge variant="default" class="ad-badge">${l10n.t('Active Directory')}</vscode-badge>`
        : html`<vscode-badge variant="default">${change.host}</vscode-badge>`}
    </div>
    <p class="why">${change.why}</p>
    ${change.result?.message ? html`<p class="bad">${change.result.message}</p>` : nothing}
    ${collapsible(ctx, `change:${change.id}`, 'PowerShell', scriptBlock(change.script))}
  </li>`;
}

function changeList(ctx: FleetContext, changes: readonly ConfigChangeView[]): TemplateResult {
  return html`<ol class="changes">
    ${repeat(
      changes,
      (c) => c.id,
      (c, i) => changeCard(ctx, c, i),
    )}
  </ol>`;
}

function head(ctx: FleetContext, view: ConfigureView, busy: boolean): TemplateResult {
  return html`<div class="section-head">
    <h2>${icon('settings-gear')} ${l10n.t('Live migration between {0} hosts', view.hosts.length)}</h2>
    ${view.pairs > 0
      ? html`<span class=${`summary ${view.allReady ? 'ok' : 'bad'}`} id="pairs-ready"
          >${statusIcon(view.allReady ? 'done' : 'failed')} ${l10n.t('{0} of {1} pairs ready', view.readyPairs, view.pairs)}</span
        >`
      : nothing}
    ${toolbar(
      button(l10n.t('Read Again'), { icon: 'refresh', secondary: true, disabled: busy, id: 'configure-read' }, () =>
        ctx.post({ type: 'configureRead' }),
      ),
    )}
  </div>`;
}

function plan(ctx: FleetContext, view: ConfigureView, busy: boolean): TemplateResult {
  const changes = view.changes;
  const title =
    changes.length === 0
      ? l10n.t('Plan: nothing to change')
      : changes.length === 1
        ? l10n.t('Plan: 1 change makes every pair ready')
        : l10n.t('Plan: {0} changes make every pair ready', changes.length);
  return html`<div class="section-head">
      <h3>${title}</h3>
      ${toolbar(
        button(
          l10n.t('Show PowerShell'),
          {
            icon: 'terminal-powershell',
            secondary: true,
            id: 'configure-script',
            title: l10n.t('The whole plan as one script, in an editor'),
          },
          () => ctx.post({ type: 'configureShowScript' }),
        ),
        button(
          l10n.t('Apply…'),
          {
            icon: 'check-all',
            disabled: busy || changes.length === 0,
            id: 'configure-apply',
            title: l10n.t('Asks first, listing the Active Directory changes'),
          },
          () => ctx.post({ type: 'configureApply' }),
        ),
      )}
    </div>
    ${changes.length === 0
      ? html`<p class="hint">
          ${view.allReady
            ? l10n.t('Every pair is ready: there is nothing to change.')
            : l10n.t('No change can make the remaining pairs ready: their hosts could not be read.')}
        </p>`
      : changeList(ctx, changes)}
    ${view.unplanned.length > 0
      ? callout('warning', html`<p>${l10n.t('Not planned (a host could not be read): {0}', formatList(view.unplanned))}</p>`)
      : nothing}
    ${view.notes.map((note) => callout('info', html`<p>${note}</p>`))}`;
}

function tickets(ctx: FleetContext, view: ConfigureView, busy: boolean): TemplateResult {
  return callout(
    'warning',
    html`<p class="strong">${l10n.t('Active Directory changed: replication and new Kerberos tickets are needed.')}</p>`,
    html`<p>
      ${l10n.t(
        'The delegation changes work once AD has replicated them to the domain controllers the hosts use, and each changed host ({0}) has a new Kerberos ticket. Until then a move from it may still fail with 0x8009030D or 0x8009030E.',
        formatList(view.refreshHosts),
      )}
    </p>`,
    toolbar(
      button(
        l10n.t('Refresh Kerberos Tickets on the Hosts'),
        {
          icon: 'key',
          disabled: busy,
          id: 'refresh-tickets',
          title: l10n.t('klist purge -li 0x3e7 on each host, after AD has replicated'),
        },
        () => ctx.post({ type: 'configureRefreshTickets' }),
      ),
      button(l10n.t('Show PowerShell'), { icon: 'terminal-powershell', secondary: true }, () =>
        ctx.post({ type: 'configureShowTicketScript' }),
      ),
    ),
    view.tickets
      ? html`<ul class="tickets">
          ${view.tickets.map(
            (t) =>
              html`<li data-host=${t.host}>
                ${yes(
                  t.ok,
                  t.ok
                    ? l10n.t('{0}: tickets purged, a new one is fetched on the next move', t.host)
                    : `${t.host}: ${t.message ?? l10n.t('failed')}`,
                )}
              </li>`,
          )}
        </ul>`
      : nothing,
  );
}

export function configureSection(ctx: FleetContext, view: ConfigureView): TemplateResult {
  const busy = view.busy !== null;
  const read = view.readAt
    ? l10n.t(
        "Read {0}: each host's settings and the constrained delegation of its AD account (both services, short and FQDN names, any protocol).",
        new Date(view.readAt).toLocaleTimeString(),
      )
    : undefined;
  return html`<section class="job configure" data-job="configure">
    ${head(ctx, view, busy)} ${busy ? html`<p class="busy"><vscode-progress-ring></vscode-progress-ring> ${view.busy ?? ''}</p>` : nothing}
    ${view.error ? callout('error', html`<p>${view.error}</p>`) : nothing} ${read ? html`<p class="hint">${read}</p>` : nothing}
    ${view.applied
      ? callout(
          view.applied.ok ? 'success' : 'error',
          html`<p class="applied-text">${view.applied.text}</p>`,
          collapsible(ctx, 'applied', l10n.t('Applied changes ({0})', view.applied.changes.length), changeList(ctx, view.applied.changes)),
        )
      : nothing}
    ${view.cells.length > 0 || view.hosts.length > 0
      ? html`<h3>${l10n.t('Matrix: can each host (row) move VMs to each other host (column)?')}</h3>
          <div class="matrix-wrap">${matrix(ctx, view)}</div>
          ${pairDetail(ctx, view)}`
      : nothing}
    ${view.hostRows.length > 0
      ? html`<h3>${l10n.t('Hosts')}</h3>
          ${hostsTable(view)}`
      : nothing}
    ${view.readAt ? plan(ctx, view, busy) : nothing} ${view.refreshHosts.length > 0 || view.tickets ? tickets(ctx, view, busy) : nothing}
  </section>`;
}

/** What Configure says now, by subject, for the live region. */
export function configureSpoken(view: ConfigureView, lines: Map<string, string>): void {
  if (view.busy) lines.set('configure:busy', view.busy);
  if (view.error) lines.set('configure:error', view.error);
  if (view.readAt && view.pairs > 0) lines.set('configure:pairs', say.pairsReady(view.readyPairs, view.pairs));
  if (view.applied) lines.set('configure:applied', view.applied.text);
}
