// The Hyper-V activity-bar container in real VS Code, as a user sees it.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Workbench } from './workbench';

describe('The Hyper-V view in the workbench', function () {
  this.timeout(120_000);
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

  it('shows "Hosts and VMs" with its empty state or its tree when the activity-bar item is clicked', async () => {
    assert.ok(workbench);
    const sideBar = await workbench.openHyperV();
    assert.equal(await sideBar.locator('.composite.title h2').textContent(), 'Hyper-V: Hosts and VMs');
    const view = workbench.view('Hosts and VMs');
    const welcome = view.locator('.welcome-view-content');
    const rows = view.locator('.monaco-list-row');
    await welcome.or(rows.first()).first().waitFor();
    if (await welcome.isVisible()) {
      assert.deepEqual(await welcome.locator('.monaco-button').allInnerTexts(), ['Use the lab', 'Add a Hyper-V host']);
    } else {
      assert.ok((await rows.count()) > 0, 'the tree shows no row');
    }
    const screenshot = await workbench.screenshot('hyperv-view');
    assert.equal(readFileSync(screenshot).subarray(1, 4).toString('latin1'), 'PNG');
  });

  it('shows the Hyper-V log in the Output panel from the command palette', async () => {
    assert.ok(workbench);
    await workbench.runCommand('Hyper-V: Show Log');
    const panel = workbench.page.locator('[id="workbench.parts.panel"]');
    await panel.locator('.view-lines', { hasText: '[info]' }).waitFor();
    assert.equal(await panel.locator('.composite.title select.monaco-select-box').inputValue(), 'Hyper-V');
  });
});
