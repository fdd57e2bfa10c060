// The entry VS Code's extension host calls to run the extension tests (`extensionTestsPath`), under both
// launchers: code-server (test/integration/launch-codeserver.mjs) and @vscode/test-electron
// (test/integration/launch-electron.mjs). It runs every compiled `*.test.js` next to it with Mocha and
// writes the outcome to the file named by HYPERV_TEST_RESULT_FILE, which the launcher waits for.
import Mocha from 'mocha';
import { readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestOutcome {
  readonly title: string;
  readonly state: 'passed' | 'failed' | 'pending';
  readonly durationMs?: number;
  readonly error?: string;
}

/** What the launchers read back; `exitCode` is 0 only when tests ran and none failed. */
export interface SuiteReport {
  readonly passed: number;
  readonly failed: number;
  readonly pending: number;
  readonly tests: readonly TestOutcome[];
  readonly error?: string;
  readonly exitCode: 0 | 1;
}

function testFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.test.js'))
    .sort()
    .map((name) => join(dir, name));
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

function writeReport(report: SuiteReport): void {
  const file = process.env.HYPERV_TEST_RESULT_FILE;
  if (!file) return;
  writeFileSync(`${file}.partial`, JSON.stringify(report, null, 2));
  renameSync(`${file}.partial`, file);
}

function runMocha(mocha: Mocha, tests: TestOutcome[]): Promise<void> {
  return new Promise((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', (test) => tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration }));
    runner.on('fail', (test, error) => tests.push({ title: test.fullTitle(), state: 'failed', error: errorText(error) }));
    runner.on('pending', (test) => tests.push({ title: test.fullTitle(), state: 'pending' }));
  });
}

export async function run(): Promise<void> {
  // HYPERV_TEST_GREP runs only the tests whose full title matches (while working on one suite).
  const grep = process.env.HYPERV_TEST_GREP;
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: 60_000,
    reporter: 'spec',
    forbidOnly: true,
    forbidPending: true,
    ...(grep && { grep }),
  });
  const tests: TestOutcome[] = [];
  let error: string | undefined;
  try {
    for (const file of testFiles(__dirname)) mocha.addFile(file);
    await runMocha(mocha, tests);
  } catch (thrown) {
    error = errorText(thrown);
  }
  const count = (state: TestOutcome['state']): number => tests.filter((test) => test.state === state).length;
  const passed = count('passed');
  const failed = count('failed');
  if (!error && passed + failed === 0) error = `no extension test ran (looked for *.test.js under ${__dirname})`;
  const exitCode = error || failed > 0 ? 1 : 0;
  writeReport({ passed, failed, pending: count('pending'), tests, exitCode, ...(error ? { error } : {}) });
  if (exitCode !== 0) throw new Error(error ?? `${failed} extension test(s) failed`);
}
