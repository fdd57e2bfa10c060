import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode/codicons/dist/codicon.css';
import './panel.css';
import type {
  AreaGroup,
  CheckView,
  DestinationView,
  FindingRow,
  FixView,
  FromWebview,
  HostSummary,
  MigrationSection,
  MoveView,
  PanelIntent,
  PanelState,
  ReadinessKind,
  ToWebview,
  VmSummary,
} from '../src/panel/protocol';
import { announce, button, disclosure, el, icon, forgetDetached, keepingFocus, part, place, unseen } from './dom';
import * as l10n from './l10n';

declare function acquireVsCodeApi(): { postMessage(message: FromWebview): void };
const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;

function facts(rows: [string, string | HTMLElement][]): HTMLElement {
  const dl = el('dl', { class: 'facts' });
  for (const [k, v] of rows) dl.append(el('dt', {}, k), el('dd', {}, v));
  return dl;
}

// The words this panel gives screen readers beside what it shows (one place, for localization).
const say = {
  actionColumn: l10n.t('Action'),
  checkMove: (vm: string, host: string) => l10n.t('Check the move of {0} to {1}', vm, host),
  notReachable: ` ${l10n.t('(not reachable)')}`,
  showScript: (fix: string) => l10n.t('Show PowerShell: {0}', fix),
  checking: l10n.t('Checking'),
  checked: (vm: string, source: string, destination: string, outcome: string) =>
    l10n.t('{0}: checks of the move from {1} to {2}: {3}', vm, source, destination, outcome),
  moving: (vm: string, phase: string, percent: number) => `${vm}: ${phase}, ${percent} %`,
  moved: (vm: string, headline: string) => `${vm}: ${headline}`,
  notice: (vm: string, notice: string) => `${vm}: ${notice}`,
};

// What the admin picked or opened in the webview only; re-applied on every render.
const picked = new Map<string, string>();
const opened = new Set<string>();
const key = (...parts: string[]) => parts.join('\u0000');

// ---- the VM and its destinations -------------------------------------------------------------------

function vmHead(vm: VmSummary): HTMLElement {
  const details = disclosure(
    opened,
    key('details', vm.id),
    l10n.t('Details'),
    { class: 'details' },
    facts([
      [l10n.t('Status'), vm.status],
      [l10n.t('Configuration version'), vm.version],
      [l10n.t('Disks'), vm.disks.join('; ') || l10n.t('none')],
      [l10n.t('Network'), vm.adapters.join('; ') || l10n.t('none')],
      [l10n.t('DVD'), vm.iso.join('; ') || l10n.t('no ISO')],
      [l10n.t('Clustered'), vm.clustered ? l10n.t('yes') : l10n.t('no')],
    ]),
  );
  return el(
    'div',
    { class: 'vm-head' },
    el(
      'h2',
      {},
      icon(vm.state === 'Running' ? 'vm-running' : 'vm-outline'),
      ` ${vm.name} `,
      el('vscode-badge', { variant: 'counter' }, vm.state),
    ),
    el(
      'p',
      { class: 'hint' },
      vm.clustered
        ? l10n.t('on {0} · {1} · {2} vCPU · version {3} · clustered', vm.host, vm.memory, vm.processors, vm.version)
        : l10n.t('on {0} · {1} · {2} vCPU · version {3}', vm.host, vm.memory, vm.processors, vm.version),
    ),
    details,
  );
}

const readinessIcon: Record<ReadinessKind, string> = {
  source: 'home',
  unchecked: 'circle-large-outline',
  checking: 'loading',
  ready: 'pass-filled',
  blocked: 'error',
  unreachable: 'debug-disconnect',
  failed: 'warning',
};

