// Maintenance windows: each host of the run with its step (its VMs leaving, waiting for the admin to patch and
// restart it, its VMs going back), the VMs that left and came back, those that could not with why, and those
// moved elsewhere by hand meanwhile, each with its own "Return anyway".
import { html, type TemplateResult } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import { formatList } from '../../src/hyperv/format';
import type { MaintenanceHostView, MaintenancePhase, MaintenanceStep, MaintenanceView } from '../../src/panel/fleetProtocol';
import * as l10n from '../l10n';
import { button, icon, keyedList, nothing, statusIcon, type Status } from '../ui';
import { callout, toolbar, type FleetContext } from './shared';

/** Each host's step and the window's phase: the state it is drawn as, and its words. */
const stepLook: Record<MaintenanceStep, [Status, string]> = {
  pending: ['next', l10n.t('Next')],
  entering: ['running', l10n.t('Entering maintenance')],
  waiting: ['waiting', l10n.t('In maintenance')],
  exiting: ['running', l10n.t('Leaving maintenance')],
  done: ['done', l10n.t('Done')],
  failed: ['failed', l10n.t('Failed')],
  stopped: ['skipped', l10n.t('Stopped')],
};

const phaseLook: Record<MaintenancePhase, [Status, string]> = {
  running: ['running', l10n.t('Running')],
  waiting: ['waiting', l10n.t('Waiting for you')],
  paused: ['paused', l10n.t('Paused: the next step waits')],
  ended: ['done', l10n.t('Done')],
  cancelled: ['cancelled', l10n.t('Cancelled: each host stays as it is')],
  failed: ['failed', l10n.t('Failed')],
};

function hostCard(ctx: FleetContext, view: MaintenanceView, h: MaintenanceHostView): TemplateResult {
  const [status, words] = stepLook[h.step];
  const list = (title: string, items: readonly string[]) =>
    items.length === 0 ? nothing : html`<p><strong>${title}</strong> ${formatList(items)}</p>`;
  return html`<div class=${`vm-card maintenance-host step-${h.step}`} data-host=${h.host} data-step=${h.step}>
    <div class="vm-line">
      <span class="vm-name">${icon('server', '')} ${h.host}</span>
      <span class="step-status">${statusIcon(status)} ${words}</span>
      ${view.waitingFor === h.host
        ? button(l10n.t('Host Is Back'), { icon: 'check', id: 'maintenance-back' }, () =>
            ctx.post({ type: 'maintenanceHostIsBack', host: h.host }),
          )
        : nothing}
      ${view.kind === 'enter' && h.step === 'done' && view.phase === 'ended'
        ? button(l10n.t('Exit Maintenance'), { icon: 'debug-step-back', secondary: true, id: 'maintenance-exit' }, () =>
            ctx.post({ type: 'maintenanceExit', host: h.host }),
          )
        : nothing}
    </div>
    ${h.detail ? html`<p class="step-detail">${h.detail}</p>` : nothing} ${list(l10n.t('Moved off:'), h.moved)}
    ${list(l10n.t('Back:'), h.returned)}
    ${h.notMoved.length > 0
      ? html`<ul class="bad">
          ${h.notMoved.map((n) => html`<li><strong>${n.vmName}</strong>${`: ${n.why}`}</li>`)}
        </ul>`
      : nothing}
    ${keyedList(
      'moved-away',
      h.movedAway,
      (m) => m.vmId,
      (m) =>
        html`<li data-vm=${m.vmName}>
          ${l10n.t('{0} was moved to {1}, and by hand to {2} since: it stays there unless you say so.', m.vmName, m.movedTo, m.now)}
          ${m.returning
            ? html`<span class="hint">${l10n.t('Going back.')}</span>`
            : button(l10n.t('Return Anyway'), { icon: 'debug-step-back', secondary: true }, () =>
                ctx.post({ type: 'maintenanceReturnAnyway', vmId: m.vmId }),
              )}
        </li>`,
    )}
  </div>`;
}

export function maintenanceSection(ctx: FleetContext, view: MaintenanceView): TemplateResult {
  const [status, words] = phaseLook[view.phase];
  const live = view.phase === 'running' || view.phase === 'waiting' || view.phase === 'paused';
  return html`<section class="job maintenance" data-job="maintenance">
    <div class="section-head">
      <h2>${icon('tools')} ${view.kind === 'rolling' ? l10n.t('Maintain hosts one by one') : l10n.t('Maintenance')}</h2>
      <span class=${`summary phase-${view.phase}`} id="maintenance-phase">${statusIcon(status)} ${words}</span>
      ${toolbar(
        view.kind === 'rolling' && (view.phase === 'running' || view.phase === 'waiting')
          ? button(l10n.t('Pause'), { icon: 'debug-pause', secondary: true, id: 'maintenance-pause' }, () =>
              ctx.post({ type: 'maintenancePause' }),
            )
          : nothing,
        view.phase === 'paused'
          ? button(l10n.t('Resume'), { icon: 'debug-continue', id: 'maintenance-resume' }, () => ctx.post({ type: 'maintenanceResume' }))
          : nothing,
        live
          ? button(
              l10n.t('Cancel'),
              {
                icon: 'debug-stop',
                secondary: true,
                id: 'maintenance-cancel',
                title: l10n.t('Stops the run; each host stays in or out of maintenance as it is now (Exit Maintenance later)'),
              },
              () => ctx.post({ type: 'maintenanceCancel' }),
            )
          : nothing,
      )}
    </div>
    ${view.waitingFor
      ? callout(
          'info',
          html`<p id="maintenance-waiting">
            ${l10n.t('Waiting for {0}: patch and restart it, then press Host Is Back.', view.waitingFor)}
          </p>`,
        )
      : nothing}
    ${view.error ? callout('error', html`<p>${view.error}</p>`) : nothing}
    ${repeat(
      view.hosts,
      (h) => h.host,
      (h) => hostCard(ctx, view, h),
    )}
  </section>`;
}

/** What the run says now, by subject, for the live region. */
export function maintenanceSpoken(view: MaintenanceView, lines: Map<string, string>): void {
  lines.set('maintenance:phase', phaseLook[view.phase][1]);
  for (const h of view.hosts) lines.set(`maintenance:${h.host}`, `${h.host}: ${stepLook[h.step][1]}. ${h.detail}`);
  if (view.error) lines.set('maintenance:error', view.error);
}
