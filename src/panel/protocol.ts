// The one protocol between the migration panel and its webview; both sides import it.

export type PanelIntent = 'check' | 'migrate' | 'copy' | 'drain' | 'configure' | 'moves';

export interface VmSummary {
  readonly id: string;
  readonly name: string;
  readonly host: string;
  readonly state: string;
  readonly status: string;
  readonly memory: string;
  readonly processors: number;
  readonly version: string;
  readonly disks: readonly string[];
  readonly adapters: readonly string[];
  readonly iso: readonly string[];
  readonly clustered: boolean;
}

export interface HostSummary {
  readonly name: string;
  readonly reachable: boolean;
  readonly problem?: string;
  readonly cluster?: string;
  readonly cpu?: string;
  readonly memoryFree?: string;
  readonly diskFree?: string;
  readonly migration?: string;
  readonly authentication?: string;
  readonly switches?: readonly string[];
  readonly versions?: readonly string[];
  readonly vmCount?: number;
}

export interface PanelState {
  readonly intent: PanelIntent;
  readonly title: string;
  readonly lab: boolean;
  readonly vms: readonly VmSummary[];
  /** The hosts the admin selected (drain, configure). */
  readonly hosts: readonly HostSummary[];
  /** Every host of the fleet, as candidate destinations. */
  readonly fleet: readonly HostSummary[];
  readonly migrating: readonly string[];
}

export type ToWebview = { readonly type: 'state'; readonly state: PanelState };

export type FromWebview = { readonly type: 'ready' } | { readonly type: 'refresh' } | { readonly type: 'showLog' };

/** Inbound messages are untrusted: only these shapes are acted on. */
export function parseFromWebview(message: unknown): FromWebview | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const type = (message as { type?: unknown }).type;
  switch (type) {
    case 'ready':
    case 'refresh':
    case 'showLog':
      return { type };
    default:
      return undefined;
  }
}
