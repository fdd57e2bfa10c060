// The contract of the PowerShell session layer. Everything that talks to Hyper-V (or the lab) goes
// through a PowerShellRunner; nothing above this layer starts processes or builds script text.

/** Why a call failed, in terms the UI can act on. */
export type PowerShellErrorKind =
  | 'powershellMissing' // the executable could not be started
  | 'hostUnreachable' // the Hyper-V host did not answer (WinRM/RPC/DNS)
  | 'accessDenied' // the host answered and refused
  | 'moduleMissing' // the Hyper-V (or AD/cluster) module is not there
  | 'timeout' // the call ran past its time; its session was stopped
  | 'cancelled' // the caller cancelled; its session was stopped
  | 'sessionCrashed' // the PowerShell process died during the call
  | 'scriptError' // the script failed: message and category are PowerShell's
  | 'protocolError' // the answer was not one JSON envelope
  | 'busy'; // too many calls were already waiting for a session: this one was not started

export interface PowerShellError {
  readonly kind: PowerShellErrorKind;
  readonly message: string;
  /** PowerShell's ErrorCategory name, e.g. `ObjectNotFound`, when PowerShell gave one. */
  readonly category?: string;
  /** PowerShell's FullyQualifiedErrorId, when PowerShell gave one. */
  readonly errorId?: string;
  /** The .NET type of the exception, when PowerShell gave one. */
  readonly exceptionType?: string;
  /** The host the failing call was aimed at, when known. */
  readonly target?: string;
}

export type PowerShellResult<T> =
  | { readonly ok: true; readonly data: T; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly error: PowerShellError; readonly warnings: readonly string[] };

/**
 * A script is fixed text shipped with the extension. Its body starts with `param($Params)` and
 * receives the call's parameters as one object decoded from base64 JSON inside PowerShell; whatever
 * it outputs is returned as JSON and turned into T by `parse`.
 */
export interface Script<P, T> {
  readonly name: string;
  readonly text: string;
  parse(data: unknown): T;
  /** Phantom: ties the parameter type to the script. Never set. */
  readonly __params?: P;
}

export interface Credential {
  readonly userName: string;
  readonly password: string;
}

export interface CallOptions {
  /** Overrides the runner's default timeout for this call. */
  readonly timeoutMs?: number;
  /** Aborting stops the call (its session is stopped) and the call fails with `cancelled`. */
  readonly signal?: AbortSignal;
  /** Passed to the script as `$Credential` (a PSCredential) over the session's stdin; never logged. */
  readonly credential?: Credential;
  /**
   * Passed, like `credential`, as `$DestinationCredential` to a script that declares it: what a script run on
   * the source host hands on for its second hop to the destination (`-DestinationCredential`).
   */
  readonly destinationCredential?: Credential;
  /**
   * Calls with the same affinity (e.g. a host name) prefer the session that served the last one, when it
   * is idle: that session has the host's connection and caches warm. Never waits for it.
   */
  readonly affinity?: string;
  /**
   * More affinities the session that serves this call is remembered for (the other hosts of a batch read): a later
   * call with one of them prefers that session, which holds their remoting sessions (hostSession.ps1).
   */
  readonly alsoAffinity?: readonly string[];
}

export interface PowerShellRunner {
  /** How many calls it runs at once, when it has a limit (a pool's size). */
  readonly concurrency?: number;
  run<P, T>(script: Script<P, T>, params: P, options?: CallOptions): Promise<PowerShellResult<T>>;
  dispose(): Promise<void>;
}

/** What the session layer logs through; the extension backs it with a LogOutputChannel. */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
