// What ships is what works: the .vsix that `npm run package` builds (vsce with its licence and repository
// checks, the production bundles) installed into a clean code-server with `--install-extension`, its own
// extensions and user-data folders, and nothing loaded from the repository. On the lab, the tree loads and a
// check runs: sql01 → HV02 finds the Storage switch missing.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createLab, type Lab } from '../support/labFixture';
import { ROOT, Workbench } from './workbench';

/**
 * The .vsix may grow to 1.5 MiB. Measured at 1.17 MiB (1,224,160 bytes; 89 files, 2.1 MB unpacked) when
 * the budget was set: the bundles without source maps, the lab module, eight README/walkthrough screenshots
 * (0.8 MB of it). A budget about 28 % above that leaves room for translations and new screenshots, and
 * fails when tests, sources, source maps or node_modules slip in.
 */
const BUDGET_BYTES = 1.5 * 1024 * 1024;
const VSIX = join(ROOT, 'hyperv-live-migration.vsix');
const ID = 'hyperv-live-migration.hyperv-live-migration';

function npm(...args: string[]): void {
  const result = spawnSync('npm', args, { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
  if (result.status !== 0)
    throw new Error(`npm ${args.join(' ')} failed (exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`);
}

/** Every file under `dir`, relative to it, with `/` separators. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => statSync(join(dir, name)).isFile());
}

describe('The packaged .vsix, installed as users install it', function () {
  this.timeout(300_000);
  let lab: Lab | undefined;
  let workbench: Workbench | undefined;

  before(async function () {
    this.timeout(360_000);
    // Built fresh each run, so what is tested is this tree's package; then the development bundles again
    // (with source maps) for the test files after this one.
    try {
      npm('run', 'package', '--silent');
    } finally {
      npm('run', 'build', '--silent');
    }
    lab = await createLab({ size: 1 });
    workbench = await Workbench.open({ install: [VSIX], development: false, env: { HYPERV_LAB_PATH: lab.path } });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await workbench?.screenshot(`failed-${this.currentTest.title}`);
  });

  after(async () => {
    await workbench?.close();
    await lab?.dispose();
  });

  it(`stays within its size budget (${BUDGET_BYTES / 1024 / 1024} MiB)`, () => {
    const size = statSync(VSIX).size;
    assert.ok(
      size <= BUDGET_BYTES,
      `the .vsix is ${size} bytes, over its budget of ${BUDGET_BYTES}: see .vscodeignore (vsce ls --tree lists what it takes)`,
    );
  });

  it('is installed in the extensions folder with what the Marketplace needs and nothing from development', () => {
    const extensionsDir = workbench!.server.extensionsDir;
    const folder = readdirSync(extensionsDir).find((name) => name.startsWith(`${ID}-`));
    assert.ok(folder, `no ${ID} in ${extensionsDir}: ${readdirSync(extensionsDir).join(', ')}`);
    const installed = join(extensionsDir, folder);
    const shipped = files(installed);
    for (const wanted of [
      'package.json',
      'readme.md',
      'changelog.md',
      'LICENSE.txt',
      'media/icon.png',
      'dist/extension.js',
      'dist/webview.js',
      'dist/fleet.js',
      'schemas/migration-plan.schema.json',
      'src/lab/HyperVLab/HyperVLab.psd1',
    ]) {
      assert.ok(existsSync(join(installed, wanted)), `${wanted} is missing from the package`);
    }
    const unwanted = shipped.filter((file) =>
      /\.map$|\.ts$|^(test|out|node_modules|\.tools|webview|\.ci)\/|^src\/(?!lab\/)|\.vsix$/.test(file),
    );
    assert.deepEqual(unwanted, [], 'no source maps, sources, tests or tools in the package');
  });

  it("shows the lab's hosts and VMs in the tree", async () => {
    const wb = workbench!;
    await wb.openHyperV();
    for (const label of ['HV01', 'HV02', 'CL1']) await wb.treeRow(label).waitFor({ timeout: 90_000 });
    await wb.expand('HV01');
    await wb.treeRow('sql01').waitFor({ timeout: 90_000 });
    assert.match(await wb.treeRow('sql01').innerText(), /Running/);
  });

  it('checks sql01 → HV02 and finds its Storage switch missing there', async () => {
    const wb = workbench!;
    const title = wb.page.locator('.quick-input-widget .quick-input-title', { hasText: 'sql01' });
    for (let attempt = 1; ; attempt++) {
      await wb.contextMenu('sql01');
      // Chosen with the keyboard: a click on the menu can be lost while the tree re-renders under it.
      const focused = wb.page.locator('.monaco-menu .action-item.focused .action-label');
      for (let step = 0; step < 10; step++) {
        await wb.page.keyboard.press('ArrowDown');
        if ((await focused.innerText()).trim() === 'Check Migration…') break;
      }
      await wb.page.keyboard.press('Enter');
      if (
        await title.waitFor({ timeout: 10_000 }).then(
          () => true,
          () => false,
        )
      )
        break;
      if (attempt === 3) throw new Error('the destination quick pick of Check Migration… did not open');
      await wb.dismiss();
    }
    await wb.page.locator('.quick-input-widget input').fill('HV02');
    const row = wb.page
      .locator('.quick-input-widget .monaco-list-row')
      .filter({ has: wb.page.locator('.label-name', { hasText: /^HV02$/ }) });
    await row.filter({ hasText: /blocker/ }).waitFor({ timeout: 90_000 });
    await wb.page.keyboard.press('Enter');
    const sql01 = wb.webview().locator('section.vm-section[data-vm="sql01"]');
    await sql01.locator('.checklist[data-destination="HV02"]').waitFor({ timeout: 60_000 });
    const blocker = sql01.locator('[data-area="network"] .finding[data-severity="blocker"]', { hasText: 'Storage' });
    await blocker.waitFor({ timeout: 60_000 });
  });
});
