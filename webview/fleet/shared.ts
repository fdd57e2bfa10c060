// What the fleet panel's views (configure, drain, ha) share: how they ask the extension, the webview's own
// state, and the small parts they all draw with.
import { html, type TemplateResult } from 'lit-html';
import type { DrainView, FromFleetWebview, HaView } from '../../src/panel/fleetProtocol';
import { disclosure, icon, type PageContext } from '../ui';

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

/** Each phase of a drain or the HA workflow has its icon beside its words; the colour goes on the icon only. */
export const phaseLook: Record<DrainView['phase'] | HaView['phase'], [string, string]> = {
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
