// The fleet as the extension sees it: plain data read from Hyper-V (or the lab) by one script per host.

export type VmState = 'Running' | 'Off' | 'Saved' | 'Paused' | 'Starting' | 'Stopping' | 'Saving' | 'Pausing' | 'Resuming' | 'Other';

export interface VmDisk {
  readonly path: string | null;
  /** Physical disk number of a pass-through disk; null for a virtual disk. */
  readonly diskNumber: number | null;
  readonly controller: string;
  /** Bytes on the host's disk (VHD FileSize); null when unknown. */
  readonly fileSize: number | null;
  /** Virtual size in bytes (VHD Size); null when unknown. */
  readonly size: number | null;
  /** Get-VHD's error when the host cannot read the file (missing, on a share it cannot reach); null or absent when read. */
  readonly unreadable?: string | null;
}

export interface VmAdapter {
  /** Hyper-V's Id (`Microsoft:<VM id>\<adapter id>`): what the checks and the move plan key an adapter by. */
  readonly id: string;
  readonly name: string;
  readonly switchName: string | null;
  readonly macAddress: string;
}

/**
 * What every read of a VM answers of it (the tree's inventory, a check's source: Get-VmFacts,
 * hyperv/scripts/shared/hostFacts.ps1), but its state, which each types its own way.
 */
export interface VmSettings {
  readonly name: string;
  /** Hyper-V's Status text, e.g. "Operating normally" or "Migrating virtual machine". */
  readonly status: string;
  readonly version: string;
  readonly memoryStartup: number;
  readonly memoryAssigned: number;
  readonly isClustered: boolean;
  readonly compatibilityForMigration: boolean;
}

export interface Vm extends VmSettings {
  readonly id: string;
  /** The configured name of the host that answered for the VM (inventory.ts), not the name the host gives itself. */
  readonly host: string;
  readonly state: VmState;
  /** Percent of the move running from this VM's host (Msvm_MigrationJob), or null when none runs. */
  readonly migrationPercent: number | null;
  readonly generation: number;
  readonly processorCount: number;
  readonly dynamicMemory: boolean;
  readonly path: string;
  readonly notes: string;
  readonly uptimeSeconds: number;
  readonly disks: readonly VmDisk[];
  readonly adapters: readonly VmAdapter[];
  readonly isoPaths: readonly string[];
  readonly checkpoints: readonly string[];
}

export interface HostSwitch {
  readonly name: string;
  readonly switchType: string;
}

export interface HostVolume {
  readonly name: string;
  readonly freeSpace: number;
  readonly size: number;
}

/**
 * A host's live-migration settings, as every read of a host answers them (the tree's inventory, both sides of a
 * check: Get-MigrationHostFacts, hyperv/scripts/shared/hostFacts.ps1).
 */
export interface MigrationSettings {
  readonly name: string;
  readonly fqdn: string;
  readonly migrationEnabled: boolean;
  readonly useAnyNetwork: boolean;
  /** The migration networks' subnets. */
  readonly networks: readonly string[];
  readonly authenticationType: string;
  readonly maximumVmMigrations: number;
  readonly maximumStorageMigrations: number;
  /** Win32_Processor Manufacturer: GenuineIntel, AuthenticAMD. */
  readonly cpuVendor: string;
  readonly cpuName: string;
  readonly cluster: string | null;
}

/** A host as the tree reads it; `name` is its configured name (inventory.ts), not the name it gives itself. */
export interface HostFacts extends MigrationSettings {
  readonly osCaption: string;
  readonly osVersion: string;
  readonly logicalProcessors: number;
  readonly memoryCapacity: number;
  readonly memoryFree: number;
  readonly volumes: readonly HostVolume[];
  readonly virtualMachinePath: string;
  readonly virtualHardDiskPath: string;
  readonly supportedVersions: readonly string[];
  readonly switches: readonly HostSwitch[];
}

export interface HostInventory {
  readonly host: HostFacts;
  readonly vms: readonly Vm[];
}
