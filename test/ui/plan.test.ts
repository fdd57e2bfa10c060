// A plan file as an admin uses it, in real VS Code and Chromium on a lab of its own: open a plan of
// web01 → HV02 and sql01 → HV02, Check Plan from its code lens, see sql01's missing switch in the
// Problems panel, and approve the switch mapping from the lightbulb: the plan records it and the
// problem goes away after the re-check.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLab, type Lab } from '../support/labFixture';
import { Workbench } from './workbench';

const PLAN = `// Patch night: HV01's VMs that must keep running
{
  "name": "Patch HV01",
  "moves": [
    { "vm": "web01", "destination": "HV02", "note": "front end" },
    { "vm": "sql01", "destination": "HV02", "note": "database" }
  ]
}
`;

describe('A plan file in the workbench', function () {
  this.timeout(300_000);
  let lab: Lab | undefined;
  let workbench: Workbench | undefined;
  let folder: string;

  before(async () => {
    lab = await createLab({ size: 1 });
    folder = mkdtempSync(join(tmpdir(), 'hyperv-plan-ui-'));
    writeFileSync(join(folder, 'patch-night.migration.json'), PLAN);
    workbench = await Workbench.open({ folder, env: { HYPERV_LAB_PATH: lab.path } });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await workbench?.screenshot(`failed-${this.currentTest.title}`);
  });

  after(async () => {
    await workbench?.close();
    await lab?.dispose();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  /** The Problems panel's rows, as their text. */
  async function problems(): Promise<string[]> {
    const rows = workbench!.page.locator('.markers-panel .monaco-list-row');
    return (await rows.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
  }

  async function until(what: string, test: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await test())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${(await problems()).join(' | ')}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  it('shows the findings of Check Plan in the Problems panel and applies a quick fix from the lightbulb', async () => {
    const { page } = workbench!;
    // The Hyper-V view first, so the fleet is read before the plan is checked.
    await workbench!.openHyperV();
    await workbench!.treeRow('HV01').waitFor();
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('patch-night.migration.json');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'patch-night.migration.json' }).first().waitFor();
    await page.keyboard.press('Enter');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-line', { hasText: '"sql01"' }).waitFor();

    const lens = page.locator('.contentWidgets .codelens-decoration a', { hasText: /^Check Plan$/ });
    await lens.waitFor();
    await page
      .locator('.contentWidgets .codelens-decoration a', { hasText: /^\$?\(?.*Run Plan: 2 moves/ })
      .first()
      .waitFor();
    await lens.click();

    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel').waitFor();
    await until("sql01's missing switch in the Problems panel", async () =>
      (await problems()).some((row) => row.includes("Switch 'Storage' does not exist on HV02")),
    );
    const rows = await problems();
    assert.ok(!rows.some((row) => /web01/.test(row) && /does not exist/.test(row)), `web01 → HV02 is clean: ${rows.join(' | ')}`);

    // The cursor on sql01's line: the lightbulb shows; its menu lists the fixes of the finding.
    await editor.locator('.view-line span span', { hasText: /^"sql01"$/ }).click();
    const bulb = page.locator('.lightBulbWidget');
    await bulb.waitFor({ timeout: 30_000 });
    await bulb.click();
    const approve = page.locator('.action-widget .monaco-list-row', {
      hasText: 'Approve in the plan: Connect it to a switch of HV02 for the move',
    });
    await approve.waitFor();
    assert.ok(
      await page.locator('.action-widget .monaco-list-row', { hasText: /Create switch 'Storage' on HV02/ }).count(),
      'the create-switch fix is offered too',
    );
    await workbench!.screenshot('plan-problems');
    // Chosen with the keyboard, as the menu's pointer guard swallows an early click.
    const focused = page.locator('.action-widget .monaco-list-row.focused');
    for (let step = 0; step < 5 && !((await focused.getAttribute('aria-label')) ?? '').startsWith('Approve in the plan: Connect'); step++)
      await page.keyboard.press('ArrowDown');
    assert.equal(await focused.getAttribute('aria-label'), 'Approve in the plan: Connect it to a switch of HV02 for the move');
    await page.keyboard.press('Enter');

    // The switch to connect sql01's Storage adapter to on HV02.
    const pick = page.locator('.quick-input-widget');
    await pick.locator('.quick-input-title', { hasText: /Switch on HV02/ }).waitFor();
    await pick.locator('input').fill('LAN1');
    await page.keyboard.press('Enter');

    await until(
      'the problem to clear after the re-check',
      async () => !(await problems()).some((row) => row.includes("Switch 'Storage' does not exist")),
      90_000,
    );
    await editor.locator('.view-line', { hasText: '"map-switch"' }).waitFor();
    await page.keyboard.press('Control+S');
    await until('the plan saved with the approval', () =>
      Promise.resolve(/"fix": "map-switch"[\s\S]*"switch": "LAN1"/.test(readFileSync(join(folder, 'patch-night.migration.json'), 'utf8'))),
    );
  });
});
