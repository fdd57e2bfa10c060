// Types of codeServer.mjs for the TypeScript tests that import it (the UI fixture).
import type { Browser } from 'playwright-core';

export declare const SETTINGS: Readonly<Record<string, unknown>>;
export declare const CHROMIUM_PATH: string;
export declare const CHROMIUM_ARGS: readonly string[];

export declare function codeServerPath(root: string): string;
export declare function toolsEnv(root: string, extra?: Record<string, string>): Record<string, string>;
export declare function freePort(host?: string): Promise<number>;

export interface StartOptions {
  /** The repository (where `.tools/` is). */
  readonly root: string;
  /** The workspace folder to open; default: an empty temp folder. */
  readonly folder?: string;
  /** Extra environment for code-server and its extension host. */
  readonly env?: Record<string, string>;
  /** Settings on top of SETTINGS, written as user and machine settings. */
  readonly settings?: Record<string, unknown>;
  /** Default: a free port on 127.0.0.1. */
  readonly port?: number;
  /** Keep the temp folder after stop(). */
  readonly keep?: boolean;
  /** Leave workspace trust on (default off: `--disable-workspace-trust`). */
  readonly workspaceTrust?: boolean;
  /** The display language (`--locale`, e.g. `de`); default: code-server's (English). */
  readonly locale?: string;
  /** More files in the user-data folder (name → text). */
  readonly userDataFiles?: Record<string, string>;
  /** `.vsix` files to install first with `--install-extension`, as users install them. */
  readonly install?: readonly string[];
  readonly readyTimeoutMs?: number;
}

export type PayloadEntry = readonly [string, string];

export interface CodeServer {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  readonly folder: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly logFile: string;
  readonly exited: Promise<{ code: number | null; signal: string | null; error?: Error }>;
  remoteUri(path: string): string;
  workbenchUrl(options?: { folder?: string; payload?: readonly PayloadEntry[] }): string;
  logs(): string;
  stop(): Promise<void>;
}

export declare function startCodeServer(options: StartOptions): Promise<CodeServer>;
export declare function launchChromium(): Promise<Browser>;
