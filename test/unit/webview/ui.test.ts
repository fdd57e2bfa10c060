// The state vocabulary of webview/ui.ts: a state is drawn with the same icon and colour in every panel (a move that
// succeeded in the history, a host whose step is done in a maintenance window), whatever each view calls it.
import { usePage, container, memoryStore } from './page';
import * as assert from 'node:assert/strict';
import { render } from 'lit-html';
import type { FleetPanelState } from '../../../src/panel/fleetProtocol';
import type { HistoryPanelState } from '../../../src/panel/historyProtocol';
import { historyPage } from '../../../webview/history/page';
import { UiState } from '../../../webview/ui';
import './loaded';
import { renderFleet } from './fleet/render';

const history: HistoryPanelState = {
  title: 'Migration History',
  loading: false,
  rows: (['succeeded', 'failed', 'cancelled'] as const).map((outcome) => ({
    id: outcome,
    kind: 'Move',
    started: '2026-12-05 10:00:00',
    ended: '2026-12-05 10:01:40',
    vm: 'web01',
    source: 'HV01',
    destination: 'HV02',
    bytes: '16 GB',
    duration: '1 min 40 s',
    throughput: '1 GB/s',
    outcome,
    outcomeLabel: outcome,
    message: '',
    ranBy: 'alice',
  })),
};

const fleet: FleetPanelState = {
  title: 'Maintenance: HV01, HV02',
  lab: true,
  active: 'maintenance',
  configure: null,
  drain: null,
  ha: null,
  maintenance: {
    kind: 'rolling',
    phase: 'waiting',
    waitingFor: 'HV02',
    hosts: [
      { host: 'HV01', step: 'done', detail: '', moved: [], returned: [], notMoved: [], movedAway: [] },
      { host: 'HV02', step: 'waiting', detail: '', moved: [], returned: [], notMoved: [], movedAway: [] },
      { host: 'HV03', step: 'stopped', detail: '', moved: [], returned: [], notMoved: [], movedAway: [] },
    ],
  },
};

/** The classes of the first icon in `scope`'s `selector`. */
function iconOf(scope: ParentNode, selector: string): string {
  const found = scope.querySelector(`${selector} .codicon`);
  assert.ok(found, `an icon in ${selector}`);
  return found.className;
}

describe('State icons (webview/ui statusIcon)', () => {
  usePage();

  it('draws a state alike in every panel: done, failed and cancelled in the history as a maintenance host has them', () => {
    const historyApp = container();
    render(historyPage({ post: () => undefined, ui: new UiState(memoryStore()) }, history), historyApp);
    const { app } = renderFleet(fleet);

    const succeeded = iconOf(historyApp, 'td.outcome.succeeded');
    assert.equal(succeeded, 'codicon codicon-pass-filled ok');
    assert.equal(iconOf(app, '[data-host="HV01"] .step-status'), succeeded);
    assert.equal(iconOf(historyApp, 'td.outcome.failed'), 'codicon codicon-error bad');
    assert.equal(iconOf(historyApp, 'td.outcome.cancelled'), 'codicon codicon-circle-slash warn');
    assert.equal(iconOf(app, '[data-host="HV03"] .step-status'), 'codicon codicon-circle-slash hint', 'stopped is not cancelled');
  });

  it('colours a waiting host and a waiting window the same', () => {
    const { app } = renderFleet(fleet);
    const host = iconOf(app, '[data-host="HV02"] .step-status');
    assert.equal(host, 'codicon codicon-watch warn');
    assert.equal(iconOf(app, '#maintenance-phase'), host);
  });
});
