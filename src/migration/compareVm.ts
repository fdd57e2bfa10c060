// Compare-VM, Hyper-V's own dry run, as the preflight engine reads it: each incompatibility recognized by
// the type of its Source plus its message (MessageId only as a hint: only 33012 is confirmed in public
// material), and the move plan's choices as the parameters and the PowerShell that make them on the
// report's copy of the VM (Connect-/Disconnect-VMNetworkAdapter, Set-VMDvdDrive, then Compare-VM again).
import { hostKey } from '../hyperv/hostName';
import { psLiteral } from '../hyperv/migrationScript';
import type { MovePlan } from './types';

/** One entry of `$report.Incompatibilities`, as the source script reports it. */
export interface CompareIncompatibility {
  readonly messageId: number;
  readonly message: string;
  /** `$_.Source.PSObject.TypeNames[0]`, e.g. `Microsoft.HyperV.PowerShell.VMNetworkAdapter`. */
  readonly sourceType: string;
  /** Adapter Id, drive `SCSI 0:1` or host name of the Source, when it has one. */
  readonly sourceKey: string | null;
}

/** The causes Compare-VM reports that the engine also checks itself, named as the finding ids start. */
export type CompareKind =
  | 'migration.disabled'
  | 'migration.no-network'
  | 'cluster.role'
  | 'leftovers.planned-vm'
  | 'version.unsupported'
  | 'processor.vendor'
  | 'processor.features'
  | 'memory.insufficient'
  | 'storage.path'
  | 'storage.space'
  | 'storage.vhd-unreachable'
  | 'network.switch-missing'
  | 'devices.iso'
  | 'devices.pass-through'
  | 'devices.vtpm'
  /** "The virtual machine '<vm>' is not compatible with physical computer '<host>'.": a summary of the others. */
  | 'summary';

interface Rule {
  readonly kind: CompareKind;
  /** The last part of the Source's type name; '*' for any. */
  readonly source: string;
  readonly pattern: RegExp;
  /** The lab's MessageIds (STATE.md) and Hyper-V's 33012: a hint that recognizes a rewording. */
  readonly messageIds: readonly number[];
  /** The finding is per Source object (adapter, drive, host): its key goes into the id. */
  readonly keyed: boolean;
}

const RULES: readonly Rule[] = [
  { kind: 'migration.disabled', source: 'VMHost', pattern: /migration is not enabled/i, messageIds: [21024], keyed: true },
  { kind: 'migration.no-network', source: 'VMHost', pattern: /no network for live migration/i, messageIds: [21025], keyed: true },
  {
    kind: 'cluster.role',
    source: 'VirtualMachine',
    pattern: /highly available|failover cluster|0x80071398/i,
    messageIds: [5016],
    keyed: false,
  },
  { kind: 'leftovers.planned-vm', source: 'VirtualMachine', pattern: /planned virtual machine/i, messageIds: [21080], keyed: false },
  {
    kind: 'version.unsupported',
    source: 'VirtualMachine',
    pattern: /configuration version .* not supported/i,
    messageIds: [14420],
    keyed: false,
  },
  {
    kind: 'processor.vendor',
    source: 'VMProcessor',
    pattern: /different manufacturer|processor vendor/i,
    messageIds: [24006],
    keyed: false,
  },
  { kind: 'processor.features', source: 'VMProcessor', pattern: /processor-specific features/i, messageIds: [24008], keyed: false },
  {
    kind: 'memory.insufficient',
    source: 'VirtualMachine',
    pattern: /not enough memory|ran out of memory|0x8007000E|0x800705AA/i,
    messageIds: [3050],
    keyed: false,
  },
  {
    kind: 'storage.path',
    source: 'VirtualMachine',
    pattern: /failed to create folder|cannot find the path|0x80070003/i,
    messageIds: [20802],
    keyed: false,
  },
  {
    kind: 'storage.space',
    source: 'VirtualMachine',
    pattern: /not enough space on the disk|0x80070070/i,
    messageIds: [20804],
    keyed: false,
  },
  { kind: 'storage.vhd-unreachable', source: 'HardDiskDrive', pattern: /cannot be reached from host/i, messageIds: [20810], keyed: true },
  {
    kind: 'network.switch-missing',
    source: 'VMNetworkAdapter',
    pattern: /could not find ethernet switch/i,
    messageIds: [33012],
    keyed: true,
  },
  { kind: 'devices.iso', source: 'DvdDrive', pattern: /could not be opened|failed to open|0xC03A0014/i, messageIds: [20820], keyed: true },
  { kind: 'devices.pass-through', source: 'HardDiskDrive', pattern: /pass-through/i, messageIds: [20822], keyed: true },
  { kind: 'devices.vtpm', source: 'VirtualMachine', pattern: /key protector/i, messageIds: [20830], keyed: false },
  { kind: 'summary', source: '*', pattern: /is not compatible with physical computer/i, messageIds: [], keyed: false },
];

