import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Fleet } from '../../../src/hyperv/fleet';
import { AutoRefresh, MAX_REFRESH_SECONDS, MIN_REFRESH_SECONDS, refreshIntervalMs } from '../../../src/tree/autoRefresh';
import { FakeRunner } from '../../support/fakeRunner';
import { fleetAnswer, hostJson } from '../../support/inventoryData';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fleet whose every read takes `readMs`, counting reads and the most that ever ran at once. */
function slowFleet(readMs: number, hosts: () => { name: string }[] = () => [{ name: 'HV01' }]) {
  const counts = { reads: 0, running: 0, most: 0 };
  const runner = new FakeRunner().answer(
    'getFleetInventory',
    fleetAnswer(async (name) => {
      counts.reads++;
      counts.running++;
      counts.most = Math.max(counts.most, counts.running);
      await sleep(readMs);
      counts.running--;
      return { host: hostJson(name), vms: [] };
    }),
  );
  const fleet = new Fleet(() => Promise.resolve({ runner, hosts: hosts() }));
  return { fleet, counts };
}

describe('refresh interval and overlapping refreshes', () => {
  it('clamps hyperv.refreshIntervalSeconds to a delay Node keeps (huge or tiny values would fire every 1 ms)', () => {
    assert.equal(refreshIntervalMs(60), 60_000);
    assert.equal(refreshIntervalMs(0), 0, '0 turns the timer off');
    assert.equal(refreshIntervalMs(-5), 0);
    assert.equal(refreshIntervalMs(0.001), MIN_REFRESH_SECONDS * 1000);
    assert.equal(refreshIntervalMs(1e12), MAX_REFRESH_SECONDS * 1000);
    assert.equal(refreshIntervalMs(Number.POSITIVE_INFINITY), 60_000, 'not a finite number: the default');
    assert.equal(refreshIntervalMs('10'), 60_000);
    assert.equal(refreshIntervalMs(undefined), 60_000);
    // Node's largest timer delay is 2^31-1 ms; anything above fires after 1 ms.
    assert.ok(refreshIntervalMs(1e12) <= 2 ** 31 - 1);
  });

  it('matches the setting schema in package.json', () => {
    const manifest = JSON.parse(readFileSync(resolve(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { minimum: number; maximum: number }> } };
    };
    const schema = manifest.contributes.configuration.properties['hyperv.refreshIntervalSeconds'];
    assert.equal(schema?.minimum, 0);
    assert.equal(schema?.maximum, MAX_REFRESH_SECONDS);
  });

  it('never runs two full refreshes at once: calls during one are served by a single follow-up', async () => {
    const { fleet, counts } = slowFleet(60);
    const first = fleet.refresh();
    await sleep(10);
    assert.ok(fleet.refreshing);
    const during = [fleet.refresh(), fleet.refresh(), fleet.refresh()];
    await Promise.all([first, ...during]);
    assert.equal(counts.most, 1, 'one read at a time');
    assert.equal(counts.reads, 2, 'the running refresh and one follow-up, not one per call');
    assert.ok(!fleet.refreshing);
  });

  it('a refresh asked for during one resolves with the hosts configured at the time it was asked', async () => {
    let hosts = [{ name: 'HV01' }];
    const { fleet } = slowFleet(40, () => hosts);
    const first = fleet.refresh();
    await sleep(10);
    hosts = [{ name: 'HV01' }, { name: 'HV02' }]; // e.g. Add Host while a refresh runs
    await fleet.refresh();
    assert.deepEqual(
      fleet.hosts().map((h) => [h.name, h.state]),
      [
        ['HV01', 'ok'],
        ['HV02', 'ok'],
      ],
    );
    await first;
  });

  it('the timer does not start a refresh while one runs, and waits for its own to end before the next', async () => {
    const { fleet, counts } = slowFleet(100);
    const errors: unknown[] = [];
    const timer = new AutoRefresh(fleet, (error) => errors.push(error));
    try {
      const manual = fleet.refresh(); // Refresh pressed: runs 100 ms, across several 15 ms ticks
      timer.schedule(15);
      await manual;
      await sleep(400);
      assert.equal(counts.most, 1, 'no second read while one ran');
      // A setInterval firing every 15 ms would have asked for ~33 reads; re-armed after each, at most 1 in 115 ms.
      assert.ok(counts.reads <= 1 + Math.ceil(400 / 115), `${counts.reads} reads`);
      assert.ok(counts.reads >= 2, 'the timer did refresh');
      assert.deepEqual(errors, []);
    } finally {
      timer.dispose();
    }
  });

  it('reports a failed periodic refresh and keeps going', async () => {
    let calls = 0;
    const errors: unknown[] = [];
    const fleet = {
      refreshing: false,
      refresh: () => {
        calls++;
        return Promise.reject(new Error('boom'));
      },
    };
    const timer = new AutoRefresh(fleet, (error) => errors.push(error));
    try {
      timer.schedule(10);
      await sleep(100);
    } finally {
      timer.dispose();
    }
    assert.ok(calls >= 2, `${calls} calls`);
    assert.equal(errors.length, calls);
  });
});
