// Placement: where each VM of a drain (or of a "Migrate…" of many VMs) should go, rated like SCVMM's host
// ratings: a score out of 100 and the lines that made it. The preflight engine decides readiness
// (blockers exclude a host, warnings lower it); the plan's own choices are made where a blocker offers
// one (an adapter mapped to a destination switch, an ISO ejected on the moved VM) and checked again;
// then hosts are rated on memory and disk left after the moves already planned onto them, processor and
// switch fit. VMs are placed largest first, each on its best host that still has room. The admin can
// override a VM's destination (withDestination); VMs no host can take are listed with why, before
// anything moves.

import * as l10n from '@vscode/l10n';
import { array, number, object, optionalNumber, string } from '../hyperv/decode';
import type { HostReading } from '../hyperv/inventory';
import type { HostFacts, Vm } from '../hyperv/model';
import { volumeOf } from '../hyperv/volumes';
import { createPreflightEngine } from './preflight';
import { bytes, vendorName } from '../hyperv/format';
import { hostKey, sameHost } from '../hyperv/hostName';
import type { HostLimits } from './queue';
import { defineScript } from '../powershell/script';
import type { Credential, PowerShellRunner } from '../powershell/types';
import placementFactsText from './scripts/placementFacts.ps1';
import type { Finding, MovePlan, PreflightEngine, PreflightResult } from './types';
import measureMoveBytesText from './scripts/shared/measureMoveBytes.ps1';

// ---- facts placement reads -----------------------------------------------------------------------------

export interface MoveSize {
  /** Memory of a live VM (0 for an Off VM: it moves cold). */
  readonly memoryBytes: number;
  /** VHD files with their parent chains. */
  readonly diskBytes: number;
  readonly checkpointBytes: number;
  /** What the move carries: memory + disks + checkpoints. */
  readonly bytes: number;
  /** It has virtual disks to move, so it counts against MaximumStorageMigrations too. */
  readonly movesStorage: boolean;
}

interface PlacementFacts {
  readonly linkSpeedBps: number | null;
  readonly vms: readonly {
    readonly id: string;
    readonly memoryBytes: number;
    readonly diskBytes: number;
    readonly checkpointBytes: number;
    readonly vhdCount: number;
  }[];
}

function decodeFacts(data: unknown): PlacementFacts {
  const o = object(data, 'placement');
  return {
    linkSpeedBps: optionalNumber(o, 'linkSpeedBps', 'placement'),
    vms: array(o, 'vms', 'placement', (v, p) => {
      const vm = object(v, p);
      return {
        id: string(vm, 'id', p),
        memoryBytes: number(vm, 'memoryBytes', p),
        diskBytes: number(vm, 'diskBytes', p),
        checkpointBytes: number(vm, 'checkpointBytes', p),
        vhdCount: number(vm, 'vhdCount', p),
      };
    }),
  };
}

export const placementFacts = defineScript<{ ComputerName: string; VmIds: readonly string[] }, PlacementFacts>(
  'placementFacts',
  placementFactsText,
  decodeFacts,
  [measureMoveBytesText],
);

// ---- what placement answers ----------------------------------------------------------------------------

