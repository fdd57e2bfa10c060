// Runs scripts on a small pool of PowerShell sessions: started lazily, one call per session at a time,
// independent calls in parallel, a dead session replaced on the next call, a call past its time or
// cancelled stopped by killing its session's process tree.

import { availableParallelism } from 'node:os';
import { missingExecutableMessage, resolveExecutable } from './executable';
import { closeHostSessions, DEFAULT_HOST_SESSION_IDLE_MS } from './hostSessions';
import { encodeCall, scriptKey } from './protocol';
import { describeParams } from './redact';
import { PowerShellSession } from './session';
import { CallGuard, type Interrupt } from './callGuard';
import { describeEnd, startSession } from './sessionStart';
import { defaultSessionCacheHome, sessionCacheEnvironment } from './startupProfile';
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
  /**
   * Most sessions starting at once, default: the pool's size. Starting PowerShell is CPU work: a start beyond the
   * machine's cores only slows the others (four at once on two cores took 16 s each, one alone 3.5 s).
   */
  startsAtOnce?: number;
  /** Remoting sessions to hosts (hostSession.ps1) unused this long are closed; default 600 000 (10 minutes). */
  hostSessionIdleMs?: number;
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
/** Most time a session's start may take (at least; the pool's default time limit when that is longer). */
const START_TIMEOUT_MS = 120_000;

const silent: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

