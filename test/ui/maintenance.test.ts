// A maintenance window as an admin runs it, in real VS Code and Chromium on a lab of its own: right-click HV01
// → Enter Maintenance…, start the drain the fleet panel planned, and the tree marks HV01 in maintenance with its
// VMs under other hosts; the lab restarts HV01; Exit Maintenance… plans the return, and once it is started the
// VMs are back under HV01 and the mark is gone. The migration history lists the moves out and back.
import * as assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import { createLab, type Lab } from '../support/labFixture';
import { Workbench } from './workbench';

/** The tree's hosts, in the order shown, and the VMs under each (as `HOST: vm, vm`), read in the page. */
const TREE_BY_HOST = `(() => {
  const out = {};
  let host;
  for (const row of document.querySelectorAll('[id="workbench.parts.sidebar"] .monaco-list-row')) {
    const label = (row.querySelector('.label-name')?.textContent ?? '').trim();
    if (/^(HV\\d\\d|CL\\d)$/.test(label)) out[(host = label)] = [];
    else if (host) out[host].push(label);
  }
  return out;
})()`;

describe('Maintenance windows from the tree in the workbench', function () {
  this.timeout(420_000);
  let lab: Lab | undefined;
  let workbench: Workbench | undefined;
  /** The VMs the drain of HV01 planned to move off it. */
  let leaving: string[] = [];

  before(async () => {
    lab = await createLab({ size: 1 });
    await lab.run('timeScale', 'param($Params)\nSet-HyperVLabTimeScale -TimeScale $Params.scale', { scale: 400 });
    // The fleet as an admin configures it for the window: HV02, where the drain puts HV01's VMs, may hand them back
    // with any protocol (the default lab's HV02 delegates "Kerberos only", so nothing could go back from it).
    await lab.run(
      'anyProtocol',
      "param($Params)\nSet-ADAccountControl -Identity 'CN=HV02,OU=Hyper-V Hosts,DC=contoso,DC=lab' -TrustedToAuthForDelegation $true",
    );
    workbench = await Workbench.open({ env: { HYPERV_LAB_PATH: lab.path } });
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed' || !workbench) return;
    await workbench.screenshot(`failed-${this.currentTest.title}`);
    // What the extension logged of the window (maintenance, drains, moves), for the failure's why.
    const lines = workbench.logs().split('\n');
    console.log(
      lines
        .filter((line) => /maintenance|drain|hyperv\.host/i.test(line))
        .slice(-40)
        .join('\n'),
    );
    await workbench.dismiss();
  });

  after(async () => {
    await workbench?.close();
    await lab?.dispose();
  });

  /** Waits until `test` holds for the VMs the tree lists under each host. */
  async function treeUntil(what: string, test: (byHost: Record<string, string[]>) => boolean, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const byHost = await workbench!.page.evaluate<Record<string, string[]>>(TREE_BY_HOST);
      if (test(byHost)) return;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the tree: ${JSON.stringify(byHost)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** Right-click HV01 → `item`, until `started` shows (a menu item can be lost while the tree re-renders). */
  async function onHv01(item: string, started: () => Promise<unknown>): Promise<void> {
    const wb = workbench!;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const menu = await wb.contextMenu('HV01');
      assert.ok(menu.includes(item), `${item} in ${menu.join(', ')}`);
      await wb.clickMenuItem(item);
      if (
        await started().then(
          () => true,
          () => false,
        )
      )
        return;
      await wb.dismiss();
    }
    throw new Error(`${item} on HV01 did not start`);
  }

  /** The fleet panel's planned moves: waits for Start, notes which VMs it moves, starts them. */
  async function startPlanned(panel: FrameLocator): Promise<string[]> {
    const start = panel.locator('#drain-start');
    await start.waitFor({ timeout: 120_000 });
    if ((await start.getAttribute('disabled')) !== null)
      throw new Error(`nothing to start: ${await panel.locator('section[data-job="drain"]').innerText()}`);
    const vms = await Promise.all((await panel.locator('.placements .vm-card').all()).map((card) => card.getAttribute('data-vm')));
    await start.click();
    return vms.filter((vm): vm is string => vm !== null).sort();
  }

  const hv01 = () => workbench!.treeRow('HV01');

  it('Enter Maintenance… on HV01: the drain is started, HV01 shows in maintenance and its VMs under other hosts', async () => {
    const wb = workbench!;
    await wb.openHyperV();
    await hv01().waitFor({ timeout: 120_000 });
    for (const host of ['HV01', 'HV02', 'HV03', 'HV04', 'HV05', 'HV06']) await wb.expand(host);
    await treeUntil("HV01's three VMs", (byHost) => byHost.HV01?.length === 3);
    const menu = await wb.contextMenu('HV01');
    assert.ok(!menu.includes('Exit Maintenance…'), `no Exit Maintenance… before: ${menu.join(', ')}`);
    await wb.dismiss();

    await onHv01('Enter Maintenance…', () => hv01().filter({ hasText: 'entering maintenance…' }).waitFor({ timeout: 30_000 }));
    assert.equal(await hv01().locator('.codicon-tools').count(), 1, 'HV01 has the maintenance icon');
    leaving = await startPlanned(wb.webview());
    assert.ok(leaving.length >= 2, `the drain moves HV01's VMs: ${leaving.join(', ')}`);

    // The row's text runs label and description together ("HV01in maintenance · …"): matched by the description's start.
    await hv01().filter({ hasText: 'in maintenance ·' }).waitFor({ timeout: 180_000 });
    await treeUntil('the VMs that left HV01 under other hosts', (byHost) =>
      leaving.every((vm) => !byHost.HV01?.includes(vm) && Object.values(byHost).some((vms) => vms.includes(vm))),
    );
    const after = await wb.contextMenu('HV01');
    assert.ok(after.includes('Exit Maintenance…'), after.join(', '));
    assert.ok(!after.includes('Enter Maintenance…'), after.join(', '));
    await wb.dismiss();
    await wb.screenshot('tree-maintenance');
  });

  it('Exit Maintenance… after a restart of HV01: the return is started and the VMs are back under HV01', async () => {
    const wb = workbench!;
    assert.ok(leaving.length > 0, 'the first test put HV01 in maintenance');
    await lab!.run('restart', 'param($Params)\nRestart-Computer -ComputerName $Params.host -Wait -Force', { host: 'HV01' });

    // HV01 read again, its return is planned in Drain / Migrate (the tree says "returning VMs…" once it is started).
    await onHv01('Exit Maintenance…', () => wb.webview().locator('section[data-job="drain"]').waitFor({ timeout: 60_000 }));
    const returning = await startPlanned(wb.webview());
    assert.deepEqual(returning, leaving, 'every VM that left HV01 is planned back');

    await treeUntil('the VMs back under HV01', (byHost) => leaving.every((vm) => byHost.HV01?.includes(vm)), 180_000);
    await hv01()
      .filter({ hasNotText: /maintenance|returning/ })
      .waitFor({ timeout: 60_000 });
    assert.equal(await hv01().locator('.codicon-tools').count(), 0, 'the maintenance icon is gone');
  });

  it('the migration history lists every move out of HV01 and back', async () => {
    const wb = workbench!;
    await wb.runCommand('View: Close All Editors');
    await wb.runCommand('Hyper-V: Show Migration History');
    const history = wb.webview();
    await history.locator('#history-count').waitFor({ timeout: 60_000 });
    const rows = history.locator('table.history tbody tr');
    const moves = async () => (await rows.allInnerTexts()).filter((text) => /\bMove\b/.test(text));
    const deadline = Date.now() + 60_000;
    while ((await moves()).length < 2 * leaving.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
    const listed = await moves();
    for (const vm of leaving) {
      assert.ok(
        listed.some((text) => text.includes(vm) && /HV01 → /.test(text)),
        `${vm} out of HV01 in:\n${listed.join('\n')}`,
      );
      assert.ok(
        listed.some((text) => text.includes(vm) && / → HV01/.test(text)),
        `${vm} back to HV01 in:\n${listed.join('\n')}`,
      );
    }
  });
});
