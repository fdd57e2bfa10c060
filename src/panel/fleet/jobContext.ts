// What the fleet panel's jobs (Configure Live Migration, Drain Host / Migrate many, the HA workflow) get
// from the panel: the migration core's parts, and the few things only VS Code can do (ask, open an editor,
// show the panel), as plain functions. No 'vscode' here: the jobs are tested in plain Node.
import type { Fleet } from '../../hyperv/fleet';
import { sameHost } from '../../hyperv/hostName';
import type { History } from '../../migration/history';
import type { MaintenanceStore } from '../../migration/maintenance';
import type { MoveExecutor } from '../../migration/types';
import type { Credential, Logger, PowerShellRunner } from '../../powershell/types';
import type { FleetJob } from '../fleetProtocol';

export interface FleetPanelDeps {
  readonly fleet: Fleet;
  /** The migration core's runner (the connection's pool of the moment). */
  readonly runner: PowerShellRunner;
  /** The extension's one executor: every move is journaled and followed by the rest of the extension. */
  readonly executor: MoveExecutor;
  readonly isLab: () => boolean;
  readonly logger: Logger;
  /** A host's stored credential (SecretStorage), if any. */
  readonly credential: (host: string) => Promise<Credential | undefined>;
  /** The HA workflows' journal (the extension's global storage): read again after a reload by `resumeHa()`. */
  readonly haJournalDir: string;
  /** The drains' journal (the extension's global storage): read again after a reload by `resumeDrains()`. */
  readonly drainJournalDir: string;
  /** The hosts in maintenance (the extension's global storage, shared by every window). */
  readonly maintenance: MaintenanceStore;
  /** Where drains and HA workflows are recorded when they end (none in tests that do not look). */
  readonly history?: History;
}

/** What the panel asks the admin before it changes the fleet. */
export interface FleetUi {
  confirm(message: string, detail: string, action: string): Promise<boolean>;
}

export interface FleetJobContext {
  readonly deps: FleetPanelDeps;
  readonly ui: FleetUi;
  /** Asks without a modal: resolves with the action chosen, or undefined when the question was dismissed. */
  ask(message: string, ...actions: string[]): PromiseLike<string | undefined>;
  /** A notification that offers to show the job. */
  tell(level: 'info' | 'warning', message: string, job: FleetJob): void;
  /** Opens a script in an untitled PowerShell editor beside the panel. */
  openScript(script: string): Promise<void>;
  /** "Save as Plan": the planned moves written as a plan file (and opened). */
  savePlan(): Promise<void>;
  /** The job becomes the one shown, and the panel is opened (or brought forward). */
  reveal(job: FleetJob): void;
  /** The job becomes the one shown when the panel is open; the panel is not opened for it. */
  activate(job: FleetJob): void;
  /** Work that goes on by itself: a failure is logged and shown (logger.ts's `inBackground`). */
  background(what: string, work: Promise<unknown>): void;
  /** A failure the admin is told of: logged and shown (logger.ts's `reportFailure`). */
  reportFailure(what: string, error: unknown): void;
  /** Called whenever a job's view may have changed. */
  changed(): void;
}

/** The stored credentials of the hosts, looked up once, for the core's synchronous `credentialFor`. */
export async function credentialsFor(
  deps: Pick<FleetPanelDeps, 'credential'>,
  hosts: readonly string[],
): Promise<(host: string) => Credential | undefined> {
  const found = await Promise.all(hosts.map(async (host) => [host, await deps.credential(host)] as const));
  return (host) => found.find(([name]) => sameHost(name, host))?.[1];
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
