import { availableParallelism } from 'node:os';
import { classifyError, isRawErrorFacts, type RawErrorFacts } from '../powershell/classify';
import { defineScript } from '../powershell/script';
import type { Credential, PowerShellError, PowerShellRunner } from '../powershell/types';
import {
  array,
  boolean,
  fields,
  list,
  number,
  object,
  optionalNumber,
  optionalString,
  record,
  string,
  stringItem,
  switchItem,
  volumeItem,
  type Field,
} from './decode';
import { hostKey } from './hostName';
import type { HostFacts, HostInventory, MigrationSettings, Vm, VmSettings, VmState } from './model';
import getFleetInventoryText from './scripts/getFleetInventory.ps1';
import hostFactsText from './scripts/shared/hostFacts.ps1';

const vmStates: readonly VmState[] = ['Running', 'Off', 'Saved', 'Paused', 'Starting', 'Stopping', 'Saving', 'Pausing', 'Resuming'];

/** A host's live-migration settings, as Get-MigrationHostFacts answers them: the inventory's and a check's. */
export function migrationSettings(o: Readonly<Record<string, unknown>>, path: string): MigrationSettings {
  return fields(o, path, {
    name: string,
    fqdn: string,
    migrationEnabled: boolean,
    useAnyNetwork: boolean,
    networks: list(stringItem),
    authenticationType: string,
    maximumVmMigrations: number,
    maximumStorageMigrations: number,
    cpuVendor: string,
    cpuName: string,
    cluster: optionalString,
  });
}

function decodeHost(value: unknown, path: string): HostFacts {
  const o = object(value, path);
  return {
    ...migrationSettings(o, path),
    ...fields(o, path, {
      osCaption: string,
      osVersion: string,
      logicalProcessors: number,
      memoryCapacity: number,
      memoryFree: number,
      volumes: list(volumeItem),
      virtualMachinePath: string,
      virtualHardDiskPath: string,
      supportedVersions: list(stringItem),
      switches: list(switchItem),
    }),
  };
}

/** Hyper-V's state names; another (a state this extension does not know) reads as 'Other'. */
function vmState(o: Readonly<Record<string, unknown>>, key: string, path: string): VmState {
  const state = string(o, key, path);
  return (vmStates as readonly string[]).includes(state) ? (state as VmState) : 'Other';
}

/** The fields of VmSettings, as Get-VmFacts answers them: the inventory's VMs' and a check's. */
export const VM_SETTINGS = {
  name: string,
  status: string,
  version: string,
  memoryStartup: number,
  memoryAssigned: number,
  isClustered: boolean,
  compatibilityForMigration: boolean,
} satisfies { readonly [K in keyof VmSettings]: Field<VmSettings[K]> };

const decodeVm = record({
  id: string,
  ...VM_SETTINGS,
  host: string,
  state: vmState,
  migrationPercent: optionalNumber,
  generation: number,
  processorCount: number,
  dynamicMemory: boolean,
  path: string,
  notes: string,
  uptimeSeconds: number,
  disks: list(
    record({
      path: optionalString,
      diskNumber: optionalNumber,
      controller: string,
      fileSize: optionalNumber,
      size: optionalNumber,
      unreadable: optionalString,
    }),
  ),
  adapters: list(record({ id: string, name: string, switchName: optionalString, macAddress: string })),
  isoPaths: list(stringItem),
  checkpoints: list(stringItem),
});

export function decodeHostInventory(data: unknown): HostInventory {
  const o = object(data, 'inventory');
  const vms: Vm[] = array(o, 'vms', 'inventory', decodeVm);
  return { host: decodeHost(o.host, 'inventory.host'), vms };
}

/** One host's answer in a batch: its inventory as the JSON text the host wrote, or the facts of its error. */
export interface FleetAnswer {
  readonly computer: string;
  readonly inventory: string | null;
  readonly error: RawErrorFacts | null;
}

function decodeFleetAnswers(data: unknown): FleetAnswer[] {
  const items = data === null ? [] : Array.isArray(data) ? data : [data];
  return items.map((item, i) => {
    const path = `answers[${i}]`;
    const o = object(item, path);
    const error = o.error ?? null;
    if (error !== null && !isRawErrorFacts(error)) throw new Error(`${path}.error: expected the facts of an error record`);
    return { computer: string(o, 'computer', path), inventory: optionalString(o, 'inventory', path), error };
  });
}

/** Reads a batch of hosts in one Invoke-Command: each host runs the read itself, all hosts at once. */
export const getFleetInventory = defineScript<{ hosts: readonly string[] }, FleetAnswer[]>(
  'getFleetInventory',
  getFleetInventoryText,
  decodeFleetAnswers,
  [hostFactsText],
);

export interface HostTarget {
  readonly name: string;
  readonly credential?: Credential;
}

export type HostReading =
  | { readonly name: string; readonly ok: true; readonly inventory: HostInventory }
  | { readonly name: string; readonly ok: false; readonly error: PowerShellError };

