// A move's progress over time, as its chart in the panel draws it (webview/chart.ts): a sample each time the
// percent moves on, and one where the move ended. A sample's throughput is what moved since the sample
// before, so a slow stretch shows where it was (the record's own throughput is the average so far).
import type { MoveRecord } from '../migration/types';
import { MAX_SAMPLES, type MoveSample } from './protocol';

export class MoveSamples {
  private samples: MoveSample[] = [];
  private bytesAtLast = 0;

  /** Takes the record's progress as a sample when its percent changed, or when it is the first or the end. */
  add(record: MoveRecord): void {
    const { percent, bytesMoved, elapsedMs } = record.progress;
    const last = this.samples.at(-1);
    const ended = record.outcome !== undefined;
    if (last && (elapsedMs <= last.atMs || (percent === last.percent && !ended))) return;
    const throughput = last ? Math.max(0, ((bytesMoved - this.bytesAtLast) * 1000) / (elapsedMs - last.atMs)) : record.progress.throughput;
    this.samples.push({ atMs: elapsedMs, percent: Math.max(0, Math.min(100, percent)), throughput });
    this.bytesAtLast = bytesMoved;
    // A very long move keeps every other sample, the last one always.
    if (this.samples.length > MAX_SAMPLES) this.samples = this.samples.filter((_, i, all) => i % 2 === 0 || i === all.length - 1);
  }

  list(): readonly MoveSample[] {
    return this.samples;
  }
}
