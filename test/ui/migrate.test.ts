// Migrate… as an admin does it, in real VS Code and Chromium on a lab of its own: sql01 → HV02 with its
// switch fixed in the panel, a cancelled move, and a move that fails at 40 %.
import * as assert from 'node:assert/strict';
import type { FrameLocator, Locator } from 'playwright-core';
import { createLab, type Lab } from '../support/labFixture';
import { migrateFromTree, until } from './moves';
import { Workbench } from './workbench';

describe('Migrate from the tree in the workbench', function () {
  this.timeout(300_000);
  let lab: Lab | undefined;
  let workbench: Workbench | undefined;

  const setTimeScale = (scale: number) =>
    lab!.run('timeScale', 'param($Params)\nSet-HyperVLabTimeScale -TimeScale $Params.scale', { scale });

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

  /** Labels of the tree's rows, top to bottom. */
  async function treeLabels(): Promise<string[]> {
    return (await workbench!.sideBar.locator('.monaco-list-row .label-name').allInnerTexts()).map((t) => t.trim());
  }

  /** The VMs listed between a host's row and the next host's. */
  async function vmsUnder(host: string): Promise<string[]> {
    const labels = await treeLabels();
    const start = labels.indexOf(host);
    assert.ok(start >= 0, `${host} not in ${labels.join(', ')}`);
    const after = labels.slice(start + 1);
    const end = after.findIndex((l) => /^(HV\d\d|CL\d)$/.test(l));
    return end < 0 ? after : after.slice(0, end);
  }

  const migrate = (vm: string, host: string, readiness: RegExp): Promise<FrameLocator> => migrateFromTree(workbench!, vm, host, readiness);

  function section(panel: FrameLocator, vm: string): Locator {
    return panel.locator(`section.vm-section[data-vm="${vm}"]`);
  }

  it('migrates sql01 to HV02 after mapping its Storage adapter to LAN1 in the panel', async () => {
    const wb = workbench!;
    await setTimeScale(40);
    await wb.openHyperV();
    await wb.expand('HV01');
    await wb.treeRow('sql01').waitFor({ timeout: 120_000 });
    const panel = await migrate('sql01', 'HV02', /blocker/);
    const sql01 = section(panel, 'sql01');
    const blocker = sql01.locator('[data-area="network"] .finding[data-severity="blocker"]');
    await blocker.waitFor({ timeout: 60_000 });
    assert.match(await blocker.innerText(), /Storage/);
    await blocker.scrollIntoViewIfNeeded();
    assert.equal(await sql01.locator('vscode-button[id^="migrate-"]').getAttribute('disabled'), '', 'Migrate waits while something blocks');
    await wb.screenshot('panel-checklist');

    const fix = blocker.locator('.fix[data-fix="map-switch"]');
    await fix.locator('vscode-single-select').click();
    await fix.locator('vscode-single-select').getByRole('option', { name: 'LAN1', exact: true }).click();
    await fix.locator('.fix-controls vscode-button').first().click();
    const fixed = sql01.locator('[data-area="network"] .finding[data-severity="passed"]', { hasText: 'Storage' });
    await fixed.waitFor({ timeout: 60_000 });
    assert.match(await sql01.locator('.plan').innerText(), /LAN1/);

    const go = sql01.locator('vscode-button[id^="migrate-"]:not([disabled])');
    await go.waitFor();
    await go.click();
    const moving = sql01.locator('.move.running');
    await moving.waitFor();
    await until('progress past 0 %', async () => Number.parseInt(await moving.locator('.percent').innerText(), 10) > 0);
    await wb.page.locator('.statusbar-item', { hasText: /1 migration/ }).waitFor();
    await until('the tree to show sql01 migrating', async () => /Migrating \d+%/.test(await wb.treeRow('sql01').innerText()));
    await wb.screenshot('panel-progress');

    await sql01.locator('.move.outcome.succeeded').waitFor({ timeout: 120_000 });
    assert.match(await sql01.locator('.move.outcome .headline').innerText(), /sql01 now runs on HV02/);
    // Under the result, the move's throughput and percent over time, summed up for a screen reader.
    const chart = sql01.locator('.move.outcome.succeeded .move-chart svg');
    assert.equal(await chart.getAttribute('role'), 'img');
    assert.match(
      (await chart.getAttribute('aria-label')) ?? '',
      /^sql01: HV01 → HV02: Over [\d.]+ (s|min \d+ s): average [\d.]+ [KMG]?B\/s, peak [\d.]+ [KMG]?B\/s; 100 % done\.$/,
    );
    assert.ok((await chart.locator('path.chart-percent').getAttribute('d'))?.startsWith('M'), 'the percent is drawn');
    await until('sql01 to leave HV01 in the tree', async () => !(await vmsUnder('HV01')).includes('sql01'));
    // Expanded once the rows stand still (a refresh moves them under the pointer).
    await until('sql01 under HV02 in the tree', async () => {
      const hv02 = wb.treeRow('HV02');
      if ((await hv02.getAttribute('aria-expanded')) === 'false') await hv02.locator('.monaco-tl-twistie').click();
      return (await vmsUnder('HV02')).includes('sql01');
    });
  });

  it('cancels a move of web01 to HV02 and finds web01 still on HV01', async () => {
    await setTimeScale(1);
    const panel = await migrate('web01', 'HV02', /ready/);
    const web01 = section(panel, 'web01');
    const go = web01.locator('vscode-button[id^="migrate-"]:not([disabled])');
    await go.waitFor({ timeout: 60_000 });
    await go.click();
    const moving = web01.locator('.move.running');
    await until(
      'progress past 0 %',
      async () => (await moving.count()) > 0 && Number.parseInt(await moving.locator('.percent').innerText(), 10) > 0,
    );
    await moving.locator('vscode-button', { hasText: 'Cancel' }).click();
    const outcome = web01.locator('.move.outcome.cancelled');
    await outcome.waitFor({ timeout: 60_000 });
    assert.match(await outcome.innerText(), /web01 is (still )?running on HV01/);
    await until('web01 under HV01 in the tree', async () => (await vmsUnder('HV01')).includes('web01'));
  });

  it('shows a move that fails at 40 % translated, with web01 running on HV01 and Retry', async () => {
    const wb = workbench!;
    await setTimeScale(10);
    await lab!.run('fault', "param($Params)\nSet-HyperVLabFault -ComputerName 'HV02' -FailMoveAtPercent 40");
    try {
      const panel = await migrate('web01', 'HV02', /ready/);
      const web01 = section(panel, 'web01');
      const go = web01.locator('vscode-button[id^="migrate-"]:not([disabled])');
      await go.waitFor({ timeout: 60_000 });
      await go.click();
      const outcome = web01.locator('.move.outcome.failed');
      await outcome.waitFor({ timeout: 60_000 });
      const text = await outcome.innerText();
      assert.match(text, /Cause/);
      assert.match(text, /Fix/);
      assert.match(text, /web01 is (still )?running on HV01/);
      await outcome.locator('vscode-button', { hasText: 'Retry' }).waitFor();
      await until('the tree to show web01 running again', async () => /Running/.test(await wb.treeRow('web01').innerText()));
      await wb.screenshot('panel-failure');
      assert.ok((await vmsUnder('HV01')).includes('web01'));
    } finally {
      await lab!.run('clear', "param($Params)\nSet-HyperVLabFault -ComputerName 'HV02' -Clear");
    }
  });
});
