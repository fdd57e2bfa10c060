// The migration panel's page as a template of its state: a section per VM (its head, its move, its
// destinations, the checklist, the plan, Migrate) and the other migrations; and what the page says to a
// screen reader.
import { html, type TemplateResult } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import { formatList } from '../../src/hyperv/format';
import type {
  DestinationView,
  HostSummary,
  MigrationSection,
  MoveView,
  PanelIntent,
  PanelState,
  ReadinessKind,
  VmSummary,
} from '../../src/panel/protocol';
import { parseSamples } from '../../src/panel/protocol';
import { moveChart } from '../chart';
import * as l10n from '../l10n';
import { button, dataTable, disclosure, icon, key, nothing, statusIcon, unseen } from '../ui';
import { checklist, checkWords, type MigrationContext } from './checklist';

function facts(rows: readonly (readonly [string, unknown])[]): TemplateResult {
  return html`<dl class="facts">
    ${rows.map(
      ([k, v]) =>
        html`<dt>${k}</dt>
          <dd>${v}</dd>`,
    )}
  </dl>`;
}

// ---- the VM and its destinations -------------------------------------------------------------------

function vmHead(ctx: MigrationContext, vm: VmSummary): TemplateResult {
  const details = disclosure(
    ctx.ui,
    key('details', vm.id),
    l10n.t('Details'),
    'details',
    facts([
      [l10n.t('Status'), vm.status],
      [l10n.t('Configuration version'), vm.version],
      [l10n.t('Disks'), vm.disks.join('; ') || l10n.t('none')],
      [l10n.t('Network'), vm.adapters.join('; ') || l10n.t('none')],
      [l10n.t('DVD'), vm.iso.join('; ') || l10n.t('no ISO')],
      [l10n.t('Clustered'), vm.clustered ? l10n.t('yes') : l10n.t('no')],
    ]),
  );
  return html`<div class="vm-head">
    <h2>
      ${icon(vm.state === 'Running' ? 'vm-running' : 'vm-outline')} ${vm.name} <vscode-badge variant="counter">${vm.state}</vscode-badge>
    </h2>
    <p class="hint">
      ${vm.clustered
        ? l10n.t('on {0} · {1} · {2} vCPU · version {3} · clustered', vm.host, vm.memory, vm.processors, vm.version)
        : l10n.t('on {0} · {1} · {2} vCPU · version {3}', vm.host, vm.memory, vm.processors, vm.version)}
    </p>
    ${details}
  </div>`;
}

const readinessIcon: Record<ReadinessKind, string> = {
  source: 'home',
  unchecked: 'circle-large-outline',
  checking: 'loading',
  ready: 'pass-filled',
  blocked: 'error',
  unreachable: 'debug-disconnect',
  failed: 'warning',
  maintenance: 'tools',
};

function destinationRow(ctx: MigrationContext, section: MigrationSection, d: DestinationView, host?: HostSummary): TemplateResult {
  const chosen = section.destination === d.host;
  const checkMove = l10n.t('Check the move of {0} to {1}', section.vm.name, d.host);
  const action =
    d.readiness === 'source'
      ? html`<span class="hint">${l10n.t('source')}</span>`
      : d.readiness === 'maintenance'
        ? html`<span class="hint">${l10n.t('not available')}</span>`
        : chosen
          ? html`<span class="chosen">${icon('arrow-right')} ${l10n.t('destination')}</span>`
          : button(
              l10n.t('Check'),
              { secondary: true, disabled: section.busy || section.move?.running === true, title: checkMove, label: checkMove },
              () => ctx.post({ type: 'choose', vmId: section.vm.id, host: d.host }),
            );
  return html`<tr data-host=${d.host} class=${chosen ? 'chosen-row' : ''}>
    <td>
      ${icon(host?.reachable === false ? 'error' : 'server')}
      ${d.host}${d.cluster ? ` (${d.cluster})` : ''}${host?.reachable === false ? unseen(` ${l10n.t('(not reachable)')}`) : nothing}
    </td>
    <td class=${`readiness ${d.readiness}`}>
      ${icon(readinessIcon[d.readiness], d.readiness === 'checking' ? 'codicon-modifier-spin' : '')} ${d.summary}
    </td>
    <td title=${host?.cpu ?? ''}>${host?.problem ?? host?.cpu?.split(' · ')[0] ?? ''}</td>
    <td>${host?.memoryFree ?? ''}</td>
    <td>${host?.diskFree ?? ''}</td>
    <td>${(host?.switches ?? []).join(', ')}</td>
    <td class="action">${action}</td>
  </tr>`;
}

