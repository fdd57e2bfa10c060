import { availableParallelism } from 'node:os';
import { classifyError, isRawErrorFacts, type RawErrorFacts } from '../powershell/classify';
import { defineScript } from '../powershell/script';
import type { Credential, PowerShellError, PowerShellRunner } from '../powershell/types';
import { array, boolean, number, object, optionalNumber, optionalString, string, stringItem, switchItem, volumeItem } from './decode';
import { hostKey } from './hostName';
import type { HostFacts, HostInventory, MigrationSettings, Vm, VmState } from './model';
import getFleetInventoryText from './scripts/getFleetInventory.ps1';
import hostFactsText from './scripts/shared/hostFacts.ps1';

const vmStates: readonly VmState[] = ['Running', 'Off', 'Saved', 'Paused', 'Starting', 'Stopping', 'Saving', 'Pausing', 'Resuming'];

/** A host's live-migration settings, as Get-MigrationHostFacts answers them: the inventory's and a check's. */
export function migrationSettings(o: Readonly<Record<string, unknown>>, path: string): MigrationSettings {
  return {
    name: string(o, 'name', path),
    fqdn: string(o, 'fqdn', path),
    migrationEnabled: boolean(o, 'migrationEnabled', path),
    useAnyNetwork: boolean(o, 'useAnyNetwork', path),
    networks: array(o, 'networks', path, stringItem),
    authenticationType: string(o, 'authenticationType', path),
    maximumVmMigrations: number(o, 'maximumVmMigrations', path),
    maximumStorageMigrations: number(o, 'maximumStorageMigrations', path),
    cpuVendor: string(o, 'cpuVendor', path),
    cpuName: string(o, 'cpuName', path),
    cluster: optionalString(o, 'cluster', path),
  };
}

function decodeHost(value: unknown, path: string): HostFacts {
  const o = object(value, path);
  return {
    ...migrationSettings(o, path),
    osCaption: string(o, 'osCaption', path),
    osVersion: string(o, 'osVersion', path),
    logicalProcessors: number(o, 'logicalProcessors', path),
    memoryCapacity: number(o, 'memoryCapacity', path),
    memoryFree: number(o, 'memoryFree', path),
    volumes: array(o, 'volumes', path, volumeItem),
    virtualMachinePath: string(o, 'virtualMachinePath', path),
    virtualHardDiskPath: string(o, 'virtualHardDiskPath', path),
    supportedVersions: array(o, 'supportedVersions', path, stringItem),
    switches: array(o, 'switches', path, switchItem),
  };
}

function decodeVm(value: unknown, path: string): Vm {
  const o = object(value, path);
  const state = string(o, 'state', path);
  return {
    id: string(o, 'id', path),
    name: string(o, 'name', path),
    host: string(o, 'host', path),
    state: (vmStates as readonly string[]).includes(state) ? (state as VmState) : 'Other',
    status: string(o, 'status', path),
    migrationPercent: optionalNumber(o, 'migrationPercent', path),
    generation: number(o, 'generation', path),
    version: string(o, 'version', path),
    processorCount: number(o, 'processorCount', path),
    memoryStartup: number(o, 'memoryStartup', path),
    memoryAssigned: number(o, 'memoryAssigned', path),
    dynamicMemory: boolean(o, 'dynamicMemory', path),
    isClustered: boolean(o, 'isClustered', path),
    compatibilityForMigration: boolean(o, 'compatibilityForMigration', path),
    path: string(o, 'path', path),
    notes: string(o, 'notes', path),
    uptimeSeconds: number(o, 'uptimeSeconds', path),
    disks: array(o, 'disks', path, (v, p) => {
      const d = object(v, p);
      return {
        path: optionalString(d, 'path', p),
        diskNumber: optionalNumber(d, 'diskNumber', p),
        controller: string(d, 'controller', p),
        fileSize: optionalNumber(d, 'fileSize', p),
        size: optionalNumber(d, 'size', p),
        unreadable: optionalString(d, 'unreadable', p),
      };
    }),
    adapters: array(o, 'adapters', path, (v, p) => {
      const a = object(v, p);
      return {
        id: string(a, 'id', p),
        name: string(a, 'name', p),
        switchName: optionalString(a, 'switchName', p),
        macAddress: string(a, 'macAddress', p),
      };
    }),
    isoPaths: array(o, 'isoPaths', path, stringItem),
    checkpoints: array(o, 'checkpoints', path, stringItem),
  };
}

export function decodeHostInventory(data: unknown): HostInventory {
  const o = object(data, 'inventory');
  return { host: decodeHost(o.host, 'inventory.host'), vms: array(o, 'vms', 'inventory', decodeVm) };
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