function destinations(section: MigrationSection, fleet: readonly HostSummary[]): HTMLElement {
  const vmId = section.vm.id;
  const moving = section.move?.running === true;
  const head = el(
    'tr',
    {},
    ...[l10n.t('Host'), l10n.t('Readiness'), l10n.t('CPU'), l10n.t('Memory free'), l10n.t('Disk free'), l10n.t('Switches')].map((h) =>
      el('th', { scope: 'col' }, h),
    ),
    el('th', { scope: 'col' }, unseen(say.actionColumn)),
  );
  const rows = section.destinations.map((d: DestinationView) => {
    const host = fleet.find((h) => h.name === d.host);
    const chosen = section.destination === d.host;
    const action =
      d.readiness === 'source'
        ? el('span', { class: 'hint' }, l10n.t('source'))
        : chosen
          ? el('span', { class: 'chosen' }, icon('arrow-right'), ` ${l10n.t('destination')}`)
          : button(
              l10n.t('Check'),
              {
                secondary: true,
                disabled: section.busy || moving,
                title: say.checkMove(section.vm.name, d.host),
                label: say.checkMove(section.vm.name, d.host),
              },
              () => vscode.postMessage({ type: 'choose', vmId, host: d.host }),
            );
    return el(
      'tr',
      { 'data-host': d.host, class: chosen ? 'chosen-row' : '' },
      el(
        'td',
        {},
        icon(host?.reachable === false ? 'error' : 'server'),
        ` ${d.host}${d.cluster ? ` (${d.cluster})` : ''}`,
        host?.reachable === false ? unseen(say.notReachable) : undefined,
      ),
      el(
        'td',
        { class: `readiness ${d.readiness}` },
        icon(readinessIcon[d.readiness], d.readiness === 'checking' ? 'codicon-modifier-spin' : ''),
        ` ${d.summary}`,
      ),
      el('td', { title: host?.cpu ?? '' }, host?.problem ?? host?.cpu?.split(' · ')[0] ?? ''),
      el('td', {}, host?.memoryFree ?? ''),
      el('td', {}, host?.diskFree ?? ''),
      el('td', {}, (host?.switches ?? []).join(', ')),
      el('td', { class: 'action' }, action),
    );
  });
  return el('table', { class: 'hosts destinations' }, el('thead', {}, head), el('tbody', {}, ...rows));
}

// ---- the checklist ----------------------------------------------------------------------------------

const severityIcon: Record<FindingRow['severity'], string> = { blocker: 'error', warning: 'warning', info: 'info', passed: 'pass-filled' };
const severityText: Record<FindingRow['severity'], string> = {
  blocker: l10n.t('Blocker'),
  warning: l10n.t('Warning'),
  info: l10n.t('Info'),
  passed: l10n.t('Passed'),
};

function fixControls(section: MigrationSection, row: FindingRow, fix: FixView, first: boolean): HTMLElement {
  const vmId = section.vm.id;
  const disabled = section.busy || section.move?.running === true || row.status?.kind === 'applying';
  const selects = fix.choices.map((choice) => {
    const k = key(vmId, row.id, fix.id, choice.name);
    const current = picked.get(k) ?? choice.options[0] ?? '';
    const select = el(
      'vscode-single-select',
      { 'data-choice': choice.name, label: choice.label },
      ...choice.options.map((o) => el('vscode-option', { value: o, selected: o === current }, o)),
    );
    select.addEventListener('change', () => picked.set(k, (select as HTMLElement & { value: string }).value));
    return el('label', { class: 'choice' }, el('span', {}, `${choice.label}:`), select);
  });
  const chosen = () =>
    Object.fromEntries(fix.choices.map((c) => [c.name, picked.get(key(vmId, row.id, fix.id, c.name)) ?? c.options[0] ?? '']));
  return el(
    'div',
    { class: `fix${fix.destructive ? ' destructive' : ''}`, 'data-fix': fix.id },
    el(
      'div',
      { class: 'fix-controls' },
      ...selects,
      button(
        fix.title,
        { icon: fix.destructive ? 'warning' : fix.appliesTo === 'plan' ? 'checklist' : 'wrench', secondary: !first, disabled },
        () => vscode.postMessage({ type: 'applyFix', vmId, findingId: row.id, fixId: fix.id, choices: chosen() }),
      ),
      button(
        l10n.t('Show PowerShell'),
        {
          icon: 'terminal-powershell',
          secondary: true,
          title: l10n.t('Open the exact script this fix runs'),
          label: say.showScript(fix.title),
        },
        () => vscode.postMessage({ type: 'showFixScript', vmId, findingId: row.id, fixId: fix.id, choices: chosen() }),
      ),
    ),
    el('p', { class: 'fix-description' }, fix.destructive ? icon('warning') : false, fix.destructive ? ' ' : false, fix.description),
  );
}

