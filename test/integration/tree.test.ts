// The Hosts and VMs view on the default lab, inside real VS Code: what the tree shows, where the menus
// appear, a host that cannot be reached, and credentials that never reach the log.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { defineScript } from '../../src/powershell/script';
import type { TreeNode } from '../../src/tree/nodes';

const EXTENSION_ID = 'hyperv-live-migration.hyperv-live-migration';

interface MenuItem {
  readonly command: string;
  readonly when?: string;
}

/** Evaluates the when-clause forms our menus use: `view == x`, `viewItem =~ /re/`, `key == v`, `key != v`, `&&`. */
function matches(when: string | undefined, context: Record<string, string>): boolean {
  if (!when) return true;
  return when.split('&&').every((raw) => {
    const clause = raw.trim();
    const regex = /^(\S+)\s*=~\s*\/(.*)\/([a-z]*)$/.exec(clause);
    if (regex) return new RegExp(regex[2], regex[3]).test(context[regex[1]] ?? '');
    const equal = /^(\S+)\s*(==|!=)\s*(\S+)$/.exec(clause);
    if (equal) return (context[equal[1]] === equal[3]) === (equal[2] === '==');
    throw new Error(`when-clause form not understood by this test: ${clause}`);
  });
}

const labScript = defineScript<{ Host: string; Unreachable: boolean }, unknown>(
  'test.setFault',
  'param($Params)\nif ($Params.Unreachable) { Set-HyperVLabFault -ComputerName $Params.Host -Unreachable } else { Set-HyperVLabFault -ComputerName $Params.Host -Clear }',
  (data) => data,
);

