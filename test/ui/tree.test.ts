// The tree as an admin meets it: open the Hyper-V container, expand HV01, right-click web01.
import * as assert from 'node:assert/strict';
import { Workbench } from './workbench';

describe('Hosts and VMs tree in the workbench', function () {
  this.timeout(180_000);
  let workbench: Workbench | undefined;

  before(async () => {
    workbench = await Workbench.open();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await workbench?.screenshot(`failed-${this.currentTest.title}`);
  });

  after(async () => {
    await workbench?.close();
  });

  it('shows the lab\'s hosts and the cluster', async () => {
    assert.ok(workbench);
    await workbench.openHyperV();
    for (const label of ['HV01', 'HV02', 'HV03', 'HV04', 'CL1', 'HV05', 'HV06']) await workbench.treeRow(label).waitFor();
    assert.match(await workbench.treeRow('CL1').innerText(), /2 nodes/);
  });

  it('expands HV01 to its VMs with state, memory and processors', async () => {
    assert.ok(workbench);
    await workbench.expand('HV01');
    const web01 = workbench.treeRow('web01');
    await web01.waitFor();
    assert.match(await web01.innerText(), /Running · 2 GB · 2 vCPU/);
    assert.match(await workbench.treeRow('build01').innerText(), /Off ·/);
  });

  it('right-clicks web01 and sees its menu', async () => {
    assert.ok(workbench);
    const items = await workbench.contextMenu('web01');
    for (const item of ['Check Migration…', 'Migrate…', 'Copy Migration as PowerShell', 'Stop VM…']) {
      assert.ok(items.includes(item), `${item} missing from ${items.join(', ')}`);
    }
    assert.ok(!items.includes('Start VM'), 'a running VM offers no Start');
    await workbench.screenshot('tree-context-menu');
    await workbench.dismiss();
  });

  it('opens the migration panel on web01 from Check Migration…', async () => {
    assert.ok(workbench);
    await workbench.contextMenu('web01');
    await workbench.clickMenuItem('Check Migration…');
    const pick = workbench.page.locator('.quick-input-widget .quick-input-title', { hasText: 'web01' });
    await pick.waitFor();
    await workbench.dismiss();
    const panel = workbench.webview();
    await panel.locator('h1', { hasText: 'Check migration: web01' }).waitFor();
    await panel.locator('[data-vm="web01"]').waitFor();
    await panel.locator('table.destinations tbody tr[data-host="HV02"]').waitFor();
    const rows = panel.locator('table.destinations tbody tr');
    const hosts: (string | null)[] = [];
    for (let i = 0; i < (await rows.count()); i++) hosts.push(await rows.nth(i).getAttribute('data-host'));
    assert.deepEqual(hosts, ['HV01', 'HV02', 'HV03', 'HV04', 'HV05', 'HV06']);
  });
});