export interface PlacementContext {
  readonly runner: PowerShellRunner;
  /** The preflight engine (default: one over the runner). */
  readonly engine?: PreflightEngine;
  readonly credentialFor?: (host: string) => Credential | undefined;
  readonly signal?: AbortSignal;
  /** Checks made so far, of how many, for a progress bar. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface PlacedVm extends MoveSize {
  readonly id: string;
  readonly name: string;
  readonly source: string;
  readonly state: string;
  readonly clustered: boolean;
}

/** One line of a host rating: what was found, and what it added to the score. */
export interface RatingLine {
  readonly text: string;
  readonly points: number;
}

export interface Candidate {
  readonly host: string;
  /** No blocker once the plan's choices are made, and room left after the moves planned before it. */
  readonly ready: boolean;
  /** Out of 100 (0 when not ready): the sum of the lines' points. */
  readonly score: number;
  readonly lines: readonly RatingLine[];
  /** Why the host cannot take the VM, one sentence each (with the fix, where a check offers one). */
  readonly blockers: readonly string[];
  /** What the last check found (empty when the host was ruled out from the inventory alone). */
  readonly findings: readonly Finding[];
  /** The move plan with placement's choices (when the host was checked). */
  readonly plan?: MovePlan;
  /** Placement's choices, in sentences, e.g. "Adapter 'Storage NIC' ('Storage') → 'Backup'". */
  readonly choices: readonly string[];
  /** Estimated duration of the move (the lab's and Hyper-V's: 1 s + bytes over the slower link). */
  readonly estimatedMs: number;
}

export interface Placement {
  readonly vm: PlacedVm;
  readonly destination: string;
  /** The chosen host's rating and plan. */
  readonly chosen: Candidate & { readonly plan: MovePlan };
  /** Every host considered, best first (ready ones first). */
  readonly candidates: readonly Candidate[];
  readonly overridden: boolean;
}

export interface Unmovable {
  readonly vm: PlacedVm;
  /** In a sentence, host by host. */
  readonly why: string;
  readonly candidates: readonly Candidate[];
}

/** A host as placement counts it. */
export interface HostCapacity {
  readonly name: string;
  readonly cpuVendor: string;
  readonly memoryCapacity: number;
  readonly memoryFree: number;
  readonly volumes: readonly { readonly name: string; readonly freeSpace: number; readonly size: number }[];
  readonly virtualMachinePath: string;
  readonly switches: readonly { readonly name: string; readonly switchType: string }[];
  readonly limits: HostLimits;
  /** null when the host did not say. */
  readonly linkSpeedBps: number | null;
}

/** What the checks said for one VM and one host, before the planned moves are counted. */
export interface Option {
  readonly host: string;
  /** Ruled out from the inventory (unreachable host, processor vendor, configuration version, memory) without a check. */
  readonly ruledOut: readonly string[];
  readonly result?: PreflightResult;
  readonly plan?: MovePlan;
  readonly choices: readonly string[];
  /** Adapters whose switch exists by name on the host, of how many. */
  readonly switchesKept: number;
  readonly adapters: number;
}

export interface Evaluation {
  readonly vm: PlacedVm;
  readonly options: readonly Option[];
  /** Asked for by the admin ("Migrate…" with a destination). */
  readonly requested?: string;
}

export interface MigrationPlan {
  /** The host being drained, for a drain. */
  readonly source?: string;
  /** Movable VMs, in the order given (the host's order for a drain), each with its destination. */
  readonly placements: readonly Placement[];
  /** VMs no host can take, with why. */
  readonly unmovable: readonly Unmovable[];
  /** Every host involved, with its limits (for the queue). */
  readonly hosts: readonly HostCapacity[];
  readonly evaluations: readonly Evaluation[];
  /** Destinations the admin chose, by VM id (lower case). */
  readonly overrides: Readonly<Record<string, string>>;
  readonly plannedAt: string;
  /** Preflight checks made (each is up to two PowerShell round trips). */
  readonly checks: number;
}

// ---- helpers -------------------------------------------------------------------------------------------

const DEFAULT_LINK_BPS = 10_000_000_000;
/** Checks at once when the runner states no limit. */
const DEFAULT_CHECKS_AT_ONCE = 8;

/** Runs `work` at most `limit` at a time; the answers in the order of `work`. */
async function inTurns<T>(work: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const answers: T[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < work.length) {
      const at = next++;
      const run = work[at];
      if (run) answers[at] = await run();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, work.length) }, worker));
  return answers;
}
const LIVE = ['Running', 'Paused', 'Saved'];

export function vendorOf(cpuVendor: string): string {
  return cpuVendor ? vendorName(cpuVendor) : 'unknown';
}

/** The move's duration as Hyper-V (and the lab) takes it: a second of set-up, then the bytes over the slower link. */
export function estimateMs(bytes: number, ...links: readonly (number | null)[]): number {
  const known = links.filter((link): link is number => link !== null && link > 0);
  const bps = known.length > 0 ? Math.min(...known) : DEFAULT_LINK_BPS;
  return Math.round(1000 + (bytes * 8 * 1000) / bps);
}

