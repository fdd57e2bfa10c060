// What the two preflight scripts read (../scripts/preflightSource.ps1, ../scripts/preflightDestination.ps1),
// decoded from untrusted JSON into typed facts. The checks (checks/*.ts) work on these facts only.
import {
  array,
  boolean,
  DecodeError,
  number,
  object,
  optionalNumber,
  optionalString,
  string,
  stringItem,
  switchItem,
  volumeItem,
  fields,
  list,
  record,
  type Field,
} from '../../hyperv/decode';
import { VM_SETTINGS, migrationSettings } from '../../hyperv/inventory';
import type { MigrationSettings, VmSettings } from '../../hyperv/model';
import { classifyError, isRawErrorFacts } from '../../powershell/classify';
import type { PowerShellError } from '../../powershell/types';
import type { CompareIncompatibility } from '../compareVm';

export type { MigrationSettings };

export interface SourceHostFacts extends MigrationSettings {
  /** The session runs on this host (Get-VMHost without -ComputerName answers it): CredSSP works from here. */
  readonly isLocal: boolean;
}

export interface DestinationHostFacts extends MigrationSettings {
  /** Win32_OperatingSystem FreePhysicalMemory, in bytes. */
  readonly memoryFree: number;
  readonly volumes: readonly { readonly name: string; readonly freeSpace: number; readonly size: number }[];
  readonly virtualMachinePath: string;
  readonly supportedVersions: readonly string[];
  readonly switches: readonly { readonly name: string; readonly switchType: string }[];
  /** Physical adapters no switch uses (for an External switch); null where the NetAdapter module does not answer. */
  readonly freeNetAdapters: readonly string[] | null;
  /** Virtual SAN names; null where Get-VMSan does not answer. */
  readonly sans: readonly string[] | null;
}

export interface RunningJob {
  /** The moving VM's Id, upper case (Msvm_MigrationJob VirtualSystemName). */
  readonly vmId: string;
  readonly destinationHost: string;
  /** Msvm_MigrationJob JobType: 305 VM only, 306 VM and storage, 307 storage only (the scripts read no others). */
  readonly jobType: number;
}

export interface SourceVmFacts extends VmSettings {
  readonly id: string;
  readonly state: string;
  /** `id` is the adapter's Hyper-V Id (`Microsoft:<VM>\<adapter>`), the key of MovePlan.adapterSwitches. */
  readonly adapters: readonly { readonly id: string; readonly name: string; readonly switchName: string | null }[];
  /**
   * `controller` is `SCSI 0:1`; `bytes` the VHD with its parent chain (0 for a pass-through disk); `unreadable`
   * the first file of that chain Get-VHD could not read (missing, on a share the host cannot reach), with why.
   */
  readonly disks: readonly SourceDiskFacts[];
  readonly checkpoints: readonly { readonly name: string; readonly bytes: number }[];
  readonly dvdDrives: readonly { readonly controller: string; readonly path: string | null }[];
  readonly fibreChannel: readonly { readonly name: string; readonly sanName: string }[];
  readonly assignedDevices: readonly { readonly name: string; readonly instanceId: string }[];
  readonly tpmEnabled: boolean;
  readonly shielded: boolean;
}

export interface SourceDiskFacts {
  readonly controller: string;
  readonly path: string | null;
  readonly diskNumber: number | null;
  readonly bytes: number;
  readonly unreadable: { readonly path: string; readonly message: string } | null;
}

/** A planned VM of the moving VM on the destination. */
export interface PlannedVm {
  readonly id: string;
  readonly name: string;
}

export interface DelegationAccount {
  readonly name: string;
  readonly dnsHostName: string;
  readonly allowedToDelegateTo: readonly string[];
  readonly trustedToAuthForDelegation: boolean;
}

export interface CompareOutcome {
  readonly operationType: string;
  /** True when the plan's choices were made on the report and Compare-VM ran again. */
  readonly planApplied: boolean;
  readonly incompatibilities: readonly CompareIncompatibility[];
}

export interface SourceFacts {
  readonly host: SourceHostFacts;
  readonly vm: SourceVmFacts;
  /** The destination path Compare-VM was given (the request's, or the destination's default); null when it could not be resolved. */
  readonly storagePath: string | null;
  readonly account: DelegationAccount | null;
  readonly accountError: PowerShellError | null;
  readonly jobs: readonly RunningJob[];
  readonly compare: CompareOutcome | null;
  readonly compareError: PowerShellError | null;
  readonly planProblems: readonly string[];
  /** Why the planned VM the check staged could not be removed, when it could not. */
  readonly cleanupProblem: string | null;
}

