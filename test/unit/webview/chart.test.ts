// A move's chart (webview/chart.ts), rendered into a DOM: where its lines run, what its axes say, how it
// reads to a screen reader, and how it copes with no samples, one sample, thousands and a move that failed.
import { container, usePage } from './page';
import * as assert from 'node:assert/strict';
import { render } from 'lit-html';
import type { MoveSample } from '../../../src/panel/protocol';
import { MAX_POINTS, moveChart, type MoveChartOptions } from '../../../webview/chart';
import './loaded';

const MB = 1024 * 1024;

/** 0, 25 and 100 % at 0, 10 and 20 s, at 0, 1 and 2 MB/s. */
const twentySeconds: MoveSample[] = [
  { atMs: 0, percent: 0, throughput: 0 },
  { atMs: 10_000, percent: 25, throughput: MB },
  { atMs: 20_000, percent: 100, throughput: 2 * MB },
];

describe('Move chart (webview/chart)', () => {
  usePage();
  let app: HTMLElement;
  const show = (samples: readonly MoveSample[], options?: MoveChartOptions) => render(moveChart(samples, options), app);
  const texts = (anchor: string) =>
    [...app.querySelectorAll(`svg text[text-anchor="${anchor}"]:not(.chart-end-label)`)].map((t) => t.textContent?.trim());
  /** The points of a path's `d`, as [x, y] pairs. */
  const points = (selector: string) =>
    [...(app.querySelector(selector)?.getAttribute('d') ?? '').matchAll(/[ML](-?[\d.]+) (-?[\d.]+)/g)].map((m) => [
      Number(m[1]),
      Number(m[2]),
    ]);

  beforeEach(() => {
    app = container();
  });

  it('draws throughput on the left axis and percent on a 0–100 % right axis, over time from the left edge to the end', () => {
    show(twentySeconds);
    // The plot spans x 64..440 and y 130 (0) .. 10 (the axis top: 2 MB/s, 100 %).
    assert.deepEqual(points('path.chart-throughput'), [
      [64, 130],
      [252, 70],
      [440, 10],
    ]);
    assert.deepEqual(points('path.chart-percent'), [
      [64, 130],
      [252, 100],
      [440, 10],
    ]);
    assert.match(app.querySelector('path.chart-throughput-area')!.getAttribute('d')!, /^M64 130 L252 70 L440 10 L440 130 L64 130 Z$/);
  });

  it('labels the axes in the units admins read: B/s to GB/s, percent, seconds or minutes', () => {
    show(twentySeconds);
    assert.deepEqual(texts('end'), ['0 B/s', '512 KB/s', '1 MB/s', '1.5 MB/s', '2 MB/s']);
    assert.deepEqual(texts('start'), ['0 %', '25 %', '50 %', '75 %', '100 %']);
    assert.deepEqual(texts('middle'), ['0 s', '5 s', '10 s', '15 s', '20 s']);

    show([
      { atMs: 0, percent: 0, throughput: 0 },
      { atMs: 150_000, percent: 100, throughput: 3 * 1024 * MB },
    ]);
    assert.deepEqual(texts('middle'), ['0:00', '0:30', '1:00', '1:30', '2:00', '2:30']);
    assert.deepEqual(texts('end'), ['0 B/s', '1 GB/s', '2 GB/s', '3 GB/s', '4 GB/s']);

    show([
      { atMs: 0, percent: 0, throughput: 0 },
      { atMs: 9 * 60_000, percent: 100, throughput: MB },
    ]);
    assert.deepEqual(texts('middle'), ['0 min', '2 min', '4 min', '6 min', '8 min', '10 min']);
  });

  it('sums the move up for a screen reader: role img, a label and a title with its duration, average and peak', () => {
    show(twentySeconds, { subject: 'sql01: HV01 → HV02', ended: 'succeeded' });
    const chart = app.querySelector('svg')!;
    assert.equal(chart.getAttribute('role'), 'img');
    const label = 'sql01: HV01 → HV02: Over 20 s: average 1.5 MB/s, peak 2 MB/s; 100 % done.';
    assert.equal(chart.getAttribute('aria-label'), label);
    assert.equal(chart.querySelector('title')?.textContent, label);
    const rows = [...app.querySelectorAll('details.chart-data tbody tr')].map((r) => [...r.children].map((c) => c.textContent));
    assert.deepEqual(rows[1], ['0:10', '25 %', '1 MB/s'], 'the numbers, in a table');
    assert.equal(app.querySelector('svg line.chart-end'), null, 'a move that succeeded has no end mark');
  });

  it('says there is no chart without samples, and shows the one point a re-attached move has', () => {
    show([]);
    assert.equal(app.querySelector('svg'), null);
    assert.match(app.textContent, /no chart/);

    show([{ atMs: 42_000, percent: 60, throughput: 2 * MB }]);
    assert.deepEqual(
      [...app.querySelectorAll('svg circle')].map((c) => c.getAttribute('class')),
      ['chart-throughput', 'chart-percent'],
    );
    assert.equal(app.querySelector('svg circle.chart-percent')?.getAttribute('cy'), '58');
    assert.match(app.querySelector('svg')!.getAttribute('aria-label')!, /^Over 42 s: average 2 MB\/s, peak 2 MB\/s; 60 % done\.$/);
  });

  it('thins thousands of samples to at most 200 points, keeping the first, the last and the peak', () => {
    const many = Array.from({ length: 5000 }, (_, i) => ({ atMs: i * 100, percent: i / 50, throughput: i === 1234 ? 90 * MB : MB }));
    show(many);
    const line = points('path.chart-throughput');
    assert.equal(line.length, MAX_POINTS);
    assert.equal(line[0][0], 64);
    assert.equal(line[line.length - 1][0], round(64 + (499_900 / 600_000) * 376));
    // The axis reaches 128 MB/s: 90 MB/s sits at 130 - 120 × 90/128.
    assert.ok(
      line.some(([, y]) => y === 45.6),
      'the peak is drawn',
    );
    assert.equal(app.querySelectorAll('details.chart-data tbody tr').length, MAX_POINTS);
    assert.match(app.querySelector('svg')!.getAttribute('aria-label')!, /peak 90 MB\/s/);
  });

  it('ends a failed or cancelled move where it stopped, marked', () => {
    const stopped = twentySeconds.slice(0, 2).concat({ atMs: 15_000, percent: 40, throughput: 0 });
    show(stopped, { ended: 'failed' });
    const mark = app.querySelector('svg line.chart-end.failed')!;
    assert.equal(mark.getAttribute('x1'), String(round(64 + (15_000 / 15_000) * 376)));
    assert.equal(app.querySelector('svg .chart-end-label')?.textContent?.trim(), 'Failed');
    assert.match(app.querySelector('svg')!.getAttribute('aria-label')!, /failed at 40 %\.$/);

    show(stopped.concat({ atMs: 16_000, percent: 40, throughput: 0 }), { ended: 'cancelled' });
    const cancelled = app.querySelector('svg line.chart-end.cancelled')!;
    assert.equal(cancelled.getAttribute('x1'), String(round(64 + (16_000 / 20_000) * 376)), 'before the axis ends');
    assert.match(app.querySelector('svg')!.getAttribute('aria-label')!, /cancelled at 40 %\.$/);
  });
});

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
