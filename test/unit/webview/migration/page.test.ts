// The migration panel's templates, rendered from protocol messages into a DOM: what the admin and a screen
// reader find (rows, buttons, names, states), what the buttons ask, and what survives a re-render.
import { container, event, memoryStore, usePage } from '../page';
import * as assert from 'node:assert/strict';
import { render } from 'lit-html';
import type { FromWebview, MigrationSection, MoveView, PanelState } from '../../../../src/panel/protocol';
import { migrationMessage as message, sql01 } from '../fixtures';
import { migrationPage, spoken } from '../../../../webview/migration/page';
import { UiState } from '../../../../webview/ui';
import '../loaded';

/** sql01's move to HV02 at 42 %. */
const sql01Moving: MoveView = {
  id: 'move-1',
  vmId: 'vm-sql01',
  vmName: 'sql01',
  source: 'HV01',
  destination: 'HV02',
  phase: 'moving',
  running: true,
  percent: 42,
  bytes: '50 GB of 120 GB',
  throughput: '1.2 GB/s',
  elapsed: '0:40',
  eta: '0:58',
  startedAt: '2026-12-05T12:01:00Z',
};

describe('Migration panel templates (webview/migration)', () => {
  usePage();
  let app: HTMLElement;
  let posted: FromWebview[];
  const show = (state: PanelState, ui: UiState) => render(migrationPage({ post: (m) => posted.push(m), ui }, state), app);

  beforeEach(() => {
    app = container();
    posted = [];
  });

  it('lists each destination as a row, with a Check button named for its VM and host where it is not chosen', () => {
    show(message.state, new UiState(memoryStore()));
    const rows = [...app.querySelectorAll<HTMLElement>('section.vm-section[data-vm="sql01"] table.destinations tbody tr')];
    assert.deepEqual(
      rows.map((r) => r.dataset.host),
      ['HV01', 'HV02', 'HV03'],
    );
    assert.match(rows[0].querySelector('td.action')!.textContent, /source/);
    assert.equal(rows[1].className, 'chosen-row');
    const check = rows[2].querySelector('vscode-button')!;
    assert.equal(check.getAttribute('aria-label'), 'Check the move of sql01 to HV03');
    assert.equal(rows[2].querySelector('.visually-hidden')?.textContent, ' (not reachable)', 'an unreachable host says so in words');
    (check as HTMLElement).click();
    assert.deepEqual(posted, [{ type: 'choose', vmId: 'vm-sql01', host: 'HV03' }]);
  });

  it('shows a host in maintenance with why, and offers no Check for it', () => {
    const inMaintenance = {
      ...sql01,
      destinations: [
        ...sql01.destinations.slice(0, 2),
        { host: 'HV03', readiness: 'maintenance' as const, summary: 'in maintenance since 2026-12-05 15:00 UTC, by admin' },
      ],
    };
    show({ ...message.state, sections: [inMaintenance] }, new UiState(memoryStore()));
    const row = app.querySelector<HTMLElement>('section.vm-section[data-vm="sql01"] table.destinations tbody tr[data-host="HV03"]')!;
    assert.match(row.querySelector('td.readiness')!.textContent, /in maintenance since 2026-12-05 15:00 UTC, by admin/);
    assert.match(row.querySelector('td.action')!.textContent, /not available/);
    assert.equal(row.querySelector('vscode-button'), null, 'no Check button');
    assert.ok(row.querySelector('.codicon-tools'), 'its own icon, beside the words');
  });

  it('shows the checklist by area, the blocker with its fix, and Migrate held back with its reason', () => {
    show(message.state, new UiState(memoryStore()));
    const checklist = app.querySelector('.checklist[data-destination="HV02"]')!;
    assert.match(checklist.querySelector('h3')!.textContent, /Checks: HV01 → HV02/);
    assert.match(checklist.querySelector('.summary.blocker')!.textContent, /1 blocker/);
    const blocker = checklist.querySelector('[data-area="network"] .finding[data-severity="blocker"]')!;
    assert.equal(blocker.querySelector('.fix[data-fix="map-switch"] vscode-single-select')?.getAttribute('label'), 'Switch on HV02');
    assert.ok(
      checklist.querySelector('[data-area="processor"].compact .finding[data-severity="passed"]'),
      'an area without findings in one line',
    );
    const migrate = app.querySelector('vscode-button[id="migrate-vm-sql01"]')!;
    assert.equal(migrate.getAttribute('disabled'), '');
    assert.equal(app.querySelector('.actions .reason')?.textContent, '1 blocker: fix it first');
    (migrate as HTMLElement).click();
    assert.deepEqual(posted, [], 'a disabled button asks nothing');
  });

  it("sends a fix's picked choice, and keeps the pick in the webview's saved state", () => {
    const store = memoryStore();
    show(message.state, new UiState(store));
    const select = app.querySelector<HTMLElement & { value: string }>('.fix[data-fix="map-switch"] vscode-single-select')!;
    select.value = 'LAN2';
    select.dispatchEvent(event('change'));
    app.querySelector<HTMLElement>('.fix[data-fix="map-switch"] .fix-controls vscode-button')!.click();
    assert.deepEqual(posted, [
      { type: 'applyFix', vmId: 'vm-sql01', findingId: 'switch-missing:Storage', fixId: 'map-switch', choices: { switch: 'LAN2' } },
    ]);
    // The webview comes back (hidden and shown, or reloaded): the pick is read from its saved state.
    app = container();
    show(message.state, new UiState(store));
    const options = [...app.querySelectorAll('.fix[data-fix="map-switch"] vscode-option')];
    assert.deepEqual(
      options.map((o) => o.hasAttribute('selected')),
      [false, true],
    );
  });

  it('keeps an opened disclosure open through new states and in the saved state', () => {
    const store = memoryStore();
    const ui = new UiState(store);
    show(message.state, ui);
    const evidence = app.querySelector<HTMLDetailsElement>('[data-area="network"] details.evidence')!;
    assert.equal(evidence.querySelector('summary')?.textContent, 'Evidence (1)');
    evidence.open = true;
    evidence.dispatchEvent(event('toggle'));
    show({ ...message.state, migrating: ['web01'] }, ui);
    assert.equal(app.querySelector('[data-area="network"] details.evidence'), evidence, 'the same element, so the focus stays on it');
    assert.ok(evidence.open);
    app = container();
    show(message.state, new UiState(store));
    assert.ok(app.querySelector<HTMLDetailsElement>('[data-area="network"] details.evidence')!.open, 'open again after a reload');
  });

  it('names the VMs migrating now as a sentence', () => {
    show({ ...message.state, migrating: ['web01', 'sql01', 'app01'] }, new UiState(memoryStore()));
    assert.equal(app.querySelector('p.moving')?.textContent?.trim(), 'Migrating now: web01, sql01 and app01');
  });

  it('keeps its elements when a move starts above them, so the focus is not lost', () => {
    const ui = new UiState(memoryStore());
    show(message.state, ui);
    const check = app.querySelector('tr[data-host="HV03"] vscode-button');
    const moving: MigrationSection = { ...sql01, move: sql01Moving };
    show({ ...message.state, sections: [moving] }, ui);
    assert.equal(app.querySelector('tr[data-host="HV03"] vscode-button'), check);
    assert.equal(check?.getAttribute('disabled'), '', 'and it waits while the VM moves');
    assert.equal(app.querySelector('.move.running .percent')?.textContent, '42 %');
    assert.equal(app.querySelector('.move.running vscode-progress-bar')?.getAttribute('aria-label'), 'sql01 42 %');
    assert.equal(app.querySelector('vscode-button[id^="migrate-"]'), null, 'no Migrate while it moves');
  });

  it("shows a finished move's chart under its result, and no chart for samples that are not sound", () => {
    const samples = [
      { atMs: 0, percent: 0, throughput: 0 },
      { atMs: 15_000, percent: 40, throughput: 1024 ** 3 },
    ];
    const failed: MigrationSection = {
      ...sql01,
      move: {
        ...sql01Moving,
        phase: 'failed',
        running: false,
        percent: 40,
        outcome: { phase: 'failed', headline: 'The move of sql01 to HV02 failed at 40 %.', duration: '0:15', moved: '48 GB' },
        samples,
      },
    };
    show({ ...message.state, sections: [failed] }, new UiState(memoryStore()));
    const chart = app.querySelector('.move.outcome.failed .move-chart svg[role="img"]');
    assert.equal(chart?.getAttribute('aria-label'), 'sql01: HV01 → HV02: Over 15 s: average 1 GB/s, peak 1 GB/s; failed at 40 %.');
    assert.ok(chart?.querySelector('line.chart-end.failed'), 'marked where it failed');

    show({ ...message.state, sections: [{ ...sql01, move: { ...sql01Moving, samples } }] }, new UiState(memoryStore()));
    assert.ok(app.querySelector('.move.running .move-chart svg[role="img"]'), 'while it runs, from two samples on');
    assert.equal(app.querySelectorAll('.move.running .percent').length, 1, "the chart's parts do not take the card's class names");

    show(
      { ...message.state, sections: [{ ...failed, move: { ...failed.move!, samples: [samples[1], samples[0]] } }] },
      new UiState(memoryStore()),
    );
    assert.equal(app.querySelector('.move-chart'), null);
  });

  it('says the check and each move in words for the live region', () => {
    assert.deepEqual([...spoken(message.state)], [['check:vm-sql01', 'sql01: checks of the move from HV01 to HV02: 1 blocker']]);
  });

  it('shows the migrations list, empty, when asked for the moves', () => {
    show({ ...message.state, intent: 'moves' }, new UiState(memoryStore()));
    assert.equal(app.querySelector('section.vm-section'), null);
    assert.equal(app.querySelector('section.moves h2')?.textContent, 'Migrations');
    assert.equal(app.querySelector('section.moves .hint')?.textContent, 'No migration has run in this window yet.');
  });
});
