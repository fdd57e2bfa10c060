// One VM's section of the migration panel (src/panel/migrationSession.ts), without VS Code: what it shows
// of a move it follows.
import * as assert from 'node:assert/strict';
import type { Fleet } from '../../../src/hyperv/fleet';
import { decodeHostInventory } from '../../../src/hyperv/inventory';
import type { MigrationRequest, MoveHandle, MoveRecord } from '../../../src/migration/types';
import { MigrationSession, type SessionContext } from '../../../src/panel/migrationSession';
import { hostJson, vmJson } from '../../support/inventoryData';
import { moveRecord } from '../../support/moveRecord';

const sql01 = decodeHostInventory({ host: hostJson('HV01'), vms: [vmJson('sql01', 'HV01')] }).vms[0];

/** A move whose progress the test reports. */
function fakeMove(first: MoveRecord): { handle: MoveHandle; report(record: MoveRecord): void } {
  let current = first;
  const listeners = new Set<(record: MoveRecord) => void>();
  const handle: MoveHandle = {
    record: () => current,
    onProgress: (listener) => {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
    done: new Promise<MoveRecord>(() => undefined),
    cancel: () => Promise.resolve(),
  };
  return {
    handle,
    report: (record) => {
      current = record;
      for (const listener of listeners) listener(record);
    },
  };
}

describe('Migration session (src/panel/migrationSession)', () => {
  const fleet = { vms: () => [], hosts: () => [], host: () => undefined, refresh: () => Promise.resolve() } as unknown as Fleet;
  const context: SessionContext = {
    fleet,
    core: {} as SessionContext['core'],
    ui: { confirm: () => Promise.resolve(false) },
    logger: { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    changed: () => undefined,
  };

  it("keeps the samples of the move it follows and sends them with the finished move's view", () => {
    const session = new MigrationSession(sql01, context);
    const move = fakeMove(moveRecord(0, 0));
    session.attach(move.handle);
    move.report(moveRecord(10, 2000));
    move.report(moveRecord(50, 6000));
    assert.deepEqual(
      session.view().move?.samples?.map((s) => [s.atMs, s.percent]),
      [
        [0, 0],
        [2000, 10],
        [6000, 50],
      ],
      'while it runs',
    );
    session.ended(move.handle, moveRecord(100, 9000, 'succeeded'), Promise.resolve());
    const view = session.view().move;
    assert.equal(view?.outcome?.phase, 'succeeded');
    assert.deepEqual(
      view?.samples?.map((s) => [s.atMs, s.percent]),
      [
        [0, 0],
        [2000, 10],
        [6000, 50],
        [9000, 100],
      ],
    );
    session.dispose();
  });

  it('starts the samples afresh for the next move, and has only the last sample of a move re-attached after a reload', () => {
    const session = new MigrationSession(sql01, context);
    const first = fakeMove(moveRecord(0, 0));
    session.attach(first.handle);
    first.report(moveRecord(40, 4000));
    session.ended(first.handle, moveRecord(40, 5000, 'failed'), Promise.resolve());
    const reattached = fakeMove(moveRecord(70, 60_000));
    session.attach(reattached.handle);
    assert.deepEqual(
      session.view().move?.samples?.map((s) => [s.atMs, s.percent]),
      [[60_000, 70]],
    );
    session.dispose();
  });

  it('a host in maintenance is shown with why, never checked and never taken as the destination', async () => {
    const entries = ['HV01', 'HV02', 'HV03'].map((name) => ({
      name,
      state: 'ok' as const,
      inventory: decodeHostInventory({ host: hostJson(name), vms: [] }),
    }));
    const checked: string[] = [];
    const session = new MigrationSession(sql01, {
      ...context,
      fleet: { ...fleet, hosts: () => entries, host: (name: string) => entries.find((e) => e.name === name) } as unknown as Fleet,
      core: {
        engine: {
          check: (request: MigrationRequest) => {
            checked.push(request.destination);
            return Promise.resolve({ request, findings: [], ready: true, checkedAt: '', roundTrips: {} });
          },
        },
      } as unknown as SessionContext['core'],
      closed: (host) => (host === 'HV02' ? 'in maintenance since 2026-12-05 15:00 UTC, by admin' : undefined),
    });
    await session.checkDestinations();
    assert.deepEqual(checked, ['HV03'], 'HV02 is not checked');
    assert.deepEqual(
      session.destinations().map((d) => [d.host, d.readiness, d.summary]),
      [
        ['HV01', 'source', 'sql01 runs here'],
        ['HV02', 'maintenance', 'in maintenance since 2026-12-05 15:00 UTC, by admin'],
        ['HV03', 'ready', 'ready'],
      ],
    );
    await assert.rejects(session.choose('HV02'), /HV02 is not available as a destination: in maintenance since/);
  });
});
