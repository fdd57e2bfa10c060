// What the lab benchmarks share: a pool on a lab file in a fresh temp folder (the lab module imported; the
// benchmark's own script makes the lab), of the extension's default size unless a benchmark needs another,
// and the median of its timings.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PowerShellPool } from '../../src/powershell/pool';

const ROOT = resolve(__dirname, '..', '..', '..');

export interface BenchLab {
  /** The folder of its own, removed by dispose(). */
  readonly dir: string;
  /** The lab file's path (HYPERV_LAB_PATH of the pool's sessions), in a folder of its own. */
  readonly path: string;
  readonly pool: PowerShellPool;
  /** The pool's size. */
  readonly size: number;
  /** Disposes of the pool and removes the folder. */
  dispose(): Promise<void>;
}

/** The pool size the extension uses unless the admin sets another (package.json's `hyperv.powershell.poolSize`). */
async function defaultPoolSize(): Promise<number> {
  const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { default?: unknown }> } };
  };
  return Number(manifest.contributes.configuration.properties['hyperv.powershell.poolSize']?.default);
}

/** A pool on a lab file in a new temp folder named for the benchmark; `size` defaults to the extension's pool size. */
export async function openBenchLab(name: string, size?: number): Promise<BenchLab> {
  const poolSize = size ?? (await defaultPoolSize());
  const dir = await mkdtemp(join(tmpdir(), `hyperv-bench-${name}-`));
  const path = join(dir, 'lab.json');
  const pool = new PowerShellPool({
    size: poolSize,
    defaultTimeoutMs: 120_000,
    env: { HYPERV_LAB_PATH: path },
    modules: [join(ROOT, 'src', 'lab', 'HyperVLab', 'HyperVLab.psd1')],
  });
  return {
    dir,
    path,
    pool,
    size: poolSize,
    dispose: async () => {
      await pool.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
