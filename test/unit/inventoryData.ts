// Inventory answers shaped as the getHostInventory script writes them (ConvertTo-Json of PSCustomObjects).

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
    volumes: { name: 'D:', freeSpace: 1099511627776, size: 2199023255552 },
    virtualMachinePath: 'D:\\Hyper-V',
    virtualHardDiskPath: 'D:\\Hyper-V\\Virtual Hard Disks',
    supportedVersions: ['9.0', '10.0'],
    migrationEnabled: true,
    useAnyNetworkForMigration: false,
    migrationNetworks: '10.10.1.0/24',
    authenticationType: 'Kerberos',
    maximumVmMigrations: 2,
    maximumStorageMigrations: 2,
    switches: [{ name: 'LAN1', switchType: 'External' }],
    cluster: null,
    ...extra,
  };
}

export function vmJson(name: string, host: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: `00000000-0000-0000-0000-${name.padStart(12, '0').slice(-12).replace(/[^0-9a-f]/g, '0')}`,
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
    adapters: { name: 'Network Adapter', switchName: 'LAN1', macAddress: '00155D010101' },
    isoPaths: null,
    checkpoints: [],
    ...extra,
  };
}
