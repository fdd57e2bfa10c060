// Runs the extension-test suite (test/integration/**/*.test.ts, compiled to out/test/integration) inside a
// real VS Code extension host, through one of two launchers:
//   code-server (default here): test/integration/launch-codeserver.mjs, the payload URL in headless Chromium
//   electron (HYPERV_TEST_LAUNCHER=electron): test/integration/launch-electron.mjs, @vscode/test-electron
// Both run the same index.js, which writes its report to HYPERV_TEST_RESULT_FILE; the launcher reads it.
// The run fails when a test fails, when no test ran, or when no report came.
// Usage: node test/integration/launch.mjs   (after `npm run build`); exit code 0 only on success.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInCodeServer } from './launch-codeserver.mjs';
import { runInElectron } from './launch-electron.mjs';

const LAUNCHERS = { 'code-server': runInCodeServer, electron: runInElectron };

function printReport(report, print) {
  for (const test of report.tests ?? []) {
    const mark = test.state === 'passed' ? '✓' : test.state === 'failed' ? '✗' : '-';
    print(`  ${mark} ${test.title}${test.durationMs !== undefined ? ` (${test.durationMs} ms)` : ''}`);
    if (test.error) print(test.error.replace(/^/gm, '      '));
  }
  if (report.error) print(`  ${report.error}`);
  print(`  extension tests: ${report.passed} passed, ${report.failed} failed, ${report.pending} pending`);
}

/**
 * @param {object} options
 * @param {string} options.root                 the repository (the extension under development)
 * @param {string} [options.launcher]           'code-server' | 'electron'; default HYPERV_TEST_LAUNCHER or code-server
 * @param {Record<string,string>} [options.env] extra environment for the extension host (e.g. HYPERV_LAB_PATH)
 * @param {number} [options.timeoutMs]          how long to wait for the report; default HYPERV_TEST_TIMEOUT_SECONDS or 300 s
 * @param {(line: string) => void} [options.print]
 * @returns {Promise<{passed:number, failed:number, pending:number, ok:boolean}>}
 */
export async function launchExtensionTests(options) {
  const { root, env = {}, print = (line) => console.log(line) } = options;
  const launcher = options.launcher ?? process.env.HYPERV_TEST_LAUNCHER ?? 'code-server';
  const timeoutMs = options.timeoutMs ?? Number(process.env.HYPERV_TEST_TIMEOUT_SECONDS ?? 300) * 1000;
  const run = LAUNCHERS[launcher];
  if (!run) throw new Error(`unknown HYPERV_TEST_LAUNCHER '${launcher}' (use: ${Object.keys(LAUNCHERS).join(', ')})`);
  const extensionTestsPath = join(root, 'out', 'test', 'integration', 'index.js');
  if (!existsSync(extensionTestsPath)) throw new Error(`${extensionTestsPath} is missing; run: npm run build`);
  if (!existsSync(join(root, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing; run: npm run build');

  // Everything of this run lives in one temp folder: the workspace the window opens, the report, and
  // whatever the tests create (HYPERV_TEST_TMP), e.g. a lab file for HYPERV_LAB_PATH.
  const work = mkdtempSync(join(tmpdir(), 'hyperv-extension-tests-'));
  const workspace = join(work, 'workspace');
  mkdirSync(workspace);
  const resultFile = join(work, 'result.json');
  const testEnv = { ...env, HYPERV_TEST_RESULT_FILE: resultFile, HYPERV_TEST_TMP: work };
  print(`extension tests in VS Code via ${launcher}`);
  try {
    const report = await run({ root, workspace, work, env: testEnv, resultFile, extensionTestsPath, timeoutMs, print });
    printReport(report, print);
    const ok = report.exitCode === 0 && report.failed === 0 && report.passed > 0;
    return { passed: report.passed, failed: report.failed, pending: report.pending, ok };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  launchExtensionTests({ root }).then(
    (result) => process.exit(result.ok ? 0 : 1),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
