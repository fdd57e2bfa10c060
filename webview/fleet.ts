// The fleet panel's front end (Configure Live Migration, Drain / Migrate, the HA workflow): renders each
// state the extension pushes (webview/fleet/page.ts) with lit-html, and tells a screen reader what changed.
import { onState, webviewApi } from './host';
import './fleet.css';
import './common.css';
import { render } from 'lit-html';
import type { FleetPanelState, FromFleetWebview, ToFleetWebview } from '../src/panel/fleetProtocol';
import { fleetPage, spoken } from './fleet/page';
import type { FleetContext } from './fleet/shared';
import { announce, UiState } from './ui';

const vscode = webviewApi<FromFleetWebview>();
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

onState<ToFleetWebview['state']>(show);

vscode.postMessage({ type: 'ready' });
