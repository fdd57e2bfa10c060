import * as vscode from 'vscode';
import type { HostEntry } from '../hyperv/fleet';
import type { HostFacts, Vm } from '../hyperv/model';
import type { PowerShellError } from '../powershell/types';
import { contextValue } from './contextValue';
import { bytes, plural, vendorName } from './format';

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
    item.description = `cluster · ${plural(this.hosts.length, 'node')} · ${plural(vms, 'VM')}`;
    item.iconPath = new vscode.ThemeIcon('server-environment');
    item.contextValue = contextValue('cluster');
    item.tooltip = new vscode.MarkdownString(`**Failover cluster ${this.name}**\n\nNodes: ${this.hosts.map((h) => h.entry.name).join(', ')}`);
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
  ) {
    this.id = `host:${entry.name.toLowerCase()}`;
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
    item.contextValue = contextValue('host', { lab: this.lab, error: entry.state === 'error', loading: entry.state === 'loading' });
    const facts = this.facts();
    if (entry.state === 'error') {
      item.iconPath = new vscode.ThemeIcon('server', new vscode.ThemeColor('problemsErrorIcon.foreground'));
      item.description = errorTitle(entry.error);
      item.collapsibleState = vscode.TreeItemCollapsibleState.Expanded;
    } else if (entry.state === 'loading' && !facts) {
      item.iconPath = new vscode.ThemeIcon('loading~spin');
      item.description = 'reading…';
    } else if (facts) {
      const vms = entry.state === 'ok' ? entry.inventory.vms : (entry.previous?.vms ?? []);
      item.iconPath = new vscode.ThemeIcon('server');
      item.description = hostDescription(facts, vms);
      item.tooltip = hostTooltip(facts, vms);
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
    item.tooltip = new vscode.MarkdownString().appendMarkdown(`**${errorTitle(this.error)}** — ${this.host.entry.name}\n\n`).appendCodeblock(this.error.message, 'text');
    item.contextValue = contextValue('error', { lab: this.host.lab, [this.error.kind]: true });
    item.command = { command: 'hyperv.host.retry', title: 'Retry', arguments: [this] };
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
    const item = new vscode.TreeItem('Reading host…', vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('loading~spin');
    item.contextValue = contextValue('loading');
    return item;
  }

  getChildren(): TreeNode[] {
    return [];
  }
}

export function errorTitle(error: PowerShellError): string {
  switch (error.kind) {
    case 'hostUnreachable':
      return 'Host unreachable';
    case 'accessDenied':
      return 'Access denied';
    case 'moduleMissing':
      return 'Hyper-V module missing';
    case 'powershellMissing':
      return 'PowerShell not found';
    case 'timeout':
      return 'Timed out';
    case 'cancelled':
      return 'Cancelled';
    case 'sessionCrashed':
      return 'PowerShell crashed';
    case 'protocolError':
      return 'Unexpected answer';
    case 'busy':
      return 'PowerShell busy';
    case 'scriptError':
      return 'Could not read host';
    default: {
      const never: never = error.kind;
      return String(never);
    }
  }
}

function freeDisk(facts: HostFacts): number {
  return facts.volumes.reduce((n, v) => n + v.freeSpace, 0);
}

function hostDescription(facts: HostFacts, vms: readonly Vm[]): string {
  return `${plural(vms.length, 'VM')} · ${vendorName(facts.cpuVendor)} · ${bytes(facts.memoryFree)} RAM free · ${bytes(freeDisk(facts))} disk free`;
}

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}

function hostTooltip(facts: HostFacts, vms: readonly Vm[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${facts.name}** (${facts.fqdn})${facts.cluster ? ` — cluster ${facts.cluster}` : ''}\n\n`);
  const rows: [string, string][] = [
    ['OS', `${facts.osCaption} (${facts.osVersion})`],
    ['VM configuration versions', facts.supportedVersions.join(', ')],
    ['Processor', `${facts.cpuName} (${vendorName(facts.cpuVendor)}), ${facts.logicalProcessors} logical`],
    ['Memory', `${bytes(facts.memoryFree)} free of ${bytes(facts.memoryCapacity)}`],
    ['Disk', facts.volumes.map((v) => `${v.name} ${bytes(v.freeSpace)} free of ${bytes(v.size)}`).join('; ')],
    ['VM path', facts.virtualMachinePath],
    ['Live migration', facts.migrationEnabled ? 'enabled' : 'disabled'],
    ['Migration networks', facts.useAnyNetworkForMigration ? 'any network' : facts.migrationNetworks.join(', ') || 'none'],
    ['Authentication', facts.authenticationType],
    ['Limits', `${facts.maximumVmMigrations} live migrations, ${facts.maximumStorageMigrations} storage migrations at once`],
    ['Switches', facts.switches.map((s) => `${s.name} (${s.switchType})`).join(', ') || 'none'],
    ['VMs', `${vms.length} (${vms.filter((v) => v.state === 'Running').length} running)`],
  ];
  md.appendMarkdown(table(rows));
  return md;
}

function vmDescription(vm: Vm, migrating: boolean): string {
  const state = migrating ? `Migrating${vm.migrationPercent !== null ? ` ${vm.migrationPercent}%` : ''}` : vm.state;
  const memory = vm.state === 'Running' && vm.memoryAssigned > 0 ? vm.memoryAssigned : vm.memoryStartup;
  const unreadable = vm.disks.filter((d) => d.unreadable).length;
  return `${state} · ${bytes(memory)} · ${vm.processorCount} vCPU${unreadable > 0 ? ` · ${plural(unreadable, 'unreadable disk')}` : ''}`;
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
  md.appendMarkdown(`**${escape(vm.name)}** on ${vm.host} — ${vm.state}, ${escape(vm.status)}\n\n`);
  const disks = vm.disks.map((d) => {
    if (d.diskNumber !== null) return `pass-through disk ${d.diskNumber} (${d.controller})`;
    if (d.unreadable) return `${escape(d.path ?? '?')} — **unreadable**: ${escape(d.unreadable)}`;
    return `${escape(d.path ?? '?')}${d.fileSize !== null ? ` — ${bytes(d.fileSize)}` : ''}${d.size !== null ? ` of ${bytes(d.size)}` : ''}`;
  });
  const rows: [string, string][] = [
    ['Generation', String(vm.generation)],
    ['Configuration version', vm.version],
    ['Memory', `${bytes(vm.memoryStartup)} startup${vm.dynamicMemory ? ' (dynamic)' : ''}${vm.memoryAssigned ? `, ${bytes(vm.memoryAssigned)} assigned` : ''}`],
    ['Processors', `${vm.processorCount}; compatibility for migration ${vm.compatibilityForMigration ? 'on' : 'off'}`],
    ['Disks', disks.join('<br>') || 'none'],
    ['Network adapters', vm.adapters.map((a) => `${escape(a.name)} → ${a.switchName ? escape(a.switchName) : 'not connected'}`).join('<br>') || 'none'],
    ['Checkpoints', vm.checkpoints.map(escape).join(', ') || 'none'],
    ['DVD', vm.isoPaths.map(escape).join(', ') || 'no ISO'],
    ['Clustered', yesNo(vm.isClustered)],
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
    const item = new vscode.TreeItem(this.lab ? 'The lab could not be read' : 'The hosts could not be read', vscode.TreeItemCollapsibleState.None);
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
