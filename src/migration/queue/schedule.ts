// The scheduling rule, pure: a move counts on its source and its destination against
// MaximumVirtualMachineMigrations, and a move that carries disks (shared-nothing) against
// MaximumStorageMigrations too; whenever a slot frees, what fits starts, longest move first by default
// (list scheduling, LPT) or first-in-first-out. The queue follows it, and the plan's estimate simulates it.

import { hostKey, sameHost } from '../../hyperv/hostName';

export interface HostLimits {
  /** MaximumVirtualMachineMigrations. */
  readonly vm: number;
  /** MaximumStorageMigrations. */
  readonly storage: number;
}

/** Hyper-V's defaults, for a host whose settings were not read. */
export const DEFAULT_LIMITS: HostLimits = { vm: 2, storage: 2 };

/** What the scheduler needs of a move. */
export interface Slotted {
  readonly source: string;
  readonly destination: string;
  /** The move carries the VM's disks: it counts against MaximumStorageMigrations as well. */
  readonly movesStorage: boolean;
  /** Estimated duration, for the order. */
  readonly estimatedMs: number;
}

/** `longest-first`: the longest pending move that fits starts first (LPT). `fifo`: in the order given. */
export type QueueOrder = 'longest-first' | 'fifo';

export type LimitsOf = (host: string) => HostLimits;

/** The limits from a table by host name (any form), Hyper-V's defaults for a host not in it. */
export function limitsFrom(table: Readonly<Record<string, HostLimits>>): LimitsOf {
  const byKey = new Map(Object.entries(table).map(([host, limits]) => [hostKey(host), limits]));
  return (host) => byKey.get(hostKey(host)) ?? Object.entries(table).find(([name]) => sameHost(name, host))?.[1] ?? DEFAULT_LIMITS;
}

/** Moves in use per host: all of them, and those with storage. */
export function usage(running: readonly Slotted[]): Map<string, { vm: number; storage: number }> {
  const used = new Map<string, { vm: number; storage: number }>();
  for (const move of running) take(move, used);
  return used;
}

/** Counts `move` in the slots of both its hosts. */
function take(move: Slotted, used: Map<string, { vm: number; storage: number }>): void {
  for (const host of new Set([hostKey(move.source), hostKey(move.destination)])) {
    const slot = used.get(host) ?? { vm: 0, storage: 0 };
    slot.vm++;
    if (move.movesStorage) slot.storage++;
    used.set(host, slot);
  }
}

function fits(move: Slotted, used: Map<string, { vm: number; storage: number }>, limits: LimitsOf): boolean {
  for (const host of [move.source, move.destination]) {
    const limit = limits(host);
    const slot = used.get(hostKey(host)) ?? { vm: 0, storage: 0 };
    if (slot.vm >= limit.vm) return false;
    if (move.movesStorage && slot.storage >= limit.storage) return false;
  }
  return true;
}

/** The pending moves in the order the queue considers them. */
export function ordered<T extends Slotted>(pending: readonly T[], order: QueueOrder): T[] {
  // Array.prototype.sort is stable: equal estimates keep their given order.
  return order === 'fifo' ? [...pending] : [...pending].sort((a, b) => b.estimatedMs - a.estimatedMs);
}

/**
 * The moves to start now: walking the pending moves in queue order, each one that fits beside the
 * running ones (and those picked before it) on both of its hosts, and, with `cap`, while fewer than
 * `cap` moves run over the whole fleet.
 */
export function startable<T extends Slotted>(
  pending: readonly T[],
  running: readonly Slotted[],
  limits: LimitsOf,
  order: QueueOrder,
  cap = Infinity,
): T[] {
  const used = usage(running);
  const chosen: T[] = [];
  for (const move of ordered(pending, order)) {
    if (running.length + chosen.length >= cap) break;
    if (!fits(move, used, limits)) continue;
    chosen.push(move);
    take(move, used);
  }
  return chosen;
}

export interface Schedule {
  /** When the last move ends, with every move taking its estimate and starting as soon as the rule allows. */
  readonly makespanMs: number;
  /** Index (in the input) of each move, in start order, with its start time. */
  readonly starts: readonly { readonly index: number; readonly atMs: number }[];
  /** Most moves seen at once per host (short name): all, and with storage. */
  readonly peak: Readonly<Record<string, { readonly vm: number; readonly storage: number }>>;
}

/** Runs the queue's rule on estimates alone: what the order is worth before anything moves. */
export function simulate(moves: readonly Slotted[], limits: LimitsOf, order: QueueOrder, cap = Infinity): Schedule {
  type Entry = Slotted & { readonly index: number };
  let pending: Entry[] = moves.map((move, index) => ({ ...move, index }));
  let running: (Entry & { readonly endMs: number })[] = [];
  const starts: { index: number; atMs: number }[] = [];
  const peak: Record<string, { vm: number; storage: number }> = {};
  let now = 0;
  for (;;) {
    for (const move of startable(pending, running, limits, order, cap)) {
      running.push({ ...move, endMs: now + move.estimatedMs });
      starts.push({ index: move.index, atMs: now });
    }
    pending = pending.filter((move) => !starts.some((s) => s.index === move.index));
    for (const [host, slot] of usage(running)) {
      const best = peak[host] ?? { vm: 0, storage: 0 };
      peak[host] = { vm: Math.max(best.vm, slot.vm), storage: Math.max(best.storage, slot.storage) };
    }
    if (running.length === 0) {
      if (pending.length > 0) throw new Error('A move fits on no host: a limit below 1?');
      return { makespanMs: now, starts, peak };
    }
    now = Math.min(...running.map((move) => move.endMs));
    running = running.filter((move) => move.endMs > now);
  }
}

/**
 * No order can finish sooner than this: per host, the moves that touch it divided by its limit (storage
 * moves by the storage limit too), and the longest single move.
 */
export function lowerBound(moves: readonly Slotted[], limits: LimitsOf): number {
  let bound = Math.max(0, ...moves.map((move) => move.estimatedMs));
  const hosts = new Set(moves.flatMap((move) => [hostKey(move.source), hostKey(move.destination)]));
  for (const host of hosts) {
    const touching = moves.filter((move) => hostKey(move.source) === host || hostKey(move.destination) === host);
    const sum = (list: readonly Slotted[]) => list.reduce((total, move) => total + move.estimatedMs, 0);
    const limit = limits(host);
    bound = Math.max(bound, sum(touching) / limit.vm, sum(touching.filter((move) => move.movesStorage)) / limit.storage);
  }
  return bound;
}
