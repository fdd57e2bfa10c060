// Extension tests in desktop VS Code through @vscode/test-electron (2.5.2, Node 20), for machines that can
// download VS Code (this one cannot; code-server is the default launcher here). Same index.js, same report.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { SETTINGS, toolsEnv } from '../setup/codeServer.mjs';

export async function runInElectron({ root, workspace, work, env, resultFile, extensionTestsPath }) {
  const userDataDir = join(work, 'user-data');
  const extensionsDir = join(work, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  // As with code-server, VS Code may take PATH from a login shell: name the tools' pwsh in the settings.
  const pwsh = join(root, '.tools', 'pwsh', 'pwsh');
  const settings = { ...SETTINGS, ...(existsSync(pwsh) ? { 'hyperv.powershell.path': pwsh } : {}) };
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  let failure;
  try {
    await runTests({
      version: '1.100.3',
      cachePath: join(root, '.tools', 'vscode-test'),
      extensionDevelopmentPath: root,
      extensionTestsPath,
      extensionTestsEnv: toolsEnv(root, env),
      launchArgs: [
        workspace,
        '--user-data-dir',
        userDataDir,
        '--extensions-dir',
        extensionsDir,
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        '--disable-gpu',
      ],
    });
  } catch (error) {
    failure = error;
  }
  // test-electron streams VS Code's own output to ours, so there is no log to add.
  if (existsSync(resultFile)) return { report: JSON.parse(readFileSync(resultFile, 'utf8')), logs: '' };
  throw new Error(
    `VS Code (downloaded by @vscode/test-electron from update.code.visualstudio.com) ended without a test report${failure ? `: ${failure instanceof Error ? failure.message : failure}` : ''}`,
  );
}
