// Fleet operations as an admin does them, in real VS Code and Chromium on a lab of its own: Configure Live
// Migration on all hosts from the tree (the matrix with the lab's gaps, apply through the modal, every pair
// ready), then Drain Host on HV01 (the plan, Start, the rows complete, HV01 empty in the tree).
import * as assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import { createLab, type Lab } from '../support/labFixture';
import { Workbench } from './workbench';

describe('Fleet operations from the tree in the workbench', function () {
  this.timeout(300_000);
  let lab: Lab | undefined;
  let workbench: Workbench | undefined;

  before(async () => {
    lab = await createLab({ size: 1 });
    await lab.run('timeScale', 'param($Params)\nSet-HyperVLabTimeScale -TimeScale $Params.scale', { scale: 400 });
    workbench = await Workbench.open({ env: { HYPERV_LAB_PATH: lab.path } });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await workbench?.screenshot(`failed-${this.currentTest.title}`);
  });

  after(async () => {
    await workbench?.close();
    await lab?.dispose();
  });

  /** The VMs listed between a host's row and the next host's. */
  async function vmsUnder(host: string): Promise<string[]> {
    const labels = (await workbench!.sideBar.locator('.monaco-list-row .label-name').allInnerTexts()).map((t) => t.trim());
    const start = labels.indexOf(host);
    assert.ok(start >= 0, `${host} not in ${labels.join(', ')}`);
    const after = labels.slice(start + 1);
    const end = after.findIndex((l) => /^(HV\d\d|CL\d)$/.test(l));
    return end < 0 ? after : after.slice(0, end);
  }

  async function until(what: string, test: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await test())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** Right-click a host → a menu item; retried when a tree refresh re-rendered the row under the menu. */
  async function hostCommand(host: string, item: string, opened: () => Promise<boolean>): Promise<void> {
    const wb = workbench!;
    for (let attempt = 1; ; attempt++) {
      const menu = await wb.contextMenu(host);
      assert.ok(menu.includes(item), `${item} in ${menu.join(', ')}`);
      // Hover and Enter: with a webview open beside the tree, a click on the menu does not always reach it.
      await wb.page.locator('.monaco-menu .action-label', { hasText: item }).hover();
      await wb.page.keyboard.press('Enter');
      if (await opened()) return;
      if (attempt === 3) throw new Error(`${item} on ${host} did not open`);
      await wb.dismiss();
    }
  }

  const cells = (panel: FrameLocator, status: string) => panel.locator(`table.matrix td.cell[data-status="${status}"]`);

  it("configures live migration on all hosts: the matrix shows the lab's gaps, Apply makes every pair ready", async () => {
    const wb = workbench!;
    await wb.openHyperV();
    await wb.treeRow('HV01').waitFor({ timeout: 120_000 });
    const pick = wb.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Configure live migration between these hosts' });
    await hostCommand('HV01', 'Configure Live Migration…', () =>
      pick.waitFor({ timeout: 10_000 }).then(
        () => true,
        () => false,
      ),
    );
    // Every host is preselected: Enter configures the whole fleet.
    assert.equal(await wb.page.locator('.quick-input-widget .monaco-list-row[aria-checked="true"]').count(), 6);
    await wb.page.keyboard.press('Enter');

    const panel = wb.webview();
    const summary = panel.locator('#pairs-ready');
    await summary.filter({ hasText: '5 of 30 pairs ready' }).waitFor({ timeout: 60_000 });
    assert.equal(await cells(panel, 'ready').count(), 5);
    assert.equal(await cells(panel, 'missing').count(), 25);
    assert.match(await panel.locator('td.cell[data-pair="HV02>HV03"]').innerText(), /any protocol/);
    await panel.locator('td.cell[data-pair="HV04>HV01"]').click();
    assert.match(await panel.locator('.pair-detail').innerText(), /live migration is off on HV04/);
    assert.equal(await panel.locator('ol.changes > li.change').count(), 12, 'the plan: 12 changes');
    await wb.screenshot('fleet-matrix');

    await panel.locator('#configure-apply').click();
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /In Active Directory/);
    await dialog.locator('.monaco-button', { hasText: /^Apply$/ }).click();
    await summary.filter({ hasText: '30 of 30 pairs ready' }).waitFor({ timeout: 60_000 });
    assert.equal(await cells(panel, 'ready').count(), 30);
    assert.match(
      await panel.locator('.applied-text').innerText(),
      /^12 of 12 changes applied\. Read again: 30 of 30 pairs ready \(5 before\)\.$/,
    );

    await panel.locator('#refresh-tickets').click();
    await until('the tickets refreshed on every host', async () => (await panel.locator('ul.tickets li > span.ok').count()) === 6);
  });

  it('drains HV01: the plan with its ratings, Start, the rows complete, and the tree shows HV01 empty', async () => {
    const wb = workbench!;
    await wb.expand('HV01');
    await until("HV01's VMs in the tree", async () => (await vmsUnder('HV01')).length === 3);
    const panel = wb.webview();
    const start = panel.locator('#drain-start');
    await hostCommand('HV01', 'Drain Host…', () =>
      panel
        .locator('section[data-job="drain"]')
        .waitFor({ timeout: 10_000 })
        .then(
          () => true,
          () => false,
        ),
    );
    await start.waitFor({ timeout: 120_000 });
    const planned = await Promise.all((await panel.locator('.placements .vm-card').all()).map((card) => card.getAttribute('data-vm')));
    assert.deepEqual(planned.sort(), ['build01', 'sql01', 'web01']);
    await start.click();
    const rows = panel.locator('table.queue tbody tr');
    await until('three rows', async () => (await rows.count()) === 3);
    await until('every row moved', async () => (await panel.locator('table.queue tr[data-state="succeeded"]').count()) === 3, 120_000);
    assert.match(await panel.locator('#drain-summary').innerText(), /^3 of 3 VMs moved in \d+ s\.$/);
    await until('HV01 empty in the tree', async () => (await vmsUnder('HV01')).length === 0);
    await wb.screenshot('fleet-drain');
  });
});
