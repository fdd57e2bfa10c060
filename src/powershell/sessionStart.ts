// Starting one session for the pool: the process started and its wrapper loaded within a time limit, started once
// more after deleting the sessions' own startup profile when that crashed it (startupProfile.ts), and a start that
// fails explained (a missing or broken executable, a damaged profile).

import { existsSync } from 'node:fs';
import * as l10n from '@vscode/l10n';
import { formatList } from '../hyperv/format';
import { missingExecutableMessage } from './executable';
import type { CallOutcome, PowerShellSession, SessionEnd } from './session';
import {
  isStartupProfileCrash,
  powershellCacheDirectory,
  removeFatalSessionProfiles,
  removeSessionProfiles,
  sessionProfileFiles,
  startupProfileAdvice,
  startupProfileFiles,
} from './startupProfile';
import type { Logger, PowerShellError, PowerShellResult } from './types';

export interface StartContext {
  readonly executable: string;
  /** The sessions' own PowerShell cache folder (PoolOptions.cacheHome). */
  readonly cacheHome: string;
  readonly logger: Logger;
  /** Most time a start may take; past it the process is stopped. */
  readonly timeoutMs: number;
  /** A new session, counted among the pool's; or why none could be made. */
  create(): PowerShellSession | PowerShellError;
  /** Forgets and kills a session; answers why its process may still run. */
  discard(session: PowerShellSession): Promise<string | undefined>;
  /** What a start answers once the pool is closed; undefined while it is open. */
  whenClosed(): PowerShellResult<never> | undefined;
}

export function describeEnd(end: SessionEnd): string {
  if (end.kind === 'spawnFailed') return end.error.message;
  return end.signal ? `signal ${end.signal}` : `exit code ${end.code ?? 'unknown'}`;
}

function failure(kind: PowerShellError['kind'], message: string): PowerShellResult<never> {
  return { ok: false, error: { kind, message }, warnings: [] };
}

async function initialized(session: PowerShellSession, timeoutMs: number): Promise<CallOutcome | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  try {
    return await Promise.race([session.initialize(), limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** Starts one session: the session ready for calls, or why none started. */
export async function startSession(context: StartContext): Promise<PowerShellSession | PowerShellResult<never>> {
  for (let attempt = 1; ; attempt += 1) {
    if (attempt === 1) await removeFatalOwnProfiles(context);
    const closed = context.whenClosed();
    if (closed) return closed;
    const session = context.create();
    if ('kind' in session) return { ok: false, error: session, warnings: [] };
    const began = performance.now();
    const start = await initialized(session, context.timeoutMs);
    if (start === 'timeout') {
      const note = await context.discard(session);
      const message = `PowerShell did not start within ${context.timeoutMs / 1000} s; it was stopped.`;
      return failure('timeout', note ? `${message} ${note}` : message);
    }
    if (start.kind === 'ended') {
      const closedMeanwhile = context.whenClosed();
      if (closedMeanwhile) return closedMeanwhile;
      if (attempt === 1 && (await removeOwnProfile(context, session, start.end))) continue;
      return startFailure(context, session, start.end);
    }
    if (!start.result.ok) {
      await context.discard(session);
      return start.result;
    }
    const { data, warnings } = start.result;
    const took = Math.round(performance.now() - began);
    context.logger.debug(`PowerShell session ${session.pid} started in ${took} ms: ${JSON.stringify(data)}`);
    for (const warning of warnings) context.logger.debug(`PowerShell session ${session.pid}: ${warning}`);
    return session;
  }
}

function startFailure({ executable, cacheHome }: StartContext, session: PowerShellSession, end: SessionEnd): PowerShellResult<never> {
  if (end.kind === 'spawnFailed') {
    return failure('powershellMissing', missingExecutableMessage(executable, end.error.message));
  }
  const said = session.lastErrorOutput;
  if (!isStartupProfileCrash(said)) {
    return failure(
      'powershellMissing',
      missingExecutableMessage(executable, `it exited while starting, ${describeEnd(end)}${said ? `: ${said}` : ''}`),
    );
  }
  // A profile it may have read: the sessions' own, or (a PowerShell that ignores XDG_CACHE_HOME) the user's.
  const candidates = [...sessionProfileFiles(cacheHome), ...startupProfileFiles(powershellCacheDirectory())];
  const files = candidates.filter((file) => existsSync(file));
  return failure(
    'powershellMissing',
    l10n.t(
      'PowerShell ("{0}") crashed while starting ({1}): {2} PowerShell crashes so when its startup profile is damaged. {3}',
      executable,
      describeEnd(end),
      said,
      startupProfileAdvice(files.length > 0 ? files : candidates.slice(-2, -1)),
    ),
  );
}

/** Before a session starts: deletes a startup profile of the sessions' own that would crash it (startupProfile.ts). */
async function removeFatalOwnProfiles({ cacheHome, logger }: StartContext): Promise<void> {
  for (const removed of await removeFatalSessionProfiles(cacheHome)) {
    logger.warn(
      `Deleted the sessions' own startup profile "${removed.file}" before starting PowerShell: it is damaged (${removed.reason}) ` +
        'and would crash the session at start (a known PowerShell defect: PowerShell/PowerShell issue 26528).',
    );
  }
}

/**
 * After a session died while starting: deletes the sessions' own startup profile, if there is one, so that the
 * start can be tried once more. A torn profile crashes every start that replays it (startupProfile.ts), and this
 * one is only a cache of ours; the user's own profile is never touched.
 */
async function removeOwnProfile({ cacheHome, logger }: StartContext, session: PowerShellSession, end: SessionEnd): Promise<boolean> {
  if (end.kind !== 'exited') return false;
  const removed = await removeSessionProfiles(cacheHome);
  if (removed.length === 0) return false;
  const signature = isStartupProfileCrash(session.lastErrorOutput) ? ', as PowerShell does on a damaged startup profile' : '';
  const files = formatList(
    removed.map((file) => `"${file}"`),
    'en', // the log is English
  );
  logger.warn(
    `PowerShell (pid ${session.pid}) crashed while starting (${describeEnd(end)})${signature}. ` +
      `Deleted the sessions' own startup profile ${files} and starting again ` +
      '(a known PowerShell defect: PowerShell/PowerShell issue 26528).',
  );
  return true;
}
