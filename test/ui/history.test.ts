// The migration history in real VS Code and Chromium on a lab of its own: a move of web01 to HV02 through
// the tree and the migration panel, then Hyper-V: Show Migration History lists it with its numbers, the
// filter keeps it or hides it, and Export CSV opens the history as an untitled CSV document.
import * as assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';
import { createLab, type Lab } from '../support/labFixture';
import { migrateFromTree, until } from './moves';
import { Workbench } from './workbench';

describe('Migration history in the workbench', function () {
  this.timeout(300_000);
  let lab: Lab | undefined;
  let workbench: Workbench | undefined;

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

  /** The history panel's page (the migration panel's webview is open beside it). */
  async function historyPage(): Promise<Frame> {
    let found: Frame | undefined;
    await until('the history panel', async () => {
      for (const frame of workbench!.page.frames()) {
        if (
          await frame
            .locator('#history-count')
            .count()
            .catch(() => 0)
        ) {
          found = frame;
          return true;
        }
      }
      return false;
    });
    return found!;
  }

  it('lists the move of web01 with its numbers, filters by host, and exports it as CSV', async () => {
    const wb = workbench!;
    await lab!.run('timeScale', 'param($Params)\nSet-HyperVLabTimeScale -TimeScale $Params.scale', { scale: 40 });
    await wb.openHyperV();
    await wb.expand('HV01');
    await wb.treeRow('web01').waitFor({ timeout: 120_000 });
    const panel = await migrateFromTree(wb, 'web01', 'HV02', /ready/);
    const web01 = panel.locator('section.vm-section[data-vm="web01"]');
    const go = web01.locator('vscode-button[id^="migrate-"]:not([disabled])');
    await go.waitFor({ timeout: 60_000 });
    await go.click();
    await web01.locator('.move.outcome.succeeded').waitFor({ timeout: 120_000 });

    await wb.runCommand('Hyper-V: Show Migration History');
    const page = await historyPage();
    const row = page.locator('table.history tbody tr[data-outcome="succeeded"]', { hasText: 'web01' });
    await row.waitFor({ timeout: 30_000 });
    const cells = (await row.locator('td').allInnerTexts()).map((text) => text.trim());
    assert.equal(cells[1], 'Move');
    assert.equal(cells[2], 'web01');
    assert.equal(cells[3], 'HV01 → HV02');
    assert.match(cells[4] ?? '', /^[\d.]+ [KMGT]?B$/, 'the bytes moved');
    assert.match(cells[5] ?? '', /^[\d.]+ s$|min/, 'how long it took');
    assert.match(cells[6] ?? '', /^[\d.]+ [KMGT]?B\/s$/, 'its average throughput');
    assert.equal(cells[7], 'Succeeded');
    assert.match(cells[8] ?? '', /web01/);
    assert.notEqual(cells[9], '', 'who ran it');
    await wb.screenshot('history');

    const filter = page.locator('#history-filter input');
    await filter.fill('hv02');
    await until('the row kept by the filter', async () => (await row.count()) === 1);
    await filter.fill('no such host');
    await until('the row hidden by the filter', async () => (await row.count()) === 0);
    await filter.fill('');
    await row.waitFor();

    await page.locator('#export-csv').click();
    // Two editor groups (the panels, and the export beside them) each have an active tab: the export's is named.
    await wb.page.locator('.tabs-container .tab.active', { hasText: 'Untitled' }).waitFor();
    const csv = wb.page.locator('.editor-instance .view-lines', { hasText: '"Kind","Started"' });
    await csv.waitFor();
    assert.match(await csv.innerText(), /"Move","[^"]+","[^"]+","web01","HV01","HV02"/);
    await wb.page.locator('.statusbar-item', { hasText: /^CSV$/ }).waitFor();
  });
});
