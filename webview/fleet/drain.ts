// Drain Host / Migrate many / Run plan: where each VM goes and why (its ratings on every host), the VMs
// that cannot move, then the queue of moves with their progress, and how it ended.
import { html, type TemplateResult } from 'lit-html';
import { keyed } from 'lit-html/directives/keyed.js';
import { repeat } from 'lit-html/directives/repeat.js';
import { formatList } from '../../src/hyperv/format';
import type { CandidateView, DrainView, PlacementView, QueueRowState, QueueRowView, UnmovableView } from '../../src/panel/fleetProtocol';
import * as l10n from '../l10n';
import { button, dataTable, icon, nothing, statusIcon, unseen, type Status } from '../ui';
import { callout, collapsible, phaseStatus, progress, toolbar, type FleetContext } from './shared';

// The words this view gives screen readers beside what it shows (one place, for localization).
const say = {
  hostReady: ` ${l10n.t('(ready)')}`,
  hostNotReady: ` ${l10n.t('(not ready)')}`,
  to: l10n.t('to'),
  cannotMove: ` ${l10n.t('cannot move')}`,
  detailColumn: l10n.t('Detail'),
  destinationOf: (vm: string) => l10n.t('Destination of {0}', vm),
  checks: (done: number, total: number) => l10n.t('Checks: {0} of {1}', done, total),
  job: (title: string, phase: string) => `${title}: ${phase}`,
  row: (vm: string, state: string, percent?: number) => `${vm}: ${state}${percent === undefined ? '' : `, ${percent} %`}`,
};

function ratingTable(candidates: readonly CandidateView[], chosen?: string): TemplateResult {
  const row = (c: CandidateView) =>
    html`<tr class=${`${c.ready ? 'ready' : 'not-ready'}${c.host === chosen ? ' chosen-row' : ''}`} data-host=${c.host}>
      <td class="host">${statusIcon(c.ready ? 'done' : 'failed')} ${c.host}${unseen(c.ready ? say.hostReady : say.hostNotReady)}</td>
      <td class="score">${c.ready ? String(c.score) : '—'}</td>
      <td>
        ${c.ready
          ? html`<ul class="lines">
              ${c.lines.map((l) => html`<li><span class="points">${`+${l.points}`}</span> ${l.text}</li>`)}
              ${c.choices.map((ch) => html`<li class="choice">${icon('arrow-small-right')} ${ch}</li>`)}
            </ul>`
          : html`<ul class="lines">
              ${c.blockers.map((b) => html`<li class="bad">${b}</li>`)}
            </ul>`}
      </td>
      <td class="estimate">${c.ready ? c.estimate : ''}</td>
    </tr>`;
  return dataTable('ratings', [l10n.t('Host'), l10n.t('Score'), l10n.t('Why'), l10n.t('Move')], candidates, (c) => c.host, row);
}

function placementCard(ctx: FleetContext, p: PlacementView, editable: boolean): TemplateResult {
  const ready = p.candidates.filter((c) => c.ready);
  const chosen = p.candidates.find((c) => c.host === p.destination);
  const change = (event: Event) => {
    const host = (event.currentTarget as HTMLElement & { value: string }).value;
    if (host && host !== p.destination) ctx.post({ type: 'drainOverride', vmId: p.vmId, host });
  };
  // A choice only where there is one: several hosts ready and the moves not started; drawn anew when the
  // destination changed, so it never shows a pick the extension did not take.
  const destination =
    editable && ready.length > 1
      ? keyed(
          p.destination,
          html`<vscode-single-select label=${say.destinationOf(p.vmName)} class="destination" @change=${change}>
            ${ready.map(
              (c) => html`<vscode-option value=${c.host} ?selected=${c.host === p.destination}>${`${c.host} (${c.score})`}</vscode-option>`,
            )}
          </vscode-single-select>`,
        )
      : html`<span class="destination-host" title=${ready.length === 1 ? l10n.t('The only host ready for this VM') : ''}
          >${p.destination}</span
        >`;
  return html`<div class="vm-card" data-vm=${p.vmName}>
    <div class="vm-line">
      <span class="vm-name">${icon(p.state === 'Running' ? 'vm-running' : 'vm-outline')} ${p.vmName}</span>
      <span class="hint">${`${p.state} · ${p.size}`}</span>
      <span class="arrow">${icon('arrow-right')}${unseen(say.to)}</span>
      ${destination}
      ${chosen
        ? html`<vscode-badge variant="counter" title=${l10n.t('Rating out of 100')}>${String(chosen.score)}</vscode-badge>`
        : nothing}
      <span class="hint">${p.overridden ? 'your choice' : ready.length === 1 ? 'the only host ready' : 'best rated'}</span>
      ${chosen ? html`<span class="hint estimate">${chosen.estimate}</span>` : nothing}
    </div>
    ${chosen && chosen.choices.length > 0
      ? html`<ul class="choices">
          ${chosen.choices.map((c) => html`<li>${icon('arrow-small-right')} ${c}</li>`)}
        </ul>`
      : nothing}
    ${collapsible(
      ctx,
      `ratings:${p.vmId}`,
      l10n.t('Ratings on {0} hosts ({1} ready)', p.candidates.length, ready.length),
      ratingTable(p.candidates, p.destination),
    )}
  </div>`;
}