interface Waiter {
  readonly affinity: string | undefined;
  /** How often a later waiter was served first (releaseSlot); one passed twice goes next, so none starves. */
  passed: number;
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

/** A call holding a slot but no session yet (PowerShellPool.sessionFor): handed the next session that comes free. */
interface Wanting {
  readonly affinity: string | undefined;
  session?: PowerShellSession;
  handed(): void;
}

/** Most sessions to start at once for a caller that does not say: one per two cores, at least one. */
export function startsAtOnceFor(cores = availableParallelism()): number {
  return Math.max(1, Math.floor(cores / 2));
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
  private readonly startsAtOnce: number;
  private readonly wanting: Wanting[] = [];
  /** Starts under way, and those of them whose session is not made yet (not among `sessions`). */
  private starting = 0;
  private unborn = 0;
  private roomChanged = (): void => undefined;
  /** Settles at the next wake(): a start ended or a session went, so there may be room to start one. */
  private room = new Promise<void>((resolve) => (this.roomChanged = resolve));
  private readonly hostSessionIdleMs: number;
  /** When each idle session closes its idle remoting sessions, and the closings under way (true: the session lives on). */
  private readonly sweeps = new Map<PowerShellSession, NodeJS.Timeout>();
  private readonly sweeping = new Map<PowerShellSession, Promise<boolean>>();
  private disposing: Promise<void> | undefined;

  constructor(options: PoolOptions = {}) {
    this.size = Math.max(1, Math.floor(options.size ?? DEFAULT_SIZE));
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.cacheHome = options.cacheHome ?? defaultSessionCacheHome();
    this.env = { ...options.env, ...sessionCacheEnvironment(this.cacheHome) };
    this.modules = [...(options.modules ?? [])];
    this.logger = options.logger ?? silent;
    this.maxWaiting = Math.max(0, Math.floor(options.maxWaiting ?? DEFAULT_MAX_WAITING));
    this.startsAtOnce = Math.max(1, Math.floor(options.startsAtOnce ?? this.size));
    this.kills = { killTree: options.killTree, killWaitMs: options.killWaitMs };
    this.configuredExecutable = options.executable?.trim() || undefined;
    this.hostSessionIdleMs = Math.min(Math.max(options.hostSessionIdleMs ?? DEFAULT_HOST_SESSION_IDLE_MS, 0), LONGEST_TIMER_MS - 1000);
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

  /** Stops every session (running calls end as `cancelled`), an idle one after closing its remoting sessions to hosts. */
  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      for (const waiter of this.waiters.splice(0)) waiter.settle(false);
      for (const timer of this.sweeps.values()) clearTimeout(timer);
      this.sweeps.clear();
      this.wake();
      const sessions = [...this.sessions];
      const idle = new Set(this.idle);
      this.sessions.clear();
      this.idle.length = 0;
      await Promise.all(
        sessions.map(async (session) => {
          const sweep = this.sweeping.get(session);
          if (idle.has(session) || (sweep && (await sweep))) await this.closeHostSessions(session, 0);
          await this.kill(session);
        }),
      );
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
      if (!session) {
        const got = await this.sessionFor(executable.value, guard, options.affinity);
        if (got === 'timeout')
          return failure('timeout', `"${script.name}" did not start within ${timeoutMs / 1000} s: no PowerShell session came free.`);
        if (got === 'cancelled') return failure('cancelled', `"${script.name}" was cancelled before it started.`);
        if (!(got instanceof PowerShellSession)) return got;
        session = got;
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
      for (const key of [options.affinity, ...(options.alsoAffinity ?? [])]) if (key !== undefined) this.affinity.set(key, session);
      return answer.value.result;
    } finally {
      guard.dispose();
      const kept = keep && keep.alive && !this.disposed ? keep : undefined;
      if (kept) this.offer(kept);
      if (kept) this.scheduleSweep(kept);
      this.releaseSlot(kept);
    }
  }

  /** A session left idle `hostSessionIdleMs` closes its remoting sessions (a session in use closes them at its next call). */
  private scheduleSweep(session: PowerShellSession): void {
    clearTimeout(this.sweeps.get(session));
    const timer = setTimeout(() => {
      this.sweeps.delete(session);
      const at = this.idle.indexOf(session);
      if (this.disposed || at < 0 || this.slotsInUse >= this.size) return;
      this.idle.splice(at, 1);
      this.slotsInUse += 1;
      const sweep = this.closeHostSessions(session, this.hostSessionIdleMs / 1000);
      this.sweeping.set(session, sweep);
      void sweep.then((answered) => {
        this.sweeping.delete(session);
        const kept = answered && session.alive && !this.disposed ? session : undefined;
        if (kept) this.offer(kept);
        this.releaseSlot(kept);
      });
    }, this.hostSessionIdleMs + 100);
    timer.unref();
    this.sweeps.set(session, timer);
  }

  /** Closes a session's remoting sessions unused for `idleSeconds` (0: all); false when it did not answer (then it is killed). */
  private async closeHostSessions(session: PowerShellSession, idleSeconds: number): Promise<boolean> {
    const outcome = await closeHostSessions(session, idleSeconds, this.logger);
    if (outcome === 'late') await this.discard(session);
    return outcome === 'closed';
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
      const hostSessionIdleSeconds = this.hostSessionIdleMs / 1000;
      session = new PowerShellSession({ executable, env: this.env, modules: this.modules, hostSessionIdleSeconds, ...this.kills });
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

  /**
   * Starts sessions ahead of need, in the background, until `count` of them (at most the pool's size) are alive, so
   * that a first action finds them ready. Resolves when they are (and no start is under way); a failed start is logged.
   */
  async warm(count: number): Promise<void> {
    const executable = await this.executable();
    const target = Math.min(count, this.size);
    const starts: Promise<void>[] = [];
    // At most `target` starts: a PowerShell that fails to start is not started again and again.
    while (executable && !this.disposed && this.sessions.size + this.unborn < target && starts.length < target) {
      if (this.starting < this.startsAtOnce) starts.push(this.adopt(this.start(executable)));
      else await this.room;
    }
    // Ready, not only started: the starts under way (a call's too) end first.
    while (this.starting > 0 && !this.disposed) await this.room;
    await Promise.all(starts);
  }

  private start(executable: string): Promise<PowerShellSession | PowerShellResult<never>> {
    this.starting += 1;
    this.unborn += 1;
    let born = false;
    const bear = (): void => {
      if (!born) this.unborn -= 1;
      born = true;
    };
    return startSession({
      executable,
      cacheHome: this.cacheHome,
      logger: this.logger,
      // Bounded on its own (a call waiting for it has its own limit): long enough for a loaded machine.
      timeoutMs: Math.max(this.defaultTimeoutMs, START_TIMEOUT_MS),
      create: () => (bear(), this.create(executable)),
      discard: (session) => this.discard(session),
      whenClosed: () => (this.disposed ? this.closed() : undefined),
    }).finally(() => {
      bear();
      this.starting -= 1;
      this.wake();
    });
  }

  /**
   * A session for a call that found none idle. One is started if there is room, and the call takes whichever comes
   * first, that start or a session another call frees: a read of six hosts on two warm sessions does not wait for
   * four starts it does not need. A start the call did not need joins the pool.
   */
  private async sessionFor(
    executable: string,
    guard: CallGuard,
    affinity: string | undefined,
  ): Promise<PowerShellSession | PowerShellResult<never> | Interrupt> {
    let own: Promise<PowerShellSession | PowerShellResult<never>> | undefined;
    let started: PowerShellSession | PowerShellResult<never> | undefined;
    for (;;) {
      const idle = this.takeIdle(affinity);
      if (idle || this.disposed) {
        void this.adopt(own);
        return idle ?? this.closed();
      }
      const room = this.sessions.size + this.unborn < this.size && this.starting < this.startsAtOnce;
      if (!own && room) own = this.start(executable).then((result) => (started = result));
      const wanting: Wanting = { affinity, handed: () => undefined };
      const handed = new Promise<void>((resolve) => (wanting.handed = resolve));
      this.wanting.push(wanting);
      const next = await guard.race(Promise.race([handed, this.room, ...(own ? [own] : [])]));
      const at = this.wanting.indexOf(wanting);
      if (at >= 0) this.wanting.splice(at, 1);
      if (!next.done || wanting.session) {
        void this.adopt(own);
        if (next.done) return wanting.session ?? this.closed();
        if (wanting.session) this.offer(wanting.session);
        return next.interrupt;
      }
      if (started) return started;
    }
  }

  /** A start no call waits for: its session goes to a call that wants one (else idle); a failure is logged. */
  private async adopt(start: Promise<PowerShellSession | PowerShellResult<never>> | undefined): Promise<void> {
    const started = await start;
    if (started instanceof PowerShellSession) this.offer(started);
    else if (started && !started.ok && !this.disposed)
      this.logger.warn(`A PowerShell session started ahead of need failed: ${started.error.message}`);
  }

  /** A session free for work: to the waiting call it served last (else the first waiting), else idle. */
  private offer(session: PowerShellSession): void {
    if (this.disposed || !session.alive) return;
    const known = this.wanting.findIndex((w) => w.affinity !== undefined && this.affinity.get(w.affinity) === session);
    const next = this.wanting.splice(Math.max(known, 0), 1)[0];
    if (!next) {
      this.idle.push(session);
      return;
    }
    next.session = session;
    next.handed();
  }

  /** A start ended or a session went: calls waiting for a session look again, there may be room to start one. */
  private wake(): void {
    this.roomChanged();
    this.room = new Promise<void>((resolve) => (this.roomChanged = resolve));
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
    clearTimeout(this.sweeps.get(session));
    this.sweeps.delete(session);
    for (const [key, known] of this.affinity) if (known === session) this.affinity.delete(key);
    const at = this.idle.indexOf(session);
    if (at >= 0) this.idle.splice(at, 1);
    this.wake();
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
        passed: 0,
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
    let at = freed ? this.waiters.findIndex((waiter) => waiter.affinity !== undefined && this.affinity.get(waiter.affinity) === freed) : -1;
    // A host's calls that keep coming (a move's progress polls) must not keep a call without affinity waiting forever.
    if (at > 0 && this.waiters.slice(0, at).some((waiter) => waiter.passed >= 2)) at = 0;
    for (const waiter of this.waiters.slice(0, Math.max(at, 0))) waiter.passed += 1;
    const next = this.waiters.splice(Math.max(at, 0), 1)[0];
    if (next) {
      next.settle(true);
    } else {
      this.slotsInUse -= 1;
    }
  }
}
