// Restricted Mode as an admin meets it: a repository with a migration plan, opened in a window that does not
// trust it yet (workspace trust on, no startup prompt). The extension activates but runs no PowerShell: no
// pwsh process carries this window's marker, though the workspace asks for a refresh every second and a
// check on every save; the view says why, and the plan opens read-only with its schema's problems. Trusting
// the folder from the view's button brings the lab's hosts in: the same count then finds pwsh running.
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLab, type Lab } from '../support/labFixture';
import { Workbench } from './workbench';

// `destinaton` is misspelt: the schema says so (the move's properties are closed).
const PLAN = `// From a repository nobody has trusted yet
{
  "name": "Patch HV01",
  "moves": [
    { "vm": "web01", "destinaton": "HV02" }
  ]
}
`;

const MARKER = 'HYPERV_UI_WINDOW';

/** Processes named pwsh that carry `value` as this window's marker: what the window's extension host started. */
function pwshProcesses(value: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/comm`, 'utf8').trim() !== 'pwsh') continue;
      if (readFileSync(`/proc/${name}/environ`, 'latin1').split('\0').includes(`${MARKER}=${value}`)) found.push(Number(name));
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

/** The lines of the extension's own log (its LogOutputChannel's file under the user-data folder). */
function extensionLog(userDataDir: string): string {
  const logs = join(userDataDir, 'logs');
  const files = readdirSync(logs, { recursive: true, encoding: 'utf8' }).filter((file) => /Hyper-V[^/]*\.log$/.test(file));
  return files.map((file) => readFileSync(join(logs, file), 'utf8')).join('\n');
}

async function until(what: string, test: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('Workspace trust: a plan in a folder not trusted yet', function () {
  this.timeout(240_000);
  const window = randomUUID();
  let lab: Lab | undefined;
  let workbench: Workbench | undefined;
  let folder: string;

  before(async () => {
    lab = await createLab({ size: 1 });
    folder = mkdtempSync(join(tmpdir(), 'hyperv-trust-ui-'));
    writeFileSync(join(folder, 'patch.migration.json'), PLAN);
    // What a hostile repository would set: a refresh every second and a check on every save.
    mkdirSync(join(folder, '.vscode'));
    writeFileSync(
      join(folder, '.vscode', 'settings.json'),
      JSON.stringify({ 'hyperv.refreshIntervalSeconds': 1, 'hyperv.plans.checkOnSave': true }),
    );
    workbench = await Workbench.open({
      folder,
      env: { HYPERV_LAB_PATH: lab.path, [MARKER]: window },
      workspaceTrust: true,
      // The user's own refresh every 2 s: the timer runs, and must still start nothing.
      settings: {
        'security.workspace.trust.enabled': true,
        'security.workspace.trust.startupPrompt': 'never',
        'hyperv.refreshIntervalSeconds': 2,
      },
    });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await workbench?.screenshot(`failed-${this.currentTest.title}`);
  });

  after(async () => {
    await workbench?.close();
    await lab?.dispose();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('activates in Restricted Mode and says in the view why it shows no host', async () => {
    const wb = workbench!;
    await wb.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor();
    await wb.openHyperV();
    await wb
      .view('Hosts and VMs')
      .locator('.welcome-view-content', { hasText: 'this workspace is not trusted, so Hyper-V Live Migration runs no PowerShell' })
      .waitFor();
    await until("the extension's activation in its log", () =>
      /activated \(lab at .*Restricted Mode: no PowerShell runs/.test(extensionLog(wb.server.userDataDir)),
    );
  });

  it('opens the plan read-only, with the problems its schema finds', async () => {
    const { page } = workbench!;
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('patch.migration.json');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'patch.migration.json' }).first().waitFor();
    await page.keyboard.press('Enter');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-line', { hasText: '"web01"' }).waitFor();

    await page.keyboard.press('Control+Shift+M');
    const rows = page.locator('.markers-panel .monaco-list-row');
    await rows.filter({ hasText: 'Property destinaton is not allowed' }).waitFor();
    const problems = (await rows.allInnerTexts()).join(' | ');
    assert.doesNotMatch(problems, /is not one of the hosts|No VM 'web01'/, `nothing judged against a fleet that was not read: ${problems}`);

    // Typing is refused, and nothing offers to check or run the plan.
    await editor.locator('.view-line', { hasText: '"web01"' }).click();
    await page.keyboard.press('End');
    await page.keyboard.type(' // edited');
    await page
      .locator('.monaco-editor-overlaymessage', { hasText: 'Editor is read-only because the file was set read-only in this session' })
      .waitFor();
    assert.equal(await editor.locator('.view-line', { hasText: '// edited' }).count(), 0, 'the plan is unchanged');
    assert.equal(readFileSync(join(folder, 'patch.migration.json'), 'utf8'), PLAN);
    assert.equal(await page.locator('.contentWidgets .codelens-decoration').count(), 0, 'no code lens');
    assert.equal(await page.locator('.editor-actions .action-label[aria-label^="Run Plan"]').count(), 0, 'no Run Plan in the editor title');
  });

  it('runs no PowerShell meanwhile: no pwsh process of this window', async () => {
    // A few refresh intervals (the user's 2 s, the workspace's 1 s) after everything above.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    assert.deepEqual(pwshProcesses(window), []);
  });

  it("reads the lab's hosts once the folder is trusted from the view, and the plan becomes writable", async () => {
    const wb = workbench!;
    await wb.openHyperV();
    await wb.view('Hosts and VMs').locator('.welcome-view-content .monaco-button', { hasText: 'Manage Workspace Trust' }).click();
    await wb.page
      .locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust/ })
      .first()
      .click();
    await wb.openHyperV();
    await wb.treeRow('HV01').waitFor({ timeout: 90_000 });
    assert.ok(pwshProcesses(window).length > 0, 'the count sees the pwsh sessions of this window');

    await wb.page.locator('.tabs-container .tab', { hasText: 'patch.migration.json' }).click();
    const editor = wb.page.locator('.editor-instance .monaco-editor').first();
    // The editor is made writable when it becomes active again after the grant; keys typed before that are refused,
    // so type until the text lands (a read-only editor never takes it: the test fails after 60 s).
    const edited = editor.locator('.view-line', { hasText: '// edited' });
    for (let attempt = 0; (await edited.count()) === 0; attempt++) {
      assert.ok(attempt < 12, 'the plan stayed read-only after the folder was trusted');
      await editor.locator('.view-line', { hasText: '"web01"' }).click();
      await wb.page.keyboard.press('End');
      await wb.page.keyboard.type(' // edited');
      await edited.waitFor({ timeout: 5_000 }).catch(() => undefined);
    }
  });
});