describe('Hosts and VMs view (default lab)', function () {
  this.timeout(120_000);
  let api: ExtensionApi;
  let menus: MenuItem[];

  const label = (n: TreeNode) => {
    const l = n.getTreeItem().label;
    return typeof l === 'string' ? l : (l?.label ?? '');
  };
  const labels = (nodes: readonly TreeNode[]) => nodes.map(label);
  const find = (name: string): TreeNode => {
    const node = api.tree.all().find((n) => label(n) === name);
    assert.ok(node, `no node ${name} in ${labels(api.tree.all()).join(', ')}`);
    return node;
  };
  const menuFor = (node: TreeNode) => {
    const item = node.getTreeItem();
    return menus
      .filter((m) => matches(m.when, { view: 'hyperv.fleet', viewItem: item.contextValue ?? '', 'hyperv.connection': 'lab' }))
      .map((m) => m.command);
  };

  before(async () => {
    const extension = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID)!;
    api = await extension.activate();
    const manifest = JSON.parse(readFileSync(join(extension.extensionPath, 'package.json'), 'utf8')) as {
      contributes: { menus: Record<string, MenuItem[]> };
    };
    menus = manifest.contributes.menus['view/item/context']!;
    await api.fleet.refresh();
  });

  it('shows standalone hosts at the top and the cluster with its nodes', () => {
    assert.equal(api.fleet.problem, undefined, 'the lab was read');
    assert.deepEqual(labels(api.tree.getChildren()), ['HV01', 'HV02', 'HV03', 'HV04', 'CL1']);
    const cluster = find('CL1');
    assert.deepEqual(labels(api.tree.getChildren(cluster)), ['HV05', 'HV06']);
    assert.equal(cluster.getTreeItem().contextValue, 'hyperv:cluster');
    assert.match(String(cluster.getTreeItem().description), /2 nodes · 2 VMs/);
  });

  it("lists each host's VMs with state, memory and processors", () => {
    assert.deepEqual(labels(api.tree.getChildren(find('HV01'))), ['build01', 'sql01', 'web01']);
    assert.deepEqual(labels(api.tree.getChildren(find('HV04'))), ['dc04', 'legacy04']);
    assert.equal(find('web01').getTreeItem().description, 'Running · 2 GB · 2 vCPU');
    assert.equal(find('sql01').getTreeItem().description, 'Running · 32 GB · 8 vCPU');
    assert.match(String(find('build01').getTreeItem().description), /^Off · /);
  });

  it('puts state in contextValue: running, off, clustered, lab', () => {
    assert.equal(find('web01').getTreeItem().contextValue, 'hyperv:vm+running+lab');
    assert.equal(find('build01').getTreeItem().contextValue, 'hyperv:vm+off+lab');
    assert.equal(find('erp01').getTreeItem().contextValue, 'hyperv:vm+running+clustered+lab');
    assert.equal(find('HV01').getTreeItem().contextValue, 'hyperv:host+lab');
  });

  it('gives nodes stable ids that survive a refresh', async () => {
    const before = api.tree.all().map((n) => n.id);
    await api.fleet.refresh();
    assert.deepEqual(
      api.tree.all().map((n) => n.id),
      before,
    );
    assert.ok(find('web01').id.startsWith('host:hv01/vm:'));
  });

  it('describes a host and a VM in their tooltips', () => {
    const host = find('HV04').getTreeItem().tooltip as vscode.MarkdownString;
    assert.match(host.value, /Windows Server 2019/);
    assert.match(host.value, /Live migration \| disabled/);
    assert.match(host.value, /Authentication \| CredSSP/);
    const vm = find('build01').getTreeItem().tooltip as vscode.MarkdownString;
    assert.match(vm.value, /\.iso/i);
    const sql = find('sql01').getTreeItem().tooltip as vscode.MarkdownString;
    assert.match(sql.value, /Storage/);
  });

  it('offers the VM and host menus exactly where their when-clauses say', () => {
    assert.deepEqual(menuFor(find('web01')), [
      'hyperv.vm.check',
      'hyperv.vm.migrate',
      'hyperv.vm.copyMigrationScript',
      'hyperv.vm.stop',
      'hyperv.vm.saveAsPlan',
    ]);
    assert.deepEqual(menuFor(find('build01')), [
      'hyperv.vm.check',
      'hyperv.vm.migrate',
      'hyperv.vm.copyMigrationScript',
      'hyperv.vm.start',
      'hyperv.vm.saveAsPlan',
    ]);
    assert.deepEqual(menuFor(find('HV01')), [
      'hyperv.host.drain',
      'hyperv.host.configureMigration',
      'hyperv.host.enterMaintenance',
      'hyperv.host.maintainOneByOne',
      'hyperv.host.refresh',
      'hyperv.host.refresh',
      'hyperv.host.saveDrainAsPlan',
    ]);
    assert.deepEqual(menuFor(find('CL1')), []);
  });

  it('shows an unreachable host as an error under it while every other host loads', async () => {
    const runner = await api.connection.runner();
    const set = await runner.run(labScript, { Host: 'HV03', Unreachable: true });
    assert.ok(set.ok, JSON.stringify(set));
    try {
      await api.fleet.refresh();
      const hv03 = find('HV03');
      assert.equal(hv03.getTreeItem().contextValue, 'hyperv:host+lab+error');
      const [error] = api.tree.getChildren(hv03);
      assert.ok(error);
      const item = error.getTreeItem();
      assert.equal(item.label, 'Host unreachable');
      assert.match(String(item.description), /^Connecting to remote server HV03 failed/);
      assert.match(item.contextValue ?? '', /^hyperv:error\b.*\+hostUnreachable/);
      assert.deepEqual([...new Set(menuFor(error))], ['hyperv.host.retry', 'hyperv.log.show', 'hyperv.host.edit']);
      assert.deepEqual(labels(api.tree.getChildren(find('HV01'))), ['build01', 'sql01', 'web01']);
      assert.deepEqual(labels(api.tree.getChildren(find('HV02'))), ['app02']);
    } finally {
      await runner.run(labScript, { Host: 'HV03', Unreachable: false });
      await api.fleet.refresh();
    }
    assert.equal(find('HV03').getTreeItem().contextValue, 'hyperv:host+lab', 'HV03 reads again once reachable');
  });

  it('opens the migration panel on the selected VM from its menu', async () => {
    await vscode.commands.executeCommand('hyperv.vm.check', find('web01'));
    const state = api.panel.state();
    assert.equal(state.intent, 'check');
    assert.deepEqual(
      state.vms.map((v) => v.name),
      ['web01'],
    );
    assert.ok(state.fleet.length === 6);
  });

  it('sends several selected VMs to the fleet panel, which places each before anything moves', async () => {
    const web01 = find('web01');
    const build01 = find('build01');
    await vscode.commands.executeCommand('hyperv.vm.migrate', web01, [web01, build01]);
    const state = api.fleetPanel.state();
    assert.equal(state.active, 'drain');
    const planned = [...(state.drain?.placements ?? []).map((p) => p.vmName), ...(state.drain?.unmovable ?? []).map((u) => u.vmName)];
    assert.deepEqual(planned.sort(), ['build01', 'web01']);
    assert.equal(state.drain?.rows.length ?? 0, 0, 'nothing starts before the admin says so');
  });

  it("never writes a host's credentials to the log", async () => {
    const secret = `S3cret-${Date.now()}-'$(x)`;
    const config = vscode.workspace.getConfiguration('hyperv');
    await api.connection.setCredential('hv-secret-test', { userName: 'CONTOSO\\tester', password: secret });
    await config.update('hosts', ['hv-secret-test'], vscode.ConfigurationTarget.Global);
    await config.update('connection', 'hosts', vscode.ConfigurationTarget.Global);
    try {
      api.connection.reload();
      await api.fleet.refresh();
      const [host] = api.tree.getChildren();
      assert.equal(host?.getTreeItem().label, 'hv-secret-test');
      assert.equal(host?.getTreeItem().contextValue, 'hyperv:host+error', 'no Hyper-V module here: the host shows its error');
      const log = api.logger.recent().join('\n');
      assert.match(log, /getFleetInventory/, 'the call was logged');
      assert.ok(!log.includes(secret), 'the password is not in the log');
    } finally {
      await api.connection.clearCredential('hv-secret-test');
      await config.update('hosts', undefined, vscode.ConfigurationTarget.Global);
      await config.update('connection', undefined, vscode.ConfigurationTarget.Global);
      api.connection.reload();
      await api.fleet.refresh();
    }
    assert.equal(api.fleet.problem, undefined);
    assert.deepEqual(labels(api.tree.getChildren()).slice(0, 1), ['HV01']);
  });
});
