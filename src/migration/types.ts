// The contract of the migration core (preflight checks, fixes, the move itself, the journal). No 'vscode'
// here: the panel and commands (src/panel, src/commands) use these types; the engine and executor
// (src/migration/*) implement them; tests run them on the lab through the session layer.
import type { PowerShellError, PowerShellRunner } from '../powershell/types';

/** One VM to move from its host to a destination, with its storage (shared-nothing: disks move too). */
export interface MigrationRequest {
  readonly vmId: string;
  readonly vmName: string;
  readonly source: string;
  readonly destination: string;
  /**
   * Where the VM's files go on the destination; default: the destination's VirtualMachinePath\<vm name>.
   * Without `vhds`, everything goes there (`-IncludeStorage -DestinationStoragePath`); with `vhds`, only the
   * VM's configuration, checkpoints and smart paging file (`-VirtualMachinePath`, `-SnapshotFilePath`,
   * `-SmartPagingFilePath`).
   */
  readonly storagePath?: string;
  /**
   * Each virtual disk to its own file on the destination: Hyper-V's `-Vhds @(@{ SourceFilePath;
   * DestinationFilePath })` parameter set (VMMultipleDestinations, which takes no `-IncludeStorage`).
   * `source` is the disk's path as the source host's `Get-VMHardDiskDrive` shows it (compared without
   * regard to case); `destination` the full path of the file on the destination, with the source's file name
   * (Hyper-V refuses another name; `storage.vhd-renamed:<source>` reports it). List every virtual disk
   * of the VM: as in Hyper-V, a disk not listed is not moved but stays where it is, which the destination
   * reaches only on an SMB share or a cluster shared volume both hosts see; on the source's own storage the
   * check reports it as a blocker (`storage.vhd-unreachable:<controller>`). A `source` that is none of the
   * VM's disks is a blocker too (`storage.vhd-unknown:<source>`).
   */
  readonly vhds?: readonly VhdDestination[];
}

/** One virtual disk of a move and the file it becomes on the destination. */
export interface VhdDestination {
  readonly source: string;
  readonly destination: string;
}

export type Severity = 'blocker' | 'warning' | 'info';

/** Groups of the checklist, in the order the panel shows them. */
export type Area =
  | 'hosts' // reachable, module present
  | 'migration' // enabled, networks, concurrency limits
  | 'authentication' // CredSSP/Kerberos, constrained delegation
  | 'processor'
  | 'network' // switches
  | 'version' // configuration version
  | 'storage' // path, free space
  | 'memory'
  | 'devices' // ISO, pass-through, vFC, DDA, vTPM
  | 'leftovers' // planned VMs
  | 'cluster' // HA
  | 'other'; // Compare-VM incompatibilities we do not recognize, shown verbatim

/** What was read, where: the evidence behind a finding, shown to the admin. */
export interface Evidence {
  /** e.g. `Get-VMSwitch -ComputerName HV03` */
  readonly source: string;
  /** e.g. `switches: LAN-Prod` */
  readonly detail: string;
}

/**
 * What each fix acts on, by its id: filled in by the check that offers it and read back by the fixer (fixes.ts),
 * e.g. `{ host: 'HV03', switchName: 'LAN1' }` for `create-switch`. Plan files keep a fix by its id only.
 */
export interface FixArguments {
  readonly 'enable-migration': { readonly host: string };
  readonly 'use-any-network': { readonly host: string };
  readonly 'add-migration-network': { readonly host: string };
  readonly 'use-kerberos': { readonly hosts: readonly string[] };
  /** Entries added to the source's AD computer account (`account`); `host` is the source, whose credential the change takes. */
  readonly 'add-delegation': { readonly account: string; readonly entries: readonly string[]; readonly host: string };
  readonly 'allow-any-protocol': { readonly account: string; readonly host: string };
  /** The request's VM on its source: nothing more. */
  readonly 'enable-compatibility': undefined;
  readonly 'eject-iso': { readonly controller: string };
  readonly 'create-switch': { readonly host: string; readonly switchName: string };
  readonly 'remove-planned-vm': { readonly host: string };
  readonly 'map-switch': { readonly adapterId: string };
  readonly 'disconnect-adapter': { readonly adapterId: string };
  readonly 'eject-iso-on-move': { readonly controller: string };
}

export type FixId = keyof FixArguments;

/**
 * A fix the admin can apply in place, of one kind (`id`) with its arguments. `choices` are what the admin picks
 * before applying (e.g. the destination switch to map an adapter to, or the type of a new switch).
 */
export type FixOptionOf<K extends FixId> = {
  /** The kind of fix, e.g. `map-switch`, `create-switch`, `disconnect-adapter`, `enable-compatibility`; one per finding. */
  readonly id: K;
  readonly title: string;
  /** What happens, in a sentence, including the cost (downtime, loss of network, AD change). */
  readonly description: string;
  /** Destructive fixes (shutdown, disconnect, AD change) show their script and ask before applying. */
  readonly destructive: boolean;
  /** Values the admin must pick, e.g. `{ name: 'switch', label: 'Destination switch', options: ['LAN1','Backup'] }`. */
  readonly choices?: readonly FixChoice[];
  /**
   * Where the fix lands: `host`/`vm`/`ad` change the fleet now; `plan` is recorded in the move plan and
   * applied on Compare-VM's report right before Move-VM (as Hyper-V requires for switch mapping).
   */
  readonly appliesTo: 'host' | 'vm' | 'ad' | 'plan';
} & (FixArguments[K] extends undefined ? { readonly args?: undefined } : { readonly args: FixArguments[K] });

