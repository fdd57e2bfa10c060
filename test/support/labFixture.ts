// A lab for a test: a fresh lab file in a temp folder and a PowerShellPool whose sessions have the
// HyperVLab module imported and HYPERV_LAB_PATH pointing at that file. Lab part 2 and the layers
// above reuse it.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PowerShellPool } from '../../src/powershell/pool';
import { defineScript } from '../../src/powershell/script';
import type { PowerShellResult, Script } from '../../src/powershell/types';

/** The repository root: compiled tests live in out/test/<layer>/. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
export const LAB_MODULE = join(REPO_ROOT, 'src', 'lab', 'HyperVLab', 'HyperVLab.psd1');

export interface LabOptions {
  /** Default (HV01..HV06, CL1) unless said; Scale is 30 hosts and 250 VMs. */
  readonly template?: 'Default' | 'Scale';
  /** With vmsPerHost: a Scale-like lab of that size. */
  readonly hosts?: number;
  readonly vmsPerHost?: number;
  /** Sessions in the pool (default 2). */
  readonly size?: number;
  /** More environment for the sessions, e.g. HYPERV_LAB_LOCK_TIMEOUT_MS. */
  readonly env?: Record<string, string>;
  /** The lab's network costs (Set-HyperVLabNetwork); 0 unless a test is about them, so tests stay fast. */
  readonly connectLatencyMs?: number;
  readonly callLatencyMs?: number;
}

export interface Lab {
  /** The folder holding the lab file; removed by dispose(). */
  readonly dir: string;
  readonly path: string;
  readonly pool: PowerShellPool;
  /** Runs fixed script text (`param($Params)` first) and returns its data, or throws with the error. */
  run<T = unknown>(name: string, text: string, params?: unknown): Promise<T>;
  /** Runs fixed script text and returns the whole result, for tests of failures. */
  attempt<T = unknown>(name: string, text: string, params?: unknown): Promise<PowerShellResult<T>>;
  /** Another pool (separate pwsh processes) on the same lab file. */
  openPool(env?: Record<string, string>, size?: number): PowerShellPool;
  dispose(): Promise<void>;
}

const newLab = defineScript<
  { path: string; template: string; hosts: number; vmsPerHost: number; connectLatencyMs: number; callLatencyMs: number },
  null
>(
  'lab-new',
  `param($Params)
$network = @{ ConnectLatencyMs = $Params.connectLatencyMs; CallLatencyMs = $Params.callLatencyMs }
if ($Params.hosts -gt 0) {
    $null = New-HyperVLab -Path $Params.path -Hosts $Params.hosts -VmsPerHost $Params.vmsPerHost -Force @network
} else {
    $null = New-HyperVLab -Path $Params.path -Template $Params.template -Force @network
}`,
);

const scripts = new Map<string, Script<unknown, unknown>>();

/** One Script object per (name, text), so a test's script is defined once however often it runs. */
export function labScript<T = unknown>(name: string, text: string): Script<unknown, T> {
  const key = `${name}\u0000${text}`;
  let script = scripts.get(key);
  if (!script) {
    script = defineScript<unknown, unknown>(name, text);
    scripts.set(key, script);
  }
  return script as Script<unknown, T>;
}

export async function createLab(options: LabOptions = {}): Promise<Lab> {
  const dir = await mkdtemp(join(tmpdir(), 'hyperv-lab-'));
  const path = join(dir, 'lab.json');
  const pools: PowerShellPool[] = [];
  const openPool = (env: Record<string, string> = {}, size = options.size ?? 2): PowerShellPool => {
    const pool = new PowerShellPool({
      size,
      defaultTimeoutMs: 60_000,
      env: {
        HYPERV_LAB_PATH: path,
        // Labs made in these sessions (New-HyperVLab -Force, ensureLab) cost what this one costs.
        HYPERV_LAB_CONNECT_LATENCY_MS: String(options.connectLatencyMs ?? 0),
        HYPERV_LAB_CALL_LATENCY_MS: String(options.callLatencyMs ?? 0),
        ...options.env,
        ...env,
      },
      modules: [LAB_MODULE],
    });
    pools.push(pool);
    return pool;
  };
  const pool = openPool();
  const attempt = <T>(name: string, text: string, params: unknown = {}): Promise<PowerShellResult<T>> =>
    pool.run(labScript<T>(name, text), params);
  const run = async <T>(name: string, text: string, params: unknown = {}): Promise<T> => {
    const result = await attempt<T>(name, text, params);
    if (!result.ok) {
      throw new Error(`${name} failed (${result.error.kind}): ${result.error.message}`);
    }
    return result.data;
  };
  const made = await pool.run(newLab, {
    path,
    template: options.template ?? 'Default',
    hosts: options.hosts ?? 0,
    vmsPerHost: options.vmsPerHost ?? 0,
    connectLatencyMs: options.connectLatencyMs ?? 0,
    callLatencyMs: options.callLatencyMs ?? 0,
  });
  if (!made.ok) {
    await Promise.all(pools.map((p) => p.dispose()));
    await rm(dir, { recursive: true, force: true });
    throw new Error(`New-HyperVLab failed (${made.error.kind}): ${made.error.message}`);
  }
  return {
    dir,
    path,
    pool,
    run,
    attempt,
    openPool,
    async dispose() {
      await Promise.all(pools.map((p) => p.dispose()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
