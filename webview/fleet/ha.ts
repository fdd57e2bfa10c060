// The HA workflow: a clustered VM out of its cluster as one guarded workflow, its steps with their
// PowerShell, the move's progress, and what its check found.
import { html, type TemplateResult } from 'lit-html';
import type { HaStepStatus, HaStepView, HaView } from '../../src/panel/fleetProtocol';
import * as l10n from '../l10n';
import { button, icon, keyedList, nothing, statusIcon, type Status } from '../ui';
import { callout, collapsible, phaseStatus, progress, scriptBlock, toolbar, type FleetContext } from './shared';

const stepStatus: Record<HaStepStatus, Status> = {
  pending: 'next',
  running: 'busy',
  succeeded: 'done',
  failed: 'failed',
  skipped: 'skipped',
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

function head(ctx: FleetContext, view: HaView): TemplateResult {
  return html`<div class="section-head">
    <h2>${icon('server-environment')} ${`${view.vmName}: ${view.source} → ${view.destination}`}</h2>
    <span class=${`summary phase-${view.phase}`} id="ha-phase">${statusIcon(phaseStatus[view.phase])} ${haPhaseText[view.phase]}</span>
    ${toolbar(
      view.phase === 'ready'
        ? button(
            l10n.t('Run Workflow…'),
            { icon: 'play', id: 'ha-start', title: l10n.t('Asks first: the VM is not highly available while it moves') },
            () => ctx.post({ type: 'haStart' }),
          )
        : nothing,
      view.phase === 'running'
        ? button(
            l10n.t('Cancel'),
            {
              icon: 'debug-stop',
              secondary: true,
              id: 'ha-cancel',
              title: l10n.t('Stops the workflow; if the role was removed it is restored on the source cluster'),
            },
            () => ctx.post({ type: 'haCancel' }),
          )
        : nothing,
      view.steps.length > 0
        ? button(
            l10n.t('Show PowerShell'),
            { icon: 'terminal-powershell', secondary: true, id: 'ha-script', title: l10n.t('The whole guarded workflow as one script') },
            () => ctx.post({ type: 'haShowScript' }),
          )
        : nothing,
    )}
  </div>`;
}

function step(ctx: FleetContext, view: HaView, step: HaStepView, index: number): TemplateResult {
  const move = step.id === 'move' && step.status === 'running' ? view.move : undefined;
  return html`<li class=${`step ${step.status}`} data-step=${step.id} data-status=${step.status}>
    <div class="step-head">
      ${statusIcon(stepStatus[step.status])}<span class="step-number">${String(index + 1)}</span
      ><span class="step-title">${step.title}</span><span class="step-status">${step.status}</span>
    </div>
    ${step.detail ? html`<p class="step-detail">${step.detail}</p>` : nothing}
    ${move
      ? progress(
          move.percent,
          100,
          `${view.vmName} ${move.percent} %`,
          l10n.t('{0} % · {1} · {2} left', move.percent, move.bytes, move.eta),
        )
      : nothing}
    ${collapsible(ctx, `step:${step.id}`, 'PowerShell', scriptBlock(step.script))}
  </li>`;
}

export function haSection(ctx: FleetContext, view: HaView): TemplateResult {
  const where = view.destinationCluster
    ? l10n.t('a node of cluster {0}', view.destinationCluster)
    : view.phase === 'preparing' || view.phase === 'unavailable'
      ? ''
      : l10n.t('a standalone host');
  const messageKind = view.phase === 'succeeded' ? 'success' : view.phase === 'running' ? 'info' : 'error';
  return html`<section class="job ha" data-job="ha">
    ${head(ctx, view)}
    ${view.sourceCluster
      ? html`<p class="hint">
          ${l10n.t(
            "{0} is the role '{1}' of failover cluster {2}. {3} is {4}. One guarded workflow: if the move fails or is cancelled, HA is restored on {2}.",
            view.vmName,
            view.role,
            view.sourceCluster,
            view.destination,
            where,
          )}
        </p>`
      : nothing}
    ${view.phase === 'preparing'
      ? html`<p class="busy"><vscode-progress-ring></vscode-progress-ring> ${l10n.t('Reading {0} and its cluster…', view.vmName)}</p>`
      : nothing}
    ${view.phase === 'unavailable' ? callout('error', html`<p>${view.message ?? l10n.t('The HA workflow does not apply.')}</p>`) : nothing}
    ${view.message && view.phase !== 'unavailable'
      ? callout(messageKind, html`<p class="strong" id="ha-message">${view.message}</p>`)
      : nothing}
    ${view.findings.length > 0
      ? html`<ul class="findings">
          ${view.findings.map(
            (f) =>
              html`<li>${icon(f.severity === 'blocker' ? 'error' : 'warning', f.severity === 'blocker' ? 'bad' : 'warn')} ${f.text}</li>`,
          )}
        </ul>`
      : nothing}
    ${keyedList(
      'steps',
      view.steps,
      (s) => s.id,
      (s, i) => step(ctx, view, s, i),
      true,
    )}
  </section>`;
}

/** What the workflow says now, by subject, for the live region: its phase, each step that started, how it ended. */
export function haSpoken(view: HaView, lines: Map<string, string>): void {
  lines.set('ha:phase', `${view.vmName}: ${view.source} → ${view.destination}: ${haPhaseText[view.phase]}`);
  for (const s of view.steps) if (s.status !== 'pending') lines.set(`ha:${s.id}`, `${s.title}: ${s.status}`);
  if (view.message) lines.set('ha:message', view.message);
}