export interface DestinationFacts {
  readonly host: DestinationHostFacts;
  readonly jobs: readonly RunningJob[];
  /**
   * The planned VM of this VM the destination held before the check's Compare-VM (left by an earlier failed
   * move or check): Compare-VM replaced it, and the check removed what it staged. Null when there was none.
   */
  readonly plannedBefore: PlannedVm | null;
  /** The destination's AD computer account, found by its configured name: the delegation entries name it as AD has it. */
  readonly account: DelegationAccount | null;
  readonly accountError: PowerShellError | null;
}

type Obj = Readonly<Record<string, unknown>>;

/** A list field that may be missing (null: not read), as against an empty list. */
function optionalList<T>(item: (value: unknown, path: string) => T): Field<T[] | null> {
  return (o, key, path) => (o[key] === null || o[key] === undefined ? null : array(o, key, path, item));
}

function job(value: unknown, path: string): RunningJob {
  const o = object(value, path);
  return {
    vmId: string(o, 'vmId', path).toUpperCase(),
    destinationHost: string(o, 'destinationHost', path),
    jobType: number(o, 'jobType', path),
  };
}

function errorFacts(value: unknown, path: string): PowerShellError | null {
  if (value === null || value === undefined) return null;
  if (!isRawErrorFacts(value)) throw new DecodeError(path, 'error facts', value);
  return classifyError(value);
}

const incompatibility: (value: unknown, path: string) => CompareIncompatibility = record({
  messageId: number,
  message: string,
  sourceType: string,
  sourceKey: optionalString,
});

/** A disk's file Hyper-V could not read, or null. */
function unreadableDisk(o: Obj, key: string, path: string): SourceDiskFacts['unreadable'] {
  const value = o[key];
  return value === null || value === undefined ? null : record({ path: string, message: string })(value, `${path}.${key}`);
}

function plannedVm(value: unknown, path: string): PlannedVm | null {
  if (value === null || value === undefined) return null;
  const o = object(value, path);
  return { id: string(o, 'id', path).toLowerCase(), name: string(o, 'name', path) };
}

const vm: (value: unknown, path: string) => SourceVmFacts = record({
  id: string,
  ...VM_SETTINGS,
  state: string,
  adapters: list(record({ id: string, name: string, switchName: optionalString })),
  disks: list(record({ controller: string, path: optionalString, diskNumber: optionalNumber, bytes: number, unreadable: unreadableDisk })),
  checkpoints: list(record({ name: string, bytes: number })),
  dvdDrives: list(record({ controller: string, path: optionalString })),
  fibreChannel: list(record({ name: string, sanName: string })),
  assignedDevices: list(record({ name: string, instanceId: string })),
  tpmEnabled: boolean,
  shielded: boolean,
});

function delegationAccount(value: unknown, path: string): DelegationAccount | null {
  if (value === null || value === undefined) return null;
  return fields(object(value, path), path, {
    name: string,
    dnsHostName: string,
    allowedToDelegateTo: list(stringItem),
    trustedToAuthForDelegation: boolean,
  });
}

export function decodeSourceFacts(data: unknown): SourceFacts {
  const path = 'source';
  const o = object(data, path);
  const hostObject = object(o.host, `${path}.host`);
  const compare = o.compare === null || o.compare === undefined ? null : object(o.compare, `${path}.compare`);
  return {
    host: { ...migrationSettings(hostObject, `${path}.host`), isLocal: boolean(hostObject, 'isLocal', `${path}.host`) },
    vm: vm(o.vm, `${path}.vm`),
    storagePath: optionalString(o, 'storagePath', path),
    account: delegationAccount(o.account, `${path}.account`),
    accountError: errorFacts(o.accountError, `${path}.accountError`),
    jobs: array(o, 'jobs', path, job),
    compare:
      compare &&
      fields(compare, `${path}.compare`, { operationType: string, planApplied: boolean, incompatibilities: list(incompatibility) }),
    compareError: errorFacts(o.compareError, `${path}.compareError`),
    planProblems: array(o, 'planProblems', path, stringItem),
    cleanupProblem: optionalString(o, 'cleanupProblem', path),
  };
}

export function decodeDestinationFacts(data: unknown): DestinationFacts {
  const path = 'destination';
  const o = object(data, path);
  const h = object(o.host, `${path}.host`);
  const hostPath = `${path}.host`;
  return {
    host: {
      ...migrationSettings(h, hostPath),
      ...fields(h, hostPath, {
        memoryFree: number,
        volumes: list(volumeItem),
        virtualMachinePath: string,
        supportedVersions: list(stringItem),
        switches: list(switchItem),
        freeNetAdapters: optionalList(stringItem),
        sans: optionalList(stringItem),
      }),
    },
    jobs: array(o, 'jobs', path, job),
    plannedBefore: plannedVm(o.plannedBefore, `${path}.plannedBefore`),
    account: delegationAccount(o.account, `${path}.account`),
    accountError: errorFacts(o.accountError, `${path}.accountError`),
  };
}
