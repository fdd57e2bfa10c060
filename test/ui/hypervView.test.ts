// The Hyper-V activity-bar container in real VS Code, as a user sees it.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { until } from './moves';
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

  it('shows "Hosts and VMs" on the lab when the activity-bar item is clicked', async () => {
    assert.ok(workbench);
    const sideBar = await workbench.openHyperV();
    assert.equal(await sideBar.locator('.composite.title h2').textContent(), 'Hyper-V: Hosts and VMs');
    const view = workbench.view('Hosts and VMs');
    await view.locator('.monaco-list-row').first().waitFor();
    assert.equal(await view.locator('.welcome-view-content').count(), 0, 'no empty state while the lab is on');
    const file = await workbench.screenshot('hyperv-view');
    assert.equal(readFileSync(file).subarray(1, 4).toString('latin1'), 'PNG', 'the screenshot is a PNG');
  });

  it('shows the Hyper-V log in the Output panel from the command palette', async () => {
    assert.ok(workbench);
    await workbench.runCommand('Hyper-V: Show Log');
    const panel = workbench.page.locator('[id="workbench.parts.panel"]');
    await panel.locator('.view-lines', { hasText: '[info]' }).waitFor();
    assert.equal(await panel.locator('.composite.title select.monaco-select-box').inputValue(), 'Hyper-V');
  });
});

describe('The Hyper-V view with no host configured', function () {
  this.timeout(120_000);
  let workbench: Workbench | undefined;

  before(async () => {
    workbench = await Workbench.open({ settings: { 'hyperv.connection': 'hosts' } });
  });

  after(async () => {
    await workbench?.close();
  });

  it('offers "Use the lab" and "Add a Hyper-V host", and the lab button fills the tree', async () => {
    assert.ok(workbench);
    await workbench.openHyperV();
    const view = workbench.view('Hosts and VMs');
    const welcome = view.locator('.welcome-view-content');
    // The view's welcome is drawn before its when clause (the connection, workspace trust) is evaluated: wait for its buttons.
    // Drawn again once the clause is known (a loaded machine saw no buttons between the two reads): read until it settles.
    const expected = ['Use the lab', 'Add a Hyper-V host'];
    let shown: string[] = [];
    await until(`the welcome's buttons ${expected.join(', ')}`, async () => {
      shown = await welcome.locator('.monaco-button').allInnerTexts();
      return shown.join('|') === expected.join('|');
    });
    assert.deepEqual(shown, expected);
    await workbench.screenshot('welcome');
    await welcome.locator('.monaco-button', { hasText: 'Use the lab' }).click();
    await workbench.treeRow('HV01').waitFor();
    assert.equal(await welcome.count(), 0);
  });
});
