// The migration history's template, rendered from a protocol state into a DOM: the rows newest first as the
// extension sent them, the filter by host or VM, and the exports of what the table shows.
import { container, event, memoryStore, usePage } from '../page';
import * as assert from 'node:assert/strict';
import { render } from 'lit-html';
import type { FromHistoryWebview, HistoryPanelState, HistoryRowView } from '../../../../src/panel/historyProtocol';
import { parseFromHistoryWebview } from '../../../../src/panel/historyProtocol';
import { historyPage } from '../../../../webview/history/page';
import { UiState } from '../../../../webview/ui';
import '../loaded';

const row = (id: string, vm: string, source: string, destination: string, more: Partial<HistoryRowView> = {}): HistoryRowView => ({
  id,
  kind: 'Move',
  started: '2026-12-05 10:00:00',
  ended: '2026-12-05 10:01:40',
  vm,
  source,
  destination,
  bytes: '100 GB',
  duration: '1 min 40 s',
  throughput: '1 GB/s',
  outcome: 'succeeded',
  outcomeLabel: 'Succeeded',
  message: `${vm} is running on ${destination}.`,
  ranBy: 'alice (as CONTOSO\\admin)',
  ...more,
});

const state: HistoryPanelState = {
  title: 'Migration History',
  loading: false,
  rows: [
    row('m3', 'sql01', 'HV02', 'HV03', { outcome: 'failed', outcomeLabel: 'Failed', bytes: '', throughput: '' }),
    row('d1', 'web01, web02', 'HV01', 'HV02, HV03', { kind: 'Drain' }),
    row('m1', 'web01', 'HV01', 'HV02'),
  ],
};

describe('Migration history template (webview/history/page)', () => {
  usePage();
  let app: HTMLElement;
  let posted: FromHistoryWebview[];
  let ui: UiState;
  const show = (s: HistoryPanelState = state) => render(historyPage({ post: (m) => posted.push(m), ui }, s), app);
  const shownIds = () => [...app.querySelectorAll('table.history tbody tr[data-id]')].map((tr) => tr.getAttribute('data-id'));
  const typeFilter = (text: string) => {
    const field = app.querySelector('#history-filter') as HTMLInputElement;
    field.value = text;
    field.dispatchEvent(event('input'));
  };

  beforeEach(() => {
    app = container();
    posted = [];
    ui = new UiState(memoryStore(), () => show());
  });

  it('lists every entry in the order sent (newest first) with its numbers, outcome and who ran it', () => {
    show();
    assert.deepEqual(shownIds(), ['m3', 'd1', 'm1']);
    const cells = [...app.querySelectorAll('tr[data-id="m1"] td')].map((td) => td.textContent?.replace(/\s+/g, ' ').trim());
    assert.deepEqual(cells, [
      '2026-12-05 10:01:40',
      'Move',
      'web01',
      'HV01 → HV02',
      '100 GB',
      '1 min 40 s',
      '1 GB/s',
      'Succeeded',
      'web01 is running on HV02.',
      'alice (as CONTOSO\\admin)',
    ]);
    assert.equal(app.querySelector('tr[data-id="m3"]')?.getAttribute('data-outcome'), 'failed');
    assert.equal(app.querySelector('#history-count')?.textContent?.trim(), '3 entries');
    show({ ...state, rows: state.rows.slice(0, 1) });
    assert.equal(app.querySelector('#history-count')?.textContent?.trim(), '1 entry');
  });

  it('keeps the rows whose VM or hosts contain what is typed, in any case, and the filter outlives a re-render', () => {
    show();
    typeFilter('hv03');
    assert.deepEqual(shownIds(), ['m3', 'd1'], 'a destination among several counts');
    typeFilter('WEB01');
    assert.deepEqual(shownIds(), ['d1', 'm1']);
    assert.equal(app.querySelector('#history-count')?.textContent?.trim(), '2 of 3 entries');
    show();
    assert.deepEqual(shownIds(), ['d1', 'm1']);
    typeFilter('nowhere');
    assert.deepEqual(shownIds(), []);
    assert.ok(app.querySelector('#export-csv')?.hasAttribute('disabled'), 'nothing to export');
  });

  it('exports what the table shows, as CSV or Markdown, and asks for a refresh', () => {
    show();
    typeFilter('sql');
    (app.querySelector('#export-csv') as HTMLElement).click();
    (app.querySelector('#export-markdown') as HTMLElement).click();
    typeFilter('');
    (app.querySelector('#export-csv') as HTMLElement).click();
    (app.querySelector('#refresh') as HTMLElement).click();
    assert.deepEqual(posted, [
      { type: 'export', format: 'csv', ids: ['m3'] },
      { type: 'export', format: 'markdown', ids: ['m3'] },
      { type: 'export', format: 'csv', ids: ['m3', 'd1', 'm1'] },
      { type: 'refresh' },
    ]);
    for (const message of posted) assert.deepEqual(parseFromHistoryWebview(message), message, 'the extension accepts what the page posts');
  });

  it("draws a move's throughput and percent over time in a disclosure under its row", () => {
    const samples = [
      { atMs: 0, percent: 0, throughput: 0 },
      { atMs: 5_000, percent: 50, throughput: 2 * 1024 ** 3 },
      { atMs: 10_000, percent: 100, throughput: 1024 ** 3 },
    ];
    show({ ...state, rows: [row('m1', 'web01', 'HV01', 'HV02', { samples }), row('m2', 'web02', 'HV01', 'HV02')] });
    assert.deepEqual(
      [...app.querySelectorAll('tr[data-chart]')].map((tr) => tr.getAttribute('data-chart')),
      ['m1'],
      'only a move with samples has a chart',
    );
    const chart = app.querySelector('tr[data-chart="m1"] details svg');
    assert.equal(chart?.getAttribute('role'), 'img');
    assert.match(chart?.getAttribute('aria-label') ?? '', /^web01: HV01 → HV02: .*100 % done\.$/);
    assert.equal(app.querySelector('tr[data-chart="m1"] details summary')?.textContent?.trim(), 'Throughput and progress');
  });

  it('says when nothing has been recorded yet, and shows why the history could not be read', () => {
    show({ ...state, rows: [] });
    assert.equal(app.querySelector('table.history'), null);
    assert.match(app.querySelector('#history-count')?.textContent ?? '', /Nothing has been recorded yet/);
    show({ ...state, rows: [], error: 'EACCES: permission denied' });
    assert.match(app.querySelector('[role="alert"]')?.textContent ?? '', /EACCES/);
  });

  it('the extension refuses exports it cannot trust', () => {
    assert.equal(parseFromHistoryWebview({ type: 'export', format: 'xlsx', ids: [] }), undefined);
    assert.equal(parseFromHistoryWebview({ type: 'export', format: 'csv', ids: ['../../etc/passwd'] }), undefined);
    assert.equal(parseFromHistoryWebview({ type: 'export', format: 'csv' }), undefined);
    assert.equal(parseFromHistoryWebview({ type: 'delete' }), undefined);
  });
});
