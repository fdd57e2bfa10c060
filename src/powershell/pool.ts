// Runs scripts on a small pool of PowerShell sessions: started lazily, one call per session at a time,
// independent calls in parallel, a dead session replaced on the next call, a call past its time or
// cancelled stopped by killing its session's process tree.

import { existsSync } from 'node:fs';
import { missingExecutableMessage, resolveExecutable } from './executable';
import { encodeCall, scriptKey } from './protocol';
import { describeParams } from './redact';
import { PowerShellSession, type SessionEnd } from './session';
import {
  defaultSessionCacheHome,
  isStartupProfileCrash,
  powershellCacheDirectory,
  removeFatalSessionProfiles,
  removeSessionProfiles,
  sessionCacheEnvironment,
  sessionProfileFiles,
  startupProfileAdvice,
  startupProfileFiles,
} from './startupProfile';
import type { CallOptions, Logger, PowerShellError, PowerShellErrorKind, PowerShellResult, PowerShellRunner, Script } from './types';

export interface PoolOptions {
  /** Default: what `resolveExecutable` finds (pwsh on PATH, then Windows PowerShell on Windows). */
  executable?: string;
  /** Max parallel sessions, default 4. */
  size?: number;
  /** Default 120 000 ms. */
  defaultTimeoutMs?: number;
  /** Extra environment for the sessions (e.g. HYPERV_LAB_PATH). */
  env?: Record<string, string>;
  /** Module paths (e.g. the lab's .psd1) imported into each session when it starts. */
  modules?: string[];
  /**
   * The sessions' own PowerShell cache folder (their XDG_CACHE_HOME on Linux and macOS), so that they never read
   * or write the user's startup profile (startupProfile.ts). Default: `<tmp>/hyperv-live-migration-<uid>/pwsh-cache`.
   */
  cacheHome?: string;
  logger?: Logger;
  /** Most calls waiting for a session at once, default 1024: a call beyond fails at once with `busy`. */
  maxWaiting?: number;
  /** Tests only: how sessions are killed, and how long a kill may take (SessionOptions). */
  killTree?: (pid: number) => Promise<void>;
  killWaitMs?: number;
}

const DEFAULT_SIZE = 4;
const DEFAULT_TIMEOUT_MS = 120_000;
/**
 * Far above what the extension asks at once (a fleet read sends one call per batch of hosts, checks run a
 * few at a time, moves as the hosts' limits allow), so only a runaway caller meets it.
 */
const DEFAULT_MAX_WAITING = 1024;
const LONGEST_TIMER_MS = 2 ** 31 - 1;

const silent: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

type Interrupt = 'timeout' | 'cancelled';
type Raced<V> = { readonly done: true; readonly value: V } | { readonly done: false; readonly interrupt: Interrupt };

/** The time limit and the cancellation of one call, raced against each step of it. */
class CallGuard {
  private readonly interrupted: Promise<Interrupt>;
  private timer: NodeJS.Timeout | undefined;
  private unlisten = (): void => undefined;

  constructor(timeoutMs: number, signal: AbortSignal | undefined) {
    this.interrupted = new Promise<Interrupt>((resolve) => {
      this.timer = setTimeout(() => resolve('timeout'), timeoutMs);
      if (!signal) return;
      const onAbort = (): void => resolve('cancelled');
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      this.unlisten = () => signal.removeEventListener('abort', onAbort);
    });
  }

  race<V>(work: Promise<V>): Promise<Raced<V>> {
    return Promise.race([
      work.then((value): Raced<V> => ({ done: true, value })),
      this.interrupted.then((interrupt): Raced<V> => ({ done: false, interrupt })),
    ]);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.unlisten();
  }
}

