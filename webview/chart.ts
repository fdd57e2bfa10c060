// A move's throughput and percent over time as a small SVG, drawn here without a library or a fetch:
// throughput as an area on the left axis, the percent done as a line on a 0–100 % right axis, time along
// the bottom, in the theme's chart colours. A screen reader hears a summary (role img and its label) and
// can read the numbers in a table under it. Any panel can use it (the migration panel, the history).
import { html, nothing, svg, type SVGTemplateResult, type TemplateResult } from 'lit-html';
import { bytes, clock, duration } from '../src/hyperv/format';
import type { MoveSample } from '../src/panel/protocol';
import * as l10n from './l10n';

export type { MoveSample };

export interface MoveChartOptions {
  /** How the move ended: a failed or cancelled move is marked where it stopped. */
  readonly ended?: 'succeeded' | 'failed' | 'cancelled';
  /** What the chart is of, e.g. `sql01: HV01 → HV02`, said first in its label. */
  readonly subject?: string;
}

/** The most points a chart draws; more samples are thinned (each stretch keeps its fastest sample). */
export const MAX_POINTS = 200;

/** The drawing's coordinates (its viewBox) and where the plot sits in it. */
const WIDTH = 480;
const HEIGHT = 160;
const PLOT = { left: 64, right: 440, top: 10, bottom: 130 } as const;
const GRID_LINES = 4;

const TIME_STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400];
const MAX_TIME_TICKS = 6;

const rate = (bytesPerSecond: number): string => `${bytes(bytesPerSecond)}/s`;
const round = (n: number): number => Math.round(n * 10) / 10;

/** At most `max` samples: the first, the last, and between them the fastest of each equal stretch. */
export function thin(samples: readonly MoveSample[], max = MAX_POINTS): readonly MoveSample[] {
  if (samples.length <= max) return samples;
  const inner = samples.slice(1, -1);
  const stretches = max - 2;
  const kept = [samples[0]];
  for (let i = 0; i < stretches; i++) {
    const stretch = inner.slice(Math.floor((i * inner.length) / stretches), Math.floor(((i + 1) * inner.length) / stretches));
    kept.push(stretch.reduce((fastest, s) => (s.throughput > fastest.throughput ? s : fastest)));
  }
  kept.push(samples[samples.length - 1]);
  return kept;
}

/** The throughput axis's step: a power of two bytes per second (exact in B, KB, MB…), GRID_LINES of them reach the peak. */
function throughputStep(peak: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(peak, 4096) / GRID_LINES));
}

/** The time axis's step (ms): the smallest that needs at most MAX_TIME_TICKS steps to the end. */
function timeStep(endMs: number): number {
  const step = TIME_STEPS_S.find((s) => Math.ceil(endMs / (s * 1000)) <= MAX_TIME_TICKS) ?? TIME_STEPS_S[TIME_STEPS_S.length - 1];
  return step * 1000;
}

function timeLabel(ms: number, step: number, axisEnd: number): string {
  if (step >= 60_000) return l10n.t('{0} min', Math.round(ms / 60_000));
  if (axisEnd <= 60_000) return l10n.t('{0} s', Math.round(ms / 1000));
  return clock(ms);
}

/** Bytes per second over the whole move: each sample's throughput held since the sample before. */
function average(samples: readonly MoveSample[]): number {
  const end = samples[samples.length - 1].atMs;
  if (end <= 0) return samples.reduce((sum, s) => sum + s.throughput, 0) / samples.length;
  let moved = 0;
  let since = 0;
  for (const s of samples) {
    moved += s.throughput * (s.atMs - since);
    since = s.atMs;
  }
  return moved / end;
}

/** What the chart says to a screen reader (and as its tooltip). */
export function chartSummary(samples: readonly MoveSample[], options: MoveChartOptions = {}): string {
  const last = samples[samples.length - 1];
  const took = duration(last.atMs);
  const avg = rate(average(samples));
  const peak = rate(Math.max(...samples.map((s) => s.throughput)));
  const percent = Math.round(last.percent);
  const text =
    options.ended === 'failed'
      ? l10n.t('Over {0}: average {1}, peak {2}; failed at {3} %.', took, avg, peak, percent)
      : options.ended === 'cancelled'
        ? l10n.t('Over {0}: average {1}, peak {2}; cancelled at {3} %.', took, avg, peak, percent)
        : l10n.t('Over {0}: average {1}, peak {2}; {3} % done.', took, avg, peak, percent);
  return options.subject ? `${options.subject}: ${text}` : text;
}

