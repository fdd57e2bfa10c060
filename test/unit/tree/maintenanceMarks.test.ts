// The maintenance marks every window reads: the store's entries, read again when another window (another
// MaintenanceStore on the same folder) changes them, so the tree, the destination pick and plans follow.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DrainJournal, type DrainJournalEntry } from '../../../src/migration/drainJournal';
import { MaintenanceStore } from '../../../src/migration/maintenance';
import { MaintenanceMarks } from '../../../src/tree/maintenanceMarks';

async function until(what: string, test: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('tree: maintenance marks', function () {
  let dir: string;
  let marks: MaintenanceMarks | undefined;
  const errors: unknown[] = [];

  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'hyperv-marks-')), 'maintenance');
    errors.length = 0;
  });

  afterEach(async () => {
    marks?.dispose();
    await rm(join(dir, '..'), { recursive: true, force: true });
  });

  it("follow another window's changes to the store, and tell their listeners", async () => {
    marks = new MaintenanceMarks(new MaintenanceStore(dir), (error) => errors.push(error), 20);
    await marks.ready;
    let told = 0;
    marks.onDidChange(() => told++);
    assert.deepEqual(marks.all(), []);

    const other = new MaintenanceStore(dir);
    await other.enter('HV01', 'CONTOSO\\alice');
    await until('HV01 marked', () => marks?.entry('hv01')?.state === 'entering');
    assert.equal(marks.closed('HV01'), true, 'a host entering maintenance takes no VM');
    assert.equal(marks.closed('HV02'), false);

    await other.setState('HV01', 'exiting');
    await until('HV01 exiting', () => marks?.entry('HV01')?.state === 'exiting');
    assert.equal(marks.closed('HV01'), true, 'nor one whose VMs are going back: it is closed until its mark is gone');
    assert.match(marks.why('HV01') ?? '', /^in maintenance since /);

    await other.exit('HV01');
    await until('HV01 unmarked', () => marks?.entry('HV01') === undefined);
    assert.ok(told >= 3, `told ${told} times`);
    assert.deepEqual(errors, []);
  });

  it('start from what the store holds, with a folder that did not exist yet', async () => {
    await new MaintenanceStore(dir).enter('HV02', 'bob');
    marks = new MaintenanceMarks(new MaintenanceStore(dir), (error) => errors.push(error), 20);
    await marks.ready;
    assert.deepEqual(
      marks.all().map((e) => [e.host, e.by, e.state]),
      [['HV02', 'bob', 'entering']],
    );

    const fresh = join(dir, '..', 'not-yet');
    const empty = new MaintenanceMarks(new MaintenanceStore(fresh), (error) => errors.push(error), 20);
    await empty.ready;
    await new MaintenanceStore(fresh).enter('HV03', 'carol');
    await until('HV03 marked in a folder the marks created', () => empty.entry('HV03') !== undefined);
    empty.dispose();
    assert.deepEqual(errors, []);
  });

  /** The drain journal's entry of a return to HV01 (no moves: the marks read only whether it runs). */
  const drain = (extra: Partial<DrainJournalEntry> = {}): DrainJournalEntry => ({
    id: 'a1b2c3d4-0000-4000-8000-000000000001',
    pid: process.pid,
    startedAt: '2026-12-05T15:20:00.000Z',
    kind: 'many',
    subject: 'web01',
    order: 'longest-first',
    concurrency: null,
    limits: {},
    moves: [],
    ...extra,
  });

  it("say whether a host's return runs, from its drain's journal: running, ended (cancelled), or left by a reload and resumed", async () => {
    const drains = join(dir, '..', 'drains');
    const journal = new DrainJournal(drains);
    await journal.write(drain());
    const store = new MaintenanceStore(dir, undefined, drains);
    await store.enter('HV01', 'alice');
    await store.returnStarted('HV01', drain().id);
    marks = new MaintenanceMarks(store, (error) => errors.push(error), 20);
    await marks.ready;
    assert.deepEqual([marks.entry('HV01')?.state, marks.entry('HV01')?.returnRunning], ['exiting', true]);

    // VS Code reloaded during the return: its journal names an extension host that is gone.
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    await journal.write(drain({ pid: gone }));
    await until('the return left by a reload seen not running', () => marks?.entry('HV01')?.returnRunning === false);
    await journal.write(drain());
    await until('the resumed return seen running', () => marks?.entry('HV01')?.returnRunning === true);
    await journal.write(drain({ summary: 'Cancelled: web01 not moved.', endedAt: '2026-12-05T15:21:00.000Z' }));
    await until('the cancelled return seen ended', () => marks?.entry('HV01')?.returnRunning === false);
    assert.equal(marks.closed('HV01'), true, 'closed to placement all along');
    assert.deepEqual(errors, []);
  });

  it('read a mark written before marks named their return as still returning (not known)', async () => {
    await mkdir(dir, { recursive: true });
    const old = { host: 'HV01', since: '2026-12-05T15:14:09.512Z', by: 'alice', state: 'exiting', origins: [] };
    await writeFile(join(dir, 'hv01.json'), JSON.stringify(old));
    marks = new MaintenanceMarks(new MaintenanceStore(dir, undefined, join(dir, '..', 'drains')), (error) => errors.push(error), 20);
    await marks.ready;
    assert.deepEqual(marks.all(), [old]);
    assert.deepEqual(errors, []);
  });
});
