// What the fleet panel's views (configure, drain, ha) share: how they ask the extension, the webview's own
// state, and the small parts they all draw with.
import { html, type TemplateResult } from 'lit-html';
import type { DrainView, FromFleetWebview, HaView } from '../../src/panel/fleetProtocol';
import { disclosure, icon, type PageContext, type Status } from '../ui';

/** What the fleet panel's views need besides the state: how to ask the extension, and the webview's own state. */
export type FleetContext = PageContext<FromFleetWebview>;

export function toolbar(...children: unknown[]): TemplateResult {
  return html`<div class="toolbar">${children}</div>`;
}

const calloutLook = { info: 'info', warning: 'warning', error: 'error', success: 'pass-filled' } as const;

export function callout(kind: keyof typeof calloutLook, ...children: unknown[]): TemplateResult {
  return html`<div class=${`callout ${kind}`}>
    ${icon(calloutLook[kind])}
    <div class="callout-body">${children}</div>
  </div>`;
}

/** A disclosure that stays open across renders and reloads. */
export function collapsible(ctx: FleetContext, id: string, heading: string, content: unknown): TemplateResult {
  return disclosure(ctx.ui, id, heading, 'fold', content);
}

export function scriptBlock(script: string): TemplateResult {
  return html`<pre class="script"><code>${script}</code></pre>`;
}

/** A progress bar with its words beside it. */
export function progress(value: number, max: number, label: string, words?: string): TemplateResult {
  const bar = html`<vscode-progress-bar value=${String(value)} max=${String(max)} aria-label=${label}></vscode-progress-bar>`;
  return words === undefined ? bar : html`<div class="bar">${bar}<span class="percent">${words}</span></div>`;
}

/** The state each phase of a drain or the HA workflow is drawn as (its icon beside its words). */
export const phaseStatus: Record<DrainView['phase'] | HaView['phase'], Status> = {
  planning: 'busy',
  preparing: 'busy',
  planned: 'next',
  ready: 'next',
  running: 'running',
  paused: 'paused',
  cancelling: 'stopping',
  ended: 'done',
  succeeded: 'done',
  failed: 'failed',
  unavailable: 'failed',
  cancelled: 'cancelled',
};