function capacityOf(host: HostFacts, linkSpeedBps: number | null): HostCapacity {
  return {
    name: host.name,
    cpuVendor: host.cpuVendor,
    memoryCapacity: host.memoryCapacity,
    memoryFree: host.memoryFree,
    volumes: host.volumes,
    virtualMachinePath: host.virtualMachinePath,
    switches: host.switches,
    limits: { vm: Math.max(1, host.maximumVmMigrations), storage: Math.max(1, host.maximumStorageMigrations) },
    linkSpeedBps,
  };
}

function sizeFromInventory(vm: Vm): MoveSize {
  const memoryBytes = LIVE.includes(vm.state) ? vm.memoryAssigned || vm.memoryStartup : 0;
  const virtual = vm.disks.filter((disk) => disk.diskNumber === null && disk.path);
  const diskBytes = virtual.reduce((sum, disk) => sum + (disk.fileSize ?? 0), 0);
  return { memoryBytes, diskBytes, checkpointBytes: 0, bytes: memoryBytes + diskBytes, movesStorage: virtual.length > 0 };
}

/** Why a host is out without a check, from what the inventory already says. */
function ruledOutByInventory(vm: Vm, size: MoveSize, source: HostFacts | undefined, destination: HostFacts): string[] {
  const reasons: string[] = [];
  if (LIVE.includes(vm.state) && source && vendorOf(source.cpuVendor) !== vendorOf(destination.cpuVendor)) {
    reasons.push(
      l10n.t(
        'Processor: {0} is {1}, {2} is {3}; a {4} VM cannot move between vendors (it can move while off).',
        destination.name,
        vendorOf(destination.cpuVendor),
        source.name,
        vendorOf(source.cpuVendor),
        vm.state.toLowerCase(),
      ),
    );
  }
  if (destination.supportedVersions.length > 0 && !destination.supportedVersions.includes(vm.version)) {
    reasons.push(
      l10n.t(
        'Configuration version {0} is not supported on {1} (it supports {2}); no fix but another host.',
        vm.version,
        destination.name,
        destination.supportedVersions.join(', '),
      ),
    );
  }
  if (size.memoryBytes > destination.memoryFree) {
    reasons.push(
      l10n.t('Memory: {0} has {1} free; {2} needs {3}.', destination.name, bytes(destination.memoryFree), vm.name, bytes(size.memoryBytes)),
    );
  }
  return reasons;
}

/** A blocker in a sentence, with its first fix when it has one. */
function blockerText(finding: Finding): string {
  const fix = finding.fixes.find((option) => option.appliesTo !== 'plan');
  return `${finding.title}${fix ? ` (fix: ${fix.title})` : ''}`;
}

interface AutoChoice {
  readonly plan: MovePlan;
  readonly choices: readonly string[];
}

/**
 * The plan's choices that blockers offer and placement can make alone: an adapter whose switch the host
 * lacks is connected to a switch of the host of the same type, preferably one no other adapter of the VM
 * uses (its networks stay apart as on the source); an ISO is ejected on the moved VM only. Undefined when
 * a blocker offers no such choice.
 */
