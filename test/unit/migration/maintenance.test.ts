// The maintenance store: a host's mark survives a reload (a new store over the same folder reads it back),
// every window sees the same (two stores over one folder), one host is one entry whatever its name's case or
// form, and a file that is not an entry is skipped with the reason logged.
import * as assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedHosts, MaintenanceStore, switchesAtHome } from '../../../src/migration/maintenance';
import type { Logger } from '../../../src/powershell/types';

const origin = (vmName: string, movedTo: string) => ({
  vmId: `id-${vmName}`,
  vmName,
  movedTo,
  movedAt: '2026-12-05T15:00:00.000Z',
});

describe('maintenance store', function () {
  let dir: string;

  beforeEach(async function () {
    dir = await mkdtemp(join(tmpdir(), 'hyperv-maintenance-'));
  });

  afterEach(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps a host in maintenance, its state and where its VMs went, across a reload; exit removes it', async function () {
    const store = new MaintenanceStore(dir);
    const entered = await store.enter('HV01', 'alice');
    assert.equal(entered.state, 'entering');
    await store.recordOrigin('HV01', origin('web01', 'HV02'));
    await store.recordOrigin('HV01', origin('sql01', 'HV03'));
    await store.recordOrigin('HV01', origin('web01', 'HV03'));
    await store.setState('HV01', 'in-maintenance');

    const reloaded = new MaintenanceStore(dir);
    const entry = await reloaded.get('hv01');
    assert.equal(entry?.host, 'HV01');
    assert.equal(entry?.by, 'alice');
    assert.equal(entry?.state, 'in-maintenance');
    assert.deepEqual(
      entry?.origins.map((o) => [o.vmName, o.movedTo]),
      [
        ['sql01', 'HV03'],
        ['web01', 'HV03'],
      ],
      'a VM moved again keeps only its last origin',
    );
    assert.deepEqual(closedHosts(await reloaded.list()), ['HV01']);
    await reloaded.setState('HV01', 'exiting');
    assert.deepEqual(closedHosts(await reloaded.list()), ['HV01'], 'a host is closed until its mark is gone, its VMs going back or not');
    assert.deepEqual(closedHosts(await reloaded.list(), 'hv01.contoso.lab'), [], 'but to its own return: its VMs go back to it');

    await reloaded.exit('HV01');
    assert.equal(await store.get('HV01'), undefined);
    assert.deepEqual(await readdir(dir), []);
    await assert.rejects(() => store.setState('HV01', 'exiting'), /HV01 is not in maintenance/);
  });

  it("keeps each VM's switches on the host before it left, for its return (switchesAtHome)", async function () {
    const store = new MaintenanceStore(dir);
    await store.enter('HV01', 'alice');
    await store.recordOrigin('HV01', { ...origin('sql01', 'HV02'), switches: { 'Microsoft:A\\1': 'Storage', 'Microsoft:A\\2': null } });
    await store.recordOrigin('HV01', origin('web01', 'HV02'));
    const entries = await new MaintenanceStore(dir).list();
    assert.deepEqual(switchesAtHome(entries, 'ID-SQL01', 'hv01.contoso.lab'), { 'Microsoft:A\\1': 'Storage', 'Microsoft:A\\2': null });
    assert.equal(switchesAtHome(entries, 'id-web01', 'HV01'), undefined, 'recorded without switches');
    assert.equal(switchesAtHome(entries, 'id-sql01', 'HV02'), undefined, 'only back to the host it left');
  });

  it('is shared by two windows: each sees what the other wrote, and entering twice keeps the first entry', async function () {
    const one = new MaintenanceStore(dir);
    const two = new MaintenanceStore(dir);
    await one.enter('hv01.contoso.lab', 'alice');
    const again = await two.enter('HV01', 'bob');
    assert.equal(again.by, 'alice', 'HV01 is hv01.contoso.lab: one host, one entry');
    await two.recordOrigin('HV01', origin('web01', 'HV02'));
    await one.recordOrigin('hv01.contoso.lab', origin('sql01', 'HV02'));
    await two.enter('HV02', 'bob');
    assert.deepEqual(
      (await one.list()).map((e) => [e.host, e.origins.length]),
      [
        ['hv01.contoso.lab', 2],
        ['HV02', 0],
      ],
    );
  });

  it('skips a file that is not an entry, with the reason logged, and reads the others', async function () {
    const warnings: string[] = [];
    const logger: Logger = { trace() {}, debug() {}, info() {}, warn: (m) => warnings.push(m), error() {} };
    const store = new MaintenanceStore(dir, logger);
    await store.enter('HV02', 'alice');
    await writeFile(join(dir, 'hv01.json'), '{"host":"HV01","since":"x","by":"alice","state":"asleep","origins":[]}');
    await writeFile(join(dir, 'hv03.json'), '{ not json');
    assert.deepEqual(
      (await store.list()).map((e) => e.host),
      ['HV02'],
    );
    assert.equal(warnings.length, 2);
    assert.match(warnings.join('\n'), /hv01\.json: maintenance\.state: expected entering\|in-maintenance\|exiting, got string/);
  });
});