function path(points: readonly (readonly [number, number])[]): string {
  return points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x} ${y}`).join(' ');
}

function axisText(x: number, y: number, anchor: 'start' | 'middle' | 'end', text: string): SVGTemplateResult {
  return svg`<text x=${x} y=${y} text-anchor=${anchor} style="fill: var(--vscode-foreground, currentColor); font-size: 10px">${text}</text>`;
}

function table(samples: readonly MoveSample[]): TemplateResult {
  return html`<details class="chart-data">
    <summary>${l10n.t('Chart data')}</summary>
    <table>
      <thead>
        <tr>
          <th scope="col">${l10n.t('Time')}</th>
          <th scope="col">${l10n.t('Done')}</th>
          <th scope="col">${l10n.t('Throughput')}</th>
        </tr>
      </thead>
      <tbody>
        ${samples.map(
          (s) =>
            html`<tr>
              <td>${clock(s.atMs)}</td>
              <td>${Math.round(s.percent)} %</td>
              <td>${rate(s.throughput)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </details>`;
}

/**
 * The chart of a move's samples (oldest first, as `parseSamples` in src/panel/protocol.ts accepts them):
 * an SVG with role img and a label that sums it up, and the numbers in a table; without samples, a line
 * that says there is no chart.
 */
export function moveChart(samples: readonly MoveSample[], options: MoveChartOptions = {}): TemplateResult {
  if (samples.length === 0)
    return html`<p class="move-chart empty hint">${l10n.t('No progress was recorded for this move: no chart.')}</p>`;
  const points = thin(samples);
  const last = points[points.length - 1];
  const step = timeStep(Math.max(last.atMs, 1000));
  const axisEnd = Math.ceil(Math.max(last.atMs, 1000) / step) * step;
  const tStep = throughputStep(Math.max(...points.map((s) => s.throughput)));
  const x = (ms: number) => round(PLOT.left + (ms / axisEnd) * (PLOT.right - PLOT.left));
  const y = (fraction: number) => round(PLOT.bottom - fraction * (PLOT.bottom - PLOT.top));
  const throughput = points.map((s) => [x(s.atMs), y(s.throughput / (tStep * GRID_LINES))] as const);
  const percent = points.map((s) => [x(s.atMs), y(s.percent / 100)] as const);
  const area = `${path(throughput)} L${throughput[throughput.length - 1][0]} ${PLOT.bottom} L${throughput[0][0]} ${PLOT.bottom} Z`;
  const summary = chartSummary(samples, options);
  const grid = Array.from({ length: GRID_LINES + 1 }, (_, i) => i);
  const ticks = Array.from({ length: Math.round(axisEnd / step) + 1 }, (_, i) => i * step);
  const endX = x(last.atMs);
  const stopped = options.ended === 'failed' || options.ended === 'cancelled' ? options.ended : undefined;
  const endColour = stopped === 'failed' ? 'var(--vscode-charts-red, #f14c4c)' : 'var(--vscode-descriptionForeground, currentColor)';
  return html`<figure class="move-chart" data-points=${points.length} style="margin: 0.5em 0">
    <svg role="img" aria-label=${summary} viewBox=${`0 0 ${WIDTH} ${HEIGHT}`} width="100%" style="max-width: ${WIDTH}px">
      <title>${summary}</title>
      ${grid.map(
        (i) =>
          svg`<line class="chart-grid" x1=${PLOT.left} x2=${PLOT.right} y1=${y(i / GRID_LINES)} y2=${y(i / GRID_LINES)}
            style="stroke: var(--vscode-charts-lines, currentColor); stroke-opacity: 0.4" />
          ${axisText(PLOT.left - 4, y(i / GRID_LINES) + 3, 'end', rate(i * tStep))}
          ${axisText(PLOT.right + 4, y(i / GRID_LINES) + 3, 'start', `${(i * 100) / GRID_LINES} %`)}`,
      )}
      ${ticks.map((t) => axisText(x(t), PLOT.bottom + 14, 'middle', timeLabel(t, step, axisEnd)))}
      <path class="chart-throughput-area" d=${area} style="fill: var(--vscode-charts-blue, #3794ff); fill-opacity: 0.25; stroke: none" />
      <path
        class="chart-throughput"
        d=${path(throughput)}
        style="fill: none; stroke: var(--vscode-charts-blue, #3794ff); stroke-width: 1.5"
      />
      <path class="chart-percent" d=${path(percent)} style="fill: none; stroke: var(--vscode-charts-green, #388a34); stroke-width: 1.5" />
      ${points.length === 1
        ? svg`<circle class="chart-throughput" cx=${throughput[0][0]} cy=${throughput[0][1]} r="3" style="fill: var(--vscode-charts-blue, #3794ff)" />
            <circle class="chart-percent" cx=${percent[0][0]} cy=${percent[0][1]} r="3" style="fill: var(--vscode-charts-green, #388a34)" />`
        : nothing}
      ${stopped
        ? svg`<line class=${`chart-end ${stopped}`} x1=${endX} x2=${endX} y1=${PLOT.top} y2=${PLOT.bottom}
              style="stroke: ${endColour}; stroke-dasharray: 4 3" />
            <text class="chart-end-label" x=${endX - 3} y=${PLOT.top + 10} text-anchor="end" style="fill: ${endColour}; font-size: 10px"
              >${stopped === 'failed' ? l10n.t('Failed') : l10n.t('Cancelled')}</text
            >`
        : nothing}
    </svg>
    <figcaption aria-hidden="true" class="hint">
      <span style="color: var(--vscode-charts-blue, #3794ff)">■</span> ${l10n.t('Throughput')}
      <span style="color: var(--vscode-charts-green, #388a34)">■</span> ${l10n.t('Done')}
    </figcaption>
    ${table(points)}
  </figure>`;
}