export function autoPlan(
  findings: readonly Finding[],
  plan: MovePlan,
  vm: Vm,
  source: HostCapacity | undefined,
  destination: HostCapacity,
): AutoChoice | undefined {
  const blockers = findings.filter((finding) => finding.severity === 'blocker');
  if (blockers.length === 0) return undefined;
  const adapterSwitches: Record<string, string | null> = { ...plan.adapterSwitches };
  const ejectDvd = [...plan.ejectDvd];
  const choices: string[] = [];
  for (const finding of blockers) {
    const map = finding.fixes.find((option) => option.id === 'map-switch');
    const eject = finding.fixes.find((option) => option.id === 'eject-iso-on-move');
    if (map && typeof map.args?.adapterId === 'string') {
      const wanted = finding.fixes.find((option) => option.id === 'create-switch')?.args?.switchName;
      const wantedName = typeof wanted === 'string' ? wanted : '';
      const options = map.choices?.find((choice) => choice.name === 'switch')?.options ?? [];
      const wantedType = source?.switches.find((s) => s.name.toLowerCase() === wantedName.toLowerCase())?.switchType;
      const typeOf = (name: string) => destination.switches.find((s) => s.name === name)?.switchType;
      const others = new Set(
        vm.adapters.map((adapter) => adapter.switchName?.toLowerCase()).filter((name) => name && name !== wantedName.toLowerCase()),
      );
      const ranked = [...options].sort((a, b) => {
        const rank = (name: string) => (typeOf(name) === wantedType ? 0 : 2) + (others.has(name.toLowerCase()) ? 1 : 0);
        return rank(a) - rank(b);
      });
      const chosen = ranked[0];
      if (!chosen) return undefined;
      adapterSwitches[map.args.adapterId] = chosen;
      const adapterName = vm.adapters.find((adapter) => adapter.switchName?.toLowerCase() === wantedName.toLowerCase())?.name;
      const adapter = adapterName ? l10n.t("Adapter '{0}'", adapterName) : l10n.t('An adapter');
      choices.push(
        typeOf(chosen) && typeOf(chosen) === wantedType
          ? l10n.t(
              "{0} on '{1}' (not on {2}) is connected to '{3}', {4} like '{1}' on the moved VM.",
              adapter,
              wantedName || '?',
              destination.name,
              chosen,
              wantedType ?? '',
            )
          : l10n.t(
              "{0} on '{1}' (not on {2}) is connected to '{3}' on the moved VM.",
              adapter,
              wantedName || '?',
              destination.name,
              chosen,
            ),
      );
      continue;
    }
    if (eject && typeof eject.args?.controller === 'string') {
      if (!ejectDvd.includes(eject.args.controller)) ejectDvd.push(eject.args.controller);
      choices.push(l10n.t('The ISO in {0} is ejected on the moved VM only.', eject.args.controller));
      continue;
    }
    return undefined;
  }
  return { plan: { ...plan, adapterSwitches, ejectDvd }, choices };
}

// ---- reading and checking ------------------------------------------------------------------------------

/** A VM to place: on the destination given, or on its best host; with `plan` (and a destination), checked as given, with no choice of placement's own. */
export interface Wanted {
  readonly vm: Vm;
  readonly destination?: string;
  readonly plan?: MovePlan;
}

/** The hosts that read, by short name. */
function hostsOf(fleet: readonly HostReading[]): Map<string, HostReading> {
  return new Map(fleet.map((reading) => [hostKey(reading.name), reading]));
}

async function readPlacementFacts(
  ctx: PlacementContext,
  fleet: readonly HostReading[],
  vmsByHost: ReadonlyMap<string, readonly string[]>,
): Promise<Map<string, PlacementFacts | undefined>> {
  const readable = fleet.filter((reading) => reading.ok);
  const answers = await Promise.all(
    readable.map(async (reading) => {
      const credential = ctx.credentialFor?.(reading.name);
      const result = await ctx.runner.run(
        placementFacts,
        { ComputerName: reading.name, VmIds: vmsByHost.get(hostKey(reading.name)) ?? [] },
        { signal: ctx.signal, ...(credential && { credential }) },
      );
      return [hostKey(reading.name), result.ok ? result.data : undefined] as const;
    }),
  );
  return new Map(answers);
}

/**
 * Checks every VM against every other host that read (or against the destination the admin chose),
 * making the plan's choices where a blocker offers them. Hosts ruled out from the inventory alone are
 * not checked.
 */
