// Inventory of the Scale lab (30 hosts, 250 VMs) with 50 ms simulated latency per host round trip: the
// whole tree's data read in parallel through the pool, against the same hosts read one after another in
// the same run. Pool size: the extension's default (package.json), so what is measured is what ships.
import { readFleet, type HostReading } from '../../src/hyperv/inventory';
import { defineScript } from '../../src/powershell/script';
import type { PowerShellRunner } from '../../src/powershell/types';
import type { Benchmark, Row } from './bench';
import { median, openBenchLab, timed } from './benchLab';

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

async function warm(pool: PowerShellRunner, hosts: readonly string[]): Promise<void> {
  // Start every session once (process start is not what is measured) and let the lab cache its file.
  await readFleet(
    pool,
    hosts.map((name) => ({ name })),
  );
}

/**
 * Refreshes before the measured ones: the tree re-reads the fleet on its interval, so its sessions are warm
 * (.NET's JIT, PowerShell's compiled script blocks, the lab's converted objects). The first is reported.
 */
const WARM_REFRESHES = 8;
const ROUNDS = 5;

export const inventoryBenchmark: Benchmark = {
  name: 'inventory',
  async run(): Promise<Row> {
    const lab = await openBenchLab('inventory');
    const { pool, path, size } = lab;
    try {
      const made = await pool.run(prepare, { path, latency: LATENCY_MS });
      if (!made.ok) throw new Error(made.error.message);
      const hosts = made.data;
      // Counts the hosts each call asks for, so the round trips per host are measured, not assumed.
      let asked = 0;
      const counting: PowerShellRunner = {
        concurrency: pool.concurrency,
        run: (script, params, options) => {
          asked += Array.isArray((params as { hosts?: unknown }).hosts) ? (params as { hosts: unknown[] }).hosts.length : 1;
          return pool.run(script, params, options);
        },
        dispose: () => pool.dispose(),
      };
      const targets = hosts.map((name) => ({ name }));
      const check = (readings: HostReading[]): number => {
        const failed = readings.find((r) => !r.ok);
        if (failed && !failed.ok) throw new Error(`${failed.name}: ${failed.error.message}`);
        return readings.reduce((n, r) => n + (r.ok ? r.inventory.vms.length : 0), 0);
      };
      await warm(pool, hosts);
      const first = await timed(async () => void check(await readFleet(counting, targets)));
      for (let i = 1; i < WARM_REFRESHES; i++) check(await readFleet(counting, targets));
      // The same reads through the same code path (readFleet), one host at a time. Warmed once as the
      // refreshes warmed the batches.
      const oneByOne = async () => {
        for (const target of targets) check(await readFleet(counting, [target]));
      };
      await oneByOne();
      // Measured in pairs, a refresh then the hosts one after another, so a change in the machine's speed
      // (a shared VM) weighs on both sides of each pair; the medians are reported.
      let vms = 0;
      const parallel: number[] = [];
      const sequential: number[] = [];
      const ratios: number[] = [];
      asked = 0;
      for (let round = 0; round < ROUNDS; round++) {
        parallel.push(await timed(async () => void (vms = check(await readFleet(counting, targets)))));
        sequential.push(await timed(oneByOne));
        ratios.push((sequential.at(-1) ?? 0) / (parallel.at(-1) ?? 1));
      }
      return {
        measurements: [
          { label: 'first refresh, sessions just started (cold JIT)', value: first, unit: 'ms' },
          {
            label: `full tree data, ${hosts.length} hosts / ${vms} VMs, pool ${size} (median of ${ROUNDS}, after ${WARM_REFRESHES} refreshes)`,
            value: median(parallel),
            unit: 'ms',
            target: { atMost: 1500 },
          },
          { label: `one host after another (median of ${ROUNDS})`, value: median(sequential), unit: 'ms' },
          {
            label: `speed-up over one after another (median of ${ROUNDS} pairs)`,
            value: median(ratios),
            unit: '×',
            target: { atLeast: 8 },
          },
          {
            label: 'hosts asked per host per read (refresh or one by one)',
            value: asked / (ROUNDS * 2 * hosts.length),
            unit: '',
            target: { atMost: 1 },
          },
        ],
      };
    } finally {
      await lab.dispose();
    }
  },
};
