import * as vscode from 'vscode';
import type { HostEntry } from '../hyperv/fleet';
import { hostKey } from '../hyperv/hostName';
import type { HostFacts, Vm } from '../hyperv/model';
import type { MaintenanceMark } from '../migration/maintenance';
import type { PowerShellError } from '../powershell/types';
import { contextValue } from './contextValue';
import { maintenanceLook } from './maintenanceLook';
import { bytes, vendorName } from '../hyperv/format';

export interface TreeNode {
  readonly id: string;
  getTreeItem(): vscode.TreeItem;
  getChildren(): TreeNode[];
}

export class ClusterNode implements TreeNode {
  readonly id: string;
  constructor(
    readonly name: string,
    readonly hosts: readonly HostNode[],
  ) {
    this.id = `cluster:${name.toLowerCase()}`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    const vms = this.hosts.reduce((n, h) => n + h.vmCount(), 0);
    item.description = vscode.l10n.t(
      'cluster · {0} · {1}',
      this.hosts.length === 1 ? vscode.l10n.t('1 node') : vscode.l10n.t('{0} nodes', this.hosts.length),
      vmCount(vms),
    );
    item.iconPath = new vscode.ThemeIcon('server-environment');
    item.contextValue = contextValue('cluster');
    item.tooltip = new vscode.MarkdownString(
      vscode.l10n.t('**Failover cluster {0}**\n\nNodes: {1}', this.name, this.hosts.map((h) => h.entry.name).join(', ')),
    );
    return item;
  }

  getChildren(): TreeNode[] {
    return [...this.hosts];
  }
}

export class HostNode implements TreeNode {
  readonly id: string;
  constructor(
    readonly entry: HostEntry,
    readonly lab: boolean,
    /** The host's maintenance entry, when it is in maintenance (or entering or leaving it). */
    readonly maintenance?: MaintenanceMark,
  ) {
    this.id = `host:${hostKey(entry.name)}`;
  }

  vmCount(): number {
    return this.entry.state === 'ok' ? this.entry.inventory.vms.length : 0;
  }

  facts(): HostFacts | undefined {
    return this.entry.state === 'ok' ? this.entry.inventory.host : this.entry.state === 'loading' ? this.entry.previous?.host : undefined;
  }

  getTreeItem(): vscode.TreeItem {
    const entry = this.entry;
    const item = new vscode.TreeItem(entry.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const look = this.maintenance && maintenanceLook(this.maintenance);
    item.contextValue = contextValue('host', {
      lab: this.lab,
      error: entry.state === 'error',
      loading: entry.state === 'loading',
      ...look?.flags,
    });
    const facts = this.facts();
    if (entry.state === 'error') {
      item.iconPath = new vscode.ThemeIcon('server', new vscode.ThemeColor('problemsErrorIcon.foreground'));
      item.description = errorTitle(entry.error);
      item.collapsibleState = vscode.TreeItemCollapsibleState.Expanded;
    } else if (entry.state === 'loading' && !facts) {
      item.iconPath = new vscode.ThemeIcon('loading~spin');
      item.description = vscode.l10n.t('reading…');
    } else if (facts) {
      const vms = entry.state === 'ok' ? entry.inventory.vms : (entry.previous?.vms ?? []);
      item.iconPath = new vscode.ThemeIcon('server');
      item.description = hostDescription(facts, vms);
      item.tooltip = hostTooltip(facts, vms);
    }
    if (look) {
      // In maintenance a host may well be unreachable (restarting): the mark says why, the error stays beside it.
      item.iconPath = new vscode.ThemeIcon(look.icon, new vscode.ThemeColor(look.color));
      item.description = [look.description, item.description].filter((part) => typeof part === 'string' && part !== '').join(' · ');
      const rest = item.tooltip instanceof vscode.MarkdownString ? `\n\n---\n\n${item.tooltip.value}` : '';
      item.tooltip = new vscode.MarkdownString(`**${escape(look.heading)}**\n\n${table(look.rows.map(([k, v]) => [k, escape(v)]))}${rest}`);
    }
    return item;
  }

  getChildren(): TreeNode[] {
    const entry = this.entry;
    if (entry.state === 'error') return [new ErrorNode(this, entry.error)];
    const vms = entry.state === 'ok' ? entry.inventory.vms : (entry.previous?.vms ?? []);
    if (entry.state === 'loading' && !entry.previous) return [new LoadingNode(this)];
    return [...vms].sort((a, b) => a.name.localeCompare(b.name)).map((vm) => new VmNode(this, vm));
  }
}

export class VmNode implements TreeNode {
  readonly id: string;
  constructor(
    readonly host: HostNode,
    readonly vm: Vm,
  ) {
    this.id = `${host.id}/vm:${vm.id.toLowerCase()}`;
  }

  get migrating(): boolean {
    return this.vm.migrationPercent !== null || /migrat/i.test(this.vm.status);
  }