export async function evaluate(
  ctx: PlacementContext,
  fleet: readonly HostReading[],
  wanted: readonly Wanted[],
): Promise<{ evaluations: Evaluation[]; hosts: HostCapacity[]; checks: number }> {
  const engine = ctx.engine ?? createPreflightEngine(ctx.runner, { ...(ctx.credentialFor && { credentialFor: ctx.credentialFor }) });
  const byHost = hostsOf(fleet);
  const vmsByHost = new Map<string, string[]>();
  for (const { vm } of wanted) vmsByHost.set(hostKey(vm.host), [...(vmsByHost.get(hostKey(vm.host)) ?? []), vm.id]);
  const facts = await readPlacementFacts(ctx, fleet, vmsByHost);
  ctx.signal?.throwIfAborted();

  const hosts: HostCapacity[] = fleet.flatMap((reading) =>
    reading.ok ? [capacityOf(reading.inventory.host, facts.get(hostKey(reading.name))?.linkSpeedBps ?? null)] : [],
  );
  const capacity = new Map(hosts.map((host) => [hostKey(host.name), host]));

  const jobs: { vmIndex: number; host: string; run: () => Promise<Option> }[] = [];
  const evaluations: { vm: PlacedVm; options: Option[]; requested?: string }[] = [];
  let checks = 0;
  let done = 0;
  wanted.forEach(({ vm, destination, plan: given }, vmIndex) => {
    const sourceReading = byHost.get(hostKey(vm.host));
    const sourceFacts = sourceReading?.ok ? sourceReading.inventory.host : undefined;
    const read = facts.get(hostKey(vm.host))?.vms.find((v) => v.id.toLowerCase() === vm.id.toLowerCase());
    const size: MoveSize = read
      ? {
          memoryBytes: read.memoryBytes,
          diskBytes: read.diskBytes,
          checkpointBytes: read.checkpointBytes,
          bytes: read.memoryBytes + read.diskBytes + read.checkpointBytes,
          movesStorage: read.vhdCount > 0,
        }
      : sizeFromInventory(vm);
    const placed: PlacedVm = { id: vm.id, name: vm.name, source: vm.host, state: vm.state, clustered: vm.isClustered, ...size };
    evaluations.push({ vm: placed, options: [], ...(destination && { requested: destination }) });
    const targets = destination
      ? fleet.filter((reading) => sameHost(reading.name, destination))
      : fleet.filter((reading) => !sameHost(reading.name, vm.host));
    if (destination && targets.length === 0) {
      evaluations[vmIndex]?.options.push({
        host: destination,
        ruledOut: [l10n.t('{0} is not one of the hosts read.', destination)],
        choices: [],
        switchesKept: 0,
        adapters: vm.adapters.length,
      });
    }
    for (const target of targets) {
      if (sameHost(target.name, vm.host)) {
        evaluations[vmIndex]?.options.push({
          host: target.name,
          ruledOut: [l10n.t('{0} is already on {1}.', vm.name, vm.host)],
          choices: [],
          switchesKept: 0,
          adapters: vm.adapters.length,
        });
        continue;
      }
      if (!target.ok) {
        evaluations[vmIndex]?.options.push({
          host: target.name,
          ruledOut: [l10n.t('{0} could not be read: {1}', target.name, target.error.message)],
          choices: [],
          switchesKept: 0,
          adapters: vm.adapters.length,
        });
        continue;
      }
      const destinationFacts = target.inventory.host;
      const switchesKept = vm.adapters.filter(
        (a) => a.switchName === null || destinationFacts.switches.some((s) => s.name.toLowerCase() === a.switchName?.toLowerCase()),
      ).length;
      const ruledOut = ruledOutByInventory(vm, size, sourceFacts, destinationFacts);
      if (ruledOut.length > 0) {
        evaluations[vmIndex]?.options.push({ host: target.name, ruledOut, choices: [], switchesKept, adapters: vm.adapters.length });
        continue;
      }
      jobs.push({
        vmIndex,
        host: target.name,
        run: async () => {
          const request = {
            vmId: vm.id,
            vmName: vm.name,
            source: vm.host,
            destination: destinationFacts.name,
            ...(given && given.request),
          };
          const start: MovePlan = given ? { ...given, request } : { request, adapterSwitches: {}, ejectDvd: [] };
          checks++;
          let result = await engine.check(request, { signal: ctx.signal, ...(given && { plan: start }) });
          let plan: MovePlan = { ...start, request: { ...request, ...(result.storagePath && { storagePath: result.storagePath }) } };
          let choices: readonly string[] = [];
          const auto = given
            ? undefined
            : autoPlan(result.findings, plan, vm, capacity.get(hostKey(vm.host)), capacityOf(destinationFacts, null));
          if (auto) {
            checks++;
            result = await engine.check(plan.request, { plan: auto.plan, signal: ctx.signal });
            plan = auto.plan;
            choices = auto.choices;
          }
          ctx.onProgress?.(++done, jobs.length);
          return { host: destinationFacts.name, ruledOut: [], result, plan, choices, switchesKept, adapters: vm.adapters.length };
        },
      });
    }
  });
  ctx.onProgress?.(0, jobs.length);
  // A few checks at a time (each is a round trip to two hosts), not VMs × hosts at once: a drain of a full
  // host would otherwise queue thousands of calls, past the pool's waiting limit.
  const options = await inTurns(
    jobs.map((job) => job.run),
    Math.max(1, ctx.runner.concurrency ?? DEFAULT_CHECKS_AT_ONCE),
  );
  jobs.forEach((job, i) => {
    const option = options[i];
    if (option) evaluations[job.vmIndex]?.options.push(option);
  });
  // Options in fleet order, whatever order the checks ended in.
  const order = new Map(fleet.map((reading, i) => [hostKey(reading.name), i]));
  for (const evaluation of evaluations)
    evaluation.options.sort((a, b) => (order.get(hostKey(a.host)) ?? 0) - (order.get(hostKey(b.host)) ?? 0));
  return { evaluations, hosts, checks };
}

