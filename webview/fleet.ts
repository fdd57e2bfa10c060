import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode/codicons/dist/codicon.css';
import './fleet.css';
import type {
  CandidateView,
  ConfigChangeView,
  ConfigHostView,
  ConfigureView,
  DrainView,
  FleetJob,
  FleetPanelState,
  FromFleetWebview,
  HaStepStatus,
  HaView,
  MatrixCell,
  PlacementView,
  QueueRowState,
  QueueRowView,
  ToFleetWebview,
  UnmovableView,
} from '../src/panel/fleetProtocol';
import { announce, button, disclosure, el, icon, forgetDetached, keepingFocus, part, place, unseen, type Child } from './dom';
import * as l10n from './l10n';

declare function acquireVsCodeApi(): { postMessage(message: FromFleetWebview): void };
const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;
const post = (message: FromFleetWebview) => vscode.postMessage(message);

function toolbar(...children: Child[]): HTMLElement {
  return el('div', { class: 'toolbar' }, ...children);
}

function callout(kind: 'info' | 'warning' | 'error' | 'success', ...children: Child[]): HTMLElement {
  const look = { info: 'info', warning: 'warning', error: 'error', success: 'pass-filled' }[kind];
  return el('div', { class: `callout ${kind}` }, icon(look), el('div', { class: 'callout-body' }, ...children));
}

// The words this panel gives screen readers beside what it shows (one place, for localization).
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
  hostReady: ` ${l10n.t('(ready)')}`,
  hostNotReady: ` ${l10n.t('(not ready)')}`,
  to: l10n.t('to'),
  cannotMove: ` ${l10n.t('cannot move')}`,
  detailColumn: l10n.t('Detail'),
  destinationOf: (vm: string) => l10n.t('Destination of {0}', vm),
  checks: (done: number, total: number) => l10n.t('Checks: {0} of {1}', done, total),
  percent: (vm: string, percent: number) => `${vm} ${percent} %`,
  pairsReady: (ready: number, pairs: number) => l10n.t('Live migration: {0} of {1} pairs ready', ready, pairs),
  job: (title: string, phase: string) => `${title}: ${phase}`,
  row: (vm: string, state: string, percent?: number) => `${vm}: ${state}${percent === undefined ? '' : `, ${percent} %`}`,
  ha: (vm: string, source: string, destination: string, phase: string) => `${vm}: ${source} → ${destination}: ${phase}`,
  step: (title: string, status: string) => `${title}: ${status}`,
};

// What the admin opened or picked in the webview only; re-applied on every render.
const opened = new Set<string>();
let selectedPair: string | undefined;
/** The matrix cell in the tab order (one, moved with the arrow keys). */
let focusedPair: string | undefined;

/** A disclosure that stays open across renders. */
function collapsible(id: string, heading: string, ...children: Child[]): HTMLElement {
  return disclosure(opened, id, heading, { class: 'fold' }, ...children);
}

function scriptBlock(script: string): HTMLElement {
  return el('pre', { class: 'script' }, el('code', {}, script));
}

// ---- Configure Live Migration ------------------------------------------------------------------------

const pairKey = (source: string, destination: string) => `${source}\u0000${destination}`;

/**
 * The matrix as an ARIA grid: one cell in the tab order, the arrow keys (Home, End, Ctrl+Home, Ctrl+End)
 * move among the cells, Enter or Space opens a pair's detail; each cell names its pair and state in words.
 */
function matrix(view: ConfigureView): HTMLElement {
  const cells = new Map(view.cells.map((c) => [pairKey(c.source, c.destination), c]));
  const first = view.cells[0];
  const current = [focusedPair, selectedPair, first && pairKey(first.source, first.destination)].find(
    (k) => k !== undefined && view.hosts.some((s) => view.hosts.some((d) => pairKey(s, d) === k)),
  );
  const head = el(
    'tr',
    {},
    el('th', { class: 'corner', scope: 'col' }, el('span', { class: 'hint' }, 'from ↓ · to →')),
    ...view.hosts.map((h) => el('th', { scope: 'col' }, h)),
  );
  const rows = view.hosts.map((source) =>
    el(
      'tr',
      { 'data-source': source },
      el('th', { scope: 'row' }, source),
      ...view.hosts.map((destination) => {
        const key = pairKey(source, destination);
        const at = {
          'data-pair': `${source}>${destination}`,
          'data-focus': `${source}>${destination}`,
          role: 'gridcell',
          tabindex: key === current ? '0' : '-1',
        };
        if (source === destination) return el('td', { ...at, class: 'cell self', 'aria-label': say.sameHost(source) }, '—');
        const cell = cells.get(key);
        if (!cell) return el('td', { ...at, class: 'cell', 'aria-label': say.notRead(source, destination) }, '');
        return matrixCell(cell, at);
      }),
    ),
  );
  const table = el('table', { class: 'matrix', role: 'grid', 'aria-label': say.matrix }, el('thead', {}, head), el('tbody', {}, ...rows));
  table.addEventListener('keydown', (e) => matrixKey(table, e));
  table.addEventListener('focusin', (e) => {
    const pair = (e.target as HTMLElement).closest<HTMLElement>('td[data-pair]');
    if (pair) focusedPair = pairOf(pair);
  });
  return table;
}

