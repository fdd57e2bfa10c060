// A machine whose PowerShell startup profile is corrupt (PowerShell/PowerShell issue 26528), as an admin meets
// it: every pwsh of theirs crashes at start. The extension's sessions do not read that file, so the tree loads;
// the extension tells which file is damaged and, when asked, deletes it.
import * as assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveExecutable } from '../../src/powershell/executable';
import { createLab, type Lab } from '../support/labFixture';
import { PROFILE, breakAssemblyNames, writeRealProfile } from '../powershell/fixtures/startupProfiles';
import { Workbench } from './workbench';

describe('A corrupt PowerShell startup profile in the workbench', function () {
  this.timeout(300_000);
  let lab: Lab | undefined;
  let workbench: Workbench | undefined;
  let cache: string;
  let userProfile: string;
  let corrupt: Buffer;

  before(async () => {
    const executable = await resolveExecutable(undefined);
    assert.ok(executable, 'pwsh on PATH');
    corrupt = breakAssemblyNames(await writeRealProfile(executable));
    // The user's PowerShell cache, as XDG_CACHE_HOME names it for the extension host (and every pwsh it would start).
    cache = await mkdtemp(join(tmpdir(), 'hvlm-user-cache-'));
    userProfile = join(cache, 'powershell', PROFILE);
    await mkdir(join(cache, 'powershell'), { recursive: true });
    await writeFile(userProfile, corrupt);
    lab = await createLab({ size: 1 });
    workbench = await Workbench.open({ env: { HYPERV_LAB_PATH: lab.path, XDG_CACHE_HOME: cache } });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await workbench?.screenshot(`failed-${this.currentTest.title}`);
  });

  after(async () => {
    await workbench?.close();
    await lab?.dispose();
    await rm(cache, { recursive: true, force: true });
  });

  it('loads the tree and says which startup profile is damaged and how to mend it', async () => {
    assert.ok(workbench);
    await workbench.openHyperV();
    // Generous: the sessions start on a machine that may be busy with other work.
    for (const label of ['HV01', 'HV02', 'CL1'])
      await workbench.treeRow(label).filter({ hasNotText: 'reading' }).waitFor({ timeout: 180_000 });
    await workbench.expand('HV01');
    await workbench.treeRow('web01').waitFor();

    // The warning comes at activation; its toast may have hidden by the time the tree is read, the center keeps it.
    await workbench.runCommand('Notifications: Show Notifications');
    const item = workbench.page.locator('.notifications-center .notification-list-item').filter({ hasText: 'startup profile' });
    await item.waitFor().catch((error: unknown) => {
      throw new Error(`no notification about the startup profile: ${String(error)}\n${workbench?.logs() ?? ''}`);
    });
    const text = await item.innerText();
    assert.ok(text.includes(userProfile), `the notification names the file: ${text}`);
    assert.match(text, /The given assembly name was invalid/);
    assert.match(text, /issue 26528.*Delete the file to mend it: PowerShell writes a new one at its next start/s);
    assert.ok((await readFile(userProfile)).equals(corrupt), "the user's file is untouched until they say so");
    await workbench.screenshot('startup-profile-damaged');
  });

  it('deletes the damaged file when the user clicks Delete File', async () => {
    assert.ok(workbench);
    const item = workbench.page.locator('.notifications-center .notification-list-item').filter({ hasText: 'startup profile' });
    await item.getByRole('button', { name: 'Delete File' }).click();
    const deadline = Date.now() + 30_000;
    while (
      await readFile(userProfile).then(
        () => true,
        () => false,
      )
    ) {
      if (Date.now() > deadline) throw new Error(`${userProfile} is still there`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });
});