// ---- rating and assigning ------------------------------------------------------------------------------

interface Committed {
  memory: Map<string, number>;
  disk: Map<string, number>;
}

const diskKey = (host: string, volume: string) => `${hostKey(host)}|${volume.toUpperCase()}`;

function rate(evaluation: Evaluation, option: Option, hosts: ReadonlyMap<string, HostCapacity>, committed: Committed): Candidate {
  const { vm } = evaluation;
  const host = hosts.get(hostKey(option.host));
  const source = hosts.get(hostKey(vm.source));
  const estimatedMs = estimateMs(vm.bytes, host?.linkSpeedBps ?? null, source?.linkSpeedBps ?? null);
  const findings = option.result?.findings ?? [];
  const base = { host: option.host, findings, choices: option.choices, estimatedMs, ...(option.plan && { plan: option.plan }) };
  const notReady = (blockers: readonly string[]): Candidate => ({ ...base, ready: false, score: 0, lines: [], blockers });
  if (option.ruledOut.length > 0) return notReady(option.ruledOut);
  const blockers = findings.filter((finding) => finding.severity === 'blocker');
  if (!option.result || !option.plan || !host) return notReady([l10n.t('Not checked.')]);
  if (blockers.length > 0) return notReady(blockers.map(blockerText));

  const lines: RatingLine[] = [];
  const problems: string[] = [];
  // Memory (30): what is left after the moves planned onto the host, this one included.
  const planned = committed.memory.get(hostKey(host.name)) ?? 0;
  const live = LIVE.includes(vm.state);
  const memoryAfter = host.memoryFree - planned - vm.memoryBytes;
  if (memoryAfter < 0) {
    problems.push(
      l10n.t(
        'Not enough memory on {0} after the planned moves: {1} free, {2} needs {3}.',
        host.name,
        bytes(Math.max(0, host.memoryFree - planned)),
        vm.name,
        bytes(vm.memoryBytes),
      ),
    );
  } else {
    const points = Math.round((30 * memoryAfter) / Math.max(1, host.memoryCapacity));
    lines.push({
      text: live
        ? l10n.t('Memory: {0} of {1} free after the planned moves', bytes(memoryAfter), bytes(host.memoryCapacity))
        : l10n.t(
            'Memory: {0} is {1}, it takes none now; {2} of {3} free after the planned moves',
            vm.name,
            vm.state.toLowerCase(),
            bytes(memoryAfter),
            bytes(host.memoryCapacity),
          ),
      points,
    });
  }
  // Disk (20): the volume the files go to.
  const path = option.plan.request.storagePath ?? host.virtualMachinePath;
  const volume = volumeOf(path, host.volumes);
  const fileBytes = vm.diskBytes + vm.checkpointBytes;
  if (!volume) {
    lines.push({ text: l10n.t('Disk: no volume of {0} holds {1}; the check found the space', host.name, path), points: 0 });
  } else {
    const diskAfter = volume.freeSpace - (committed.disk.get(diskKey(host.name, volume.name)) ?? 0) - fileBytes;
    if (diskAfter < 0) {
      problems.push(
        l10n.t(
          "Not enough space on {0} of {1} after the planned moves for {2} of {3}'s files.",
          volume.name,
          host.name,
          bytes(fileBytes),
          vm.name,
        ),
      );
    } else {
      lines.push({
        text: l10n.t('Disk {0}: {1} of {2} free after the planned moves', volume.name, bytes(diskAfter), bytes(volume.size)),
        points: Math.round((20 * diskAfter) / Math.max(1, volume.size)),
      });
    }
  }
  if (problems.length > 0) return notReady(problems);
  // Processor (20): the checks already ruled out what cannot run; the same vendor is the better fit.
  const sameVendor = !source || vendorOf(source.cpuVendor) === vendorOf(host.cpuVendor);
  lines.push(
    sameVendor
      ? {
          text: l10n.t('Processor: {0}, as on {1}; the features {2} uses are supported', vendorOf(host.cpuVendor), vm.source, vm.name),
          points: 20,
        }
      : {
          text: l10n.t(
            'Processor: {0} ({1} is {2}): {3} is off and starts on the other vendor',
            vendorOf(host.cpuVendor),
            vm.source,
            source ? vendorOf(source.cpuVendor) : '?',
            vm.name,
          ),
          points: 5,
        },
  );
  // Network (20): adapters that keep their switch.
  if (option.adapters === 0) lines.push({ text: l10n.t('Network: no adapters'), points: 20 });
  else {
    const kept = option.switchesKept;
    lines.push({
      text:
        kept === option.adapters
          ? l10n.t("Network: every adapter's switch exists on {0}", host.name)
          : l10n.t('Network: {0} of {1} adapters need another switch on {2}', option.adapters - kept, option.adapters, host.name),
      points: Math.round((20 * kept) / option.adapters),
    });
  }
  // Checks (10): warnings lower the rating.
  const warnings = findings.filter((finding) => finding.severity === 'warning');
  lines.push({
    text:
      warnings.length === 0
        ? l10n.t('Checks: ready, no warnings')
        : warnings.length === 1
          ? l10n.t('Checks: 1 warning: {0}', warnings.map((w) => w.title).join('; '))
          : l10n.t('Checks: {0} warnings: {1}', warnings.length, warnings.map((w) => w.title).join('; ')),
    points: Math.max(0, 10 - 5 * warnings.length),
  });
  const score = lines.reduce((sum, line) => sum + line.points, 0);
  return { ...base, ready: true, score, lines, blockers: [] };
}

