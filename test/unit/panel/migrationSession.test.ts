// One VM's section of the migration panel (src/panel/migrationSession.ts), without VS Code: what it shows
// of a move it follows.
import * as assert from 'node:assert/strict';
import type { Fleet } from '../../../src/hyperv/fleet';
import { decodeHostInventory } from '../../../src/hyperv/inventory';
import type { MoveHandle, MoveRecord } from '../../../src/migration/types';
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
});