function destinations(ctx: MigrationContext, section: MigrationSection, fleet: readonly HostSummary[]): TemplateResult {
  const columns = [l10n.t('Host'), l10n.t('Readiness'), l10n.t('CPU'), l10n.t('Memory free'), l10n.t('Disk free'), l10n.t('Switches')];
  return html`<div>
    <div class="destination-head">
      <h3>${l10n.t('Destination')}</h3>
      ${button(
        l10n.t('Check All'),
        {
          icon: 'refresh',
          secondary: true,
          disabled: section.busy || section.move?.running === true,
          title: l10n.t('Check every other host as a destination'),
        },
        () => ctx.post({ type: 'checkDestinations', vmId: section.vm.id }),
      )}
    </div>
    ${dataTable(
      'data hosts destinations',
      [...columns, unseen(l10n.t('Action'))],
      section.destinations,
      (d) => d.host,
      (d) =>
        destinationRow(
          ctx,
          section,
          d,
          fleet.find((h) => h.name === d.host),
        ),
    )}
  </div>`;
}

// ---- the move ---------------------------------------------------------------------------------------

export const phaseText: Record<MoveView['phase'], string> = {
  starting: l10n.t('Starting'),
  moving: l10n.t('Moving memory and storage'),
  completing: l10n.t('Completing'),
  succeeded: l10n.t('Succeeded'),
  failed: l10n.t('Failed'),
  cancelled: l10n.t('Cancelled'),
};

/** The move's throughput and percent over time, when the samples it came with are sound (while it runs, from two on). */
function chartOf(move: MoveView): TemplateResult | typeof nothing {
  const samples = parseSamples(move.samples);
  if (!samples || (move.running && samples.length < 2)) return nothing;
  const subject = `${move.vmName}: ${move.source} → ${move.destination}`;
  return moveChart(samples, { subject, ...(move.outcome ? { ended: move.outcome.phase } : {}) });
}

function moveCard(ctx: MigrationContext, move: MoveView, section?: MigrationSection): TemplateResult {
  const title = html`<h3>${`${move.vmName}: ${move.source} → ${move.destination}`}</h3>`;
  if (move.running || !move.outcome) {
    return html`<div class="move running" data-move=${move.id}>
      ${title}
      <p class="phase">
        ${icon('sync', 'codicon-modifier-spin')} ${phaseText[move.phase]} · <strong class="percent">${move.percent} %</strong>
      </p>
      <vscode-progress-bar value=${String(move.percent)} max="100" aria-label=${`${move.vmName} ${move.percent} %`}></vscode-progress-bar>
      ${facts([
        [l10n.t('Data'), move.bytes],
        [l10n.t('Throughput'), move.throughput],
        [l10n.t('Elapsed'), move.elapsed],
        [l10n.t('Remaining'), move.eta],
      ])}
      ${chartOf(move)}
      <div class="toolbar">
        ${button(l10n.t('Cancel'), { icon: 'debug-stop', secondary: true, disabled: !move.running }, () =>
          ctx.post({ type: 'cancel', moveId: move.id }),
        )}
      </div>
    </div>`;
  }
  const o = move.outcome;
  const status = o.phase === 'succeeded' ? 'done' : o.phase === 'cancelled' ? 'cancelled' : 'failed';
  return html`<div class=${`move outcome ${o.phase}`} data-move=${move.id}>
    ${title}
    <p class="headline">${statusIcon(status)} ${o.headline}</p>
    ${o.failure
      ? html`<div class="failure">
          <p class="message">${o.failure.message}</p>
          ${facts([
            [l10n.t('Cause'), o.failure.cause],
            [l10n.t('Fix'), o.failure.fix],
          ])}
        </div>`
      : nothing}
    ${o.vmFoundOn ? html`<p class="found-on">${icon('vm-running')} ${o.vmFoundOn}</p>` : nothing}
    ${facts([
      [l10n.t('Duration'), o.duration],
      [l10n.t('Data moved'), o.moved],
    ])}
    ${chartOf(move)}
    ${section && o.phase !== 'succeeded'
      ? html`<div class="toolbar">
          ${button(l10n.t('Retry'), { icon: 'debug-restart', disabled: section.busy }, () =>
            ctx.post({ type: 'retry', vmId: section.vm.id }),
          )}
        </div>`
      : nothing}
  </div>`;
}

function migrateBar(ctx: MigrationContext, section: MigrationSection, intent: PanelIntent): TemplateResult | typeof nothing {
  if (!section.destination || section.move?.running) return nothing;
  const { enabled, reason } = section.migrate;
  return html`<div class="actions">
    ${button(
      l10n.t('Migrate to {0}', section.destination),
      {
        icon: 'arrow-right',
        id: `migrate-${section.vm.id}`,
        disabled: !enabled || section.busy,
        secondary: intent === 'check' && !enabled,
      },
      () => ctx.post({ type: 'migrate', vmId: section.vm.id }),
    )}
    <span class=${enabled ? 'hint' : 'reason'}>${reason}</span>
  </div>`;
}

