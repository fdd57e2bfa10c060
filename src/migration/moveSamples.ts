// A move's progress over time, as its chart draws it (webview/chart.ts: the migration panel's moves and the
// history's): a sample each time the percent moves on, and one where the move ended. A sample's throughput is
// what moved since the sample before, so a slow stretch shows where it was (the record's own throughput is
// the average so far). The panel and the history sample a move with this one class.
import type { MoveRecord } from './types';

/** One point of a move's progress over time, for its chart. */
export interface MoveSample {
  /** Since the move started. */
  readonly atMs: number;
  /** 0..100. */
  readonly percent: number;
  /** Bytes per second since the sample before. */
  readonly throughput: number;
}

/** The most samples of one move the panel keeps and sends (the chart draws at most 200 of them). */
export const MAX_MOVE_SAMPLES = 1000;

/** Every other sample, the last one always. */
function everyOther(samples: readonly MoveSample[]): MoveSample[] {
  return samples.filter((_, i, all) => i % 2 === 0 || i === all.length - 1);
}

export class MoveSamples {
  private samples: MoveSample[] = [];
  private bytesAtLast = 0;

  /** Once there are more than `max` samples, `thin` keeps fewer (by default every other one, the last always). */
  constructor(
    private readonly max = MAX_MOVE_SAMPLES,
    private readonly thin: (samples: readonly MoveSample[]) => MoveSample[] = everyOther,
  ) {}

  /** Takes the record's progress as a sample when its percent changed, or when it is the first or the end. */
  add(record: MoveRecord): void {
    const { percent, bytesMoved, elapsedMs } = record.progress;
    const last = this.samples.at(-1);
    const ended = record.outcome !== undefined;
    if (last && (elapsedMs <= last.atMs || (percent === last.percent && !ended))) return;
    const throughput = last ? Math.max(0, ((bytesMoved - this.bytesAtLast) * 1000) / (elapsedMs - last.atMs)) : record.progress.throughput;
    this.samples.push({ atMs: elapsedMs, percent: Math.max(0, Math.min(100, percent)), throughput });
    this.bytesAtLast = bytesMoved;
    if (this.samples.length > this.max) this.samples = this.thin(this.samples);
  }

  list(): readonly MoveSample[] {
    return this.samples;
  }
}