function statusLine(row: FindingRow): HTMLElement | undefined {
  const status = row.status;
  if (!status) return undefined;
  const look = {
    applying: ['loading', 'codicon-modifier-spin'],
    fixed: ['pass-filled', ''],
    stillFailing: ['error', ''],
    fixFailed: ['error', ''],
  }[status.kind];
  return el('p', { class: `status ${status.kind}` }, icon(look[0], look[1]), ` ${status.message}`);
}

function findingRow(section: MigrationSection, row: FindingRow): HTMLElement {
  const evidenceKey = key('evidence', section.vm.id, row.id);
  const evidenceItems = [
    ...row.evidence.map((e) => el('li', {}, el('code', {}, e.source), ` — ${e.detail}`)),
    ...(row.compareVm && !row.evidence.some((e) => e.source.startsWith('Compare-VM'))
      ? [el('li', {}, el('code', {}, 'Compare-VM'), ` — ${row.compareVm}`)]
      : []),
  ];
  const evidence =
    evidenceItems.length > 0
      ? disclosure(
          opened,
          evidenceKey,
          l10n.t('Evidence ({0})', evidenceItems.length),
          { class: 'evidence' },
          el('ul', {}, ...evidenceItems),
        )
      : undefined;
  return el(
    'div',
    { class: `finding ${row.severity}`, 'data-finding': row.id, 'data-severity': row.severity },
    el(
      'div',
      { class: 'finding-head' },
      icon(severityIcon[row.severity], `severity ${row.severity}`),
      el('span', { class: 'finding-title' }, row.title),
      el('span', { class: 'severity-label' }, severityText[row.severity]),
    ),
    row.cause ? el('p', { class: 'cause' }, row.cause) : undefined,
    statusLine(row),
    evidence,
    row.fixes.length > 0 ? el('div', { class: 'fixes' }, ...row.fixes.map((f, i) => fixControls(section, row, f, i === 0))) : undefined,
  );
}

function areaGroup(section: MigrationSection, group: AreaGroup): HTMLElement {
  const worst = group.rows.some((r) => r.severity === 'blocker')
    ? 'blocker'
    : group.rows.some((r) => r.severity === 'warning')
      ? 'warning'
      : group.rows.some((r) => r.severity === 'info')
        ? 'info'
        : 'passed';
  const [only] = group.rows;
  if (group.rows.length === 1 && only.severity === 'passed' && !only.cause && only.evidence.length === 0 && !only.status) {
    // An area where nothing was found: one line.
    return el(
      'div',
      { class: 'area passed compact', 'data-area': group.area },
      el(
        'div',
        { class: 'finding passed', 'data-finding': only.id, 'data-severity': 'passed' },
        icon('pass-filled', 'severity passed'),
        el('strong', {}, group.title, unseen(` (${severityText.passed})`)),
        el('span', { class: 'finding-title' }, only.title),
      ),
    );
  }
  return el(
    'div',
    { class: `area ${worst}`, 'data-area': group.area },
    el('h4', {}, icon(severityIcon[worst], `severity ${worst}`), ` ${group.title}`, unseen(` (${severityText[worst]})`)),
    ...group.rows.map((r) => findingRow(section, r)),
  );
}

/** A check's outcome in words: shown beside its icon, and announced. */
function checkWords(check: CheckView): string {
  if (check.status === 'checking') return l10n.t('Checking…');
  if (check.status === 'failed') return l10n.t('The check failed');
  if (check.blockers > 0) return check.blockers === 1 ? l10n.t('1 blocker') : l10n.t('{0} blockers', check.blockers);
  if (check.warnings === 0) return l10n.t('Ready to migrate');
  return check.warnings === 1 ? l10n.t('Ready · 1 warning') : l10n.t('Ready · {0} warnings', check.warnings);
}

