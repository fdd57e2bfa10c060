// What the extension-host suites share: waiting for a state, and a fresh default lab.
import * as assert from 'node:assert/strict';
import type { ExtensionApi } from '../../src/extension';
import { resetLab } from '../../src/hyperv/lab';
import { defineScript } from '../../src/powershell/script';

export const timeScale = defineScript<{ Scale: number }, unknown>(
  'test.timeScale',
  'param($Params)\nSet-HyperVLabTimeScale -TimeScale $Params.Scale',
  (d) => d,
);

/** Polls `read` until it gives a value (the deadline only bounds the wait; nothing asserts on time). */
export async function until<T>(what: string, read: () => T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The default lab as built, moves at `scale`, and the fleet read again. */
export async function freshLab(api: ExtensionApi, scale = 2000): Promise<void> {
  const runner = await api.connection.runner();
  const reset = await resetLab(runner);
  assert.ok(reset.ok, JSON.stringify(reset));
  const scaled = await runner.run(timeScale, { Scale: scale });
  assert.ok(scaled.ok, JSON.stringify(scaled));
  api.connection.forgetLabHosts();
  await api.fleet.refresh();
}
