// The fleet panel's front end (Configure Live Migration, Drain / Migrate, the HA workflow): renders each
// state the extension pushes (webview/fleet/page.ts) with lit-html, and tells a screen reader what changed.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode/codicons/dist/codicon.css';
import './fleet.css';
import './common.css';
import { render } from 'lit-html';
import type { FleetPanelState, FromFleetWebview, ToFleetWebview } from '../src/panel/fleetProtocol';
import { fleetPage, spoken } from './fleet/page';
import type { FleetContext } from './fleet/shared';
import { announce, UiState, type StateStore } from './ui';

declare function acquireVsCodeApi(): StateStore & { postMessage(message: FromFleetWebview): void };
const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;

let shown: FleetPanelState | undefined;
const ctx: FleetContext = {
  post: (message) => vscode.postMessage(message),
  ui: new UiState(vscode, () => shown && show(shown)),
};

function show(state: FleetPanelState): void {
  shown = state;
  document.title = state.title;
  render(fleetPage(ctx, state), app);
  announce(spoken(state));
}

window.addEventListener('message', (event: MessageEvent<ToFleetWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'state':
      show(message.state);
      break;
    default: {
      const never: never = message.type;
      console.warn('unknown message', never);
    }
  }
});

vscode.postMessage({ type: 'ready' });