export interface Recognized {
  readonly kind: CompareKind;
  /** The finding id this incompatibility belongs to (the same id the engine's own check gives that cause). */
  readonly id: string;
  /** The Source's key (adapter Id, `SCSI 0:1`, host name), or '' for VM-wide causes. */
  readonly key: string;
}

export function sourceTypeName(sourceType: string): string {
  return sourceType.slice(sourceType.lastIndexOf('.') + 1);
}

/** A host's part of a finding id: its key (hostName.ts), upper case as Hyper-V writes host names. */
export function hostIdPart(host: string): string {
  return hostKey(host).toUpperCase();
}

/** The incompatibility's cause, or undefined when it is none the engine knows (then it is shown verbatim). */
export function recognize(incompatibility: CompareIncompatibility): Recognized | undefined {
  const type = sourceTypeName(incompatibility.sourceType);
  const rule = RULES.find(
    (r) =>
      (r.source === '*' || r.source === type) &&
      (r.pattern.test(incompatibility.message) || r.messageIds.includes(incompatibility.messageId)),
  );
  if (!rule) return undefined;
  const raw = incompatibility.sourceKey ?? '';
  const key = rule.kind.startsWith('migration.') ? hostIdPart(raw) : raw;
  return { kind: rule.kind, id: rule.keyed ? `${rule.kind}:${key}` : rule.kind, key: rule.keyed ? key : '' };
}

/** The id of an incompatibility nobody recognized: stable across re-checks while the same Source reports it. */
export function unknownId(incompatibility: CompareIncompatibility): string {
  return `other.compare-vm:${incompatibility.messageId}:${sourceTypeName(incompatibility.sourceType)}:${incompatibility.sourceKey ?? ''}`;
}

/** The plan's choices as the scripts receive them in $Params (preflightSource.ps1 reads these names). */
export interface PlanParams {
  readonly AdapterSwitches: readonly { readonly AdapterId: string; readonly SwitchName: string | null }[];
  readonly EjectDvd: readonly string[];
}

export function planParams(plan: MovePlan | undefined): PlanParams {
  if (!plan) return { AdapterSwitches: [], EjectDvd: [] };
  return {
    AdapterSwitches: Object.entries(plan.adapterSwitches).map(([AdapterId, SwitchName]) => ({ AdapterId, SwitchName })),
    EjectDvd: [...plan.ejectDvd],
  };
}

/** A name for `-Name`, which takes wildcards: `[`, `]`, `*`, `?` and the backtick are escaped, as WildcardPattern.Escape does. */
export function wildcardLiteral(name: string): string {
  return psLiteral(name.replace(/[`*?[\]]/g, '`$&'));
}

const CONTROLLER = /^(\w+) (\d+):(\d+)$/;

/**
 * The PowerShell that makes the plan's choices on a compatibility report held in `$report`, then compares
 * again, as the move script runs it before `Move-VM -CompatibilityReport $report`. Empty when the plan
 * chooses nothing. Values are shown as PowerShell literals.
 */
export function planPowerShell(plan: Pick<MovePlan, 'adapterSwitches' | 'ejectDvd'>, destination: string): string[] {
  const lines: string[] = [];
  for (const [adapterId, switchName] of Object.entries(plan.adapterSwitches)) {
    lines.push(`$adapter = $report.VM.NetworkAdapters | Where-Object Id -eq ${psLiteral(adapterId)}`);
    lines.push(
      switchName === null
        ? 'Disconnect-VMNetworkAdapter -VMNetworkAdapter $adapter'
        : `Connect-VMNetworkAdapter -VMNetworkAdapter $adapter -VMSwitch (Get-VMSwitch -ComputerName ${psLiteral(destination)} -Name ${wildcardLiteral(switchName)} @toDestination)`,
    );
  }
  for (const key of plan.ejectDvd) {
    const match = CONTROLLER.exec(key);
    if (!match) continue;
    const [, type, number, location] = match;
    lines.push(
      `$drive = $report.VM.DVDDrives | Where-Object { $_.ControllerType -eq ${psLiteral(type ?? '')} -and $_.ControllerNumber -eq ${number} -and $_.ControllerLocation -eq ${location} }`,
    );
    lines.push('Set-VMDvdDrive -VMDvdDrive $drive -Path $null');
  }
  if (lines.length > 0) lines.push('$report = Compare-VM -CompatibilityReport $report');
  return lines;
}
