// The fixture's tree and menu helpers, on a tree every VS Code has (the Explorer), so the Hyper-V UI
// tests can rely on them.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workbench } from './workbench';

describe('The UI-test fixture', function () {
  this.timeout(120_000);
  let workbench: Workbench | undefined;
  let folder: string;

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'hyperv-ui-fixture-'));
    mkdirSync(join(folder, 'HV01'));
    writeFileSync(join(folder, 'HV01', 'web01.txt'), 'web01\n');
    workbench = await Workbench.open({ folder });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await workbench?.screenshot(`failed-${this.currentTest.title}`);
  });

  after(async () => {
    await workbench?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('expands a tree row and shows its children', async () => {
    assert.ok(workbench);
    await workbench.openContainer('Explorer');
    const row = await workbench.expand('HV01');
    assert.equal(await row.getAttribute('aria-expanded'), 'true');
    await workbench.treeRow('web01.txt').waitFor();
  });

  it("lists a row's context menu and closes it", async () => {
    assert.ok(workbench);
    const items = await workbench.contextMenu('web01.txt');
    assert.ok(items.includes('Copy Path'), `menu: ${items.join(' | ')}`);
    await workbench.dismiss();
    await workbench.page.locator('.monaco-menu').waitFor({ state: 'hidden' });
  });
});
