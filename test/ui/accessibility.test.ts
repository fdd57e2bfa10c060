// The panels as a keyboard and screen-reader user meets them, in real VS Code and Chromium on a lab of its
// own: axe-core (https://github.com/dequelabs/axe-core) runs inside each panel's own document (the inner
// frame of VS Code's webview host, so VS Code's chrome around it is not judged) in the states an admin sees:
// the migration panel's destinations and checklist, the fleet panel's Configure matrix, a drain planned and
// run, the HA workflow. A violation of impact serious or critical fails the test; no rule is turned off.
// Beside the scan, what axe cannot judge: the matrix moves with the arrow keys and opens a pair with Enter or
// Space (focus stays on it), buttons and disclosures work with the keyboard, status changes are announced
// in a live region, and each state is written in words, not only in colour.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Frame, Page } from 'playwright-core';
import { createLab, type Lab } from '../support/labFixture';
import { Workbench } from './workbench';

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const FAILING_IMPACTS = ['serious', 'critical'];
const RULE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

interface Violation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: string; readonly summary: string }[];
}

/** The panel document (VS Code's inner webview frame) that holds `selector`. */
async function panelFrame(page: Page, selector: string, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame() || frame.isDetached()) continue;
      const found = await frame.$(selector).catch(() => null);
      if (found) return frame;
    }
    if (Date.now() > deadline) throw new Error(`no panel shows ${selector}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** axe-core's WCAG 2.1 A/AA and best-practice rules on the panel's whole document, shadow roots included. */
async function scan(frame: Frame): Promise<Violation[]> {
  if (!(await frame.evaluate<boolean>('typeof window.axe !== "undefined"'))) await frame.evaluate(AXE_SOURCE);
  // Evaluated in the panel's document, as text: this file is compiled for Node, without the DOM's types.
  return frame.evaluate<Violation[]>(`window.axe
    .run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(RULE_TAGS)} }, resultTypes: ['violations'] })
    .then((result) => result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: JSON.stringify(n.target), summary: (n.failureSummary || '').replace(/\\s+/g, ' ') })),
    })))`);
}

/** Fails on every serious or critical violation, listing each with the elements it was found on. */
async function assertAccessible(frame: Frame, where: string): Promise<void> {
  const violations = (await scan(frame)).filter((v) => FAILING_IMPACTS.includes(v.impact ?? ''));
  assert.deepEqual(
    violations.map((v) => `${v.id} (${v.impact ?? '?'}): ${v.help}\n${v.nodes.map((n) => `    ${n.target}: ${n.summary}`).join('\n')}`),
    [],
    `${where}: axe-core found serious or critical violations`,
  );
}

/** The panel's live log: the last messages it gave a screen reader, one per line. */
function announced(frame: Frame): Promise<string> {
  return frame.evaluate<string>(
    `[...(document.querySelector('[role="log"][aria-live="polite"]')?.children ?? [])].map((p) => p.textContent).join('\\n')`,
  );
}

/** The focused element of the panel, as `data-pair`, id or its text. */
function focused(frame: Frame): Promise<string> {
  return frame.evaluate<string>(`(() => {
    const active = document.activeElement;
    return active?.dataset?.pair ?? (active?.id || active?.textContent?.trim() || '');
  })()`);
}

describe('Accessibility of the panels (axe-core, keyboard, screen reader)', function () {
  // Generous: the lab answers slowly on a busy machine, and nothing here asserts on time.
  this.timeout(600_000);
  let lab: Lab | undefined;
  let workbench: Workbench | undefined;

  before(async () => {
    lab = await createLab({ size: 1 });
    await lab.run('timeScale', 'param($Params)\nSet-HyperVLabTimeScale -TimeScale $Params.scale', { scale: 400 });
    workbench = await Workbench.open({ env: { HYPERV_LAB_PATH: lab.path } });
    await workbench.openHyperV();
    await workbench.treeRow('HV01').waitFor({ timeout: 120_000 });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await workbench?.screenshot(`failed-${this.currentTest.title}`);
  });

  after(async () => {
    await workbench?.close();
    await lab?.dispose();
  });

  async function until(what: string, test: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await test())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** Right-click a tree row → a menu item (hover and Enter); retried when a refresh re-rendered the row under the menu. */
  async function rowCommand(row: string, item: string, opened: () => Promise<boolean>): Promise<void> {
    const wb = workbench!;
    for (let attempt = 1; ; attempt++) {
      const menu = await wb.contextMenu(row);
      assert.ok(menu.includes(item), `${item} in ${menu.join(', ')}`);
      await wb.page.locator('.monaco-menu .action-label', { hasText: item }).hover();
      await wb.page.keyboard.press('Enter');
      if (await opened()) return;
      if (attempt === 3) throw new Error(`${item} on ${row} did not open`);
      await wb.dismiss();
    }
  }

  const shows =
    (locator: { waitFor(options: { timeout: number }): Promise<void> }, timeout = 30_000) =>
    () =>
      locator.waitFor({ timeout }).then(
        () => true,
        () => false,
      );

  it('the migration panel: destinations and a checklist with fixes pass axe; buttons and evidence work from the keyboard; the check is announced', async () => {
    const wb = workbench!;
    await wb.expand('HV01');
    await wb.treeRow('sql01').waitFor({ timeout: 120_000 });
    const title = wb.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Migrate sql01 from' });
    await rowCommand('sql01', 'Migrate…', shows(title));
    await wb.page.locator('.quick-input-widget input').fill('HV02');
    const row = wb.page
      .locator('.quick-input-widget .monaco-list-row')
      .filter({ has: wb.page.locator('.label-name', { hasText: /^HV02$/ }) });
    await row.waitFor();
    await wb.page.keyboard.press('Enter');
    const frame = await panelFrame(
      wb.page,
      'section.vm-section[data-vm="sql01"] .checklist[data-destination="HV02"] .finding[data-severity="blocker"]',
      240_000,
    );

    await assertAccessible(frame, 'the migration panel with a blocker and its fixes');
    await until('the check announced', async () => /sql01.*HV02.*1 blocker/.test(await announced(frame)));
    const area = await frame.locator('[data-area="network"] h4').innerText();
    assert.match(area, /Blocker/, 'the area says its worst severity in words, not only by its icon colour');

    // The evidence opens from the keyboard.
    const evidence = frame.locator('[data-area="network"] details.evidence').first();
    await evidence.locator('summary').focus();
    await wb.page.keyboard.press('Enter');
    assert.equal(await evidence.getAttribute('open'), '', 'Enter on the summary opens the evidence');
    await assertAccessible(frame, 'the migration panel with the evidence open');

    // Check another destination with the keyboard: the button named for its host, Enter.
    const check = frame.getByRole('button', { name: 'Check the move of sql01 to HV03' });
    await frame.locator('vscode-button[aria-label="Check the move of sql01 to HV03"]:not([disabled])').waitFor();
    await check.focus();
    await wb.page.keyboard.press('Enter');
    await frame.locator('section.vm-section[data-vm="sql01"] .checklist[data-destination="HV03"]').waitFor({ timeout: 240_000 });
    await until('the HV03 check announced', async () => /sql01.*HV03/.test(await announced(frame)));
    await assertAccessible(frame, 'the migration panel on HV03');
  });

  it('the fleet panel: the Configure matrix passes axe, is a grid that moves with the arrow keys and opens a pair with Enter or Space', async () => {
    const wb = workbench!;
    // The migration panel's background checks end with it.
    await wb.runCommand('View: Close All Editors');
    const pick = wb.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Configure live migration between these hosts' });
    await rowCommand('HV01', 'Configure Live Migration…', shows(pick));
    await wb.page.keyboard.press('Enter');
    const frame = await panelFrame(wb.page, 'table.matrix td[data-pair]', 120_000);
    // What the read found does not matter here (a host may even time out on a busy machine): how it is shown does.
    const pairs = frame.locator('#pairs-ready');
    await pairs.waitFor({ timeout: 240_000 });
    const ready = (await pairs.innerText()).trim();
    assert.match(ready, /^\d+ of 30 pairs ready$/);
    await assertAccessible(frame, 'the Configure matrix');
    await until('the read announced', async () => (await announced(frame)).includes(ready));

    assert.equal(await frame.locator('table.matrix').getAttribute('role'), 'grid');
    assert.equal(
      await frame.locator('table.matrix [role="gridcell"][tabindex="0"]').count(),
      1,
      'one cell in the tab order (roving tabindex)',
    );
    const cell = frame.locator('td[data-pair="HV01>HV02"]');
    assert.match(
      (await cell.getAttribute('aria-label')) ?? '',
      /^HV01 to HV02: (ready|not ready|not known)/,
      'each cell says its pair and state in words',
    );
    await cell.focus();
    await wb.page.keyboard.press('ArrowRight');
    assert.equal(await focused(frame), 'HV01>HV03');
    await wb.page.keyboard.press('ArrowDown');
    assert.equal(await focused(frame), 'HV02>HV03');
    await wb.page.keyboard.press('ArrowLeft');
    await wb.page.keyboard.press('ArrowLeft');
    assert.equal(await focused(frame), 'HV02>HV01', 'the same host (HV02>HV02) is a cell of the grid too');
    await wb.page.keyboard.press('Enter');
    await frame.locator('.pair-detail h4', { hasText: 'HV02 → HV01' }).waitFor();
    assert.equal(await focused(frame), 'HV02>HV01', 'focus stays on the cell when the detail opens');
    assert.equal(await frame.locator('td[data-pair="HV02>HV01"]').getAttribute('aria-selected'), 'true');
    await wb.page.keyboard.press('End');
    assert.equal(await focused(frame), 'HV02>HV06');
    await wb.page.keyboard.press(' ');
    await frame.locator('.pair-detail h4', { hasText: 'HV02 → HV06' }).waitFor();
    assert.equal(await focused(frame), 'HV02>HV06');
    await assertAccessible(frame, 'the Configure matrix with a pair open');
  });

  it('the fleet panel: a drain planned and run passes axe; its progress and end are announced', async () => {
    const wb = workbench!;
    await rowCommand(
      'HV01',
      'Drain Host…',
      async () =>
        await panelFrame(wb.page, 'section[data-job="drain"]', 10_000).then(
          () => true,
          () => false,
        ),
    );
    const frame = await panelFrame(wb.page, '#drain-start', 240_000);
    await frame.locator('.placements .vm-card').first().waitFor();
    await assertAccessible(frame, 'the drain, planned');
    const ratings = frame.locator('.placements details').first();
    await ratings.locator('summary').focus();
    await wb.page.keyboard.press(' ');
    assert.equal(await ratings.getAttribute('open'), '', 'Space on the summary opens the ratings');
    await assertAccessible(frame, 'the drain with its ratings open');

    await frame.locator('#drain-start').focus();
    await wb.page.keyboard.press('Enter');
    await frame.locator('table.queue tbody tr').first().waitFor({ timeout: 120_000 });
    await assertAccessible(frame, 'the drain, running');
    await until('the moves ended', async () => (await frame.locator('#drain-summary').count()) === 1, 240_000);
    const summary = await frame.locator('#drain-summary').innerText();
    assert.match(summary, /^\d of 3 VMs moved/);
    await until('the end announced', async () => (await announced(frame)).includes(summary));
    await assertAccessible(frame, 'the drain, done');
  });

  it('the fleet panel: the HA workflow passes axe', async () => {
    const wb = workbench!;
    await wb.expand('CL1');
    await wb.expand('HV05');
    await wb.treeRow('erp01').waitFor({ timeout: 120_000 });
    const title = wb.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Move erp01 out of cluster' });
    await rowCommand('erp01', 'Migrate…', shows(title));
    await wb.page.keyboard.press('Enter');
    const frame = await panelFrame(wb.page, 'section[data-job="ha"] #ha-start', 120_000);
    await assertAccessible(frame, 'the HA workflow, ready');
    await until('the workflow announced', async () => /erp01/.test(await announced(frame)));
  });
});