function rank(candidates: readonly Candidate[]): Candidate[] {
  return [...candidates].sort((a, b) => Number(b.ready) - Number(a.ready) || b.score - a.score);
}

function commit(
  committed: Committed,
  evaluation: Evaluation,
  chosen: Candidate & { plan: MovePlan },
  host: HostCapacity | undefined,
): void {
  if (!host) return;
  const key = hostKey(host.name);
  committed.memory.set(key, (committed.memory.get(key) ?? 0) + evaluation.vm.memoryBytes);
  const volume = volumeOf(chosen.plan.request.storagePath ?? host.virtualMachinePath, host.volumes);
  if (volume) {
    const dk = diskKey(host.name, volume.name);
    committed.disk.set(dk, (committed.disk.get(dk) ?? 0) + evaluation.vm.diskBytes + evaluation.vm.checkpointBytes);
  }
}

function why(vm: PlacedVm, candidates: readonly Candidate[], overrideProblem?: string): string {
  if (candidates.length === 0) return l10n.t('No other host was read, so {0} has nowhere to go.', vm.name);
  const perHost = candidates.map((c) => {
    const first = (c.blockers[0] ?? l10n.t('not ready')).replace(/\.$/, '');
    return c.blockers.length > 1 ? l10n.t('{0}: {1} (and {2} more)', c.host, first, c.blockers.length - 1) : `${c.host}: ${first}`;
  });
  return `${overrideProblem ? `${overrideProblem} ` : ''}${l10n.t('No host can take {0}. {1}.', vm.name, perHost.join('; '))}`;
}

/**
 * Places the VMs: those the admin placed first, then largest first, each on its best-rated host that
 * still has room after the moves placed before it.
 */
