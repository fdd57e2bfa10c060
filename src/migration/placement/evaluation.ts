// Reading and checking: placement's facts from every host that read, then every VM checked against every other
// host (or the destination the admin chose), a few checks at a time, with the plan's own choices made where a
// blocker offers them. Hosts ruled out from the inventory alone are not checked.

import * as l10n from '@vscode/l10n';
import { bytes } from '../../hyperv/format';
import { hostKey, sameHost } from '../../hyperv/hostName';
import type { HostReading } from '../../hyperv/inventory';
import type { HostFacts, Vm } from '../../hyperv/model';
import { createPreflightEngine } from '../preflight';
import type { MovePlan } from '../types';
import { autoPlan, switchesBack } from './autoPlan';
import { capacityOf, LIVE, sizeFromInventory, vendorOf } from './capacity';
import { placementFacts, type MoveSize, type PlacementFacts } from './facts';
import type { Evaluation, HostCapacity, Option, PlacedVm, PlacementContext } from './types';

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
        { signal: ctx.signal, affinity: hostKey(reading.name), ...(credential && { credential }) },
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
      if (ctx.maintenance?.some((host) => sameHost(host, target.name))) {
        evaluations[vmIndex]?.options.push({
          host: target.name,
          ruledOut: [l10n.t('{0} is in maintenance: no VM is placed on it until it leaves maintenance.', target.name)],
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
          // Back to a host it left for maintenance: each adapter on the switch it had there, where that switch still is.
          const back = given ? undefined : switchesBack(vm, ctx.switchesAtHome?.(vm.id, destinationFacts.name), destinationFacts);
          const start: MovePlan = given ? { ...given, request } : { request, adapterSwitches: back?.adapterSwitches ?? {}, ejectDvd: [] };
          checks++;
          let result = await engine.check(request, { signal: ctx.signal, ...((given ?? back) && { plan: start }) });
          let plan: MovePlan = { ...start, request: { ...request, ...(result.storagePath && { storagePath: result.storagePath }) } };
          let choices: readonly string[] = back?.choices ?? [];
          const auto = given
            ? undefined
            : autoPlan(result.findings, plan, vm, capacity.get(hostKey(vm.host)), capacityOf(destinationFacts, null));
          if (auto) {
            checks++;
            result = await engine.check(plan.request, { plan: auto.plan, signal: ctx.signal });
            plan = auto.plan;
            choices = [...choices, ...auto.choices];
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