const pairOf = (td: HTMLElement): string => {
  const [source = '', destination = ''] = (td.dataset.pair ?? '').split('>');
  return pairKey(source, destination);
};

function matrixKey(table: HTMLElement, e: KeyboardEvent): void {
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

function matrixCell(cell: MatrixCell, at: Record<string, string>): HTMLElement {
  const key = pairKey(cell.source, cell.destination);
  const look = cell.status === 'ready' ? 'pass-filled' : cell.status === 'unknown' ? 'question' : 'error';
  const selected = selectedPair === key;
  const td = el(
    'td',
    {
      ...at,
      class: `cell ${cell.status}${selected ? ' selected' : ''}`,
      'data-status': cell.status,
      title:
        cell.status === 'ready'
          ? `${cell.source} → ${cell.destination}: ${l10n.t('ready')}`
          : `${cell.source} → ${cell.destination}:\n${cell.gaps.map((g) => `• ${g}`).join('\n')}`,
      'aria-label': say.pair(cell.source, cell.destination, say.cellStatus[cell.status], cell.status === 'ready' ? undefined : cell.label),
      'aria-selected': selected ? 'true' : 'false',
    },
    icon(look),
    el('span', { class: 'cell-label' }, cell.status === 'ready' ? 'ready' : cell.label),
  );
  td.addEventListener('click', () => {
    selectedPair = selectedPair === key ? undefined : key;
    focusedPair = key;
    if (lastState) render(lastState);
  });
  return td;
}

function pairDetail(view: ConfigureView): HTMLElement | undefined {
  const cell = view.cells.find((c) => pairKey(c.source, c.destination) === selectedPair);
  if (!cell) return el('p', { class: 'hint' }, l10n.t('Select a cell to see what its pair lacks.'));
  return el(
    'div',
    { class: `pair-detail ${cell.status}` },
    el('h4', {}, `${cell.source} → ${cell.destination}: ${say.cellStatus[cell.status]}`),
    cell.gaps.length > 0
      ? el('ul', {}, ...cell.gaps.map((g) => el('li', {}, g)))
      : el('p', {}, l10n.t('Both hosts allow live migration with Kerberos, and the delegation is in place in this direction.')),
  );
}

function yes(ok: boolean, text: string): HTMLElement {
  return el('span', { class: ok ? 'ok' : 'bad' }, icon(ok ? 'pass-filled' : 'error'), unseen(ok ? say.ok : say.notOk), ` ${text}`);
}

function hostRow(h: ConfigHostView): HTMLElement {
  if (!h.read) {
    return el(
      'tr',
      { 'data-host': h.name },
      el('td', {}, icon('error', 'bad'), ` ${h.name}`),
      el('td', { colspan: '6', class: 'bad' }, unseen(say.hostNotRead), h.problem ?? l10n.t('Could not be read.')),
    );
  }
  return el(
    'tr',
    { 'data-host': h.name },
    el('td', {}, icon('server'), ` ${h.name}`),
    el('td', {}, yes(h.migrationEnabled, h.migrationEnabled ? l10n.t('enabled') : l10n.t('disabled'))),
    el('td', {}, yes(h.networksOk, h.networks)),
    el('td', {}, yes(h.kerberos, h.authentication)),
    el('td', {}, h.performance),
    el('td', {}, h.limits),
    el('td', {}, h.problem ? yes(false, h.problem) : yes(h.anyProtocol, h.delegation)),
  );
}

function hostsTable(view: ConfigureView): HTMLElement {
  const head = el(
    'tr',
    {},
    ...[
      l10n.t('Host'),
      l10n.t('Live migration'),
      l10n.t('Networks'),
      l10n.t('Authentication'),
      l10n.t('Performance'),
      l10n.t('At once'),
      l10n.t('Delegation (AD)'),
    ].map((h) => el('th', { scope: 'col' }, h)),
  );
  return el('table', { class: 'hosts' }, el('thead', {}, head), el('tbody', {}, ...view.hostRows.map(hostRow)));
}

const resultLook: Record<string, [string, string]> = {
  applied: ['pass-filled', 'ok'],
  failed: ['error', 'bad'],
  skipped: ['circle-slash', 'hint'],
};

function changeCard(change: ConfigChangeView, index: number): HTMLElement {
  const look = change.result ? resultLook[change.result.status] : undefined;
  return el(
    'li',
    { class: `change${change.ad ? ' ad' : ''}`, 'data-change': change.id },
    el(
      'div',
      { class: 'change-head' },
      look && change.result
        ? el('span', {}, icon(look[0], look[1]), unseen(say.result[change.result.status] ?? ''))
        : el('span', { class: 'step-number' }, String(index + 1)),
      el('span', { class: 'change-title' }, change.title),
      change.ad
        ? el('vscode-badge', { variant: 'default', class: 'ad-badge' }, l10n.t('Active Directory'))
        : el('vscode-badge', { variant: 'default' }, change.host),
    ),
    el('p', { class: 'why' }, change.why),
    change.result?.message ? el('p', { class: 'bad' }, change.result.message) : undefined,
    collapsible(`change:${change.id}`, 'PowerShell', scriptBlock(change.script)),
  );
}

function configureSection(view: ConfigureView): HTMLElement {
  const busy = view.busy !== null;
  const parts: Child[] = [];
  parts.push(
    el(
      'div',
      { class: 'section-head' },
      el('h2', {}, icon('settings-gear'), ` ${l10n.t('Live migration between {0} hosts', view.hosts.length)}`),
      view.pairs > 0
        ? el(
            'span',
            { class: `summary ${view.allReady ? 'ok' : 'bad'}`, id: 'pairs-ready' },
            icon(view.allReady ? 'pass-filled' : 'error'),
            ` ${l10n.t('{0} of {1} pairs ready', view.readyPairs, view.pairs)}`,
          )
        : undefined,
      toolbar(
        button(l10n.t('Read Again'), { icon: 'refresh', secondary: true, disabled: busy, id: 'configure-read' }, () =>
          post({ type: 'configureRead' }),
        ),
      ),
    ),
  );
  if (busy) parts.push(el('p', { class: 'busy' }, el('vscode-progress-ring', {}), ` ${view.busy ?? ''}`));
  if (view.error) parts.push(callout('error', el('p', {}, view.error)));
  if (view.readAt)
    parts.push(
      el(
        'p',
        { class: 'hint' },
        l10n.t(
          "Read {0}: each host's settings and the constrained delegation of its AD account (both services, short and FQDN names, any protocol).",
          new Date(view.readAt).toLocaleTimeString(),
        ),
      ),
    );
  if (view.applied) {
    parts.push(
      callout(
        view.applied.ok ? 'success' : 'error',
        el('p', { class: 'applied-text' }, view.applied.text),
        collapsible(
          'applied',
          l10n.t('Applied changes ({0})', view.applied.changes.length),
          el('ol', { class: 'changes' }, ...view.applied.changes.map(changeCard)),
        ),
      ),
    );
  }
  if (view.cells.length > 0 || view.hosts.length > 0) {
    parts.push(el('h3', {}, l10n.t('Matrix: can each host (row) move VMs to each other host (column)?')));
    parts.push(el('div', { class: 'matrix-wrap' }, matrix(view)));
    parts.push(pairDetail(view));
  }
  if (view.hostRows.length > 0) {
    parts.push(el('h3', {}, l10n.t('Hosts')));
    parts.push(hostsTable(view));
  }
  if (view.readAt) {
    const changes = view.changes;
    parts.push(
      el(
        'div',
        { class: 'section-head' },
        el(
          'h3',
          {},
          changes.length === 0
            ? l10n.t('Plan: nothing to change')
            : changes.length === 1
              ? l10n.t('Plan: 1 change makes every pair ready')
              : l10n.t('Plan: {0} changes make every pair ready', changes.length),
        ),
        toolbar(
          button(
            l10n.t('Show PowerShell'),
            {
              icon: 'terminal-powershell',
              secondary: true,
              id: 'configure-script',
              title: l10n.t('The whole plan as one script, in an editor'),
            },
            () => post({ type: 'configureShowScript' }),
          ),
          button(
            l10n.t('Apply…'),
            {
              icon: 'check-all',
              disabled: busy || changes.length === 0,
              id: 'configure-apply',
              title: l10n.t('Asks first, listing the Active Directory changes'),
            },
            () => post({ type: 'configureApply' }),
          ),
        ),
      ),
    );
    if (changes.length === 0) {
      parts.push(
        el(
          'p',
          { class: 'hint' },
          view.allReady
            ? l10n.t('Every pair is ready: there is nothing to change.')
            : l10n.t('No change can make the remaining pairs ready: their hosts could not be read.'),
        ),
      );
    } else {
      parts.push(el('ol', { class: 'changes' }, ...changes.map(changeCard)));
    }
    if (view.unplanned.length > 0)
      parts.push(callout('warning', el('p', {}, l10n.t('Not planned (a host could not be read): {0}', view.unplanned.join(', ')))));
    for (const note of view.notes) parts.push(callout('info', el('p', {}, note)));
  }
  if (view.refreshHosts.length > 0 || view.tickets) {
    parts.push(
      callout(
        'warning',
        el('p', { class: 'strong' }, l10n.t('Active Directory changed: replication and new Kerberos tickets are needed.')),
        el(
          'p',
          {},
          l10n.t(
            'The delegation changes work once AD has replicated them to the domain controllers the hosts use, and each changed host ({0}) has a new Kerberos ticket. Until then a move from it may still fail with 0x8009030D or 0x8009030E.',
            view.refreshHosts.join(', '),
          ),
        ),
        toolbar(
          button(
            l10n.t('Refresh Kerberos Tickets on the Hosts'),
            {
              icon: 'key',
              disabled: busy,
              id: 'refresh-tickets',
              title: l10n.t('klist purge -li 0x3e7 on each host, after AD has replicated'),
            },
            () => post({ type: 'configureRefreshTickets' }),
          ),
          button(l10n.t('Show PowerShell'), { icon: 'terminal-powershell', secondary: true }, () =>
            post({ type: 'configureShowTicketScript' }),
          ),
        ),
        view.tickets
          ? el(
              'ul',
              { class: 'tickets' },
              ...view.tickets.map((t) =>
                el(
                  'li',
                  { 'data-host': t.host },
                  yes(
                    t.ok,
                    t.ok
                      ? l10n.t('{0}: tickets purged, a new one is fetched on the next move', t.host)
                      : `${t.host}: ${t.message ?? l10n.t('failed')}`,
                  ),
                ),
              ),
            )
          : undefined,
      ),
    );
  }
  return el('section', { class: 'job configure', 'data-job': 'configure' }, ...parts);
}

// ---- Drain Host / Migrate many ------------------------------------------------------------------------

function ratingTable(candidates: readonly CandidateView[], chosen?: string): HTMLElement {
  const rows = candidates.map((c) =>
    el(
      'tr',
      { class: `${c.ready ? 'ready' : 'not-ready'}${c.host === chosen ? ' chosen-row' : ''}`, 'data-host': c.host },
      el(
        'td',
        { class: 'host' },
        icon(c.ready ? 'pass-filled' : 'error', c.ready ? 'ok' : 'bad'),
        ` ${c.host}`,
        unseen(c.ready ? say.hostReady : say.hostNotReady),
      ),
      el('td', { class: 'score' }, c.ready ? String(c.score) : '—'),
      el(
        'td',
        {},
        c.ready
          ? el(
              'ul',
              { class: 'lines' },
              ...c.lines.map((l) => el('li', {}, el('span', { class: 'points' }, `+${l.points}`), ` ${l.text}`)),
              ...c.choices.map((ch) => el('li', { class: 'choice' }, icon('arrow-small-right'), ` ${ch}`)),
            )
          : el('ul', { class: 'lines' }, ...c.blockers.map((b) => el('li', { class: 'bad' }, b))),
      ),
      el('td', { class: 'estimate' }, c.ready ? c.estimate : ''),
    ),
  );
  return el(
    'table',
    { class: 'ratings' },
    el(
      'thead',
      {},
      el('tr', {}, ...[l10n.t('Host'), l10n.t('Score'), l10n.t('Why'), l10n.t('Move')].map((h) => el('th', { scope: 'col' }, h))),
    ),
    el('tbody', {}, ...rows),
  );
}

function placementCard(p: PlacementView, editable: boolean): HTMLElement {
  const ready = p.candidates.filter((c) => c.ready);
  const chosen = p.candidates.find((c) => c.host === p.destination);
  // A choice only where there is one: several hosts ready and the moves not started.
  let destination: HTMLElement;
  if (editable && ready.length > 1) {
    const select = el(
      'vscode-single-select',
      { label: say.destinationOf(p.vmName), class: 'destination' },
      ...ready.map((c) => el('vscode-option', { value: c.host, selected: c.host === p.destination }, `${c.host} (${c.score})`)),
    );
    select.addEventListener('change', () => {
      const host = (select as HTMLElement & { value: string }).value;
      if (host && host !== p.destination) post({ type: 'drainOverride', vmId: p.vmId, host });
    });
    destination = select;
  } else {
    destination = el(
      'span',
      { class: 'destination-host', title: ready.length === 1 ? l10n.t('The only host ready for this VM') : '' },
      p.destination,
    );
  }
  return el(
    'div',
    { class: 'vm-card', 'data-vm': p.vmName },
    el(
      'div',
      { class: 'vm-line' },
      el('span', { class: 'vm-name' }, icon(p.state === 'Running' ? 'vm-running' : 'vm-outline'), ` ${p.vmName}`),
      el('span', { class: 'hint' }, `${p.state} · ${p.size}`),
      el('span', { class: 'arrow' }, icon('arrow-right'), unseen(say.to)),
      destination,
      chosen ? el('vscode-badge', { variant: 'counter', title: l10n.t('Rating out of 100') }, String(chosen.score)) : undefined,
      el('span', { class: 'hint' }, p.overridden ? 'your choice' : ready.length === 1 ? 'the only host ready' : 'best rated'),
      chosen ? el('span', { class: 'hint estimate' }, chosen.estimate) : undefined,
    ),
    chosen && chosen.choices.length > 0
      ? el('ul', { class: 'choices' }, ...chosen.choices.map((c) => el('li', {}, icon('arrow-small-right'), ` ${c}`)))
      : undefined,
    collapsible(
      `ratings:${p.vmId}`,
      l10n.t('Ratings on {0} hosts ({1} ready)', p.candidates.length, ready.length),
      ratingTable(p.candidates, p.destination),
    ),
  );
}

function unmovableCard(u: UnmovableView): HTMLElement {
  return el(
    'div',
    { class: 'vm-card unmovable', 'data-vm': u.vmName },
    el(
      'div',
      { class: 'vm-line' },
      el('span', { class: 'vm-name' }, icon('circle-slash', 'bad'), ` ${u.vmName}`, unseen(say.cannotMove)),
      el('span', { class: 'hint' }, l10n.t('on {0}', u.source)),
    ),
    el('p', { class: 'why' }, u.why),
    u.candidates.length > 0
      ? collapsible(`unmovable:${u.vmId}`, l10n.t('Every host, with why not ({0})', u.candidates.length), ratingTable(u.candidates))
      : undefined,
  );
}

const rowLook: Record<QueueRowState, [string, string]> = {
  queued: ['clock', 'hint'],
  starting: ['loading', 'codicon-modifier-spin'],
  moving: ['sync', 'codicon-modifier-spin'],
  succeeded: ['pass-filled', 'ok'],
  failed: ['error', 'bad'],
  cancelled: ['circle-slash', 'warn'],
  'not-started': ['circle-slash', 'hint'],
};

const rowText: Record<QueueRowState, string> = {
  queued: l10n.t('Queued'),
  starting: l10n.t('Starting'),
  moving: l10n.t('Moving'),
  succeeded: l10n.t('Moved'),
  failed: l10n.t('Failed'),
  cancelled: l10n.t('Cancelled'),
  'not-started': l10n.t('Not started'),
};

function queueRow(row: QueueRowView): HTMLElement {
  const [look, extra] = rowLook[row.state];
  const active = row.state === 'moving' || row.state === 'starting';
  return el(
    'tr',
    { 'data-vm': row.vmName, 'data-state': row.state },
    el('td', { class: 'vm' }, icon(look, extra), ` ${row.vmName}`),
    el('td', { class: 'route' }, `${row.source} → ${row.destination}`),
    el('td', { class: 'state' }, rowText[row.state]),
    el(
      'td',
      { class: 'progress' },
      active || row.state === 'succeeded'
        ? el(
            'div',
            { class: 'bar' },
            el('vscode-progress-bar', {
              value: String(row.state === 'succeeded' ? 100 : row.percent),
              max: '100',
              'aria-label': `${row.vmName} ${row.percent} %`,
            }),
            el('span', { class: 'percent' }, `${row.state === 'succeeded' ? 100 : row.percent} %`),
          )
        : '',
    ),
    el('td', { class: 'bytes' }, row.bytes),
    el('td', { class: 'detail' }, row.detail),
  );
}

/** Each phase of a drain or the HA workflow has its icon beside its words; the colour goes on the icon only. */
const phaseLook: Record<DrainView['phase'] | HaView['phase'], [string, string]> = {
  planning: ['loading', 'codicon-modifier-spin'],
  preparing: ['loading', 'codicon-modifier-spin'],
  planned: ['circle-large-outline', ''],
  ready: ['circle-large-outline', ''],
  running: ['sync', 'codicon-modifier-spin'],
  paused: ['debug-pause', ''],
  cancelling: ['loading', 'codicon-modifier-spin'],
  ended: ['pass-filled', ''],
  succeeded: ['pass-filled', ''],
  failed: ['error', ''],
  unavailable: ['error', ''],
  cancelled: ['circle-slash', ''],
};

const drainPhaseText: Record<DrainView['phase'], string> = {
  planning: l10n.t('Planning'),
  planned: l10n.t('Ready to start'),
  running: l10n.t('Moving'),
  paused: l10n.t('Paused: no new move starts'),
  cancelling: l10n.t('Cancelling'),
  ended: l10n.t('Done'),
  failed: l10n.t('Planning failed'),
};

const drainTitle = (view: DrainView): string =>
  view.kind === 'drain'
    ? l10n.t('Drain {0}', view.subject)
    : view.kind === 'plan'
      ? l10n.t('Run plan {0}', view.subject)
      : l10n.t('Migrate {0}', view.subject);

function drainHead(view: DrainView): HTMLElement {
  const title = drainTitle(view);
  return el(
    'div',
    { class: 'section-head' },
    el('h2', {}, icon(view.kind === 'drain' ? 'arrow-swap' : 'arrow-right'), ` ${title}`),
    el(
      'span',
      { class: `summary phase-${view.phase}`, id: 'drain-phase' },
      icon(...phaseLook[view.phase]),
      ` ${drainPhaseText[view.phase]}`,
    ),
    toolbar(
      view.phase === 'planned'
        ? button(
            view.placements.length === 1 ? l10n.t('Start 1 Move') : l10n.t('Start {0} Moves', view.placements.length),
            { icon: 'play', id: 'drain-start', disabled: view.placements.length === 0 },
            () => post({ type: 'drainStart' }),
          )
        : undefined,
      view.phase === 'running'
        ? button(
            l10n.t('Pause'),
            { icon: 'debug-pause', secondary: true, id: 'drain-pause', title: l10n.t('No new move starts; the running ones go on') },
            () => post({ type: 'drainPause' }),
          )
        : undefined,
      view.phase === 'paused'
        ? button(l10n.t('Resume'), { icon: 'debug-continue', id: 'drain-resume' }, () => post({ type: 'drainResume' }))
        : undefined,
      view.phase === 'running' || view.phase === 'paused'
        ? button(
            l10n.t('Cancel'),
            {
              icon: 'debug-stop',
              secondary: true,
              id: 'drain-cancel',
              title: l10n.t('The running moves stop and their VMs stay on their sources; nothing more starts'),
            },
            () => post({ type: 'drainCancel' }),
          )
        : undefined,
      view.phase === 'planned' || view.phase === 'ended' || view.phase === 'failed'
        ? button(l10n.t('Plan Again'), { icon: 'refresh', secondary: true, id: 'drain-replan' }, () => post({ type: 'drainReplan' }))
        : undefined,
      view.kind !== 'plan' && view.phase === 'planned' && view.placements.length > 0
        ? button(
            l10n.t('Save as Plan'),
            {
              icon: 'save',
              secondary: true,
              id: 'drain-save-plan',
              title: l10n.t('These moves as a *.migration.json plan file: review, version and run it later'),
            },
            () => post({ type: 'drainSaveAsPlan' }),
          )
        : undefined,
    ),
  );
}

function drainStatus(view: DrainView): HTMLElement {
  const parts: Child[] = [];
  if (view.phase === 'planning') {
    const checked = view.checked;
    parts.push(
      el(
        'div',
        { class: 'busy' },
        el(
          'p',
          {},
          el('vscode-progress-ring', {}),
          ` ${checked && checked.total > 0 ? l10n.t('Checking every VM on every other host: {0} of {1} checks', checked.done, checked.total) : l10n.t('Reading the hosts…')}`,
        ),
        checked && checked.total > 0
          ? el('vscode-progress-bar', {
              value: String(checked.done),
              max: String(checked.total),
              'aria-label': say.checks(checked.done, checked.total),
            })
          : undefined,
      ),
    );
  }
  if (view.error) parts.push(callout('error', el('p', {}, view.error)));
  if (view.notice) parts.push(callout('warning', el('p', {}, view.notice)));
  if (view.summary) {
    const s = view.summary;
    parts.push(
      callout(
        s.failed.length > 0 ? 'error' : s.notMoved.length > 0 ? 'warning' : 'success',
        el('p', { class: 'strong', id: 'drain-summary' }, s.text),
        s.moved.length > 0 ? el('p', {}, l10n.t('Moved: {0}', s.moved.join(', '))) : undefined,
        s.failed.length > 0 ? el('ul', {}, ...s.failed.map((f) => el('li', {}, el('strong', {}, f.vmName), `: ${f.why}`))) : undefined,
        s.notMoved.length > 0 ? el('ul', {}, ...s.notMoved.map((f) => el('li', {}, el('strong', {}, f.vmName), `: ${f.why}`))) : undefined,
      ),
    );
  }
  return el('div', { class: 'status' }, ...parts);
}

function drainBody(view: DrainView): HTMLElement {
  if (view.rows.length > 0) {
    const head = el(
      'tr',
      {},
      ...[l10n.t('VM'), l10n.t('Move'), l10n.t('State'), l10n.t('Progress'), l10n.t('Data')].map((h) => el('th', { scope: 'col' }, h)),
      el('th', { scope: 'col' }, unseen(say.detailColumn)),
    );
    return el('table', { class: 'queue' }, el('thead', {}, head), el('tbody', {}, ...view.rows.map(queueRow)));
  }
  if (view.placements.length > 0) {
    return el(
      'div',
      { class: 'placements' },
      el('h3', {}, l10n.t('Will move ({0}): each to its best-rated host unless you choose another', view.placements.length)),
      ...view.placements.map((p) => placementCard(p, view.phase === 'planned')),
    );
  }
  return el('div', {}, view.phase === 'planned' ? el('p', { class: 'hint' }, l10n.t('No VM can move.')) : undefined);
}

function drainRest(view: DrainView): HTMLElement {
  return el(
    'div',
    {},
    view.limits.length > 0 && view.phase !== 'ended'
      ? el(
          'p',
          { class: 'hint limits' },
          icon('dashboard'),
          ` ${l10n.t('Never more at once than each host allows: {0}.', view.limits.join('; '))}`,
        )
      : undefined,
    view.unmovable.length > 0 ? el('h3', { class: 'bad' }, l10n.t('Cannot move ({0})', view.unmovable.length)) : undefined,
    ...view.unmovable.map(unmovableCard),
  );
}

/** The drain's parts are rebuilt separately, each only when it changed: progress redraws the queue alone. */
function drainSection(view: DrainView): HTMLElement {
  const section = part('drain', view.kind + view.subject, () => el('section', { class: 'job drain', 'data-job': 'drain' }));
  place(section, [
    part('drain:head', [view.kind, view.subject, view.phase, view.placements.length], () => drainHead(view)),
    part('drain:status', [view.phase, view.checked, view.error, view.notice, view.summary], () => drainStatus(view)),
    part('drain:body', [view.rows, view.rows.length > 0 ? null : view.placements, view.phase], () => drainBody(view)),
    part('drain:rest', [view.limits, view.unmovable, view.phase === 'ended'], () => drainRest(view)),
  ]);
  return section;
}

// ---- the HA workflow ----------------------------------------------------------------------------------

const stepLook: Record<HaStepStatus, [string, string]> = {
  pending: ['circle-large-outline', 'hint'],
  running: ['loading', 'codicon-modifier-spin'],
  succeeded: ['pass-filled', 'ok'],
  failed: ['error', 'bad'],
  skipped: ['circle-slash', 'hint'],
};

const haPhaseText: Record<HaView['phase'], string> = {
  preparing: l10n.t('Reading'),
  unavailable: l10n.t('Does not apply'),
  ready: l10n.t('Ready to run'),
  running: l10n.t('Running'),
  succeeded: l10n.t('Done'),
  failed: l10n.t('Failed'),
  cancelled: l10n.t('Cancelled'),
};

function haSection(view: HaView): HTMLElement {
  const parts: Child[] = [];
  const where = view.destinationCluster
    ? l10n.t('a node of cluster {0}', view.destinationCluster)
    : view.phase === 'preparing' || view.phase === 'unavailable'
      ? ''
      : l10n.t('a standalone host');
  parts.push(
    el(
      'div',
      { class: 'section-head' },
      el('h2', {}, icon('server-environment'), ` ${view.vmName}: ${view.source} → ${view.destination}`),
      el('span', { class: `summary phase-${view.phase}`, id: 'ha-phase' }, icon(...phaseLook[view.phase]), ` ${haPhaseText[view.phase]}`),
      toolbar(
        view.phase === 'ready'
          ? button(
              l10n.t('Run Workflow…'),
              { icon: 'play', id: 'ha-start', title: l10n.t('Asks first: the VM is not highly available while it moves') },
              () => post({ type: 'haStart' }),
            )
          : undefined,
        view.phase === 'running'
          ? button(
              l10n.t('Cancel'),
              {
                icon: 'debug-stop',
                secondary: true,
                id: 'ha-cancel',
                title: l10n.t('Stops the workflow; if the role was removed it is restored on the source cluster'),
              },
              () => post({ type: 'haCancel' }),
            )
          : undefined,
        view.steps.length > 0
          ? button(
              l10n.t('Show PowerShell'),
              { icon: 'terminal-powershell', secondary: true, id: 'ha-script', title: l10n.t('The whole guarded workflow as one script') },
              () => post({ type: 'haShowScript' }),
            )
          : undefined,
      ),
    ),
  );
  if (view.sourceCluster) {
    parts.push(
      el(
        'p',
        { class: 'hint' },
        l10n.t(
          "{0} is the role '{1}' of failover cluster {2}. {3} is {4}. One guarded workflow: if the move fails or is cancelled, HA is restored on {2}.",
          view.vmName,
          view.role,
          view.sourceCluster,
          view.destination,
          where,
        ),
      ),
    );
  }
  if (view.phase === 'preparing')
    parts.push(el('p', { class: 'busy' }, el('vscode-progress-ring', {}), ` ${l10n.t('Reading {0} and its cluster…', view.vmName)}`));
  if (view.phase === 'unavailable') parts.push(callout('error', el('p', {}, view.message ?? l10n.t('The HA workflow does not apply.'))));
  if (view.message && view.phase !== 'unavailable') {
    parts.push(
      callout(
        view.phase === 'succeeded' ? 'success' : view.phase === 'running' ? 'info' : 'error',
        el('p', { class: 'strong', id: 'ha-message' }, view.message),
      ),
    );
  }
  if (view.findings.length > 0)
    parts.push(
      el(
        'ul',
        { class: 'findings' },
        ...view.findings.map((f) =>
          el('li', {}, icon(f.severity === 'blocker' ? 'error' : 'warning', f.severity === 'blocker' ? 'bad' : 'warn'), ` ${f.text}`),
        ),
      ),
    );
  if (view.steps.length > 0) {
    parts.push(
      el(
        'ol',
        { class: 'steps' },
        ...view.steps.map((step, i) => {
          const [look, extra] = stepLook[step.status];
          return el(
            'li',
            { class: `step ${step.status}`, 'data-step': step.id, 'data-status': step.status },
            el(
              'div',
              { class: 'step-head' },
              icon(look, extra),
              el('span', { class: 'step-number' }, String(i + 1)),
              el('span', { class: 'step-title' }, step.title),
              el('span', { class: 'step-status' }, step.status),
            ),
            step.detail ? el('p', { class: 'step-detail' }, step.detail) : undefined,
            step.id === 'move' && step.status === 'running' && view.move
              ? el(
                  'div',
                  { class: 'bar' },
                  el('vscode-progress-bar', {
                    value: String(view.move.percent),
                    max: '100',
                    'aria-label': say.percent(view.vmName, view.move.percent),
                  }),
                  el('span', { class: 'percent' }, l10n.t('{0} % · {1} · {2} left', view.move.percent, view.move.bytes, view.move.eta)),
                )
              : undefined,
            collapsible(`step:${step.id}`, 'PowerShell', scriptBlock(step.script)),
          );
        }),
      ),
    );
  }
  return el('section', { class: 'job ha', 'data-job': 'ha' }, ...parts);
}

// ---- the page -----------------------------------------------------------------------------------------

const jobTitles: Record<FleetJob, string> = {
  configure: l10n.t('Configure Live Migration'),
  drain: l10n.t('Drain / Migrate'),
  ha: l10n.t('HA Workflow'),
};
const jobIcons: Record<FleetJob, string> = { configure: 'settings-gear', drain: 'arrow-swap', ha: 'server-environment' };

function header(state: FleetPanelState): HTMLElement {
  const jobs = (['configure', 'drain', 'ha'] as const).filter((job) => state[job] !== null);
  return el(
    'header',
    {},
    el('h1', {}, state.title),
    el(
      'p',
      { class: 'hint' },
      state.lab
        ? l10n.t('Connected to the built-in lab (simulated Hyper-V hosts, AD and cluster).')
        : l10n.t('Connected to your Hyper-V hosts.'),
    ),
    el(
      'nav',
      { class: 'jobs', 'aria-label': l10n.t('Fleet operations') },
      ...jobs.map((job) =>
        el(
          'button',
          {
            class: `job-link${state.active === job ? ' active' : ''}`,
            'data-job': job,
            type: 'button',
            'aria-current': state.active === job ? 'page' : 'false',
          },
          icon(jobIcons[job]),
          ` ${jobTitles[job]}`,
        ),
      ),
      el('span', { class: 'spacer' }),
      button(l10n.t('Show Log'), { icon: 'output', secondary: true, id: 'show-log' }, () => post({ type: 'showLog' })),
    ),
  );
}

/** What the active job says now, by subject, for the live region: its phase, each move's state (percent in tens), its outcome. */
function spoken(state: FleetPanelState): Map<string, string> {
  const lines = new Map<string, string>();
  const configure = state.active === 'configure' ? state.configure : null;
  if (configure) {
    if (configure.busy) lines.set('configure:busy', configure.busy);
    if (configure.error) lines.set('configure:error', configure.error);
    if (configure.readAt && configure.pairs > 0) lines.set('configure:pairs', say.pairsReady(configure.readyPairs, configure.pairs));
    if (configure.applied) lines.set('configure:applied', configure.applied.text);
  }
  const drain = state.active === 'drain' ? state.drain : null;
  if (drain) {
    lines.set('drain:phase', say.job(drainTitle(drain), drainPhaseText[drain.phase]));
    for (const row of drain.rows) {
      lines.set(
        `drain:${row.vmId}`,
        say.row(row.vmName, rowText[row.state], row.state === 'moving' ? Math.floor(row.percent / 10) * 10 : undefined),
      );
    }
    if (drain.error) lines.set('drain:error', drain.error);
    if (drain.notice) lines.set('drain:notice', drain.notice);
    if (drain.summary) lines.set('drain:summary', drain.summary.text);
  }
  const ha = state.active === 'ha' ? state.ha : null;
  if (ha) {
    lines.set('ha:phase', say.ha(ha.vmName, ha.source, ha.destination, haPhaseText[ha.phase]));
    for (const step of ha.steps) if (step.status !== 'pending') lines.set(`ha:${step.id}`, say.step(step.title, step.status));
    if (ha.message) lines.set('ha:message', ha.message);
  }
  return lines;
}

let lastState: FleetPanelState | undefined;

function render(state: FleetPanelState): void {
  lastState = state;
  keepingFocus(() => renderPage(state));
  announce(spoken(state));
}

function renderPage(state: FleetPanelState): void {
  document.title = state.title;
  const parts: HTMLElement[] = [
    part('header', [state.title, state.lab, state.active, state.configure !== null, state.drain !== null, state.ha !== null], () =>
      header(state),
    ),
  ];
  if (state.active === 'configure' && state.configure)
    parts.push(part('configure', [state.configure, selectedPair], () => configureSection(state.configure!)));
  if (state.active === 'drain' && state.drain) parts.push(drainSection(state.drain));
  if (state.active === 'ha' && state.ha) parts.push(part('ha', state.ha, () => haSection(state.ha!)));
  if (!state.active)
    parts.push(el('p', { class: 'hint' }, l10n.t('Run Configure Live Migration…, Drain Host… or Migrate… from the Hyper-V view.')));
  place(app, parts);
  forgetDetached();
}

app.addEventListener('click', (event) => {
  const link = (event.target as HTMLElement).closest<HTMLElement>('button.job-link');
  const job = link?.dataset.job;
  if (job === 'configure' || job === 'drain' || job === 'ha') post({ type: 'show', job });
});

window.addEventListener('message', (event: MessageEvent<ToFleetWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'state':
      render(message.state);
      break;
    default: {
      const never: never = message.type;
      console.warn('unknown message', never);
    }
  }
});

post({ type: 'ready' });