/** Batches when the runner does not say how many calls it runs at once. */
const DEFAULT_BATCHES = 4;

/**
 * How many batches a fleet read uses: half the runner's sessions (Invoke-Command reaches a batch's hosts at
 * once anyway, and the other half stays free for a check or a move started while the tree refreshes), and
 * no more than this machine's cores: what a batch does here (decoding its hosts' answers; in the lab,
 * simulating the hosts) is CPU work, and more batches than cores only take turns on them.
 */
export function batchCount(runner: PowerShellRunner, cores = availableParallelism()): number {
  const sessions = runner.concurrency === undefined ? DEFAULT_BATCHES : Math.floor(runner.concurrency / 2);
  return Math.max(1, Math.min(sessions, cores));
}

/**
 * Splits the hosts into at most `batches` calls: hosts that share a credential (Invoke-Command takes one),
 * in the order given, in batches of equal size, so the same hosts go together refresh after refresh.
 */
export function batchHosts(hosts: readonly HostTarget[], batches: number): HostTarget[][] {
  const groups = new Map<string, HostTarget[]>();
  for (const target of hosts) {
    const key = target.credential ? JSON.stringify([target.credential.userName, target.credential.password]) : '';
    const group = groups.get(key);
    if (group) group.push(target);
    else groups.set(key, [target]);
  }
  const size = Math.max(1, Math.ceil(hosts.length / Math.max(1, Math.floor(batches))));
  const result: HostTarget[][] = [];
  for (const group of groups.values()) {
    const count = Math.ceil(group.length / size);
    const each = Math.ceil(group.length / count);
    for (let i = 0; i < group.length; i += each) result.push(group.slice(i, i + each));
  }
  return result;
}

/**
 * The host's inventory under the name it was configured by, the name its credential is stored under and
 * its moves and AD entries are made for. What a host says of itself differs: Hyper-V's ComputerName (of
 * the VMHost and of each VM) is the NetBIOS form of the name DNS resolves, cut to 15 characters
 * (ServerNames.GetNetBiosNameFromFullName), so an alias, a stale DNS record or a long name all give another.
 */
function asConfigured(name: string, inventory: HostInventory): HostInventory {
  return { host: { ...inventory.host, name }, vms: inventory.vms.map((vm) => ({ ...vm, host: name })) };
}

function answerOf(target: HostTarget, answer: FleetAnswer | undefined): HostReading {
  const name = target.name;
  if (!answer) {
    return { name, ok: false, error: { kind: 'protocolError', message: `${name} gave no answer and no error.`, target: name } };
  }
  if (answer.error) {
    const error = classifyError(answer.error);
    // PowerShell puts "[<computer>] " before a remoting error; the reading is the host's already.
    return { name, ok: false, error: { ...error, message: error.message.replace(/^\[[^\]]*\]\s*/, ''), target: error.target ?? name } };
  }
  try {
    return { name, ok: true, inventory: asConfigured(name, decodeHostInventory(JSON.parse(answer.inventory ?? 'null'))) };
  } catch (problem) {
    const message = problem instanceof Error ? problem.message : String(problem);
    return {
      name,
      ok: false,
      error: { kind: 'protocolError', message: `${name} answered an inventory that cannot be read: ${message}`, target: name },
    };
  }
}

/**
 * Reads every host once (one remote round trip each, in the host's persistent session: hostSession.ps1): the
 * hosts go out in `batchCount` batches, one Invoke-OnHosts each, all batches at once; a batch goes back to the pool
 * session that read it last (affinity), which holds its hosts' sessions open. One host's failure (unreachable, access
 * denied, no Hyper-V module) is that host's reading; every other host still loads. Readings come back in
 * the order of `hosts`.
 */
export async function readFleet(runner: PowerShellRunner, hosts: readonly HostTarget[], signal?: AbortSignal): Promise<HostReading[]> {
  const batches = batchHosts(hosts, batchCount(runner));
  const readings = new Map<HostTarget, HostReading>();
  await Promise.all(
    batches.map(async (batch) => {
      const names = batch.map((target) => target.name);
      const result = await runner.run(
        getFleetInventory,
        { hosts: names },
        {
          signal,
          credential: batch[0]?.credential,
          affinity: names[0] === undefined ? undefined : hostKey(names[0]),
          alsoAffinity: names.slice(1).map(hostKey),
        },
      );
      const answers = result.ok ? new Map(result.data.map((answer) => [hostKey(answer.computer), answer])) : undefined;
      for (const target of batch) {
        readings.set(
          target,
          result.ok
            ? answerOf(target, answers?.get(hostKey(target.name)))
            : // The call itself failed (timeout, cancelled, PowerShell gone): every host of the batch says so.
              { name: target.name, ok: false, error: { ...result.error, target: result.error.target ?? target.name } },
        );
      }
    }),
  );
  return hosts.map((target) => readings.get(target) as HostReading);
}
