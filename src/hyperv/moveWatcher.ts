import type { Fleet } from './fleet';

/**
 * Keeps moves live in the fleet: while a host reports a VM migrating, that host is read again every
 * `intervalMs`; when its moves end, the whole fleet is read once, so the VM shows on its new host.
 */
export class MoveWatcher {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private movingHosts = new Set<string>();
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly fleet: Fleet,
    /** Told when a read it started fails. */
    private readonly onError: (error: unknown) => void,
    private readonly intervalMs = 2000,
  ) {
    this.subscription = fleet.onDidChange(() => this.update());
  }

  private update(): void {
    if (this.fleet.hosts().some((h) => h.state === 'loading')) return; // act on finished reads only
    const moving = new Set<string>();
    let ended = false;
    for (const h of this.fleet.hosts()) {
      const was = this.movingHosts.has(h.name);
      if (h.state === 'ok' && h.inventory.vms.some((vm) => vm.migrationPercent !== null || /migrat/i.test(vm.status))) {
        moving.add(h.name);
      } else if (was) {
        ended = true;
      }
    }
    this.movingHosts = moving;
    if (ended) this.schedule(() => this.fleet.refresh());
    else if (moving.size > 0) this.schedule(() => this.fleet.refresh([...moving]));
  }

  private schedule(read: () => Promise<void>): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      read().catch(this.onError);
    }, this.intervalMs);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.subscription.dispose();
  }
}
