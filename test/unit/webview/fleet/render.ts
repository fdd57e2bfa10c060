// A fleet panel state rendered into a fresh container, with what its views post recorded.
import { render } from 'lit-html';
import type { FleetPanelState, FromFleetWebview } from '../../../../src/panel/fleetProtocol';
import { fleetPage } from '../../../../webview/fleet/page';
import { UiState } from '../../../../webview/ui';
import { container, memoryStore } from '../page';

export function renderFleet(state: FleetPanelState): { app: HTMLElement; posted: FromFleetWebview[] } {
  const app = container();
  const posted: FromFleetWebview[] = [];
  render(fleetPage({ post: (m) => posted.push(m), ui: new UiState(memoryStore()) }, state), app);
  return { app, posted };
}