/** Any fix: a union keyed on `id`, so a fix's arguments are known from its id. */
export type FixOption = { readonly [K in FixId]: FixOptionOf<K> }[FixId];

/** A value a fix script takes in $Params. */
export type FixArgument = string | number | boolean | null | readonly string[];

export interface FixChoice {
  readonly name: string;
  readonly label: string;
  readonly options: readonly string[];
}

export interface Finding {
  /** Stable across re-checks, e.g. `network.switch-missing:<adapter id>`, so the panel can show it turn green. */
  readonly id: string;
  readonly area: Area;
  readonly severity: Severity;
  /** Short, e.g. "Switch 'Storage' does not exist on HV02". */
  readonly title: string;
  /** Plain-language cause and consequence. */
  readonly cause: string;
  readonly evidence: readonly Evidence[];
  readonly fixes: readonly FixOption[];
  /** The Compare-VM incompatibility this finding came from or matches, when there is one. */
  readonly compareVm?: { readonly messageId: number; readonly message: string; readonly sourceType: string };
}

/** Choices for 'plan' fixes, carried into the move: adapter id → destination switch name, or null to disconnect. */
export interface MovePlan {
  readonly request: MigrationRequest;
  readonly adapterSwitches: Readonly<Record<string, string | null>>;
  /** DVD drives to empty on the report copy (by `controllerType controllerNumber:controllerLocation`). */
  readonly ejectDvd: readonly string[];
}

export interface PreflightResult {
  readonly request: MigrationRequest;
  readonly findings: readonly Finding[];
  /** True when no finding is a blocker (after the plan's choices are taken into account). */
  readonly ready: boolean;
  readonly checkedAt: string;
  /** PowerShell round trips made, per host: at most 2 per host involved. */
  readonly roundTrips: Readonly<Record<string, number>>;
  /**
   * Where the check placed the VM's files on the destination: the request's `storagePath`, or the
   * default it resolved (the destination's VirtualMachinePath\<vm name>). Carry it into the move.
   */
  readonly storagePath?: string;
}

export interface CheckOptions {
  readonly plan?: MovePlan;
  readonly signal?: AbortSignal;
}

/** The preflight engine: every check of HYPERV.md for one VM and destination. */
export interface PreflightEngine {
  check(request: MigrationRequest, options?: CheckOptions): Promise<PreflightResult>;
}

export interface FixRequest {
  readonly finding: Finding;
  readonly fixId: string;
  readonly choices?: Readonly<Record<string, string>>;
}

export type FixOutcome =
  | { readonly ok: true; readonly plan?: MovePlan; readonly message: string }
  | { readonly ok: false; readonly error: PowerShellError };

export interface Fixer {
  /** The exact PowerShell the fix runs (or, for plan fixes, adds to the move script), for "Show PowerShell". */
  preview(request: MigrationRequest, fix: FixRequest, plan?: MovePlan): string;
  /** Applies a host/vm/ad fix now, or returns the updated plan for a plan fix. Re-check afterwards. */
  apply(request: MigrationRequest, fix: FixRequest, plan: MovePlan | undefined, signal?: AbortSignal): Promise<FixOutcome>;
}

export type MovePhase = 'starting' | 'moving' | 'completing' | 'succeeded' | 'failed' | 'cancelled';

export interface MoveProgress {
  readonly phase: MovePhase;
  readonly percent: number;
  readonly bytesTotal: number;
  readonly bytesMoved: number;
  /** Bytes per second over the move so far. */
  readonly throughput: number;
  readonly elapsedMs: number;
  /** null until it can be estimated. */
  readonly etaMs: number | null;
}

/** Hyper-V's failure message translated (HYPERV.md's failure table). */
export interface FailureExplanation {
  readonly message: string;
  readonly cause: string;
  readonly fix: string;
}

export interface MoveOutcome {
  readonly phase: 'succeeded' | 'failed' | 'cancelled';
  readonly durationMs: number;
  readonly bytesMoved: number;
  readonly failure?: FailureExplanation;
  /** After a failure or cancel: where the VM was found and its state (the promise: running on the source). */
  readonly vmFoundOn?: { readonly host: string; readonly state: string };
  /** What happened and where the VM is, in a sentence, e.g. "The move was cancelled at 37 %. sql01 is still running on HV01." */
  readonly summary?: string;
}

/** One move, as the journal and the panel see it. */
export interface MoveRecord {
  readonly id: string;
  readonly plan: MovePlan;
  readonly startedAt: string;
  readonly endedAt?: string;
  readonly progress: MoveProgress;
  readonly outcome?: MoveOutcome;
}

export interface MoveHandle {
  readonly record: () => MoveRecord;
  readonly onProgress: (listener: (record: MoveRecord) => void) => { dispose(): void };
  /** Resolves when the move ends, however it ends. */
  readonly done: Promise<MoveRecord>;
  cancel(): Promise<void>;
}

/** Runs moves: journals them, reports progress, cancels, and re-attaches after a reload. */
export interface MoveExecutor {
  /** Starts a move. Refuses (throws) when a move of the same VM is already running. */
  start(plan: MovePlan): Promise<MoveHandle>;
  running(): readonly MoveHandle[];
  /** Reads the journal: re-attaches to moves still running on their hosts, records how the others ended. */
  recover(): Promise<readonly MoveRecord[]>;
  onDidChange(listener: () => void): { dispose(): void };
  dispose(): void;
}

export interface MigrationCoreOptions {
  readonly runner: PowerShellRunner;
  /** Folder for the move journal (the extension's global storage). */
  readonly journalDir: string;
}