function checkSummary(check: CheckView): HTMLElement {
  const words = ` ${checkWords(check)}`;
  if (check.status === 'checking')
    return el('span', { class: 'summary checking' }, el('vscode-progress-ring', { 'aria-label': say.checking }), words);
  if (check.status === 'failed' || check.blockers > 0) return el('span', { class: 'summary blocker' }, icon('error'), words);
  return el('span', { class: 'summary passed' }, icon('pass-filled'), words);
}

function checklist(section: MigrationSection): HTMLElement | undefined {
  const check = section.check;
  if (!section.destination || !check) return undefined;
  const vmId = section.vm.id;
  const busy = section.busy || section.move?.running === true;
  return el(
    'div',
    { class: 'checklist', 'data-destination': section.destination },
    el(
      'div',
      { class: 'check-head' },
      el('h3', {}, l10n.t('Checks: {0} → {1}', section.vm.host, section.destination)),
      checkSummary(check),
      el(
        'div',
        { class: 'toolbar' },
        button(l10n.t('Check Again'), { icon: 'refresh', secondary: true, disabled: busy, id: `recheck-${vmId}` }, () =>
          vscode.postMessage({ type: 'recheck', vmId }),
        ),
        button(
          l10n.t('Copy as PowerShell'),
          { icon: 'copy', secondary: true, title: l10n.t('The whole plan as one script: checks, fixes, Compare-VM, Move-VM') },
          () => vscode.postMessage({ type: 'copyScript', vmId }),
        ),
      ),
    ),
    check.status === 'failed' ? el('p', { class: 'notice' }, icon('error'), ` ${check.message ?? ''}`) : undefined,
    check.checkedAt ? el('p', { class: 'hint' }, l10n.t('Checked {0}', new Date(check.checkedAt).toLocaleTimeString())) : undefined,
    ...check.groups.map((g) => areaGroup(section, g)),
  );
}

// ---- the move ---------------------------------------------------------------------------------------

const phaseText: Record<MoveView['phase'], string> = {
  starting: l10n.t('Starting'),
  moving: l10n.t('Moving memory and storage'),
  completing: l10n.t('Completing'),
  succeeded: l10n.t('Succeeded'),
  failed: l10n.t('Failed'),
  cancelled: l10n.t('Cancelled'),
};

function moveCard(move: MoveView, section?: MigrationSection): HTMLElement {
  const title = el('h3', {}, `${move.vmName}: ${move.source} → ${move.destination}`);
  if (move.running || !move.outcome) {
    const bar = el('vscode-progress-bar', { value: String(move.percent), max: '100', 'aria-label': `${move.vmName} ${move.percent} %` });
    return el(
      'div',
      { class: 'move running', 'data-move': move.id },
      title,
      el(
        'p',
        { class: 'phase' },
        icon('sync', 'codicon-modifier-spin'),
        ` ${phaseText[move.phase]} · `,
        el('strong', { class: 'percent' }, `${move.percent} %`),
      ),
      bar,
      facts([
        [l10n.t('Data'), move.bytes],
        [l10n.t('Throughput'), move.throughput],
        [l10n.t('Elapsed'), move.elapsed],
        [l10n.t('Remaining'), move.eta],
      ]),
      el(
        'div',
        { class: 'toolbar' },
        button(l10n.t('Cancel'), { icon: 'debug-stop', secondary: true, disabled: !move.running }, () =>
          vscode.postMessage({ type: 'cancel', moveId: move.id }),
        ),
      ),
    );
  }
  const o = move.outcome;
  const look = o.phase === 'succeeded' ? 'pass-filled' : o.phase === 'cancelled' ? 'circle-slash' : 'error';
  const rows: [string, string][] = [
    [l10n.t('Duration'), o.duration],
    [l10n.t('Data moved'), o.moved],
  ];
  return el(
    'div',
    { class: `move outcome ${o.phase}`, 'data-move': move.id },
    title,
    el('p', { class: 'headline' }, icon(look), ` ${o.headline}`),
    o.failure
      ? el(
          'div',
          { class: 'failure' },
          el('p', { class: 'message' }, o.failure.message),
          facts([
            [l10n.t('Cause'), o.failure.cause],
            [l10n.t('Fix'), o.failure.fix],
          ]),
        )
      : undefined,
    o.vmFoundOn ? el('p', { class: 'found-on' }, icon('vm-running'), ` ${o.vmFoundOn}`) : undefined,
    facts(rows),
    section && o.phase !== 'succeeded'
      ? el(
          'div',
          { class: 'toolbar' },
          button(l10n.t('Retry'), { icon: 'debug-restart', disabled: section.busy }, () =>
            vscode.postMessage({ type: 'retry', vmId: section.vm.id }),
          ),
        )
      : undefined,
  );
}