  getTreeItem(): vscode.TreeItem {
    const vm = this.vm;
    const item = new vscode.TreeItem(vm.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = vmDescription(vm, this.migrating);
    item.iconPath = vmIcon(vm, this.migrating);
    item.tooltip = vmTooltip(vm);
    item.contextValue = contextValue('vm', {
      running: vm.state === 'Running',
      off: vm.state === 'Off',
      saved: vm.state === 'Saved',
      paused: vm.state === 'Paused',
      migrating: this.migrating,
      clustered: vm.isClustered,
      lab: this.host.lab,
    });
    return item;
  }

  getChildren(): TreeNode[] {
    return [];
  }
}

export class ErrorNode implements TreeNode {
  readonly id: string;
  constructor(
    readonly host: HostNode,
    readonly error: PowerShellError,
  ) {
    this.id = `${host.id}/error`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(errorTitle(this.error), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = this.error.message;
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
    item.tooltip = new vscode.MarkdownString()
      .appendMarkdown(`**${errorTitle(this.error)}** — ${this.host.entry.name}\n\n`)
      .appendCodeblock(this.error.message, 'text');
    item.contextValue = contextValue('error', { lab: this.host.lab, [this.error.kind]: true });
    item.command = { command: 'hyperv.host.retry', title: vscode.l10n.t('Retry'), arguments: [this] };
    return item;
  }

  getChildren(): TreeNode[] {
    return [];
  }
}

export class LoadingNode implements TreeNode {
  readonly id: string;
  constructor(readonly host: HostNode) {
    this.id = `${host.id}/loading`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Reading host…'), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('loading~spin');
    item.contextValue = contextValue('loading');
    return item;
  }

