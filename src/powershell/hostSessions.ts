// Closing the remoting sessions a pool session holds open to hosts (hostSession.ps1, __HvlmCloseHostSessions):
// the pool asks a session left idle to close those idle as long, and every idle session to close all of them
// before it ends, so nothing stays open on a user's hosts until WinRM's own idle timeout.

import { encodeCall, scriptKey } from './protocol';
import { defineScript } from './script';
import type { PowerShellSession } from './session';
import type { Credential, Logger, PowerShellRunner } from './types';

/**
 * Opens the remoting sessions to `hosts` that have none open, with no call in them (hostSession.ps1, Open-OnHosts):
 * run with the hosts' affinity before they are needed, so that the connection is not on the user's path. Answers
 * how many of the hosts have a session open; one that cannot be reached is left to the call that needs it, or with
 * `strict` is the call's error, as a call in the session would have failed (so the caller does not try it twice).
 */
export const openHostSessions = defineScript<{ hosts: readonly string[]; strict: boolean }, number>(
  'openHostSessions',
  'param($Params, $Credential)\nOpen-OnHosts -ComputerName @($Params.hosts) -Credential $Credential -ThrowOnFailure:([bool]$Params.strict)',
  (data) => Number(data),
);

/**
 * Gets a pool ready for a first read of `hosts` while the user looks at the tree: starts one session per host (at most
 * `poolSize`) and, when every host can have a session of its own, opens each host's remoting session in one of them
 * (with the host's affinity, so the read of that host goes there), so that a first read of all of them finds its
 * connections open, as a second one does. On a larger fleet the tree's own batches already hold one per host.
 */
export async function openAhead(
  pool: PowerShellRunner & { warm(count: number): Promise<void> },
  hosts: readonly string[],
  poolSize: number,
  credentialFor: (host: string) => Credential | undefined,
  affinityOf: (host: string) => string,
): Promise<void> {
  await pool.warm(Math.min(hosts.length, poolSize));
  if (hosts.length > poolSize) return;
  await Promise.all(
    hosts.map((host) => {
      const credential = credentialFor(host);
      return pool.run(
        openHostSessions,
        { hosts: [host], strict: false },
        { affinity: affinityOf(host), ...(credential && { credential }) },
      );
    }),
  );
}

/** Remoting sessions to hosts unused this long are closed (PoolOptions.hostSessionIdleMs). */
export const DEFAULT_HOST_SESSION_IDLE_MS = 600_000;
/** How long closing may take before the pool kills the session all the same. */
const CLOSE_TIMEOUT_MS = 15_000;
const CLOSE_TEXT = 'param($Params)\n__HvlmCloseHostSessions ([double]$Params.idleSeconds)';
const CLOSE_KEY = scriptKey(CLOSE_TEXT);

/**
 * Closes the remoting sessions of an idle pool session unused for `idleSeconds` (0: all of them): `closed` when it
 * answered, `ended` when the session's process is gone, `late` when it did not answer in time (the caller kills it).
 */
export async function closeHostSessions(
  session: PowerShellSession,
  idleSeconds: number,
  logger: Logger,
): Promise<'closed' | 'ended' | 'late'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), CLOSE_TIMEOUT_MS);
  });
  try {
    const outcome = await Promise.race([session.call(CLOSE_KEY, CLOSE_TEXT, encodeCall({ idleSeconds })), late]);
    if (outcome === 'late') {
      logger.warn(`PowerShell session ${session.pid} did not close its remoting sessions within ${CLOSE_TIMEOUT_MS / 1000} s.`);
      return 'late';
    }
    if (outcome.kind !== 'answered') return 'ended';
    const { result } = outcome;
    logger.debug(
      `PowerShell session ${session.pid}: ${result.ok ? `closed ${String(result.data)} remoting sessions` : result.error.message}`,
    );
    return 'closed';
  } finally {
    clearTimeout(timer);
  }
}
