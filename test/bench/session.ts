// Bench row: a round trip on a warm session against starting PowerShell for each call, measured in the
// same run and interleaved so both see the same machine load. Targets: warm median ≤ 25 ms, and warm
// at least 20× faster than a PowerShell started per call.

import { execFile } from 'node:child_process';
import { resolveExecutable } from '../../src/powershell/executable';
import { PowerShellPool } from '../../src/powershell/pool';
import { defineScript } from '../../src/powershell/script';
import type { Benchmark, Row } from './bench';
import { median } from './benchLab';

const ROUNDS = 7;
const WARM_PER_ROUND = 30;
const WARM_UP = 10;

// The same work both ways: read a small JSON object and answer it as JSON.
const echo = defineScript<{ n: number; text: string }, unknown>('bench-echo', 'param($Params)\n$Params');
const COLD_COMMAND = '\'{"n":1,"text":"hello"}\' | ConvertFrom-Json | ConvertTo-Json -Compress';

function percentile(values: readonly number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
}

function coldCall(executable: string): Promise<number> {
  const started = performance.now();
  return new Promise<number>((resolve, reject) => {
    execFile(executable, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', COLD_COMMAND], (error: Error | null, stdout: string) => {
      const failure = error ?? (stdout.includes('"n":1') ? undefined : new Error(`unexpected answer: ${stdout}`));
      if (failure) reject(failure);
      else resolve(performance.now() - started);
    });
  });
}

async function warmCall(pool: PowerShellPool, n: number): Promise<number> {
  const started = performance.now();
  const result = await pool.run(echo, { n, text: 'hello' });
  if (!result.ok) throw new Error(`${result.error.kind}: ${result.error.message}`);
  return performance.now() - started;
}

export const sessionBenchmark: Benchmark = {
  name: 'session round trip',
  async run(): Promise<Row> {
    const executable = await resolveExecutable(undefined);
    if (!executable) throw new Error('pwsh is not on PATH');
    const pool = new PowerShellPool({ executable, size: 1 });
    try {
      const startedAt = performance.now();
      await warmCall(pool, 0);
      const firstCall = performance.now() - startedAt;
      for (let i = 0; i < WARM_UP; i++) await warmCall(pool, i);
      const warm: number[] = [];
      const cold: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        cold.push(await coldCall(executable));
        for (let i = 0; i < WARM_PER_ROUND; i++) warm.push(await warmCall(pool, i));
      }
      const warmMedian = median(warm);
      const coldMedian = median(cold);
      return {
        measurements: [
          { label: `warm round trip, median of ${warm.length}`, value: warmMedian, unit: 'ms', target: { atMost: 25 } },
          { label: 'warm round trip, p95', value: percentile(warm, 0.95), unit: 'ms' },
          { label: `pwsh started per call, median of ${cold.length}`, value: coldMedian, unit: 'ms' },
          { label: 'speed-up of the warm session', value: coldMedian / warmMedian, unit: '×', target: { atLeast: 20 } },
          { label: 'first call (starts the session)', value: firstCall, unit: 'ms' },
        ],
      };
    } finally {
      await pool.dispose();
    }
  },
};
