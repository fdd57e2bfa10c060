// The tree as an admin meets it: open the Hyper-V container, expand HV01, right-click web01.
import * as assert from 'node:assert/strict';
import { createLab, type Lab } from '../support/labFixture';
import { Workbench } from './workbench';

describe('Hosts and VMs tree in the workbench', function () {
  this.timeout(180_000);
  let workbench: Workbench | undefined;
  let lab: Lab | undefined;

  before(async () => {
    lab = await createLab({ size: 1 });
    workbench = await Workbench.open({ env: { HYPERV_LAB_PATH: lab.path } });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await workbench?.screenshot(`failed-${this.currentTest.title}`);
  });

  after(async () => {
    await workbench?.close();
    await lab?.dispose();
  });

  it("shows the lab's hosts and the cluster", async () => {
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

  it('shows a host it cannot reach as an error under that host, beside the hosts that load', async () => {
    assert.ok(workbench && lab);
    await lab.run('fault', "param($Params)\nSet-HyperVLabFault -ComputerName 'HV03' -Unreachable");
    try {
      await workbench.runCommand('Hyper-V: Refresh');
      // The refresh is done with HV03 when its row says so; only then has it a child to expand.
      await workbench.treeRow('HV03').filter({ hasText: 'Host unreachable' }).waitFor();
      await workbench.expand('HV03');
      const error = workbench.treeRow('Host unreachable');
      await error.waitFor();
      assert.match(await error.innerText(), /Connecting to remote server HV03 failed/);
      assert.doesNotMatch(await error.innerText(), /\[HV03\]/, "without PowerShell's [HV03] in front");
      assert.match(await workbench.treeRow('web01').innerText(), /Running/, 'HV01 still shows its VMs');
      await workbench.runCommand('View: Close All Editors');
      await workbench.screenshot('tree-unreachable-host');
    } finally {
      await lab.run('clear', "param($Params)\nSet-HyperVLabFault -ComputerName 'HV03' -Clear");
    }
  });
});
