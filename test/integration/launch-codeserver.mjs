// Extension tests in code-server: the workbench opens in headless Chromium with a `payload` naming the
// extension under development and the test entry; VS Code loads the extension and calls index.js's
// run() in its Node extension host (which inherits code-server's environment, so it sees
// HYPERV_TEST_RESULT_FILE). The page stays open until the report file appears or the time is up.
import { existsSync, readFileSync } from 'node:fs';
import { launchChromium, startCodeServer } from '../setup/codeServer.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves to { report, logs }; logs (server, extension host, browser console) when the run failed. */
export async function runInCodeServer({ root, workspace, env, resultFile, extensionTestsPath, timeoutMs }) {
  const server = await startCodeServer({ root, folder: workspace, env });
  const browserLog = [];
  const logs = () => [server.logs(), ...browserLog.slice(-100)].join('\n');
  let browser;
  try {
    browser = await launchChromium();
    const page = await browser.newPage();
    page.on('console', (message) => browserLog.push(`[browser ${message.type()}] ${message.text()}`));
    page.on('pageerror', (error) => browserLog.push(`[browser error] ${error.message}`));
    let closed = false;
    page.once('close', () => (closed = true));
    let exited;
    void server.exited.then((result) => (exited = result));
    await page.goto(
      server.workbenchUrl({
        folder: workspace,
        payload: [
          ['extensionDevelopmentPath', server.remoteUri(root)],
          ['extensionTestsPath', server.remoteUri(extensionTestsPath)],
          ['skipWelcome', 'true'],
        ],
      }),
    );
    const deadline = Date.now() + timeoutMs;
    while (!existsSync(resultFile)) {
      if (exited) throw new Error(`code-server exited (code ${exited.code}, signal ${exited.signal}) before the tests reported`);
      if (closed) throw new Error('the workbench page closed before the tests reported');
      if (Date.now() > deadline) {
        throw new Error(
          `no test report after ${timeoutMs / 1000} s (HYPERV_TEST_TIMEOUT_SECONDS): the extension host never finished run()`,
        );
      }
      await sleep(200);
    }
    const report = JSON.parse(readFileSync(resultFile, 'utf8'));
    return { report, logs: report.exitCode === 0 ? '' : logs() };
  } catch (error) {
    throw Object.assign(error instanceof Error ? error : new Error(String(error)), { logs: logs() });
  } finally {
    await browser?.close();
    await server.stop();
  }
}