function migrateBar(section: MigrationSection, intent: PanelIntent): HTMLElement | undefined {
  if (!section.destination || section.move?.running) return undefined;
  const { enabled, reason } = section.migrate;
  return el(
    'div',
    { class: 'actions' },
    button(
      l10n.t('Migrate to {0}', section.destination),
      {
        icon: 'arrow-right',
        id: `migrate-${section.vm.id}`,
        disabled: !enabled || section.busy,
        secondary: intent === 'check' && !enabled,
      },
      () => vscode.postMessage({ type: 'migrate', vmId: section.vm.id }),
    ),
    el('span', { class: enabled ? 'hint' : 'reason' }, reason),
  );
}

/** One VM's section: its head, its move and the rest are rebuilt separately, each only when it changed. */
function sectionView(section: MigrationSection, state: PanelState): HTMLElement {
  const id = section.vm.id;
  const container = part(`section:${id}`, section.vm.name, () =>
    el('section', { class: 'vm-section', 'data-vm': section.vm.name, 'data-vm-id': id }),
  );
  const fleet = state.fleet.filter((h) => section.destinations.some((d) => d.host === h.name));
  // What the parts below have in common: which VM, where to, and whether its buttons must wait.
  const common = [section.vm.id, section.vm.name, section.vm.host, section.destination, section.busy, section.move?.running ?? false];
  const plan = section.plan;
  const children = [
    part(`head:${id}`, [section.vm, section.notice], () =>
      el('div', {}, vmHead(section.vm), section.notice ? el('p', { class: 'notice' }, icon('error'), ` ${section.notice}`) : undefined),
    ),
    section.move ? part(`move:${id}`, [section.move, section.busy], () => moveCard(section.move!, section)) : undefined,
    part(`destinations:${id}`, [common, section.destinations, fleet], () =>
      el(
        'div',
        {},
        el(
          'div',
          { class: 'destination-head' },
          el('h3', {}, l10n.t('Destination')),
          button(
            l10n.t('Check All'),
            {
              icon: 'refresh',
              secondary: true,
              disabled: section.busy || section.move?.running === true,
              title: l10n.t('Check every other host as a destination'),
            },
            () => vscode.postMessage({ type: 'checkDestinations', vmId: id }),
          ),
        ),
        destinations(section, fleet),
      ),
    ),
    section.destination && section.check ? part(`checklist:${id}`, [common, section.check], () => checklist(section)!) : undefined,
    plan.length > 0
      ? part(`plan:${id}`, plan, () =>
          el(
            'div',
            { class: 'plan' },
            el('h4', {}, icon('checklist'), ' Plan for the move'),
            el('ul', {}, ...plan.map((p) => el('li', {}, p))),
          ),
        )
      : undefined,
    section.destination && !section.move?.running
      ? part(`migrate:${id}`, [common, section.migrate, state.intent], () => migrateBar(section, state.intent)!)
      : undefined,
  ].filter((n): n is HTMLElement => n !== undefined);
  place(container, children);
  reveal(id, section, container);
  return container;
}

// What each section showed last, to bring what just appeared into view: the checklist of a newly chosen
// destination, a move that started, how it ended.
const lastSeen = new Map<string, string>();

