// Inventory answers shaped as the getFleetInventory script writes them: per host, ConvertTo-Json of its
// inventory (text), or the facts of its error record.
import type { RawErrorFacts } from '../../src/powershell/classify';
import type { PowerShellResult } from '../../src/powershell/types';
import type { FakeCall } from './fakeRunner';

export function hostJson(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    fqdn: `${name}.contoso.lab`,
    osCaption: 'Microsoft Windows Server 2022 Datacenter',
    osVersion: '10.0.20348',
    cpuVendor: 'GenuineIntel',
    cpuName: 'Intel(R) Xeon(R) Gold 6248R CPU @ 3.00GHz',
    logicalProcessors: 96,
    memoryCapacity: 274877906944,
    memoryFree: 137438953472,
    volumes: { name: 'D:\\', freeSpace: 1099511627776, size: 2199023255552 },
    virtualMachinePath: 'D:\\Hyper-V',
    virtualHardDiskPath: 'D:\\Hyper-V\\Virtual Hard Disks',
    supportedVersions: ['9.0', '10.0'],
    migrationEnabled: true,
    useAnyNetwork: false,
    networks: '10.10.1.0/24',
    authenticationType: 'Kerberos',
    maximumVmMigrations: 2,
    maximumStorageMigrations: 2,
    switches: [{ name: 'LAN1', switchType: 'External' }],
    cluster: null,
    ...extra,
  };
}

export function vmJson(name: string, host: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const id = `00000000-0000-0000-0000-${name
    .padStart(12, '0')
    .slice(-12)
    .replace(/[^0-9a-f]/g, '0')}`;
  return {
    id,
    name,
    host,
    state: 'Running',
    status: 'Operating normally',
    migrationPercent: null,
    generation: 2,
    version: '10.0',
    processorCount: 2,
    memoryStartup: 4294967296,
    memoryAssigned: 4294967296,
    dynamicMemory: false,
    isClustered: false,
    compatibilityForMigration: false,
    path: `D:\\Hyper-V\\${name}`,
    notes: '',
    uptimeSeconds: 3600,
    disks: [{ path: `D:\\Hyper-V\\${name}.vhdx`, diskNumber: null, controller: 'SCSI 0:0', fileSize: 21474836480, size: 64424509440 }],
    adapters: {
      id: `Microsoft:${id.toUpperCase()}\\AA000000-0000-0000-0000-000000000001`,
      name: 'Network Adapter',
      switchName: 'LAN1',
      macAddress: '00155D010101',
    },
    isoPaths: null,
    checkpoints: [],
    ...extra,
  };
}

/** What one host answers inside a batch: its inventory (as the host's ConvertTo-Json writes it), or its error. */
export type HostAnswer = { readonly host: Record<string, unknown>; readonly vms: unknown } | { readonly error: RawErrorFacts } | undefined;

/** A FakeRunner answer for getFleetInventory that asks `perHost` for each host of the batch. */
export function fleetAnswer(
  perHost: (name: string) => HostAnswer | Promise<HostAnswer>,
): (params: unknown) => Promise<PowerShellResult<unknown>> {
  return async (params) => {
    const hosts = (params as { hosts: string[] }).hosts;
    const answers = [];
    for (const computer of hosts) {
      const answer = await perHost(computer);
      if (answer === undefined) continue;
      answers.push(
        'error' in answer
          ? { computer, inventory: null, error: answer.error }
          : { computer, inventory: JSON.stringify(answer), error: null },
      );
    }
    return { ok: true, data: answers.length === 1 ? answers[0] : answers, warnings: [] };
  };
}

/** The hosts each getFleetInventory call asked for, call by call. */
export function askedHosts(calls: readonly FakeCall[]): string[][] {
  return calls.filter((c) => c.script === 'getFleetInventory').map((c) => [...(c.params as { hosts: string[] }).hosts]);
}

/** The facts of Invoke-Command's error for a host it cannot reach (as the session wrapper reports them). */
export function unreachableFacts(name: string): RawErrorFacts {
  const message = `Connecting to remote server ${name} failed with the following error message : WinRM cannot complete the operation. Verify that the specified computer name is valid, that the computer is accessible over the network, and that a firewall exception for the WinRM service is enabled and allows access from this computer.`;
  return {
    message: `[${name}] ${message}`,
    category: 'OpenError',
    errorId: 'WinRMOperationTimeout,PSSessionStateBroken',
    exceptionType: 'System.Management.Automation.Remoting.PSRemotingTransportException',
    targetObject: name,
    chain: [{ type: 'System.Management.Automation.Remoting.PSRemotingTransportException', message, hresult: '80131500' }],
  };
}