function unmovableCard(ctx: FleetContext, u: UnmovableView): TemplateResult {
  return html`<div class="vm-card unmovable" data-vm=${u.vmName}>
    <div class="vm-line">
      <span class="vm-name">${icon('circle-slash', 'bad')} ${u.vmName}${unseen(say.cannotMove)}</span>
      <span class="hint">${l10n.t('on {0}', u.source)}</span>
    </div>
    <p class="why">${u.why}</p>
    ${u.candidates.length > 0
      ? collapsible(ctx, `unmovable:${u.vmId}`, l10n.t('Every host, with why not ({0})', u.candidates.length), ratingTable(u.candidates))
      : nothing}
  </div>`;
}

const rowStatus: Record<QueueRowState, Status> = {
  queued: 'queued',
  starting: 'busy',
  moving: 'running',
  succeeded: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
  'not-started': 'skipped',
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

function queueRow(row: QueueRowView): TemplateResult {
  const shown = row.state === 'moving' || row.state === 'starting' || row.state === 'succeeded';
  const percent = row.state === 'succeeded' ? 100 : row.percent;
  return html`<tr data-vm=${row.vmName} data-state=${row.state}>
    <td class="vm">${statusIcon(rowStatus[row.state])} ${row.vmName}</td>
    <td class="route">${`${row.source} → ${row.destination}`}</td>
    <td class="state">${rowText[row.state]}</td>
    <td class="progress">${shown ? progress(percent, 100, `${row.vmName} ${row.percent} %`, `${percent} %`) : ''}</td>
    <td class="bytes">${row.bytes}</td>
    <td class="detail">${row.detail}</td>
  </tr>`;
}

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

function drainHead(ctx: FleetContext, view: DrainView): TemplateResult {
  const post = ctx.post;
  const { phase } = view;
  return html`<div class="section-head">
    <h2>${icon(view.kind === 'drain' ? 'arrow-swap' : 'arrow-right')} ${drainTitle(view)}</h2>
    <span class=${`summary phase-${phase}`} id="drain-phase">${statusIcon(phaseStatus[phase])} ${drainPhaseText[phase]}</span>
    ${toolbar(
      phase === 'planned'
        ? button(
            view.placements.length === 1 ? l10n.t('Start 1 Move') : l10n.t('Start {0} Moves', view.placements.length),
            { icon: 'play', id: 'drain-start', disabled: view.placements.length === 0 },
            () => post({ type: 'drainStart' }),
          )
        : nothing,
      phase === 'running'
        ? button(
            l10n.t('Pause'),
            { icon: 'debug-pause', secondary: true, id: 'drain-pause', title: l10n.t('No new move starts; the running ones go on') },
            () => post({ type: 'drainPause' }),
          )
        : nothing,
      phase === 'paused'
        ? button(l10n.t('Resume'), { icon: 'debug-continue', id: 'drain-resume' }, () => post({ type: 'drainResume' }))
        : nothing,
      phase === 'running' || phase === 'paused'
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
        : nothing,
      phase === 'planned' || phase === 'ended' || phase === 'failed'
        ? button(l10n.t('Plan Again'), { icon: 'refresh', secondary: true, id: 'drain-replan' }, () => post({ type: 'drainReplan' }))
        : nothing,
      view.kind !== 'plan' && phase === 'planned' && view.placements.length > 0
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
        : nothing,
    )}
  </div>`;
}

function why(items: readonly { readonly vmName: string; readonly why: string }[]): TemplateResult | typeof nothing {
  if (items.length === 0) return nothing;
  return html`<ul>
    ${items.map((f) => html`<li><strong>${f.vmName}</strong>${`: ${f.why}`}</li>`)}
  </ul>`;
}

function drainStatus(view: DrainView): TemplateResult {
  const checked = view.checked && view.checked.total > 0 ? view.checked : undefined;
  const s = view.summary;
  return html`<div class="status">
    ${view.phase === 'planning'
      ? html`<div class="busy">
          <p>
            <vscode-progress-ring></vscode-progress-ring>
            ${checked
              ? l10n.t('Checking every VM on every other host: {0} of {1} checks', checked.done, checked.total)
              : l10n.t('Reading the hosts…')}
          </p>
          ${checked ? progress(checked.done, checked.total, say.checks(checked.done, checked.total)) : nothing}
        </div>`
      : nothing}
    ${view.error ? callout('error', html`<p>${view.error}</p>`) : nothing}
    ${view.notice ? callout('warning', html`<p>${view.notice}</p>`) : nothing}
    ${s
      ? callout(
          s.failed.length > 0 ? 'error' : s.notMoved.length > 0 ? 'warning' : 'success',
          html`<p class="strong" id="drain-summary">${s.text}</p>`,
          s.moved.length > 0 ? html`<p>${l10n.t('Moved: {0}', formatList(s.moved))}</p>` : nothing,
          why(s.failed),
          why(s.notMoved),
        )
      : nothing}
  </div>`;
}

function drainBody(ctx: FleetContext, view: DrainView): TemplateResult {
  if (view.rows.length > 0) {
    const headings = [l10n.t('VM'), l10n.t('Move'), l10n.t('State'), l10n.t('Progress'), l10n.t('Data'), unseen(say.detailColumn)];
    return dataTable('queue', headings, view.rows, (r) => r.vmId, queueRow);
  }
  if (view.placements.length > 0) {
    return html`<div class="placements">
      <h3>${l10n.t('Will move ({0}): each to its best-rated host unless you choose another', view.placements.length)}</h3>
      ${repeat(
        view.placements,
        (p) => p.vmId,
        (p) => placementCard(ctx, p, view.phase === 'planned'),
      )}
    </div>`;
  }
  return html`<div>${view.phase === 'planned' ? html`<p class="hint">${l10n.t('No VM can move.')}</p>` : nothing}</div>`;
}

function drainRest(ctx: FleetContext, view: DrainView): TemplateResult {
  return html`<div>
    ${view.limits.length > 0 && view.phase !== 'ended'
      ? html`<p class="hint limits">
          ${icon('dashboard')} ${l10n.t('Never more at once than each host allows: {0}.', view.limits.join('; '))}
        </p>`
      : nothing}
    ${view.unmovable.length > 0 ? html`<h3 class="bad">${l10n.t('Cannot move ({0})', view.unmovable.length)}</h3>` : nothing}
    ${repeat(
      view.unmovable,
      (u) => u.vmId,
      (u) => unmovableCard(ctx, u),
    )}
  </div>`;
}

export function drainSection(ctx: FleetContext, view: DrainView): TemplateResult {
  return html`<section class="job drain" data-job="drain">
    ${drainHead(ctx, view)} ${drainStatus(view)} ${drainBody(ctx, view)} ${drainRest(ctx, view)}
  </section>`;
}

/** What the drain says now, by subject, for the live region: its phase, each move's state (percent in tens), its outcome. */
export function drainSpoken(view: DrainView, lines: Map<string, string>): void {
  lines.set('drain:phase', say.job(drainTitle(view), drainPhaseText[view.phase]));
  for (const row of view.rows) {
    lines.set(
      `drain:${row.vmId}`,
      say.row(row.vmName, rowText[row.state], row.state === 'moving' ? Math.floor(row.percent / 10) * 10 : undefined),
    );
  }
  if (view.error) lines.set('drain:error', view.error);
  if (view.notice) lines.set('drain:notice', view.notice);
  if (view.summary) lines.set('drain:summary', view.summary.text);
}
