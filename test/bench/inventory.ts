// Inventory of the Scale lab (30 hosts, 250 VMs) with 50 ms simulated latency per host round trip: the
// whole tree's data read in parallel through the pool, against the same hosts read one after another in
// the same run. Pool size: the extension's default (package.json), so what is measured is what ships.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readFleet } from '../../src/hyperv/inventory';
import { PowerShellPool } from '../../src/powershell/pool';
import { defineScript } from '../../src/powershell/script';
import type { PowerShellRunner } from '../../src/powershell/types';
import type { Benchmark, Row } from './bench';

const ROOT = resolve(__dirname, '..', '..', '..');
const LATENCY_MS = 50;

const prepare = defineScript<{ path: string; latency: number }, string[]>(
  'bench.scaleLab',
  `param($Params)
$null = New-HyperVLab -Path $Params.path -Template Scale -Force
$hosts = @(Get-HyperVLabHost | ForEach-Object Name)
foreach ($h in $hosts) { Set-HyperVLabFault -ComputerName $h -LatencyMs $Params.latency }
@($hosts)`,
  (data) => data as string[],
);

async function timed(action: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await action();
  return performance.now() - start;
}

async function warm(pool: PowerShellRunner, hosts: readonly string[]): Promise<void> {
  // Start every session once (process start is not what is measured) and let the lab cache its file.
  await readFleet(pool, hosts.map((name) => ({ name })));
}

/** Refreshes before the measured ones: the tree re-reads the fleet on its interval, so its sessions are warm (JIT, lab views). */
const WARM_REFRESHES = 4;

export const inventoryBenchmark: Benchmark = {
  name: 'inventory',
  async run(): Promise<Row> {
    const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { default?: unknown }> } };
    };
    const size = Number(manifest.contributes.configuration.properties['hyperv.powershell.poolSize']?.default);
    const dir = await mkdtemp(join(tmpdir(), 'hyperv-bench-'));
    const path = join(dir, 'lab.json');
    const pool = new PowerShellPool({
      size,
      defaultTimeoutMs: 120_000,
      env: { HYPERV_LAB_PATH: path },
      modules: [join(ROOT, 'src', 'lab', 'HyperVLab', 'HyperVLab.psd1')],
    });
    try {
      const made = await pool.run(prepare, { path, latency: LATENCY_MS });
      if (!made.ok) throw new Error(made.error.message);
      const hosts = made.data;
      await warm(pool, hosts);
      const refresh = () => readFleet(pool, hosts.map((name) => ({ name })));
      const first = await timed(async () => void (await refresh()));
      for (let i = 1; i < WARM_REFRESHES; i++) await refresh();
      let vms = 0;
      let calls = 0;
      const parallel: number[] = [];
      for (let round = 0; round < 3; round++) {
        parallel.push(
          await timed(async () => {
            const readings = await readFleet(pool, hosts.map((name) => ({ name })));
            calls += readings.length;
            const failed = readings.find((r) => !r.ok);
            if (failed && !failed.ok) throw new Error(`${failed.name}: ${failed.error.message}`);
            vms = readings.reduce((n, r) => n + (r.ok ? r.inventory.vms.length : 0), 0);
          }),
        );
      }
      // The same reads through the same code path (readFleet), one host at a time: once to warm each host's
      // session as the tree's refreshes warmed the batches, then measured.
      const oneByOne = async () => {
        for (const name of hosts) {
          const [reading] = await readFleet(pool, [{ name }]);
          if (!reading?.ok) throw new Error(`${name}: ${reading && !reading.ok ? reading.error.message : 'no answer'}`);
        }
      };
      await oneByOne();
      const sequential = await timed(oneByOne);
      const best = Math.min(...parallel);
      return {
        measurements: [
          { label: 'first refresh, sessions just started (cold JIT)', value: first, unit: 'ms' },
          { label: `full tree data, ${hosts.length} hosts / ${vms} VMs, pool ${size} (best of 3 after ${WARM_REFRESHES} refreshes)`, value: best, unit: 'ms', target: { atMost: 1500 } },
          { label: 'one host after another', value: sequential, unit: 'ms' },
          { label: 'speed-up over one after another', value: sequential / best, unit: '×', target: { atLeast: 8 } },
          { label: 'PowerShell round trips per host per refresh', value: calls / 3 / hosts.length, unit: '', target: { atMost: 1 } },
        ],
      };
    } finally {
      await pool.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
