// One PowerShell process driven through node-powershell, with its defects neutralized:
// - its value escaping and `$` template are never used: every line comes from protocol.ts (base64 only;
//   a call's parameters and credentials follow its line as data lines the wrapper reads, never parsed);
// - NODE_POWERSHELL is ignored (setExecutable is overridden, the variable is removed from the child's env);
// - `-NoProfile -NonInteractive` are added; its debug logging is silenced whatever DEBUG says;
// - a missing executable or a crash never becomes an unhandled rejection or an uncaught stream error;
// - output on stderr never fails a call (throwOnInvocationError off; stderr becomes warnings);
// - its invocationTimeout is not used: the pool kills the whole process tree instead;
// - its command history (which would keep every payload in memory) is emptied after each call.

import type { ChildProcess } from 'node:child_process';
import { PowerShell } from 'node-powershell';
import { killProcessTree } from './processTree';
import { invokeText, readAnswer, startLine } from './protocol';
import type { PowerShellResult } from './types';

export interface SessionOptions {
  readonly executable: string;
  /** Added to (and overriding) this process's environment. */
  readonly env: Readonly<Record<string, string>>;
  /** Module paths imported into the session when it starts. */
  readonly modules: readonly string[];
  /** How a kill is done; default killProcessTree (tests pass one that fails). */
  readonly killTree?: (pid: number) => Promise<void>;
  /** How long kill() waits for the process to end before giving it up; default 30 s (a loaded machine is slow to reap even a killed process). */
  readonly killWaitMs?: number;
  /** Remoting sessions to hosts unused this long are closed (hostSession.ps1); default 600. */
  readonly hostSessionIdleSeconds?: number;
}

export type SessionEnd =
  | { readonly kind: 'exited'; readonly code: number | null; readonly signal: NodeJS.Signals | null }
  | { readonly kind: 'spawnFailed'; readonly error: Error };

/** What a call on the session came to: an answer read from its output, or the process's end. */
export type CallOutcome =
  | { readonly kind: 'answered'; readonly result: PowerShellResult<unknown> }
  | { readonly kind: 'ended'; readonly end: SessionEnd };

/** The parts of node-powershell's Shell that its typings keep private and this layer must reach. */
interface ShellInternals {
  readonly process: ChildProcess;
  readonly exitPromise: Promise<void>;
  debuggers: { comment: (text: string) => void; command: (text: string) => void; output: (text: string) => void };
}

const STDERR_TAIL = 2000;
const KILL_WAIT_MS = 30_000;

function ignore(): void {
  // Errors on the child's pipes surface as its exit; an unhandled stream error would crash the host.
}

class SafePowerShell extends PowerShell {
  protected override setExecutable({ executable }: { executable?: string }): string {
    if (!executable) {
      throw new Error('No PowerShell executable given.');
    }
    return executable;
  }
}

/** The child's environment: ours, plus the caller's, without NODE_POWERSHELL. */
export function sessionEnvironment(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // A dumb terminal: no cursor-key escapes or colours around the answers.
    TERM: 'dumb',
    POWERSHELL_TELEMETRY_OPTOUT: process.env.POWERSHELL_TELEMETRY_OPTOUT ?? '1',
    POWERSHELL_UPDATECHECK: process.env.POWERSHELL_UPDATECHECK ?? 'Off',
    // PowerShell 7 (.NET) only: JIT each method once, fully optimized. With tiered compilation a session kept
    // recompiling in the background for 20 s and more after it started (8 idle sessions: about 2 cores for
    // 7 s, then half a core), competing with the reads it was started for; the one-time cost is about the same.
    DOTNET_TieredCompilation: process.env.DOTNET_TieredCompilation ?? '0',
    ...extra,
  };
  for (const name of Object.keys(env)) {
    if (name.toUpperCase() === 'NODE_POWERSHELL') delete env[name];
  }
  return env;
}

export class PowerShellSession {
  readonly ended: Promise<SessionEnd>;
  private readonly shell: SafePowerShell;
  private readonly child: ChildProcess;
  private readonly compiled = new Set<string>();
  private end: SessionEnd | undefined;
  /** Killed, but not seen to end in time: never used again, though its process may linger. */
  private abandoned = false;
  private busy = false;
  private stderrTail = '';