function reveal(id: string, section: MigrationSection, container: HTMLElement): void {
  const now = `${section.destination ?? ''}|${section.move?.id ?? ''}|${section.move?.outcome?.phase ?? ''}`;
  const before = lastSeen.get(id);
  lastSeen.set(id, now);
  if (before === undefined || before === now) return;
  const [destination, move, outcome] = before.split('|');
  const target =
    section.move && (section.move.id !== move || (section.move.outcome?.phase ?? '') !== outcome)
      ? container
      : section.destination && section.destination !== destination
        ? container.querySelector('.checklist')
        : null;
  target?.scrollIntoView({ block: 'start' });
}

// ---- the page --------------------------------------------------------------------------------------

const next: Record<PanelIntent, string> = {
  check: l10n.t('Pick a destination: its checks appear here, each with its fix.'),
  migrate: l10n.t('Pick a destination: its checks appear here, then Migrate.'),
  copy: l10n.t('Pick a destination: the migration is copied as PowerShell.'),
  moves: l10n.t('Running and finished migrations.'),
};

function moveWords(move: MoveView): string {
  if (move.running || !move.outcome) return say.moving(move.vmName, phaseText[move.phase], Math.floor(move.percent / 10) * 10);
  return say.moved(move.vmName, move.outcome.headline);
}

/** What the page says now, by subject, for the live region: each VM's check and notice, each move (its percent in tens). */
function spoken(state: PanelState): Map<string, string> {
  const lines = new Map<string, string>();
  for (const section of state.sections) {
    const { vm } = section;
    if (section.notice) lines.set(`notice:${vm.id}`, say.notice(vm.name, section.notice));
    if (section.destination && section.check)
      lines.set(`check:${vm.id}`, say.checked(vm.name, vm.host, section.destination, checkWords(section.check)));
    if (section.move) lines.set(`move:${section.move.id}`, moveWords(section.move));
  }
  for (const move of state.moves) lines.set(`move:${move.id}`, moveWords(move));
  return lines;
}

function render(state: PanelState): void {
  keepingFocus(() => renderPage(state));
  announce(spoken(state));
}

function renderPage(state: PanelState): void {
  document.title = state.title;
  const lab = state.lab;
  const head = part('head', [state.title, lab, state.intent, state.migrating], () => {
    const toolbar = el(
      'div',
      { class: 'toolbar' },
      button(l10n.t('Refresh'), { icon: 'refresh', secondary: true, id: 'refresh' }, () => vscode.postMessage({ type: 'refresh' })),
      button(l10n.t('Show Log'), { icon: 'output', secondary: true, id: 'show-log' }, () => vscode.postMessage({ type: 'showLog' })),
    );
    return el(
      'header',
      {},
      el('h1', {}, state.title),
      el(
        'p',
        { class: 'hint' },
        lab ? l10n.t('Connected to the built-in lab (simulated Hyper-V hosts).') : l10n.t('Connected to your Hyper-V hosts.'),
      ),
      toolbar,
      el('p', { class: 'next' }, icon('info'), ` ${next[state.intent]}`),
      state.migrating.length > 0
        ? el(
            'p',
            { class: 'moving' },
            icon('sync', 'codicon-modifier-spin'),
            ` ${l10n.t('Migrating now: {0}', state.migrating.join(', '))}`,
          )
        : undefined,
    );
  });
  const parts: HTMLElement[] = [head];
  if (state.intent !== 'moves') for (const section of state.sections) parts.push(sectionView(section, state));
  const ownMoves = new Set(state.sections.map((s) => s.move?.id).filter((id) => id !== undefined));
  const moves = state.intent === 'moves' ? state.moves : state.moves.filter((m) => m.running && !ownMoves.has(m.id));
  if (moves.length > 0 || state.intent === 'moves') {
    parts.push(
      part('moves', [moves, state.intent], () =>
        el(
          'section',
          { class: 'moves' },
          el('h2', {}, state.intent === 'moves' ? l10n.t('Migrations') : l10n.t('Other migrations running')),
          ...(moves.length > 0
            ? moves.map((m) => moveCard(m))
            : [el('p', { class: 'hint' }, l10n.t('No migration has run in this window yet.'))]),
        ),
      ),
    );
  }
  place(app, parts);
  forgetDetached();
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
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

vscode.postMessage({ type: 'ready' });