interface Waiter {
  readonly affinity: string | undefined;
  settle(granted: boolean): void;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function failure(kind: PowerShellErrorKind, message: string): PowerShellResult<never> {
  return { ok: false, error: { kind, message }, warnings: [] };
}

function withNote(result: PowerShellResult<never>, note: string | undefined): PowerShellResult<never> {
  return note && !result.ok ? { ...result, error: { ...result.error, message: `${result.error.message} ${note}` } } : result;
}

function describeEnd(end: SessionEnd): string {
  if (end.kind === 'spawnFailed') return end.error.message;
  return end.signal ? `signal ${end.signal}` : `exit code ${end.code ?? 'unknown'}`;
}

export class PowerShellPool implements PowerShellRunner {
  private readonly size: number;
  private readonly defaultTimeoutMs: number;
  private readonly cacheHome: string;
  private readonly env: Readonly<Record<string, string>>;
  private readonly modules: readonly string[];
  private readonly logger: Logger;
  private readonly maxWaiting: number;
  private readonly kills: Pick<PoolOptions, 'killTree' | 'killWaitMs'>;
  private readonly configuredExecutable: string | undefined;
  private found: Promise<string | undefined> | undefined;
  /** Every session alive or starting; at most `size`. */
  private readonly sessions = new Set<PowerShellSession>();
  private readonly idle: PowerShellSession[] = [];
  /** The session that last served each affinity (CallOptions.affinity), so a host's calls find the session that knows it. */
  private readonly affinity = new Map<string, PowerShellSession>();
  private readonly waiters: Waiter[] = [];
  private slotsInUse = 0;
  private disposing: Promise<void> | undefined;

  constructor(options: PoolOptions = {}) {
    this.size = Math.max(1, Math.floor(options.size ?? DEFAULT_SIZE));
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.cacheHome = options.cacheHome ?? defaultSessionCacheHome();
    this.env = { ...options.env, ...sessionCacheEnvironment(this.cacheHome) };
    this.modules = [...(options.modules ?? [])];
    this.logger = options.logger ?? silent;
    this.maxWaiting = Math.max(0, Math.floor(options.maxWaiting ?? DEFAULT_MAX_WAITING));
    this.kills = { killTree: options.killTree, killWaitMs: options.killWaitMs };
    this.configuredExecutable = options.executable?.trim() || undefined;
  }

  get concurrency(): number {
    return this.size;
  }

  async run<P, T>(script: Script<P, T>, params: P, options: CallOptions = {}): Promise<PowerShellResult<T>> {
    const started = performance.now();
    let payload: string;
    try {
      payload = encodeCall(params, options.credential, options.destinationCredential);
    } catch (error) {
      const message = `The parameters of "${script.name}" cannot be sent as JSON: ${messageOf(error)}`;
      return this.finish(script.name, started, failure('protocolError', message));
    }
    this.logger.trace(
      `PowerShell ${script.name} ${describeParams(params)}${options.credential ? ' with a credential' : ''}${options.destinationCredential ? ' and one for the destination' : ''}`,
    );
    const result = await this.execute(script, payload, options);
    if (!result.ok) {
      return this.finish(script.name, started, result);
    }
    try {
      return this.finish(script.name, started, { ok: true, data: script.parse(result.data), warnings: result.warnings });
    } catch (error) {
      const message = `The answer of "${script.name}" could not be read: ${messageOf(error)}`;
      return this.finish(script.name, started, { ...failure('protocolError', message), warnings: result.warnings });
    }
  }

