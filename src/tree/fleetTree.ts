import * as vscode from 'vscode';
import type { Fleet } from '../hyperv/fleet';
import type { MaintenanceMarks } from './maintenanceMarks';
import { ClusterNode, HostNode, ProblemNode, type TreeNode } from './nodes';

/** Delegates to the nodes; rebuilds them from the fleet, and the maintenance marks, on every change (ids stay stable). */
export class FleetTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: TreeNode[] = [];
  private readonly parents = new Map<string, TreeNode>();
  private readonly subscriptions: { dispose(): void }[];

  constructor(
    private readonly fleet: Fleet,
    private readonly isLab: () => boolean,
    private readonly marks?: MaintenanceMarks,
  ) {
    this.rebuild();
    const changed = () => {
      this.rebuild();
      this.changed.fire(undefined);
    };
    this.subscriptions = [fleet.onDidChange(changed), ...(marks ? [marks.onDidChange(changed)] : [])];
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getChildren(node?: TreeNode): TreeNode[] {
    return node ? node.getChildren() : this.roots;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return this.parents.get(node.id);
  }

  /** Every node of the tree, depth first: what tests and multi-host commands walk. */
  all(): TreeNode[] {
    const out: TreeNode[] = [];
    const walk = (nodes: readonly TreeNode[]) => {
      for (const n of nodes) {
        out.push(n);
        walk(n.getChildren());
      }
    };
    walk(this.roots);
    return out;
  }

  private rebuild(): void {
    const lab = this.isLab();
    const hosts = this.fleet.hosts().map((entry) => new HostNode(entry, lab, this.marks?.entry(entry.name)));
    const clusters = new Map<string, HostNode[]>();
    const roots: TreeNode[] = [];
    for (const host of hosts) {
      const cluster = host.facts()?.cluster;
      if (!cluster) {
        roots.push(host);
        continue;
      }
      const members = clusters.get(cluster.toLowerCase());
      if (members) members.push(host);
      else {
        const list = [host];
        clusters.set(cluster.toLowerCase(), list);
        roots.push(new ClusterNode(cluster, list));
      }
    }
    this.roots = this.fleet.problem ? [new ProblemNode(this.fleet.problem, lab), ...roots] : roots;
    this.parents.clear();
    const index = (parent: TreeNode | undefined, nodes: readonly TreeNode[]) => {
      for (const n of nodes) {
        if (parent) this.parents.set(n.id, parent);
        index(n, n.getChildren());
      }
    };
    index(undefined, this.roots);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }
}
