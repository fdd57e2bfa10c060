// A move's samples for its chart (src/migration/moveSamples.ts): one each time the percent moves on and one at
// the end, each with the throughput since the sample before, and never more than the protocol carries.
import * as assert from 'node:assert/strict';
import { MoveSamples } from '../../../src/migration/moveSamples';
import { MAX_SAMPLES, parseSamples } from '../../../src/panel/protocol';
import { moveRecord } from '../../support/moveRecord';

const GB = 1024 ** 3;

describe('Move samples (src/migration/moveSamples)', () => {
  it('takes a sample when the percent moves on, with the throughput since the sample before, and one at the end', () => {
    const samples = new MoveSamples();
    samples.add(moveRecord(0, 0));
    samples.add(moveRecord(0, 500));
    samples.add(moveRecord(10, 2000));
    samples.add(moveRecord(10, 3000));
    samples.add(moveRecord(30, 4000));
    samples.add(moveRecord(30, 5000, 'cancelled'));
    assert.deepEqual(samples.list(), [
      { atMs: 0, percent: 0, throughput: 0 },
      { atMs: 2000, percent: 10, throughput: GB / 2 },
      { atMs: 4000, percent: 30, throughput: GB },
      { atMs: 5000, percent: 30, throughput: 0 },
    ]);
  });

  it('keeps at most MAX_SAMPLES of a long move, its last one always, and the protocol accepts them', () => {
    const samples = new MoveSamples();
    for (let i = 0; i <= 3000; i++) samples.add(moveRecord(i / 30, i * 1000));
    const list = samples.list();
    assert.ok(list.length <= MAX_SAMPLES, `${list.length} samples`);
    assert.deepEqual(list.at(-1), { atMs: 3_000_000, percent: 100, throughput: list.at(-1)?.throughput });
    assert.deepEqual(parseSamples(list), list);
  });

  it('charts only sound samples from the other side: numbers in range, in time order, not too many', () => {
    const good = { atMs: 1000, percent: 10, throughput: 5 };
    assert.deepEqual(parseSamples([good]), [good]);
    for (const bad of [
      undefined,
      'samples',
      [{ ...good, percent: 101 }],
      [{ ...good, throughput: Number.NaN }],
      [{ ...good, atMs: '1000' }],
      [good, { ...good, atMs: 999 }],
      Array.from({ length: MAX_SAMPLES + 1 }, (_, i) => ({ ...good, atMs: i })),
    ])
      assert.equal(parseSamples(bad), undefined, JSON.stringify(bad)?.slice(0, 80));
  });
});