/** One VM's section: its head, its move, its destinations, the checklist, the plan and Migrate. */
function sectionView(ctx: MigrationContext, section: MigrationSection, state: PanelState): TemplateResult {
  const fleet = state.fleet.filter((h) => section.destinations.some((d) => d.host === h.name));
  const plan = section.plan;
  return html`<section class="vm-section" data-vm=${section.vm.name} data-vm-id=${section.vm.id}>
    <div>${vmHead(ctx, section.vm)} ${section.notice ? html`<p class="notice">${icon('error')} ${section.notice}</p>` : nothing}</div>
    ${section.move ? moveCard(ctx, section.move, section) : nothing} ${destinations(ctx, section, fleet)} ${checklist(ctx, section)}
    ${plan.length > 0
      ? html`<div class="plan">
          <h4>${icon('checklist')} Plan for the move</h4>
          <ul>
            ${plan.map((p) => html`<li>${p}</li>`)}
          </ul>
        </div>`
      : nothing}
    ${migrateBar(ctx, section, state.intent)}
  </section>`;
}

// ---- the page --------------------------------------------------------------------------------------

const next: Record<PanelIntent, string> = {
  check: l10n.t('Pick a destination: its checks appear here, each with its fix.'),
  migrate: l10n.t('Pick a destination: its checks appear here, then Migrate.'),
  copy: l10n.t('Pick a destination: the migration is copied as PowerShell.'),
  moves: l10n.t('Running and finished migrations.'),
};

function header(ctx: MigrationContext, state: PanelState): TemplateResult {
  return html`<header>
    <h1>${state.title}</h1>
    <p class="hint">
      ${state.lab ? l10n.t('Connected to the built-in lab (simulated Hyper-V hosts).') : l10n.t('Connected to your Hyper-V hosts.')}
    </p>
    <div class="toolbar">
      ${button(l10n.t('Refresh'), { icon: 'refresh', secondary: true, id: 'refresh' }, () => ctx.post({ type: 'refresh' }))}
      ${button(l10n.t('Show Log'), { icon: 'output', secondary: true, id: 'show-log' }, () => ctx.post({ type: 'showLog' }))}
    </div>
    <p class="next">${icon('info')} ${next[state.intent]}</p>
    ${state.migrating.length > 0
      ? html`<p class="moving">${icon('sync', 'codicon-modifier-spin')} ${l10n.t('Migrating now: {0}', formatList(state.migrating))}</p>`
      : nothing}
  </header>`;
}

/** The migration panel's page for `state`. */
export function migrationPage(ctx: MigrationContext, state: PanelState): TemplateResult {
  const ownMoves = new Set(state.sections.map((s) => s.move?.id).filter((id) => id !== undefined));
  const moves = state.intent === 'moves' ? state.moves : state.moves.filter((m) => m.running && !ownMoves.has(m.id));
  const sections = state.intent === 'moves' ? [] : state.sections;
  return html`${header(ctx, state)}
  ${repeat(
    sections,
    (s) => s.vm.id,
    (s) => sectionView(ctx, s, state),
  )}
  ${moves.length > 0 || state.intent === 'moves'
    ? html`<section class="moves">
        <h2>${state.intent === 'moves' ? l10n.t('Migrations') : l10n.t('Other migrations running')}</h2>
        ${moves.length > 0
          ? repeat(
              moves,
              (m) => m.id,
              (m) => moveCard(ctx, m),
            )
          : html`<p class="hint">${l10n.t('No migration has run in this window yet.')}</p>`}
      </section>`
    : nothing}`;
}

function moveWords(move: MoveView): string {
  if (move.running || !move.outcome) return `${move.vmName}: ${phaseText[move.phase]}, ${Math.floor(move.percent / 10) * 10} %`;
  return `${move.vmName}: ${move.outcome.headline}`;
}

/** What the page says now, by subject, for the live region: each VM's check and notice, each move (its percent in tens). */
export function spoken(state: PanelState): Map<string, string> {
  const lines = new Map<string, string>();
  for (const section of state.sections) {
    const { vm } = section;
    if (section.notice) lines.set(`notice:${vm.id}`, `${vm.name}: ${section.notice}`);
    if (section.destination && section.check)
      lines.set(
        `check:${vm.id}`,
        l10n.t('{0}: checks of the move from {1} to {2}: {3}', vm.name, vm.host, section.destination, checkWords(section.check)),
      );
    if (section.move) lines.set(`move:${section.move.id}`, moveWords(section.move));
  }
  for (const move of state.moves) lines.set(`move:${move.id}`, moveWords(move));
  return lines;
}
