// What VS Code asks of a plan file: quick fixes for its findings (apply a fix now, or approve it in the
// plan), code lenses (Run Plan with its estimate; Check · Migrate · Copy as PowerShell over each move),
// and completions from the live inventory (hosts, VMs, switches, storage paths, findings and fixes).
import * as vscode from 'vscode';
import { getLocation, parseTree, findNodeAtLocation, type Node } from 'jsonc-parser';
import { sameHost } from '../hyperv/hostName';
import { isChecked } from '../plans/checkPlan';
import { PLAN_ORDERS } from '../plans/planFile';
import { planFindingId } from '../plans/resolve';
import { bytes, duration } from '../hyperv/format';
import { isPlanUri, type PlanController } from './planController';

export const PLAN_SELECTOR: vscode.DocumentSelector = [{ pattern: '**/*.migration.json' }];

export class PlanCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly plans: PlanController) {}

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (!isPlanUri(document.uri)) return [];
    const actions: vscode.CodeAction[] = [];
    // The findings under the cursor, and those of the line it is on (a move's findings sit on its "vm").
    const onLine = vscode.languages
      .getDiagnostics(document.uri)
      .filter(
        (d) =>
          d.range.start.line === range.start.line && !context.diagnostics.some((c) => c.range.isEqual(d.range) && c.message === d.message),
      );
    const view = this.plans.view(document);
    for (const diagnostic of [...context.diagnostics, ...onLine]) {
      const found = this.plans.findingAt(document, diagnostic, view);
      if (!found) continue;
      const { index, finding } = found;
      finding.fixes.forEach((option, i) => {
        const args = [document.uri, index, finding.id, option.id];
        if (option.appliesTo !== 'plan') {
          const apply = new vscode.CodeAction(
            vscode.l10n.t('{0} (apply now)', `${option.title}${option.destructive ? '…' : ''}`),
            vscode.CodeActionKind.QuickFix,
          );
          apply.diagnostics = [diagnostic];
          apply.isPreferred = i === 0;
          apply.command = { title: option.title, command: 'hyperv.plan.applyFix', arguments: args };
          actions.push(apply);
        }
        const approve = new vscode.CodeAction(vscode.l10n.t('Approve in the plan: {0}', option.title), vscode.CodeActionKind.QuickFix);
        approve.diagnostics = [diagnostic];
        approve.isPreferred = i === 0 && option.appliesTo === 'plan';
        approve.command = { title: option.title, command: 'hyperv.plan.approveFix', arguments: args };
        actions.push(approve);
      });
    }
    return actions;
  }
}

export class PlanCodeLenses implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly plans: PlanController) {
    this.onDidChangeCodeLenses = plans.onDidChange;
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!isPlanUri(document.uri)) return [];
    const view = this.plans.view(document);
    const at = (offset: number) => new vscode.Range(document.positionAt(offset), document.positionAt(offset));
    const top = at(view.file.movesKey.offset);
    const estimate = this.plans.estimate(view);
    const n = estimate.moves;
    const lenses = [
      new vscode.CodeLens(top, {
        title: `$(play) ${
          n === 0 && view.resolved.maintenance.length > 0
            ? vscode.l10n.t('Run Plan: maintain {0} one by one', view.resolved.maintenance.join(', '))
            : n === 1
              ? vscode.l10n.t('Run Plan: 1 move, {0}, about {1}', bytes(estimate.bytes), duration(estimate.durationMs))
              : vscode.l10n.t('Run Plan: {0} moves, {1}, about {2}', n, bytes(estimate.bytes), duration(estimate.durationMs))
        }`,
        command: 'hyperv.plan.run',
        arguments: [document.uri],
        tooltip: vscode.l10n.t('Checks every move, applies the approved fixes (asking first), then runs the moves through the queue'),
      }),
      new vscode.CodeLens(top, { title: vscode.l10n.t('Check Plan'), command: 'hyperv.plan.check', arguments: [document.uri] }),
      new vscode.CodeLens(top, { title: vscode.l10n.t('Export as PowerShell'), command: 'hyperv.plan.export', arguments: [document.uri] }),
    ];
    const checked = this.plans.outcomes(view);
    for (const resolved of view.resolved.moves) {
      const range = at(resolved.move.span.offset);
      const outcome = checked.get(resolved.move.index);
      const check = !outcome
        ? vscode.l10n.t('Check')
        : !isChecked(outcome)
          ? vscode.l10n.t('Check (check failed)')
          : outcome.blockers.length > 0
            ? vscode.l10n.t('Check ({0} blocking)', outcome.blockers.length)
            : vscode.l10n.t('Check (ready)');
      lenses.push(
        new vscode.CodeLens(range, { title: check, command: 'hyperv.plan.checkMove', arguments: [document.uri, resolved.move.index] }),
        new vscode.CodeLens(range, {
          title: vscode.l10n.t('Migrate'),
          command: 'hyperv.plan.migrateMove',
          arguments: [document.uri, resolved.move.index],
        }),
        new vscode.CodeLens(range, {
          title: vscode.l10n.t('Copy as PowerShell'),
          command: 'hyperv.plan.copyMove',
          arguments: [document.uri, resolved.move.index],
        }),
      );
    }
    return lenses;
  }
}

