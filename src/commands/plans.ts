// The plan-file verbs: Check Plan, Run Plan, Export as PowerShell, a new plan, and the per-move and
// per-finding commands the code lenses and the lightbulb call. Each takes the plan's URI (the active
// editor's when none is given).
import * as vscode from 'vscode';
import type { Fleet } from '../hyperv/fleet';
import { sameHost } from '../hyperv/hostName';
import { isChecked } from '../plans/checkPlan';
import { newPlanText } from '../plans/planText';
import type { FleetPanel } from '../panel/fleetPanel';
import { isPlanUri, PLAN_SUFFIX, type PlanController, type RunResult } from '../editor/planController';
import { hostsFor, vmsFor } from './pick';
import { UserError } from '../userError';

function planUri(uri: unknown): vscode.Uri {
  const given = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
  if (!given || !isPlanUri(given))
    throw new UserError(
      vscode.l10n.t('Open a migration plan (*{0}) first, or create one with "Hyper-V: New Migration Plan".', PLAN_SUFFIX),
    );
  return given;
}

function moveIndex(index: unknown): number {
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0)
    throw new UserError(vscode.l10n.t('Run this from a move of a plan (its code lens).'));
  return index;
}

export async function checkPlan(plans: PlanController, uri: unknown): Promise<void> {
  const outcomes = await plans.check(planUri(uri));
  const blocked = outcomes.filter((o) => !isChecked(o) || o.blockers.length > 0).length;
  void vscode.window.showInformationMessage(
    outcomes.length === 0
      ? vscode.l10n.t('No move of the plan can be checked: see the Problems panel.')
      : blocked === 0
        ? vscode.l10n.t('Every move of the plan ({0}) is ready.', outcomes.length)
        : vscode.l10n.t('{0} of {1} moves are blocked: see the Problems panel.', blocked, outcomes.length),
  );
}

export async function checkPlanMove(plans: PlanController, uri: unknown, index: unknown): Promise<void> {
  await plans.check(planUri(uri), moveIndex(index));
}

export async function runPlan(plans: PlanController, uri: unknown): Promise<RunResult> {
  const result = await plans.run(planUri(uri));
  if (!result.ran) void vscode.window.showWarningMessage(result.why);
  else void vscode.window.showInformationMessage(result.summary.text);
  return result;
}

export async function exportPlan(plans: PlanController, uri: unknown): Promise<string> {
  const script = await plans.script(planUri(uri));
  const document = await vscode.workspace.openTextDocument({ language: 'powershell', content: script });
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside });
  return script;
}

export async function copyPlanMove(plans: PlanController, uri: unknown, index: unknown): Promise<string> {
  const script = await plans.script(planUri(uri), moveIndex(index));
  await vscode.env.clipboard.writeText(script);
  void vscode.window.showInformationMessage(vscode.l10n.t('The move is on the clipboard as PowerShell.'));
  return script;
}

export function migratePlanMove(plans: PlanController, uri: unknown, index: unknown): Promise<void> {
  return plans.migrateMove(planUri(uri), moveIndex(index));
}

function fixArgs(findingId: unknown, fixId: unknown): [string, string] {
  if (typeof findingId !== 'string' || typeof fixId !== 'string')
    throw new UserError(vscode.l10n.t('Run this from a problem of a plan (the lightbulb).'));
  return [findingId, fixId];
}

export function applyPlanFix(
  plans: PlanController,
  uri: unknown,
  index: unknown,
  findingId: unknown,
  fixId: unknown,
): Promise<boolean | undefined> {
  return plans.applyFix(planUri(uri), moveIndex(index), ...fixArgs(findingId, fixId));
}

export function approvePlanFix(plans: PlanController, uri: unknown, index: unknown, findingId: unknown, fixId: unknown): Promise<boolean> {
  return plans.approveFix(planUri(uri), moveIndex(index), ...fixArgs(findingId, fixId));
}

/** New Migration Plan: a plan with one move to fill in (the completions list the fleet's VMs and hosts). */
export async function newPlan(fleet: Fleet): Promise<vscode.Uri> {
  const vm = fleet.vms()[0];
  const other = fleet.hosts().find((h) => vm && !sameHost(h.name, vm.host));
  const text = newPlanText({
    name: 'Maintenance window',
    comment:
      "A migration plan. Ctrl+Space lists the fleet's VMs and hosts; Check Plan shows what stands in the way; Run Plan moves the VMs.",
    moves: vm && other ? [{ vm: vm.name, source: vm.host, destination: other.name, note: 'why this VM moves' }] : [],
  });
  const document = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'untitled', path: `maintenance${PLAN_SUFFIX}` }));
  const editor = await vscode.window.showTextDocument(document);
  await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), text));
  return document.uri;
}

/** Save as Plan from the tree (VMs): placed as Migrate… places them, then saved without running. */
export async function saveVmsAsPlan(
  plans: PlanController,
  panel: FleetPanel,
  fleet: Fleet,
  node: unknown,
  nodes: unknown,
): Promise<vscode.Uri | undefined> {
  const vms = await vmsFor(fleet, node, nodes, vscode.l10n.t('Save as Plan: the VMs to move'));
  if (vms.length === 0) throw new vscode.CancellationError();
  const plan = await panel.migrateMany(vms);
  if (!plan) return undefined;
  if (plan.placements.length === 0)
    throw new UserError(vscode.l10n.t('No host can take these VMs: the fleet panel says why. Nothing was saved.'));
  return plans.save(panel.planAsFile());
}

/** Save as Plan from the tree (a host): the drain planned, then saved without running. */
export async function saveDrainAsPlan(
  plans: PlanController,
  panel: FleetPanel,
  fleet: Fleet,
  node: unknown,
): Promise<vscode.Uri | undefined> {
  const [host] = await hostsFor(fleet, node, undefined, vscode.l10n.t('Save the drain of a host as a plan'), false);
  if (!host) throw new vscode.CancellationError();
  const plan = await panel.drainHost(host);
  if (!plan) return undefined;
  if (plan.placements.length === 0)
    throw new UserError(vscode.l10n.t('No VM of {0} can move: the fleet panel says why. Nothing was saved.', host));
  return plans.save(panel.planAsFile());
}