  /** Stops every session (running calls end as `cancelled`); resolves when no process is left. */
  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      for (const waiter of this.waiters.splice(0)) waiter.settle(false);
      const sessions = [...this.sessions];
      this.sessions.clear();
      this.idle.length = 0;
      await Promise.all(sessions.map((session) => this.kill(session)));
    })();
    return this.disposing;
  }

  private get disposed(): boolean {
    return this.disposing !== undefined;
  }

  private finish<T>(name: string, started: number, result: PowerShellResult<T>): PowerShellResult<T> {
    const took = `${Math.round(performance.now() - started)} ms`;
    if (result.ok) {
      this.logger.debug(`PowerShell ${name}: ok in ${took}`);
    } else if (['timeout', 'sessionCrashed', 'powershellMissing', 'protocolError', 'busy'].includes(result.error.kind)) {
      this.logger.warn(`PowerShell ${name}: ${result.error.kind} after ${took}: ${result.error.message}`);
    } else {
      this.logger.debug(`PowerShell ${name}: ${result.error.kind} in ${took}`);
    }
    return result;
  }

  private async execute(script: Script<unknown, unknown>, payload: string, options: CallOptions): Promise<PowerShellResult<unknown>> {
    if (this.disposed) return this.closed();
    if (this.waiters.length >= this.maxWaiting) {
      const message =
        `PowerShell is busy: ${this.waiters.length} calls already wait for its ${this.size} sessions, so "${script.name}" was not started. ` +
        'Try again when the work under way has finished.';
      return failure('busy', message);
    }
    if (options.signal?.aborted || !(await this.acquire(options.affinity, options.signal))) {
      return this.disposed ? this.closed() : failure('cancelled', `"${script.name}" was cancelled before it started.`);
    }
    const timeoutMs = Math.min(Math.max(options.timeoutMs ?? this.defaultTimeoutMs, 1), LONGEST_TIMER_MS);
    const guard = new CallGuard(timeoutMs, options.signal);
    let keep: PowerShellSession | undefined;
    try {
      const interrupted = (interrupt: Interrupt): PowerShellResult<never> =>
        interrupt === 'timeout'
          ? failure('timeout', `"${script.name}" did not finish within ${timeoutMs / 1000} s; its PowerShell session was stopped.`)
          : failure('cancelled', `"${script.name}" was cancelled; its PowerShell session was stopped.`);

      const executable = await guard.race(this.executable());
      if (!executable.done) return interrupted(executable.interrupt);
      if (!executable.value) return failure('powershellMissing', missingExecutableMessage(undefined));
      if (this.disposed) return this.closed();

      let session = this.takeIdle(options.affinity);
      for (let attempt = 1; !session; attempt += 1) {
        if (attempt === 1) await this.removeFatalOwnProfiles();
        const created = this.create(executable.value);
        if (!(created instanceof PowerShellSession)) return { ok: false, error: created, warnings: [] };
        session = created;
        const began = performance.now();
        const start = await guard.race(session.initialize());
        if (!start.done) {
          return withNote(interrupted(start.interrupt), await this.discard(session));
        }
        if (start.value.kind === 'ended') {
          if (this.disposed) return this.closed();
          if (attempt === 1 && (await this.removeOwnProfile(session, start.value.end))) {
            session = undefined;
            continue;
          }
          return this.startFailure(executable.value, session, start.value.end);
        }
        if (!start.value.result.ok) {
          await this.discard(session);
          return start.value.result;
        }
        const { data, warnings } = start.value.result;
        const took = Math.round(performance.now() - began);
        this.logger.debug(`PowerShell session ${session.pid} started in ${took} ms: ${JSON.stringify(data)}`);
        for (const warning of warnings) this.logger.debug(`PowerShell session ${session.pid}: ${warning}`);
      }

      const answer = await guard.race(session.call(scriptKey(script.text), script.text, payload));
      if (!answer.done) {
        return withNote(interrupted(answer.interrupt), await this.discard(session));
      }
      if (answer.value.kind === 'ended') {
        if (this.disposed) return this.closed();
        const message =
          `PowerShell (pid ${session.pid}) ended while running "${script.name}" (${describeEnd(answer.value.end)}). ` +
          'The next call starts a new session.';
        return failure('sessionCrashed', message);
      }
      keep = session;
      if (options.affinity !== undefined) this.affinity.set(options.affinity, session);
      return answer.value.result;
    } finally {
      guard.dispose();
      const kept = keep && keep.alive && !this.disposed ? keep : undefined;
      if (kept) this.idle.push(kept);
      this.releaseSlot(kept);
    }
  }

  private closed(): PowerShellResult<never> {
    return failure('cancelled', 'The PowerShell sessions were closed.');
  }

  private executable(): Promise<string | undefined> {
    if (this.configuredExecutable) return Promise.resolve(this.configuredExecutable);
    // Found once; not found is looked for again on the next call (PowerShell may have been installed since).
    this.found ??= resolveExecutable(undefined).then((found) => {
      if (!found) this.found = undefined;
      return found;
    });
    return this.found;
  }

  private create(executable: string): PowerShellSession | PowerShellError {
    let session: PowerShellSession;
    try {
      session = new PowerShellSession({ executable, env: this.env, modules: this.modules, ...this.kills });
    } catch (error) {
      return { kind: 'powershellMissing', message: missingExecutableMessage(executable, messageOf(error)) };
    }
    this.sessions.add(session);
    void session.ended.then((end) => {
      this.forget(session);
      this.logger.debug(`PowerShell session ${session.pid ?? '(not started)'} ended: ${describeEnd(end)}`);
    });
    return session;
  }

  private startFailure(executable: string, session: PowerShellSession, end: SessionEnd): PowerShellResult<never> {
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
    const candidates = [...sessionProfileFiles(this.cacheHome), ...startupProfileFiles(powershellCacheDirectory())];
    const files = candidates.filter((file) => existsSync(file));
    return failure(
      'powershellMissing',
      `PowerShell ("${executable}") crashed while starting (${describeEnd(end)}): ${said} PowerShell crashes so when its startup profile is damaged. ` +
        startupProfileAdvice(files.length > 0 ? files : candidates.slice(-2, -1)),
    );
  }

  /** Before a session starts: deletes a startup profile of the sessions' own that would crash it (startupProfile.ts). */
  private async removeFatalOwnProfiles(): Promise<void> {
    for (const removed of await removeFatalSessionProfiles(this.cacheHome)) {
      this.logger.warn(
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
  private async removeOwnProfile(session: PowerShellSession, end: SessionEnd): Promise<boolean> {
    if (end.kind !== 'exited') return false;
    const removed = await removeSessionProfiles(this.cacheHome);
    if (removed.length === 0) return false;
    const signature = isStartupProfileCrash(session.lastErrorOutput) ? ', as PowerShell does on a damaged startup profile' : '';
    this.logger.warn(
      `PowerShell (pid ${session.pid}) crashed while starting (${describeEnd(end)})${signature}. ` +
        `Deleted the sessions' own startup profile ${removed.map((file) => `"${file}"`).join(' and ')} and starting again ` +
        '(a known PowerShell defect: PowerShell/PowerShell issue 26528).',
    );
    return true;
  }

  /** An idle session: the one that last served this affinity if it is idle, else the most recently used. */
  private takeIdle(affinity: string | undefined): PowerShellSession | undefined {
    if (affinity !== undefined) {
      const known = this.affinity.get(affinity);
      const at = known && known.alive ? this.idle.indexOf(known) : -1;
      if (at >= 0) return this.idle.splice(at, 1)[0];
    }
    let session = this.idle.pop();
    while (session && !session.alive) session = this.idle.pop();
    return session;
  }

  private forget(session: PowerShellSession): void {
    this.sessions.delete(session);
    for (const [key, known] of this.affinity) if (known === session) this.affinity.delete(key);
    const at = this.idle.indexOf(session);
    if (at >= 0) this.idle.splice(at, 1);
  }

  /** Forgets the session and kills it; answers why its process may still run when the kill failed. */
  private async discard(session: PowerShellSession): Promise<string | undefined> {
    this.forget(session);
    return this.kill(session);
  }

  private async kill(session: PowerShellSession): Promise<string | undefined> {
    const problem = await session.kill();
    if (problem) this.logger.warn(problem);
    return problem;
  }

  /** A slot is the right to use (or start) one session; false when cancelled or closed while waiting. */
  private acquire(affinity: string | undefined, signal: AbortSignal | undefined): Promise<boolean> {
    if (this.slotsInUse < this.size) {
      this.slotsInUse += 1;
      return Promise.resolve(true);
    }
    return new Promise<boolean>((resolve) => {
      const onAbort = (): void => {
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        resolve(false);
      };
      const waiter: Waiter = {
        affinity,
        settle: (granted) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(granted);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /**
   * Hands the slot to the waiter that `freed` (the session just made idle) served last, else to the first:
   * while many hosts queue for few sessions (a fleet read), each host keeps going back to its session.
   */
  private releaseSlot(freed?: PowerShellSession): void {
    const known = freed
      ? this.waiters.findIndex((waiter) => waiter.affinity !== undefined && this.affinity.get(waiter.affinity) === freed)
      : -1;
    const next = this.waiters.splice(Math.max(known, 0), 1)[0];
    if (next) {
      next.settle(true);
    } else {
      this.slotsInUse -= 1;
    }
  }
}