/** A string value's node at the cursor, to replace whole (quotes included). */
function stringNodeAt(root: Node | undefined, offset: number): Node | undefined {
  let found: Node | undefined;
  const visit = (node: Node) => {
    if (offset < node.offset || offset > node.offset + node.length) return;
    if (node.type === 'string') found = node;
    for (const child of node.children ?? []) visit(child);
  };
  if (root) visit(root);
  return found;
}

export class PlanCompletions implements vscode.CompletionItemProvider {
  constructor(private readonly plans: PlanController) {}

  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] {
    if (!isPlanUri(document.uri)) return [];
    const text = document.getText();
    const offset = document.offsetAt(position);
    const location = getLocation(text, offset);
    if (location.isAtPropertyKey) return [];
    const root = parseTree(text, [], { allowTrailingComma: true });
    const node = stringNodeAt(root, offset);
    const range = node ? new vscode.Range(document.positionAt(node.offset), document.positionAt(node.offset + node.length)) : undefined;
    const view = this.plans.view(document);
    const item = (label: string, kind: vscode.CompletionItemKind, detail: string, documentation?: string) => {
      const completion = new vscode.CompletionItem(label, kind);
      completion.insertText = JSON.stringify(label);
      completion.filterText = JSON.stringify(label);
      completion.detail = detail;
      if (documentation) completion.documentation = new vscode.MarkdownString(documentation);
      if (range) completion.range = range;
      return completion;
    };
    const path = location.path;
    const hosts = view.fleet;
    const vms = hosts.flatMap((r) => (r.ok ? r.inventory.vms : []));

    if (path.length === 1 && path[0] === 'order')
      return PLAN_ORDERS.map((o) => item(o, vscode.CompletionItemKind.EnumMember, 'queue order'));
    if (path.length === 2 && path[0] === 'maintenance')
      return hosts.map((r) =>
        item(r.name, vscode.CompletionItemKind.Module, vscode.l10n.t('maintained in turn: drained, patched, its VMs back')),
      );
    if (path[0] !== 'moves' || typeof path[1] !== 'number') return [];
    const index = path[1];
    const moveNode = root && findNodeAtLocation(root, ['moves', index]);
    const value = (name: string): string | undefined => {
      const v: unknown = moveNode && findNodeAtLocation(moveNode, [name])?.value;
      return typeof v === 'string' ? v : undefined;
    };
    const vm = vms.find((v) => v.name.toLowerCase() === (value('vm') ?? '').toLowerCase());
    const destination = hosts.find((r) => sameHost(r.name, value('destination') ?? ''));

    switch (path.length === 3 ? path[2] : undefined) {
      case 'vm':
        return vms.map((v) =>
          item(
            v.name,
            vscode.CompletionItemKind.Value,
            vscode.l10n.t('{0} on {1}', v.state, v.host),
            `${v.state} · ${bytes(v.memoryStartup)} · ${v.processorCount} vCPU${v.isClustered ? ` · ${vscode.l10n.t('clustered')}` : ''}`,
          ),
        );
      case 'source':
      case 'destination':
        return hosts
          .filter((r) => !(path[2] === 'destination' && vm && sameHost(r.name, vm.host)))
          .map((r) =>
            r.ok
              ? item(
                  r.name,
                  vscode.CompletionItemKind.Module,
                  vscode.l10n.t(
                    '{0} VMs, {1} memory free, {2}',
                    r.inventory.vms.length,
                    bytes(r.inventory.host.memoryFree),
                    r.inventory.host.cpuVendor,
                  ),
                )
              : item(r.name, vscode.CompletionItemKind.Module, vscode.l10n.t('could not be read: {0}', r.error.message)),
          );
      case 'storagePath': {
        if (!destination?.ok) return [];
        const h = destination.inventory.host;
        const folder = (base: string) => `${base.replace(/[\\/]+$/, '')}\\${vm?.name ?? ''}`;
        return [
          item(folder(h.virtualMachinePath), vscode.CompletionItemKind.Folder, vscode.l10n.t("{0}'s default virtual machine path", h.name)),
          ...h.volumes.map((v) =>
            item(
              folder(`${v.name.replace(/[\\/]+$/, '')}\\Hyper-V`),
              vscode.CompletionItemKind.Folder,
              vscode.l10n.t('{0} free of {1} on {2}', bytes(v.freeSpace), bytes(v.size), v.name),
            ),
          ),
        ];
      }
      default:
        break;
    }
    // Inside "fixes": the findings of the move's last check, their fixes, and the fixes' choices.
    if (path[2] === 'fixes' && typeof path[3] === 'number' && path.length === 5) {
      const outcome = this.plans.outcomes(view).get(index);
      if (!outcome || !isChecked(outcome)) return [];
      const fixNode = moveNode && findNodeAtLocation(moveNode, ['fixes', path[3]]);
      const written: unknown = fixNode && findNodeAtLocation(fixNode, ['finding'])?.value;
      const finding = outcome.result.findings.find((f) => f.id === written || planFindingId(f.id, outcome.resolved.vm) === written);
      if (path[4] === 'finding') {
        return outcome.result.findings
          .filter((f) => f.fixes.length > 0)
          .map((f) => item(planFindingId(f.id, outcome.resolved.vm), vscode.CompletionItemKind.Issue, f.title, f.cause));
      }
      if (path[4] === 'fix')
        return (finding?.fixes ?? []).map((o) => item(o.id, vscode.CompletionItemKind.Function, o.title, o.description));
    }
    if (path[2] === 'fixes' && path[4] === 'choices' && typeof path[5] === 'string') {
      const outcome = this.plans.outcomes(view).get(index);
      // Before a check: a switch is one of the destination's.
      if ((!outcome || !isChecked(outcome)) && path[5] === 'switch' && destination?.ok) {
        return destination.inventory.host.switches.map((sw) =>
          item(sw.name, vscode.CompletionItemKind.Value, vscode.l10n.t('{0} switch on {1}', sw.switchType, destination.name)),
        );
      }
      if (!outcome || !isChecked(outcome) || typeof path[3] !== 'number') return [];
      const fixNode = moveNode && findNodeAtLocation(moveNode, ['fixes', path[3]]);
      const written: unknown = fixNode && findNodeAtLocation(fixNode, ['finding'])?.value;
      const finding = outcome.result.findings.find((f) => f.id === written || planFindingId(f.id, outcome.resolved.vm) === written);
      const option = finding?.fixes.find((o) => o.id === (fixNode && findNodeAtLocation(fixNode, ['fix'])?.value));
      const choice = option?.choices?.find((c) => c.name === path[5]);
      return (choice?.options ?? []).map((o) => item(o, vscode.CompletionItemKind.Value, choice?.label ?? ''));
    }
    return [];
  }
}
