// The extension in German: code-server started with `--locale de`. Without a German language pack
// code-server 4.100.3 resolves the display language to English, for VS Code and for every extension's
// bundles alike (vscode.env.language is "en"; checked: the view stays "Hosts and VMs"). So the test installs
// a language pack of its own (test/fixtures/language-pack-de: German declared, no translations of VS Code)
// and its entry in the user data's languagepacks.json (which a CLI install does not write; the server reads
// it to resolve --locale): VS Code's UI stays English, and the extension's texts come from
// package.nls.de.json and l10n/bundle.l10n.de.json: the view's name, the tree, the menu and the migration
// panel's webview.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLab, type Lab } from '../support/labFixture';
import { ROOT, Workbench } from './workbench';

/** The fixture language pack as a .vsix, packaged with the repository's vsce. */
function languagePack(dir: string): string {
  const vsix = join(dir, 'language-pack-de.vsix');
  const packaged = spawnSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'),
      'package',
      '--no-dependencies',
      '--skip-license',
      '--allow-missing-repository',
      '--out',
      vsix,
    ],
    { cwd: join(ROOT, 'test', 'fixtures', 'language-pack-de'), encoding: 'utf8', timeout: 120_000 },
  );
  if (packaged.status !== 0) throw new Error(`vsce package of the language pack failed:\n${packaged.stdout}${packaged.stderr}`);
  return vsix;
}

/** languagepacks.json as VS Code writes it for an installed language pack: German, from the fixture. */
function languagePacks(): string {
  const pack = join(ROOT, 'test', 'fixtures', 'language-pack-de');
  return JSON.stringify({
    de: {
      hash: 'hyperv-test-de',
      extensions: [{ extensionIdentifier: { id: 'hyperv-live-migration-tests.test-language-pack-de' }, version: '0.0.1' }],
      translations: { vscode: join(pack, 'translations', 'main.i18n.json') },
      label: 'Deutsch',
    },
  });
}

describe('The extension in German (--locale de)', function () {
  this.timeout(240_000);
  let workbench: Workbench | undefined;
  let lab: Lab | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'hyperv-l10n-'));

  before(async () => {
    lab = await createLab({ size: 1 });
    workbench = await Workbench.open({
      env: { HYPERV_LAB_PATH: lab.path },
      locale: 'de',
      install: [languagePack(dir)],
      userDataFiles: { 'languagepacks.json': languagePacks() },
    });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await workbench?.screenshot(`failed-${this.currentTest.title}`);
  });

  after(async () => {
    await workbench?.close();
    await lab?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the view and describes the hosts in German', async () => {
    assert.ok(workbench);
    await workbench.openHyperV();
    // The container's only view: its header is hidden, its name in the side bar's title.
    await workbench.sideBar.locator('.pane-header[aria-label^="Hosts und VMs"]').waitFor({ state: 'attached' });
    // While the lab is read a host says so ("reading…"); then its facts ("… RAM free …"): German either way.
    await workbench
      .treeRow('HV01')
      .filter({ hasText: /wird gelesen…|RAM frei/ })
      .waitFor();
    await workbench
      .treeRow('HV01')
      .filter({ hasText: /RAM frei/ })
      .waitFor({ timeout: 120_000 });
    assert.match(await workbench.treeRow('CL1').innerText(), /2 Knoten/);
  });

  it('opens the migration panel with its webview in German', async () => {
    assert.ok(workbench);
    await workbench.expand('HV01');
    await workbench.treeRow('web01').click({ button: 'right' });
    await workbench.clickMenuItem('Migration prüfen…');
    await workbench.page.locator('.quick-input-widget .quick-input-title', { hasText: 'web01' }).waitFor();
    await workbench.dismiss();
    const panel = workbench.webview();
    await panel.locator('h1', { hasText: 'Migration prüfen: web01' }).waitFor();
    await panel.locator('vscode-button', { hasText: 'Alle prüfen' }).waitFor();
    assert.equal(await panel.locator('html').getAttribute('lang'), 'de');
  });
});