  /** Starts the process; `initialize()` must succeed before calls. Throws only when spawn itself throws. */
  constructor(private readonly options: SessionOptions) {
    this.shell = new SafePowerShell({
      executable: options.executable,
      executableOptions: {
        '-NoProfile': true,
        '-NonInteractive': true,
        ...(process.platform === 'win32' && { '-ExecutionPolicy': 'Bypass' }),
      },
      spawnOptions: { env: sessionEnvironment(options.env), windowsHide: true },
      throwOnInvocationError: false,
      debug: false,
    });
    const internals = this.shell as unknown as ShellInternals;
    if (!internals.process || !(internals.exitPromise instanceof Promise) || !internals.debuggers) {
      internals.process?.kill('SIGKILL');
      throw new Error('node-powershell is not the 5.0.1 this layer was written against.');
    }
    internals.debuggers = { comment: ignore, command: ignore, output: ignore };
    internals.exitPromise.catch(ignore);
    this.child = internals.process;
    this.child.on('error', ignore);
    this.child.stdin?.on('error', ignore);
    this.child.stdout?.on('error', ignore);
    this.child.stderr?.on('error', ignore);
    this.child.stderr?.on('data', (chunk: string | Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-STDERR_TAIL);
    });
    this.ended = new Promise<SessionEnd>((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.end ??= { kind: 'exited', code, signal };
        resolve(this.end);
      });
      this.child.once('error', (error) => {
        if (this.child.pid === undefined) {
          this.end ??= { kind: 'spawnFailed', error };
          resolve(this.end);
        }
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.end === undefined && !this.abandoned;
  }

  /** The last lines the process wrote to stderr, for the message when it dies. */
  get lastErrorOutput(): string {
    return this.stderrTail.trim();
  }

  /** Loads the wrapper and imports the modules; answers PowerShell's version, or why the session is unusable. */
  initialize(): Promise<CallOutcome> {
    const idle = this.options.hostSessionIdleSeconds;
    return this.send(startLine(this.options.modules, idle === undefined ? {} : { hostSessionIdleSeconds: idle }));
  }

  /** Runs one call. Never rejects: a dead process is an outcome, not an exception. */
  async call(key: string, text: string, payload: string): Promise<CallOutcome> {
    const known = this.compiled.has(key);
    const outcome = await this.send(invokeText(key, known ? undefined : text, payload));
    if (!known && outcome.kind === 'answered' && outcome.result.ok) {
      this.compiled.add(key);
    }
    return outcome;
  }

  /**
   * Kills the process and everything it started; resolves once it is gone, or, when it is not gone within
   * `killWaitMs` (the kill failed), with why: the session then counts as ended all the same, so no call
   * waits on a process that cannot be stopped.
   */
  async kill(): Promise<string | undefined> {
    const pid = this.child.pid;
    if (this.end !== undefined || pid === undefined) {
      await this.ended;
      return undefined;
    }
    let refused: string | undefined;
    const gone = (async () => {
      try {
        await (this.options.killTree ?? killProcessTree)(pid);
      } catch (error) {
        refused = error instanceof Error ? error.message : String(error);
      }
      await this.ended;
      return true;
    })();
    const waitMs = this.options.killWaitMs ?? KILL_WAIT_MS;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), waitMs);
    });
    const ended = await Promise.race([gone, late]);
    clearTimeout(timer);
    if (ended) return undefined;
    this.abandoned = true;
    return `But stopping it failed: PowerShell (pid ${pid}) still ran ${waitMs / 1000} s after the kill${refused ? ` (${refused})` : ''}, so that session is given up.`;
  }

  private async send(line: string): Promise<CallOutcome> {
    if (this.busy) {
      throw new Error('A PowerShell session runs one call at a time.');
    }
    if (this.end !== undefined) {
      return { kind: 'ended', end: this.end };
    }
    this.busy = true;
    try {
      const invocation = this.shell.invoke(line).then(
        (record) => ({ stdout: record.stdout?.toString('utf8') ?? '', stderr: record.stderr?.toString('utf8') ?? '' }),
        () => undefined,
      );
      const output = await Promise.race([invocation, this.ended.then(() => undefined)]);
      if (this.end !== undefined || output === undefined) {
        return { kind: 'ended', end: await this.ended };
      }
      return { kind: 'answered', result: readAnswer(output.stdout, output.stderr) };
    } finally {
      this.shell.history.length = 0;
      this.busy = false;
    }
  }
}
