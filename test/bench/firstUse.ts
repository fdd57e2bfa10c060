// Bench row: the first Configure Live Migration read of the default lab's 6 hosts against the same read done again,
// in real VS Code (code-server and Chromium, as the UI tests drive it), measured as the user waits: from Enter in
// the host pick to the matrix in the panel. The lab keeps its default network costs (STATE.md: a connection to a
// host, a call in an open session). Before the first read the user looks at the tree for a while (THINK_MS, an
// assumption: reading six hosts and their VMs, finding the menu), which is when the extension gets ready for it.
// The warm reads close the panel and configure again, the same way. Target: the first at most 3 × a warm one.

import { defineScript } from '../../src/powershell/script';
import { Workbench } from '../ui/workbench';
import type { Benchmark, Row } from './bench';
import { median, openBenchLab } from './benchLab';

const THINK_MS = 5_000;
const WARM_READS = 3;
const HOSTS = 6;

const prepare = defineScript<{ path: string }, string[]>(
  'bench.firstUseLab',
  `param($Params)
$null = New-HyperVLab -Path $Params.path -Template Default -Force
@(Get-HyperVLabHost | ForEach-Object Name)`,
  (data) => data as string[],
);

/** Right-click HV01, Configure Live Migration…, every host preselected, Enter: the time until the matrix shows. */
async function configure(workbench: Workbench): Promise<number> {
  const { page } = workbench;
  const pick = page.locator('.quick-input-widget .quick-input-title', { hasText: 'Configure live migration between these hosts' });
  for (let attempt = 1; ; attempt++) {
    await workbench.contextMenu('HV01');
    await workbench.clickMenuItem('Configure Live Migration…');
    const opened = await pick.waitFor({ timeout: 10_000 }).then(
      () => true,
      () => false,
    );
    if (opened) break;
    // A tree refresh re-rendered the row under the menu: once more.
    if (attempt === 3) throw new Error('Configure Live Migration… did not open its host pick');
    await workbench.dismiss();
  }
  const checked = await page.locator('.quick-input-widget .monaco-list-row[aria-checked="true"]').count();
  if (checked !== HOSTS) throw new Error(`the host pick preselected ${checked} hosts, not ${HOSTS}`);
  const started = performance.now();
  await page.keyboard.press('Enter');
  await workbench
    .webview()
    .locator('#pairs-ready', { hasText: /of 30 pairs ready/ })
    .waitFor({ timeout: 120_000 });
  return performance.now() - started;
}

async function closePanel(workbench: Workbench): Promise<void> {
  const tab = workbench.page.locator('.tabs-container .tab.active');
  await tab.hover();
  await tab.locator('.action-label.codicon-close').click();
  await workbench.page.locator('iframe.webview.ready').waitFor({ state: 'detached' });
}

export const firstUseBenchmark: Benchmark = {
  name: 'first use',
  async run(): Promise<Row> {
    const lab = await openBenchLab('first', 1);
    const { pool, path } = lab;
    let workbench: Workbench | undefined;
    try {
      const made = await pool.run(prepare, { path });
      if (!made.ok) throw new Error(made.error.message);
      if (made.data.length !== HOSTS) throw new Error(`the default lab has ${made.data.length} hosts, not ${HOSTS}`);
      await pool.dispose();
      const opened = performance.now();
      workbench = await Workbench.open({ env: { HYPERV_LAB_PATH: path } });
      await workbench.openHyperV();
      await workbench.treeRow('HV06').waitFor({ timeout: 120_000 });
      const tree = performance.now() - opened;
      await new Promise((done) => setTimeout(done, THINK_MS));
      const first = await configure(workbench);
      const warm: number[] = [];
      for (let i = 0; i < WARM_READS; i++) {
        await closePanel(workbench);
        warm.push(await configure(workbench));
      }
      const again = median(warm);
      return {
        measurements: [
          { label: 'workbench opened to the tree showing the 6 hosts', value: tree / 1000, unit: 's' },
          {
            label: `first Configure Live Migration of 6 hosts, Enter to matrix (after ${THINK_MS / 1000} s on the tree)`,
            value: first,
            unit: 'ms',
          },
          { label: `the same again (median of ${WARM_READS})`, value: again, unit: 'ms' },
          { label: 'first ÷ again', value: first / again, unit: '×', target: { atMost: 3 } },
        ],
      };
    } finally {
      await workbench?.close();
      await lab.dispose();
    }
  },
};
