// The fleet panel's page as a template of its state: the header with the jobs, and the active job's view
// (webview/fleet/configure.ts, drain.ts, ha.ts); and what the page says to a screen reader.
import { html, type TemplateResult } from 'lit-html';
import type { FleetJob, FleetPanelState } from '../../src/panel/fleetProtocol';
import * as l10n from '../l10n';
import { button, icon, nothing } from '../ui';
import { configureSection, configureSpoken } from './configure';
import { drainSection, drainSpoken } from './drain';
import { haSection, haSpoken } from './ha';
import { maintenanceSection, maintenanceSpoken } from './maintenance';
import type { FleetContext } from './shared';

const jobTitles: Record<FleetJob, string> = {
  configure: l10n.t('Configure Live Migration'),
  drain: l10n.t('Drain / Migrate'),
  ha: l10n.t('HA Workflow'),
  maintenance: l10n.t('Maintenance'),
};
const jobIcons: Record<FleetJob, string> = {
  configure: 'settings-gear',
  drain: 'arrow-swap',
  ha: 'server-environment',
  maintenance: 'tools',
};

function header(ctx: FleetContext, state: FleetPanelState): TemplateResult {
  const jobs = (['configure', 'drain', 'ha', 'maintenance'] as const).filter((job) => state[job] !== null);
  return html`<header>
    <h1>${state.title}</h1>
    <p class="hint">
      ${state.lab
        ? l10n.t('Connected to the built-in lab (simulated Hyper-V hosts, AD and cluster).')
        : l10n.t('Connected to your Hyper-V hosts.')}
    </p>
    <nav class="jobs" aria-label=${l10n.t('Fleet operations')}>
      ${jobs.map(
        (job) =>
          html`<button
            class=${`job-link${state.active === job ? ' active' : ''}`}
            data-job=${job}
            type="button"
            aria-current=${state.active === job ? 'page' : 'false'}
            @click=${() => ctx.post({ type: 'show', job })}
          >
            ${icon(jobIcons[job])} ${jobTitles[job]}
          </button>`,
      )}
      <span class="spacer"></span>
      ${button(l10n.t('Show Log'), { icon: 'output', secondary: true, id: 'show-log' }, () => ctx.post({ type: 'showLog' }))}
    </nav>
  </header>`;
}

function active(ctx: FleetContext, state: FleetPanelState): TemplateResult | typeof nothing {
  if (state.active === 'configure' && state.configure) return configureSection(ctx, state.configure);
  if (state.active === 'drain' && state.drain) return drainSection(ctx, state.drain);
  if (state.active === 'ha' && state.ha) return haSection(ctx, state.ha);
  if (state.active === 'maintenance' && state.maintenance) return maintenanceSection(ctx, state.maintenance);
  if (!state.active)
    return html`<p class="hint">${l10n.t('Run Configure Live Migration…, Drain Host… or Migrate… from the Hyper-V view.')}</p>`;
  return nothing;
}

/** The fleet panel's page for `state`. */
export function fleetPage(ctx: FleetContext, state: FleetPanelState): TemplateResult {
  return html`${header(ctx, state)} ${active(ctx, state)}`;
}

/** What the active job says now, by subject, for the live region. */
export function spoken(state: FleetPanelState): Map<string, string> {
  const lines = new Map<string, string>();
  if (state.active === 'configure' && state.configure) configureSpoken(state.configure, lines);
  if (state.active === 'drain' && state.drain) drainSpoken(state.drain, lines);
  if (state.active === 'ha' && state.ha) haSpoken(state.ha, lines);
  if (state.active === 'maintenance' && state.maintenance) maintenanceSpoken(state.maintenance, lines);
  return lines;
}
