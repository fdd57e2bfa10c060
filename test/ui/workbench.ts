// The UI-test fixture: real VS Code (code-server) with the built extension under development, driven in
// Debian's headless Chromium through playwright-core. One Workbench per test file:
//
//   let workbench: Workbench;
//   before(async () => (workbench = await Workbench.open()));
//   after(async () => workbench?.close());
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { launchChromium, startCodeServer, type CodeServer } from '../setup/codeServer.mjs';

/** The repository: this file is bundled into out/test/ui/*.test.js. */
export const ROOT = resolve(__dirname, '..', '..', '..');

const WAIT_MS = 30_000;

export interface WorkbenchOptions {
  /** The folder the window opens; default: an empty temp folder. */
  readonly folder?: string;
  /** Extra environment for code-server and the extension host (e.g. HYPERV_LAB_PATH). */
  readonly env?: Record<string, string>;
  /** Extra user settings, e.g. `{ 'hyperv.connection': 'hosts' }`. */
  readonly settings?: Record<string, unknown>;
  /** `.vsix` files installed first, as users install them (`--install-extension`). */
  readonly install?: readonly string[];
  /** Load the repository as the extension under development (default true); false: only what is installed. */
  readonly development?: boolean;
  /** Leave workspace trust on (default off); the folder is then not trusted unless the test trusts it. */
  readonly workspaceTrust?: boolean;
  /** The display language (`--locale`), e.g. `de`; default English. */
  readonly locale?: string;
  /** More files in the user-data folder (name → text), e.g. languagepacks.json. */
  readonly userDataFiles?: Record<string, string>;
}

function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

export class Workbench {
  private constructor(
    readonly page: Page,
    private readonly browser: Browser,
    readonly server: CodeServer,
  ) {}

  static async open(options: WorkbenchOptions = {}): Promise<Workbench> {
    const server = await startCodeServer({
      root: ROOT,
      folder: options.folder,
      // A lab the extension creates itself (no HYPERV_LAB_PATH) costs no simulated network latency in tests.
      env: { HYPERV_LAB_CONNECT_LATENCY_MS: '0', HYPERV_LAB_CALL_LATENCY_MS: '0', ...options.env },
      settings: options.settings,
      install: options.install,
      workspaceTrust: options.workspaceTrust,
      locale: options.locale,
      userDataFiles: options.userDataFiles,
    });
    let browser: Browser | undefined;
    try {
      browser = await launchChromium();
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      page.setDefaultTimeout(WAIT_MS);
      await page.goto(
        server.workbenchUrl({
          folder: server.folder,
          payload: [
            ...(options.development === false ? [] : [['extensionDevelopmentPath', server.remoteUri(ROOT)] as const]),
            ['skipWelcome', 'true'],
          ],
        }),
      );
      await page.locator('.monaco-workbench').waitFor();
      await page.locator('.activitybar .action-label[aria-label^="Hyper-V"]').waitFor();
      return new Workbench(page, browser, server);
    } catch (error) {
      await browser?.close();
      const logs = server.logs();
      await server.stop();
      throw new Error(`the workbench did not come up: ${String(error)}\n${logs}`);
    }
  }

  /** The side bar, where the Hyper-V views live. */
  get sideBar(): Locator {
    return this.page.locator('[id="workbench.parts.sidebar"]');
  }

  /** Clicks an activity-bar item (unless its container is already showing) and returns the side bar. */
  async openContainer(title: string): Promise<Locator> {
    const label = `.action-label[aria-label^="${title}"]`;
    const showing = await this.page.locator(`.activitybar .action-item.checked ${label}`).count();
    if (showing === 0 || !(await this.sideBar.isVisible())) await this.page.locator(`.activitybar ${label}`).click();
    await this.sideBar.waitFor();
    // Park the mouse so the activity bar's hover does not cover the side bar in screenshots.
    await this.page.mouse.move(800, 600);
    return this.sideBar;
  }

  /** Opens the "Hyper-V" activity-bar container. */
  openHyperV(): Promise<Locator> {
    return this.openContainer('Hyper-V');
  }

  /** A view in the side bar by its name, e.g. "Hosts and VMs": the whole pane, header and body. */
  view(name: string): Locator {
    return this.sideBar.locator('.pane').filter({ has: this.page.locator(`.pane-header[aria-label^="${name}"]`) });
  }

  /** The tree row whose label is exactly `label` (the label, not its description). */
  treeRow(label: string): Locator {
    return this.rows('.monaco-list-row', label);
  }

  private rows(selector: string, label: string): Locator {
    return this.sideBar.locator(selector).filter({ has: this.page.locator('.label-name', { hasText: exactly(label) }) });
  }

  /** Expands the row `label` (if collapsed) and returns it once its children are showing. */
  async expand(label: string): Promise<Locator> {
    const row = this.treeRow(label);
    await row.waitFor();
    if ((await row.getAttribute('aria-expanded')) === 'false') await row.locator('.monaco-tl-twistie').click();
    await this.rows('.monaco-list-row[aria-expanded="true"]', label).waitFor();
    return row;
  }

  /** Right-clicks the row `label` and returns the labels of its context menu, in order. */
  async contextMenu(label: string): Promise<string[]> {
    const row = this.treeRow(label);
    await row.click({ button: 'right' });
    const items = this.page.locator('.monaco-menu .action-label');
    await items.first().waitFor();
    return (await items.allInnerTexts()).map((text) => text.trim()).filter((text) => text.length > 0);
  }

  /** Clicks an item of the open context menu. */
  async clickMenuItem(name: string): Promise<void> {
    // The workbench sometimes drops a mouse click on a menu item of a row whose menu was just reopened:
    // hover the item (it takes the menu's focus) and press Enter, as a keyboard user would.
    const item = this.page.locator('.monaco-menu .action-label', { hasText: exactly(name) });
    await item.hover();
    await this.page.locator('.monaco-menu .action-item.focused .action-label', { hasText: exactly(name) }).waitFor();
    await this.page.keyboard.press('Enter');
  }

  /** Closes an open menu or quick pick. */
  async dismiss(): Promise<void> {
    await this.page.keyboard.press('Escape');
  }

  /** Runs a command from the command palette by its full title, e.g. "Hyper-V: Show Log". */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${title}`);
    await this.page
      .locator('.quick-input-list .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: exactly(title) }) })
      .first()
      .click();
  }

  /** The content of the active webview panel (two frames deep). */
  webview(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  }

  /**
   * Saves a screenshot of the window: to media/screenshots/<name>.png (the README's) when
   * HYPERV_SCREENSHOTS=1, else to .test-results/screenshots/<name>.png. Returns the file.
   */
  async screenshot(name: string): Promise<string> {
    const dir = process.env.HYPERV_SCREENSHOTS === '1' ? join(ROOT, 'media', 'screenshots') : join(ROOT, '.test-results', 'screenshots');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
    // Let the workbench's finite animations end (a context menu fades in), so the picture is not caught
    // half-drawn; spinners run forever and are not waited for.
    await this.page.evaluate(`Promise.race([
      Promise.all(document.getAnimations().filter((a) => a.effect?.getComputedTiming().iterations !== Infinity).map((a) => a.finished.catch(() => undefined))),
      new Promise((resolve) => setTimeout(resolve, 1000)),
    ])`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** code-server's and the extension host's logs, for a failure message. */
  logs(): string {
    return this.server.logs();
  }

  /** Closes the browser and stops code-server with everything it started. */
  async close(): Promise<void> {
    try {
      await this.browser.close();
    } finally {
      await this.server.stop();
    }
  }
}
