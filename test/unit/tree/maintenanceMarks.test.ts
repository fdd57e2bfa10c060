// The maintenance marks every window reads: the store's entries, read again when another window (another
// MaintenanceStore on the same folder) changes them, so the tree, the destination pick and plans follow.
import * as assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
});
