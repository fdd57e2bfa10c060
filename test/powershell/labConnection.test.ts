// What the extension runs to prepare the lab, reset it, and start or stop a VM, on real pwsh.
import * as assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readFleet } from '../../src/hyperv/inventory';
import { ensureLab, resetLab } from '../../src/hyperv/lab';
import { changeVmState } from '../../src/hyperv/vmState';
import { createLab, type Lab } from '../support/labFixture';

describe('lab connection and VM state', function () {
  this.timeout(120_000);
  let lab: Lab;

  before(async () => {
    lab = await createLab();
  });

  after(async () => lab?.dispose());

  const vm = async (name: string) => {
    const readings = await readFleet(
      lab.pool,
      ['HV01', 'HV02', 'HV04', 'HV05', 'HV06'].map((h) => ({ name: h })),
    );
    for (const r of readings) {
      const found = r.ok ? r.inventory.vms.find((v) => v.name === name) : undefined;
      if (found) return found;
    }
    throw new Error(`no VM ${name}`);
  };

  it('creates a missing lab file from the Default template and answers its hosts', async () => {
    const path = join(lab.dir, 'new', 'lab.json');
    const first = await ensureLab(lab.pool, path);
    assert.ok(first.ok, JSON.stringify(first));
    assert.equal(first.data.created, true);
    assert.deepEqual(first.data.hosts, ['HV01', 'HV02', 'HV03', 'HV04', 'HV05', 'HV06']);
    const second = await ensureLab(lab.pool, path);
    assert.ok(second.ok);
    assert.equal(second.data.created, false);
  });

  it('starts an off VM and stops a running one, and says why when it cannot', async () => {
    const started = await changeVmState(lab.pool, await vm('build01'), 'Start');
    assert.ok(started.ok, JSON.stringify(started));
    assert.equal(started.data.state, 'Running');
    const off = await changeVmState(lab.pool, await vm('web01'), 'TurnOff');
    assert.ok(off.ok, JSON.stringify(off));
    assert.equal(off.data.state, 'Off');
    const gone = await changeVmState(lab.pool, { ...(await vm('web01')), id: '00000000-0000-0000-0000-000000000001' }, 'Start');
    assert.ok(!gone.ok);
    assert.equal(gone.error.kind, 'scriptError');
    assert.match(gone.error.message, /unable to find a virtual machine/);
  });

  it('resets the lab to its template', async () => {
    const reset = await resetLab(lab.pool);
    assert.ok(reset.ok, JSON.stringify(reset));
    assert.equal((await vm('web01')).state, 'Running');
    assert.equal((await vm('build01')).state, 'Off');
  });

  it('names what is wrong with a broken lab file and leaves it as it was', async () => {
    const broken = '{ "schemaVersion": 1, "hosts": [ ';
    await writeFile(lab.path, broken);
    const result = await ensureLab(lab.pool, lab.path);
    assert.ok(!result.ok);
    assert.match(result.error.message, /not valid JSON/);
    assert.ok(result.error.message.includes(lab.path), 'the message names the file');
    assert.equal(await readFile(lab.path, 'utf8'), broken, 'the file was not overwritten');
    const reset = await resetLab(lab.pool);
    assert.ok(!reset.ok, 'a broken file is not reset by itself either');
    assert.equal(await readFile(lab.path, 'utf8'), broken);
  });
});
