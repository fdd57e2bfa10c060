// Runs the extension-test suite (test/integration/**/*.test.ts, compiled to out/test/integration) inside a
// real VS Code extension host, through one of two launchers:
//   code-server (default here): test/integration/launch-codeserver.mjs, the payload URL in headless Chromium
//   electron (HYPERV_TEST_LAUNCHER=electron): test/integration/launch-electron.mjs, @vscode/test-electron
// Both run the same index.js, which writes its report to HYPERV_TEST_RESULT_FILE; the launcher reads it.
// The run fails when a test fails, when no test ran, or when no report came.
// Usage: node test/integration/launch.mjs   (after `npm run build`); exit code 0 only on success.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
 * Never throws for a run that went wrong: the result says what (`problem`), after the logs were printed.
 * @param {object} options
 * @param {string} options.root                 the repository (the extension under development)
 * @param {string} [options.launcher]           'code-server' | 'electron'; default HYPERV_TEST_LAUNCHER or code-server
 * @param {Record<string,string>} [options.env] extra environment for the extension host (e.g. HYPERV_LAB_PATH)
 * @param {number} [options.timeoutMs]          how long to wait for the report; default HYPERV_TEST_TIMEOUT_SECONDS or 300 s
 * @param {(line: string) => void} [options.print]
 * @returns {Promise<{passed:number, failed:number, pending:number, ok:boolean, problem?:string}>}
 */
export async function launchExtensionTests(options) {
  const { root, env = {}, print = (line) => console.log(line) } = options;
  const launcher = options.launcher ?? process.env.HYPERV_TEST_LAUNCHER ?? 'code-server';
  const timeoutMs = options.timeoutMs ?? Number(process.env.HYPERV_TEST_TIMEOUT_SECONDS ?? 300) * 1000;
  const failure = (problem) => {
    print(`extension tests: ${problem}`);
    return { passed: 0, failed: 0, pending: 0, ok: false, problem };
  };
  const run = LAUNCHERS[launcher];
  if (!run) return failure(`unknown HYPERV_TEST_LAUNCHER '${launcher}' (use: ${Object.keys(LAUNCHERS).join(', ')})`);
  const extensionTestsPath = join(root, 'out', 'test', 'integration', 'index.js');
  for (const built of [extensionTestsPath, join(root, 'dist', 'extension.js')]) {
    if (!existsSync(built)) return failure(`${built} is missing; run: npm run build`);
  }

  // Everything of this run lives in one temp folder: the workspace the window opens, the report, and
  // whatever the tests create (HYPERV_TEST_TMP), e.g. a lab file for HYPERV_LAB_PATH.
  const work = mkdtempSync(join(tmpdir(), 'hyperv-extension-tests-'));
  const workspace = join(work, 'workspace');
  mkdirSync(workspace);
  const resultFile = join(work, 'result.json');
  // The lab the extension creates for the tests costs no simulated network latency (New-HyperVLab reads these).
  const testEnv = {
    HYPERV_LAB_CONNECT_LATENCY_MS: '0',
    HYPERV_LAB_CALL_LATENCY_MS: '0',
    ...env,
    HYPERV_TEST_RESULT_FILE: resultFile,
    HYPERV_TEST_TMP: work,
  };
  print(`extension tests in VS Code via ${launcher}`);
  try {
    const { report, logs } = await run({ root, workspace, work, env: testEnv, resultFile, extensionTestsPath, timeoutMs });
    printReport(report, print);
    if (logs) print(`--- logs ---\n${logs}`);
    const ok = report.exitCode === 0 && report.failed === 0 && report.passed > 0;
    const problem = report.error ? report.error.split('\n')[0] : undefined;
    return { passed: report.passed, failed: report.failed, pending: report.pending, ok, ...(problem ? { problem } : {}) };
  } catch (error) {
    if (error?.logs) print(`--- logs ---\n${error.logs}`);
    return failure(`did not complete: ${error instanceof Error ? error.message : error}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const result = await launchExtensionTests({ root });
  // Under test/run.mjs, the counts go to HYPERV_TEST_STATS (as the Mocha layers' reporter writes them).
  if (process.env.HYPERV_TEST_STATS) {
    const { passed, failed, pending, problem } = result;
    writeFileSync(process.env.HYPERV_TEST_STATS, JSON.stringify({ passed, failed, pending, problem }));
  }
  process.exitCode = result.ok ? 0 : 1;
}
