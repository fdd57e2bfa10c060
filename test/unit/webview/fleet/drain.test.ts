// Drain Host's template, rendered from protocol messages into a DOM: each VM's destination and ratings
// while planned, the VMs that cannot move, then the queue with its progress.
import { container, event, memoryStore, usePage } from '../page';
import * as assert from 'node:assert/strict';
import { render } from 'lit-html';
import type { FleetPanelState, FromFleetWebview } from '../../../../src/panel/fleetProtocol';
import { fleetPage, spoken } from '../../../../webview/fleet/page';
import { UiState } from '../../../../webview/ui';
import { drainState } from '../fixtures';
import '../loaded';

describe('Drain Host template (webview/fleet/drain)', () => {
  usePage();
  let app: HTMLElement;
  let posted: FromFleetWebview[];
  let ui: UiState;
  const show = (s: FleetPanelState) => render(fleetPage({ post: (m) => posted.push(m), ui }, s), app);
  const drain = drainState.drain!;

  beforeEach(() => {
    app = container();
    posted = [];
    ui = new UiState(memoryStore());
  });

  it('shows each VM with its destination to choose among the hosts ready, and sends a choice', () => {
    show(drainState);
    const card = app.querySelector('.placements .vm-card[data-vm="web01"]')!;
    const select = card.querySelector<HTMLElement & { value: string }>('vscode-single-select')!;
    assert.equal(select.getAttribute('label'), 'Destination of web01');
    assert.deepEqual(
      [...select.querySelectorAll('vscode-option')].map((o) => [o.getAttribute('value'), o.hasAttribute('selected')]),
      [
        ['HV02', true],
        ['HV03', false],
      ],
    );
    select.value = 'HV03';
    select.dispatchEvent(event('change'));
    assert.deepEqual(posted, [{ type: 'drainOverride', vmId: 'vm-web01', host: 'HV03' }]);
    assert.equal(app.querySelector('#drain-start')?.textContent?.trim(), 'Start 1 Move');
    assert.equal(app.querySelector('#drain-phase')?.textContent?.trim(), 'Ready to start');
  });

  it('lists the VMs that cannot move, with why, and keeps their ratings open across renders', () => {
    show(drainState);
    const unmovable = app.querySelector('.vm-card.unmovable[data-vm="sql01"]')!;
    assert.equal(unmovable.querySelector('.why')?.textContent, 'No host has its switch.');
    assert.equal(unmovable.querySelector('.visually-hidden')?.textContent, ' cannot move');
    const ratings = unmovable.querySelector<HTMLDetailsElement>('details')!;
    ratings.open = true;
    ratings.dispatchEvent(event('toggle'));
    show({ ...drainState, drain: { ...drain, notice: 'HV03 cannot take web01.' } });
    assert.ok(app.querySelector<HTMLDetailsElement>('.vm-card.unmovable details')!.open);
    assert.match(app.querySelector('.callout.warning')!.textContent, /HV03 cannot take web01/);
  });

  it('shows the queue while it runs: each move with its state and progress, and Pause and Cancel', () => {
    const running: FleetPanelState = {
      ...drainState,
      drain: {
        ...drain,
        phase: 'running',
        rows: [
          {
            vmId: 'vm-web01',
            vmName: 'web01',
            source: 'HV01',
            destination: 'HV02',
            state: 'moving',
            percent: 37,
            bytes: '15 GB of 40 GB',
            detail: '0:30 left',
          },
          {
            vmId: 'vm-app01',
            vmName: 'app01',
            source: 'HV01',
            destination: 'HV03',
            state: 'queued',
            percent: 0,
            bytes: '',
            detail: 'waits for a slot',
          },
        ],
      },
    };
    show(running);
    const rows = [...app.querySelectorAll<HTMLElement>('table.queue tbody tr')];
    assert.deepEqual(
      rows.map((r) => [r.dataset.vm, r.dataset.state]),
      [
        ['web01', 'moving'],
        ['app01', 'queued'],
      ],
    );
    assert.equal(rows[0].querySelector('vscode-progress-bar')?.getAttribute('aria-label'), 'web01 37 %');
    assert.equal(rows[1].querySelector('vscode-progress-bar'), null);
    assert.ok(app.querySelector('#drain-pause') && app.querySelector('#drain-cancel'));
    assert.equal(app.querySelector('#drain-start'), null);
    assert.equal(spoken(running).get('drain:vm-web01'), 'web01: Moving, 30 %');
  });

  it('says which VMs moved once the drain ended, as a sentence', () => {
    show({
      ...drainState,
      drain: {
        ...drain,
        phase: 'ended',
        summary: { text: 'Drain of HV01: 3 moved.', moved: ['web01 → HV02', 'sql01 → HV02', 'app01 → HV03'], failed: [], notMoved: [] },
      },
    });
    const said = [...app.querySelectorAll('.callout p')].map((p) => p.textContent?.trim());
    assert.ok(said.includes('Moved: web01 → HV02, sql01 → HV02 and app01 → HV03'), said.join(' | '));
  });
});
