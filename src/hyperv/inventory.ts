import { defineScript } from '../powershell/script';
import type { Credential, PowerShellError, PowerShellRunner } from '../powershell/types';
import { array, boolean, number, object, optionalNumber, optionalString, string, stringItem } from './decode';
import type { HostFacts, HostInventory, Vm, VmState } from './model';
import getHostInventoryText from './scripts/getHostInventory.ps1';

const vmStates: readonly VmState[] = ['Running', 'Off', 'Saved', 'Paused', 'Starting', 'Stopping', 'Saving', 'Pausing', 'Resuming'];

function decodeHost(value: unknown, path: string): HostFacts {
  const o = object(value, path);
  return {
    name: string(o, 'name', path),
    fqdn: string(o, 'fqdn', path),
    osCaption: string(o, 'osCaption', path),
    osVersion: string(o, 'osVersion', path),
    cpuVendor: string(o, 'cpuVendor', path),
    cpuName: string(o, 'cpuName', path),
    logicalProcessors: number(o, 'logicalProcessors', path),
    memoryCapacity: number(o, 'memoryCapacity', path),
    memoryFree: number(o, 'memoryFree', path),
    volumes: array(o, 'volumes', path, (v, p) => {
      const vo = object(v, p);
      return { name: string(vo, 'name', p), freeSpace: number(vo, 'freeSpace', p), size: number(vo, 'size', p) };
    }),
    virtualMachinePath: string(o, 'virtualMachinePath', path),
    virtualHardDiskPath: string(o, 'virtualHardDiskPath', path),
    supportedVersions: array(o, 'supportedVersions', path, stringItem),
    migrationEnabled: boolean(o, 'migrationEnabled', path),
    useAnyNetworkForMigration: boolean(o, 'useAnyNetworkForMigration', path),
    migrationNetworks: array(o, 'migrationNetworks', path, stringItem),
    authenticationType: string(o, 'authenticationType', path),
    maximumVmMigrations: number(o, 'maximumVmMigrations', path),
    maximumStorageMigrations: number(o, 'maximumStorageMigrations', path),
    switches: array(o, 'switches', path, (v, p) => {
      const so = object(v, p);
      return { name: string(so, 'name', p), switchType: string(so, 'switchType', p) };
    }),
    cluster: optionalString(o, 'cluster', path),
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
      };
    }),
    adapters: array(o, 'adapters', path, (v, p) => {
      const a = object(v, p);
      return { name: string(a, 'name', p), switchName: optionalString(a, 'switchName', p), macAddress: string(a, 'macAddress', p) };
    }),
    isoPaths: array(o, 'isoPaths', path, stringItem),
    checkpoints: array(o, 'checkpoints', path, stringItem),
  };
}

export function decodeHostInventory(data: unknown): HostInventory {
  const o = object(data, 'inventory');
  return { host: decodeHost(o.host, 'inventory.host'), vms: array(o, 'vms', 'inventory', decodeVm) };
}

export const getHostInventory = defineScript<{ ComputerName: string }, HostInventory>(
  'getHostInventory',
  getHostInventoryText,
  decodeHostInventory,
);

export interface HostTarget {
  readonly name: string;
  readonly credential?: Credential;
}

export type HostReading =
  | { readonly name: string; readonly ok: true; readonly inventory: HostInventory }
  | { readonly name: string; readonly ok: false; readonly error: PowerShellError };

/**
 * Reads every host in one round trip each, in parallel as far as the runner allows. One host's failure
 * (unreachable, access denied, no Hyper-V module) is that host's reading; every other host still loads.
 */
export async function readFleet(runner: PowerShellRunner, hosts: readonly HostTarget[], signal?: AbortSignal): Promise<HostReading[]> {
  return Promise.all(
    hosts.map(async (target): Promise<HostReading> => {
      const result = await runner.run(getHostInventory, { ComputerName: target.name }, { signal, credential: target.credential, affinity: target.name.toLowerCase() });
      return result.ok
        ? { name: target.name, ok: true, inventory: result.data }
        : { name: target.name, ok: false, error: { ...result.error, target: result.error.target ?? target.name } };
    }),
  );
}
