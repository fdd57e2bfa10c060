// Configure Live Migration's template, rendered from a protocol message into a DOM: the matrix as an ARIA
// grid a keyboard moves through, the selected pair's detail, the hosts and the plan.
import { container, memoryStore, page, press, usePage } from '../page';
import * as assert from 'node:assert/strict';
import { render } from 'lit-html';
import type { FleetPanelState, FromFleetWebview } from '../../../../src/panel/fleetProtocol';
import { fleetPage, spoken } from '../../../../webview/fleet/page';
import { UiState } from '../../../../webview/ui';
import { configureMessage } from '../fixtures';
import '../loaded';

describe('Configure Live Migration template (webview/fleet/configure)', () => {
  usePage();
  let app: HTMLElement;
  let posted: FromFleetWebview[];
  let ui: UiState;
  let store: ReturnType<typeof memoryStore>;
  const state = configureMessage.state;
  const show = (s: FleetPanelState = state) => render(fleetPage({ post: (m) => posted.push(m), ui }, s), app);
  const cell = (pair: string) => app.querySelector<HTMLElement>(`td[data-pair="${pair}"]`)!;

  beforeEach(() => {
    app = container();
    posted = [];
    store = memoryStore();
    ui = new UiState(store, () => show());
  });

  it('draws the matrix as a grid whose cells name their pair and state, one of them in the tab order', () => {
    show();
    const grid = app.querySelector('table.matrix')!;
    assert.equal(grid.getAttribute('role'), 'grid');
    assert.equal(grid.querySelectorAll('[role="gridcell"]').length, 9, 'every pair, the same host included');
    assert.deepEqual(
      [...grid.querySelectorAll('[role="gridcell"][tabindex="0"]')].map((td) => td.getAttribute('data-pair')),
      ['HV01>HV02'],
    );
    assert.equal(cell('HV01>HV02').getAttribute('aria-label'), 'HV01 to HV02: not ready: live migration off');
    assert.equal(cell('HV01>HV02').dataset.status, 'missing');
    assert.equal(cell('HV01>HV03').getAttribute('aria-label'), 'HV01 to HV03: not known: not read');
    assert.equal(cell('HV02>HV02').getAttribute('aria-label'), 'HV02: the same host');
    assert.equal(cell('HV02>HV03').getAttribute('aria-label'), 'HV02 to HV03: not read');
    assert.equal(app.querySelector('#pairs-ready')?.textContent?.trim(), '0 of 6 pairs ready');
  });

  it('moves through the cells with the arrow keys and opens a pair with Enter, the focus staying on its cell', () => {
    show();
    cell('HV01>HV02').focus();
    press('ArrowRight');
    assert.equal(page.activeElement, cell('HV01>HV03'));
    press('ArrowDown');
    press('Home');
    assert.equal(page.activeElement, cell('HV02>HV01'));
    const focused = page.activeElement;
    press('Enter');
    assert.equal(app.querySelector('.pair-detail h4')?.textContent, 'HV02 → HV01: not ready');
    assert.match(app.querySelector('.pair-detail')!.textContent, /HV02 may not delegate to HV01/);
    assert.equal(page.activeElement, focused, 'the same cell: the render kept it');
    assert.equal(cell('HV02>HV01').getAttribute('aria-selected'), 'true');
    assert.deepEqual(
      [...app.querySelectorAll('[role="gridcell"][tabindex="0"]')].map((td) => td.getAttribute('data-pair')),
      ['HV02>HV01'],
    );
    // Reopened (the webview reloaded), the panel shows the same pair.
    app = container();
    ui = new UiState(store, () => show());
    show();
    assert.equal(app.querySelector('.pair-detail h4')?.textContent, 'HV02 → HV01: not ready');
  });

  it('lists the hosts as read, the one not read in words', () => {
    show();
    const rows = [...app.querySelectorAll<HTMLElement>('table.hosts tbody tr')];
    assert.deepEqual(
      rows.map((r) => r.dataset.host),
      ['HV01', 'HV02', 'HV03'],
    );
    assert.match(rows[1].textContent, /Needs a change:\s*disabled/);
    assert.equal(rows[2].querySelector('td.bad')?.textContent, 'Not read: WinRM: access denied');
  });

  it('shows the plan of changes, each with its PowerShell, and asks before it applies', () => {
    show();
    const changes = [...app.querySelectorAll<HTMLElement>('ol.changes > li.change')];
    assert.deepEqual(
      changes.map((c) => c.dataset.change),
      ['enable:HV02', 'delegate:HV02'],
    );
    assert.ok(changes[1].classList.contains('ad'));
    assert.equal(changes[1].querySelector('.ad-badge')?.textContent, 'Active Directory');
    assert.equal(changes[0].querySelector('details.fold summary')?.textContent, 'PowerShell');
    assert.match(app.querySelector('.callout.warning')!.textContent, /Not planned \(a host could not be read\): HV01 → HV03/);
    app.querySelector<HTMLElement>('#configure-apply')!.click();
    assert.deepEqual(posted, [{ type: 'configureApply' }]);
  });

  it('names the pairs not planned and the hosts that need new Kerberos tickets as a sentence', () => {
    show({
      ...state,
      configure: { ...state.configure!, unplanned: ['HV01 → HV03', 'HV02 → HV03'], refreshHosts: ['HV01', 'HV02', 'HV03'] },
    });
    const said = app.querySelector('.callout.warning')!.textContent?.replace(/\s+/g, ' ');
    assert.match(said ?? '', /Not planned \(a host could not be read\): HV01 → HV03 and HV02 → HV03/);
    assert.match(app.textContent?.replace(/\s+/g, ' ') ?? '', /each changed host \(HV01, HV02 and HV03\) has a new Kerberos ticket/);
  });

  it('holds its buttons while it reads, and says what it reads', () => {
    show({ ...state, configure: { ...state.configure!, busy: 'Reading 3 hosts…' } });
    assert.equal(app.querySelector('#configure-apply')?.getAttribute('disabled'), '');
    assert.equal(app.querySelector('#configure-read')?.getAttribute('disabled'), '');
    assert.match(app.querySelector('p.busy')!.textContent, /Reading 3 hosts…/);
    assert.deepEqual(
      spoken({ ...state, configure: { ...state.configure!, busy: 'Reading 3 hosts…' } }).get('configure:busy'),
      'Reading 3 hosts…',
    );
    assert.equal(spoken(state).get('configure:pairs'), 'Live migration: 0 of 6 pairs ready');
  });
});
