// The fleet panel's front end (Configure Live Migration, Drain / Migrate, the HA workflow): renders each
// state the extension pushes (webview/fleet/page.ts) with lit-html, and tells a screen reader what changed.
import { runPage } from './host';
import './fleet.css';
import './common.css';
import type { FleetPanelState, FromFleetWebview } from '../src/panel/fleetProtocol';
import { fleetPage, spoken } from './fleet/page';
import { announce } from './ui';

runPage<FromFleetWebview, FleetPanelState>(fleetPage, (state) => announce(spoken(state)));
