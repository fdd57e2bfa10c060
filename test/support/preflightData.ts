// What the two preflight scripts answer (preflightSource.ps1, preflightDestination.ps1) for web01 on HV01
// moving to HV02 with nothing in the way; a test changes what its case needs through `change`.

export const VM_ID = '225192d7-51c6-e9b3-f0fb-b277a9a585ef';
export const ADAPTER = 'Microsoft:225192D7-51C6-E9B3-F0FB-B277A9A585EF\\B722C54F-8770-15E3-E572-F64C2E958E22';
export const GB = 1024 ** 3;

export function hostSettings(name: string) {
  return {
    name,
    fqdn: `${name}.contoso.lab`,
    migrationEnabled: true,
    useAnyNetwork: false,
    networks: ['10.10.1.0/24'],
    authenticationType: 'Kerberos',
    maximumVmMigrations: 2,
    maximumStorageMigrations: 2,
    cpuVendor: 'GenuineIntel',
    cpuName: 'Intel(R) Xeon(R) Gold 6248R CPU @ 3.00GHz',
    cluster: null,
  };
}

export type Json = Record<string, unknown>;

/** What preflightSource.ps1 answers for web01 on HV01, moving to HV02 with nothing in the way. */
export function sourceAnswer(change: (data: Json & { vm: Json; host: Json; compare: Json }) => void = () => {}): Json {
  const data = {
    host: { ...hostSettings('HV01'), isLocal: false },
    vm: {
      id: VM_ID,
      name: 'web01',
      state: 'Running',
      status: 'Operating normally',
      version: '10.0',
      memoryStartup: 2 * GB,
      memoryAssigned: 2 * GB,
      isClustered: false,
      compatibilityForMigration: false,
      adapters: [{ id: ADAPTER, name: 'Network Adapter', switchName: 'LAN1' }],
      disks: [{ controller: 'SCSI 0:0', path: 'D:\\Hyper-V\\Virtual Hard Disks\\web01.vhdx', diskNumber: null, bytes: 14 * GB }],
      checkpoints: [],
      dvdDrives: [{ controller: 'SCSI 0:1', path: null }],
      fibreChannel: [],
      assignedDevices: [],
      tpmEnabled: false,
      shielded: false,
    },
    storagePath: 'D:\\Hyper-V\\web01',
    account: {
      name: 'HV01',
      dnsHostName: 'HV01.contoso.lab',
      allowedToDelegateTo: [
        'Microsoft Virtual System Migration Service/HV02',
        'Microsoft Virtual System Migration Service/HV02.contoso.lab',
        'cifs/HV02',
        'cifs/HV02.contoso.lab',
      ],
      trustedToAuthForDelegation: true,
    },
    accountError: null,
    jobs: [],
    compare: { operationType: 'MoveVirtualMachineAndStorage', planApplied: false, incompatibilities: [] as Json[] },
    compareError: null,
    planProblems: [],
    cleanupProblem: null as string | null,
  };
  change(data);
  return data;
}

export function destinationAnswer(change: (data: Json & { host: Json }) => void = () => {}): Json {
  const data = {
    host: {
      ...hostSettings('HV02'),
      memoryFree: 400 * GB,
      volumes: [
        { name: 'C:\\', freeSpace: 400 * GB, size: 480 * GB },
        { name: 'D:\\', freeSpace: 7000 * GB, size: 8192 * GB },
      ],
      virtualMachinePath: 'D:\\Hyper-V',
      supportedVersions: ['9.0', '10.0'],
      switches: [
        { name: 'LAN1', switchType: 'External' },
        { name: 'Backup', switchType: 'External' },
      ],
      freeNetAdapters: null,
      sans: null,
    },
    jobs: [],
    plannedBefore: null as Json | null,
    account: { name: 'HV02', dnsHostName: 'HV02.contoso.lab', allowedToDelegateTo: [] as string[], trustedToAuthForDelegation: true },
    accountError: null,
  };
  change(data);
  return data;
}