  getChildren(): TreeNode[] {
    return [];
  }
}

/** What a host that could not be read shows, by the kind of error (a record over every kind, so a new kind does not compile without one). */
const ERROR_TITLES: Readonly<Record<PowerShellError['kind'], () => string>> = {
  hostUnreachable: () => vscode.l10n.t('Host unreachable'),
  accessDenied: () => vscode.l10n.t('Access denied'),
  moduleMissing: () => vscode.l10n.t('Hyper-V module missing'),
  powershellMissing: () => vscode.l10n.t('PowerShell not found'),
  timeout: () => vscode.l10n.t('Timed out'),
  cancelled: () => vscode.l10n.t('Cancelled'),
  sessionCrashed: () => vscode.l10n.t('PowerShell crashed'),
  protocolError: () => vscode.l10n.t('Unexpected answer'),
  busy: () => vscode.l10n.t('PowerShell busy'),
  scriptError: () => vscode.l10n.t('Could not read host'),
};

export function errorTitle(error: PowerShellError): string {
  return ERROR_TITLES[error.kind]();
}

function freeDisk(facts: HostFacts): number {
  return facts.volumes.reduce((n, v) => n + v.freeSpace, 0);
}

function vmCount(n: number): string {
  return n === 1 ? vscode.l10n.t('1 VM') : vscode.l10n.t('{0} VMs', n);
}

function hostDescription(facts: HostFacts, vms: readonly Vm[]): string {
  return vscode.l10n.t(
    '{0} · {1} · {2} RAM free · {3} disk free',
    vmCount(vms.length),
    vendorName(facts.cpuVendor),
    bytes(facts.memoryFree),
    bytes(freeDisk(facts)),
  );
}

function yesNo(value: boolean): string {
  return value ? vscode.l10n.t('yes') : vscode.l10n.t('no');
}

function hostTooltip(facts: HostFacts, vms: readonly Vm[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(
    `${facts.cluster ? vscode.l10n.t('**{0}** ({1}) — cluster {2}', facts.name, facts.fqdn, facts.cluster) : `**${facts.name}** (${facts.fqdn})`}\n\n`,
  );
  const rows: [string, string][] = [
    [vscode.l10n.t('OS'), `${facts.osCaption} (${facts.osVersion})`],
    [vscode.l10n.t('VM configuration versions'), facts.supportedVersions.join(', ')],
    [
      vscode.l10n.t('Processor'),
      vscode.l10n.t('{0} ({1}), {2} logical', facts.cpuName, vendorName(facts.cpuVendor), facts.logicalProcessors),
    ],
    [vscode.l10n.t('Memory'), vscode.l10n.t('{0} free of {1}', bytes(facts.memoryFree), bytes(facts.memoryCapacity))],
    [
      vscode.l10n.t('Disk'),
      facts.volumes.map((v) => vscode.l10n.t('{0} {1} free of {2}', v.name, bytes(v.freeSpace), bytes(v.size))).join('; '),
    ],
    [vscode.l10n.t('VM path'), facts.virtualMachinePath],
    [vscode.l10n.t('Live migration'), facts.migrationEnabled ? vscode.l10n.t('enabled') : vscode.l10n.t('disabled')],
    [
      vscode.l10n.t('Migration networks'),
      facts.useAnyNetwork ? vscode.l10n.t('any network') : facts.networks.join(', ') || vscode.l10n.t('none'),
    ],
    [vscode.l10n.t('Authentication'), facts.authenticationType],
    [
      vscode.l10n.t('Limits'),
      vscode.l10n.t('{0} live migrations, {1} storage migrations at once', facts.maximumVmMigrations, facts.maximumStorageMigrations),
    ],
    [vscode.l10n.t('Switches'), facts.switches.map((s) => `${s.name} (${s.switchType})`).join(', ') || vscode.l10n.t('none')],
    [vscode.l10n.t('VMs'), vscode.l10n.t('{0} ({1} running)', vms.length, vms.filter((v) => v.state === 'Running').length)],
  ];
  md.appendMarkdown(table(rows));
  return md;
}

function vmDescription(vm: Vm, migrating: boolean): string {
  const state = migrating
    ? vm.migrationPercent !== null
      ? vscode.l10n.t('Migrating {0}%', vm.migrationPercent)
      : vscode.l10n.t('Migrating')
    : vm.state;
  const memory = vm.state === 'Running' && vm.memoryAssigned > 0 ? vm.memoryAssigned : vm.memoryStartup;
  const unreadable = vm.disks.filter((d) => d.unreadable).length;
  const description = `${state} · ${bytes(memory)} · ${vm.processorCount} vCPU`;
  if (unreadable === 0) return description;
  return `${description} · ${unreadable === 1 ? vscode.l10n.t('1 unreadable disk') : vscode.l10n.t('{0} unreadable disks', unreadable)}`;
}

function vmIcon(vm: Vm, migrating: boolean): vscode.ThemeIcon {
  if (migrating) return new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.blue'));
  switch (vm.state) {
    case 'Running':
      return new vscode.ThemeIcon('vm-running', new vscode.ThemeColor('charts.green'));
    case 'Off':
      return new vscode.ThemeIcon('vm-outline', new vscode.ThemeColor('disabledForeground'));
    case 'Saved':
      return new vscode.ThemeIcon('save', new vscode.ThemeColor('charts.yellow'));
    case 'Paused':
      return new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('charts.yellow'));
    default:
      return new vscode.ThemeIcon('loading~spin');
  }
}

function vmTooltip(vm: Vm): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`${vscode.l10n.t('**{0}** on {1} — {2}, {3}', escape(vm.name), vm.host, vm.state, escape(vm.status))}\n\n`);
  const disks = vm.disks.map((d) => {
    if (d.diskNumber !== null) return vscode.l10n.t('pass-through disk {0} ({1})', d.diskNumber, d.controller);
    if (d.unreadable) return vscode.l10n.t('{0} — **unreadable**: {1}', escape(d.path ?? '?'), escape(d.unreadable));
    return `${escape(d.path ?? '?')}${d.fileSize !== null ? ` — ${bytes(d.fileSize)}` : ''}${d.size !== null ? ` ${vscode.l10n.t('of {0}', bytes(d.size))}` : ''}`;
  });
  const rows: [string, string][] = [
    [vscode.l10n.t('Generation'), String(vm.generation)],
    [vscode.l10n.t('Configuration version'), vm.version],
    [
      vscode.l10n.t('Memory'),
      `${vm.dynamicMemory ? vscode.l10n.t('{0} startup (dynamic)', bytes(vm.memoryStartup)) : vscode.l10n.t('{0} startup', bytes(vm.memoryStartup))}${vm.memoryAssigned ? `, ${vscode.l10n.t('{0} assigned', bytes(vm.memoryAssigned))}` : ''}`,
    ],
    [
      vscode.l10n.t('Processors'),
      vm.compatibilityForMigration
        ? vscode.l10n.t('{0}; compatibility for migration on', vm.processorCount)
        : vscode.l10n.t('{0}; compatibility for migration off', vm.processorCount),
    ],
    [vscode.l10n.t('Disks'), disks.join('<br>') || vscode.l10n.t('none')],
    [
      vscode.l10n.t('Network adapters'),
      vm.adapters.map((a) => `${escape(a.name)} → ${a.switchName ? escape(a.switchName) : vscode.l10n.t('not connected')}`).join('<br>') ||
        vscode.l10n.t('none'),
    ],
    [vscode.l10n.t('Checkpoints'), vm.checkpoints.map(escape).join(', ') || vscode.l10n.t('none')],
    [vscode.l10n.t('DVD'), vm.isoPaths.map(escape).join(', ') || vscode.l10n.t('no ISO')],
    [vscode.l10n.t('Clustered'), yesNo(vm.isClustered)],
  ];
  md.appendMarkdown(table(rows));
  md.supportHtml = true;
  return md;
}

function table(rows: readonly [string, string][]): string {
  return ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|')} |`)].join('\n');
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, (c) => `\\${c}`);
}

/** The fleet itself could not be read (e.g. a broken lab file): said in the tree, with what to do. */
export class ProblemNode implements TreeNode {
  readonly id = 'problem';
  constructor(
    readonly message: string,
    readonly lab: boolean,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(
      this.lab ? vscode.l10n.t('The lab could not be read') : vscode.l10n.t('The hosts could not be read'),
      vscode.TreeItemCollapsibleState.None,
    );
    item.id = this.id;
    item.description = this.message;
    item.tooltip = new vscode.MarkdownString().appendCodeblock(this.message, 'text');
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
    item.contextValue = contextValue('error', { lab: this.lab, fleet: true });
    return item;
  }

  getChildren(): TreeNode[] {
    return [];
  }
}
