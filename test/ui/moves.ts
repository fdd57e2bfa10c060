// What the UI tests that move VMs share: waiting for a condition, and Migrate… from the tree as an admin
// does it (right-click, the destination quick pick, the migration panel's checklist).
import type { FrameLocator } from 'playwright-core';
import type { Workbench } from './workbench';

export async function until(what: string, test: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Right-click → Migrate… → the destination quick pick: waits for the host's readiness, then picks it. */
export async function migrateFromTree(wb: Workbench, vm: string, host: string, readiness: RegExp): Promise<FrameLocator> {
  const title = wb.page.locator('.quick-input-widget .quick-input-title', { hasText: `Migrate ${vm} from` });
  for (let attempt = 1; ; attempt++) {
    await wb.contextMenu(vm);
    // Chosen with the keyboard: a click on the menu can be lost while the tree re-renders under it.
    const focused = wb.page.locator('.monaco-menu .action-item.focused .action-label');
    for (let step = 0; step < 10; step++) {
      await wb.page.keyboard.press('ArrowDown');
      if ((await focused.innerText()).trim() === 'Migrate…') break;
    }
    await wb.page.keyboard.press('Enter');
    const shown = await title.waitFor({ timeout: 10_000 }).then(
      () => true,
      () => false,
    );
    if (shown) break;
    if (attempt === 3) throw new Error(`the destination quick pick for ${vm} did not open`);
    await wb.dismiss();
  }
  // Typed and accepted with Enter: the rows change under the pointer while their readiness comes in.
  await wb.page.locator('.quick-input-widget input').fill(host);
  const row = wb.page
    .locator('.quick-input-widget .monaco-list-row')
    .filter({ has: wb.page.locator('.label-name', { hasText: new RegExp(`^${host}$`) }) });
  await row.filter({ hasText: readiness }).waitFor({ timeout: 90_000 });
  await wb.page.keyboard.press('Enter');
  const panel = wb.webview();
  const section = panel.locator(`section.vm-section[data-vm="${vm}"]`);
  // A section kept from an earlier move of the VM still shows that move (and its Migrate button) until the pick
  // reaches the panel: a click before then would act on the earlier check, so the earlier outcome must go first.
  await section.locator('.move.outcome').waitFor({ state: 'detached', timeout: 60_000 });
  await section.locator(`.checklist[data-destination="${host}"]`).waitFor({ timeout: 60_000 });
  return panel;
}
