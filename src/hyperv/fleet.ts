import type { PowerShellError, PowerShellRunner } from '../powershell/types';
import { sameHost } from './hostName';
import { readFleet, type HostReading, type HostTarget } from './inventory';
import type { HostInventory, Vm } from './model';

export type HostEntry =
  | { readonly name: string; readonly state: 'loading'; readonly previous?: HostInventory }
  | { readonly name: string; readonly state: 'ok'; readonly inventory: HostInventory }
  | { readonly name: string; readonly state: 'error'; readonly error: PowerShellError };

export interface FleetSource {
  readonly runner: PowerShellRunner;
  readonly hosts: readonly HostTarget[];
}

/**
 * The fleet as last read: one entry per configured host, in configured order. Refreshes read hosts in
 * parallel through the runner; a late answer from an older refresh never overwrites a newer one.
 */
export class Fleet {
  private entries = new Map<string, HostEntry>();
  private order: string[] = [];
  private generation = new Map<string, number>();
  private fullRefreshes = 0;
  /** The full refresh running now, with the one follow-up asked for while it ran. */
  private running: Promise<void> | undefined;
  private again = false;
  private readonly listeners = new Set<() => void>();
  /** Why the fleet itself could not be read (e.g. a broken lab file); undefined when it could. */
  problem: string | undefined;

  constructor(private readonly source: () => Promise<FleetSource | undefined>) {}

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  hosts(): HostEntry[] {
    return this.order.map((name) => this.entries.get(name)).filter((e): e is HostEntry => e !== undefined);
  }

  host(name: string): HostEntry | undefined {
    return this.entries.get(name) ?? this.hosts().find((h) => sameHost(h.name, name));
  }

  /** Every host as last read (a host being read again counts with its previous reading), and why the others did not read. */
  readings(): HostReading[] {
    return this.hosts().map((entry): HostReading => {
      if (entry.state === 'ok') return { name: entry.name, ok: true, inventory: entry.inventory };
      if (entry.state === 'loading' && entry.previous) return { name: entry.name, ok: true, inventory: entry.previous };
      if (entry.state === 'error') return { name: entry.name, ok: false, error: entry.error };
      return {
        name: entry.name,
        ok: false,
        error: { kind: 'hostUnreachable', message: `${entry.name} has not answered yet.`, target: entry.name },
      };
    });
  }

  vms(): Vm[] {
    return this.hosts().flatMap((h) => (h.state === 'ok' ? h.inventory.vms : []));
  }

  /** Whether a full refresh runs now (the periodic refresh skips its turn then). */
  get refreshing(): boolean {
    return this.running !== undefined;
  }

  /**
   * Reads all hosts (or the named ones) again. A full refresh never starts while one runs: asked for
   * meanwhile, one more follows it (however many asked), and every caller's promise resolves when the
   * fleet shows the reading that began after its call.
   */
  refresh(only?: readonly string[], signal?: AbortSignal): Promise<void> {
    if (only) return this.read(only, signal, this.fullRefreshes);
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const running = this.readUntilCurrent(signal);
    this.running = running;
    return running;
  }

  private async readUntilCurrent(signal: AbortSignal | undefined): Promise<void> {
    try {
      do {
        this.again = false;
        await this.read(undefined, signal, ++this.fullRefreshes);
      } while (this.again);
    } finally {
      this.running = undefined;
    }
  }

  private async read(only: readonly string[] | undefined, signal: AbortSignal | undefined, ticket: number): Promise<void> {
    let source: FleetSource | undefined;
    try {
      source = await this.source();
      if (ticket !== this.fullRefreshes) return;
      this.problem = undefined;
    } catch (error) {
      if (ticket !== this.fullRefreshes) return;
      this.problem = error instanceof Error ? error.message : String(error);
      this.entries = new Map();
      this.order = [];
      this.fire();
      return;
    }
    if (!source) {
      this.entries = new Map();
      this.order = [];
      this.fire();
      return;
    }
    const configured = source.hosts.map((h) => h.name);
    if (!only) {
      this.order = configured;
      for (const name of [...this.entries.keys()]) if (!configured.includes(name)) this.entries.delete(name);
    }
    const targets = source.hosts.filter((h) => !only || only.some((n) => sameHost(n, h.name)));
    const tickets = new Map<string, number>();
    for (const target of targets) {
      const hostTicket = (this.generation.get(target.name) ?? 0) + 1;
      this.generation.set(target.name, hostTicket);
      tickets.set(target.name, hostTicket);
      const old = this.entries.get(target.name);
      const previous = old?.state === 'ok' ? old.inventory : old?.state === 'loading' ? old.previous : undefined;
      this.entries.set(target.name, { name: target.name, state: 'loading', previous });
    }
    this.fire();
    const readings = await readFleet(source.runner, targets, signal);
    for (const reading of readings) {
      if (this.generation.get(reading.name) !== tickets.get(reading.name)) continue;
      this.entries.set(
        reading.name,
        reading.ok
          ? { name: reading.name, state: 'ok', inventory: reading.inventory }
          : { name: reading.name, state: 'error', error: reading.error },
      );
    }
    this.fire();
  }

  private fire(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