export function assign(
  evaluations: readonly Evaluation[],
  hosts: readonly HostCapacity[],
  overrides: Readonly<Record<string, string>>,
): { placements: Placement[]; unmovable: Unmovable[] } {
  const byKey = new Map(hosts.map((host) => [hostKey(host.name), host]));
  const committed: Committed = { memory: new Map(), disk: new Map() };
  const overrideOf = (evaluation: Evaluation) => overrides[evaluation.vm.id.toLowerCase()];
  const order = [...evaluations].sort((a, b) => Number(Boolean(overrideOf(b))) - Number(Boolean(overrideOf(a))) || b.vm.bytes - a.vm.bytes);
  const placements: Placement[] = [];
  const unmovable: Unmovable[] = [];
  for (const evaluation of order) {
    const candidates = rank(evaluation.options.map((option) => rate(evaluation, option, byKey, committed)));
    const override = overrideOf(evaluation);
    const pick = override ? candidates.find((c) => sameHost(c.host, override)) : candidates[0];
    if (!pick?.ready || !pick.plan) {
      const problem = !override
        ? undefined
        : pick
          ? l10n.t('The chosen host {0} cannot take {1}: {2}', override, evaluation.vm.name, pick.blockers.join(' '))
          : l10n.t('The chosen host {0} cannot take {1}.', override, evaluation.vm.name);
      unmovable.push({ vm: evaluation.vm, why: why(evaluation.vm, candidates, problem), candidates });
      continue;
    }
    const chosen = { ...pick, plan: pick.plan };
    commit(committed, evaluation, chosen, byKey.get(hostKey(pick.host)));
    placements.push({ vm: evaluation.vm, destination: pick.host, chosen, candidates, overridden: Boolean(override) });
  }
  // In the order given (the host's order for a drain): what a first-in-first-out queue would follow.
  const position = new Map(evaluations.map((evaluation, i) => [evaluation.vm.id, i]));
  const byPosition = (a: { vm: PlacedVm }, b: { vm: PlacedVm }) => (position.get(a.vm.id) ?? 0) - (position.get(b.vm.id) ?? 0);
  return { placements: placements.sort(byPosition), unmovable: unmovable.sort(byPosition) };
}

/** The plan with one VM sent to the host the admin chose (a host its checks found ready). Throws with why otherwise. */
export function withDestination(plan: MigrationPlan, vmId: string, host: string): MigrationPlan {
  const evaluation = plan.evaluations.find((e) => e.vm.id.toLowerCase() === vmId.toLowerCase());
  if (!evaluation) throw new Error(l10n.t('VM {0} is not in this plan.', vmId));
  const option = evaluation.options.find((o) => sameHost(o.host, host));
  if (!option) throw new Error(l10n.t('{0} was not considered for {1}: plan again with it as the destination.', host, evaluation.vm.name));
  const overrides = { ...plan.overrides, [vmId.toLowerCase()]: option.host };
  const { placements, unmovable } = assign(plan.evaluations, plan.hosts, overrides);
  if (unmovable.some((u) => u.vm.id === evaluation.vm.id)) {
    const candidate = unmovable.find((u) => u.vm.id === evaluation.vm.id)?.candidates.find((c) => sameHost(c.host, host));
    throw new Error(
      l10n.t('{0} cannot take {1}: {2}', option.host, evaluation.vm.name, candidate?.blockers.join(' ') ?? l10n.t('not ready')),
    );
  }
  return { ...plan, placements, unmovable, overrides };
}

/** Reads, checks and places the VMs (each with the destination the admin chose, or ranked over every other host). */
export async function planPlacement(
  ctx: PlacementContext,
  fleet: readonly HostReading[],
  wanted: readonly Wanted[],
  source?: string,
): Promise<MigrationPlan> {
  const { evaluations, hosts, checks } = await evaluate(ctx, fleet, wanted);
  const overrides: Record<string, string> = {};
  for (const evaluation of evaluations) if (evaluation.requested) overrides[evaluation.vm.id.toLowerCase()] = evaluation.requested;
  const { placements, unmovable } = assign(evaluations, hosts, overrides);
  return { ...(source && { source }), placements, unmovable, hosts, evaluations, overrides, plannedAt: new Date().toISOString(), checks };
}
