// Run Plan: checks every move of a plan file, applies the fixes the plan approved (after asking), checks again,
// then runs the moves that can run through the fleet panel's queue and the HA moves through the HA workflow.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { bytes, duration } from '../hyperv/format';
import type { QueueSummary } from '../migration/queue';
import type { FleetPanel, PlanRun } from '../panel/fleetPanel';
import { isChecked, type CheckOutcome, type MoveCheck } from '../plans/checkPlan';
import { estimatePlan, queueOrder } from '../plans/estimate';
import { describeMove } from '../plans/planText';
import type { PlanControllerDeps, PlanUi, PlanView } from './planController';

/** The result of Run Plan: the moves' summary, or why nothing ran. */
export type RunResult =
  | { readonly ran: true; readonly summary: QueueSummary; readonly notRun: readonly string[] }
  | { readonly ran: false; readonly why: string };

/** What Run Plan needs of the plan controller. */
export interface PlanRunContext {
  readonly deps: PlanControllerDeps;
  readonly ui: PlanUi;
  /** The plan as it reads now; refuses a plan with errors of its own. */
  runnable(uri: vscode.Uri): Promise<{ readonly view: PlanView }>;
  check(uri: vscode.Uri): Promise<CheckOutcome[]>;
}

/**
 * Run Plan: checks every move, applies the approved host/VM/AD fixes (after asking), checks again, then
 * shows the moves that can run in the fleet panel and, once the admin confirms, runs them through the
 * queue (the plan's order and cap, each host within its limits). Moves still blocked are not run, and
 * are listed. The HA moves run after the queue, one by one, each through the HA workflow. Last, the hosts
 * of `"maintenance"` are maintained one by one in the fleet panel (which asks before each drain).
 */
export async function runPlan(ctx: PlanRunContext, uri: vscode.Uri): Promise<RunResult> {
  const { view } = await ctx.runnable(uri);
  const name = path.basename(uri.path);
  let outcomes = await ctx.check(uri);
  const pending = outcomes.filter(isChecked).flatMap((check) => check.pending.map((approval) => ({ check, approval })));
  if (pending.length > 0) {
    const lines = pending.map(({ check, approval }) => {
      const script = ctx.deps.fixer.preview(
        check.plan.request,
        { finding: approval.finding, fixId: approval.option.id, choices: approval.approved.choices },
        check.plan,
      );
      return `• ${approval.option.title} (${check.resolved.request.vmName}: ${approval.finding.title})${approval.option.destructive ? `\n${script}` : ''}`;
    });
    const go = await ctx.ui.confirm(
      vscode.l10n.t('Apply the {0} fixes the plan approved?', pending.length),
      vscode.l10n.t('{0}\n\nThen every move is checked again.', lines.join('\n\n')),
      vscode.l10n.t('Apply'),
    );
    if (!go) return { ran: false, why: vscode.l10n.t('The approved fixes were not applied: nothing was run.') };
    for (const { check, approval } of pending) {
      const outcome = await ctx.deps.fixer.apply(
        check.plan.request,
        { finding: approval.finding, fixId: approval.option.id, choices: approval.approved.choices },
        check.plan,
      );
      if (!outcome.ok) ctx.deps.logger.error(`Plan ${name}: ${approval.option.title} failed: ${outcome.error.message}`);
    }
    await ctx.deps.fleet.refresh();
    outcomes = await ctx.check(uri);
  }
  const ready = outcomes.filter((o): o is MoveCheck => isChecked(o) && o.blockers.length === 0);
  const notRun = outcomes
    .filter((o) => !ready.includes(o as MoveCheck))
    .map((o) => `${o.resolved.request.vmName}: ${isChecked(o) ? o.blockers.map((b) => b.title).join('; ') : o.error}`);
  const hosts = view.resolved.maintenance;
  if (ready.length === 0 && hosts.length === 0)
    return { ran: false, why: vscode.l10n.t('No move of the plan can run: {0}', notRun.join(' — ')) };
  if (ready.length > 0 && !(await confirmMoves(ctx, name, view, ready, notRun, hosts)))
    return { ran: false, why: vscode.l10n.t('The admin did not confirm: nothing was run.') };
  const plain = ready.filter((r) => !r.resolved.move.ha);
  const ha = ready.filter((r) => r.resolved.move.ha);
  let summary: QueueSummary | undefined;
  if (plain.length > 0) {
    const planned = await ctx.deps.fleetPanel.runPlan(planRun(ctx, uri, view, plain));
    if (!planned) return { ran: false, why: vscode.l10n.t('The moves could not be planned: see the fleet panel.') };
    for (const u of planned.unmovable) notRun.push(`${u.vm.name}: ${u.why}`);
    if (planned.placements.length > 0) {
      ctx.deps.fleetPanel.startDrain();
      summary = await ctx.deps.fleetPanel.whenDrained();
    }
  }
  for (const move of ha) {
    const workflow = await ctx.deps.fleetPanel.moveClusteredVm(move.resolved.vm, move.resolved.destination);
    if (!workflow) {
      notRun.push(vscode.l10n.t('{0}: the HA workflow does not apply (see the fleet panel).', move.resolved.request.vmName));
      continue;
    }
    const end = await workflow.run();
    if (end.phase !== 'succeeded') notRun.push(`${move.resolved.request.vmName}: ${end.summary ?? end.phase}`);
  }
  if (hosts.length > 0) await ctx.deps.fleetPanel.maintainHosts(hosts);
  await ctx.deps.fleet.refresh();
  const ranHa = ha.length === 1 ? vscode.l10n.t('1 HA move run.') : vscode.l10n.t('{0} HA moves run.', ha.length);
  const ran =
    summary?.text ??
    (ha.length === 0 && hosts.length > 0 ? vscode.l10n.t('Maintenance of {0}: see the fleet panel.', hosts.join(', ')) : ranHa);
  const text = notRun.length > 0 ? vscode.l10n.t('{0} Not moved: {1}', ran, notRun.join(' — ')) : ran;
  ctx.deps.logger.info(`Run of ${name}: ${text}`);
  return {
    ran: true,
    summary: summary ?? {
      moved: [],
      failed: [],
      notMoved: [],
      startedAt: new Date().toISOString(),
      endedAt: new Date().toISOString(),
      durationMs: 0,
      text,
    },
    notRun,
  };
}

/** The Run Plan confirmation of the moves that can run (and what runs after them). */
async function confirmMoves(
  ctx: PlanRunContext,
  name: string,
  view: PlanView,
  ready: readonly MoveCheck[],
  notRun: readonly string[],
  hosts: readonly string[],
): Promise<boolean> {
  const estimate = estimatePlan(
    view.file,
    ready.map((r) => r.resolved),
    ctx.deps.fleet.readings(),
  );
  return ctx.ui.confirm(
    ready.length === 1 ? vscode.l10n.t('Run 1 move of {0}?', name) : vscode.l10n.t('Run {0} moves of {1}?', ready.length, name),
    [
      ...ready.map((r) => `• ${describeMove(r.resolved)}`),
      ...(notRun.length > 0 ? ['', vscode.l10n.t('Not run (blocked):'), ...notRun.map((line) => `• ${line}`)] : []),
      '',
      vscode.l10n.t(
        'About {0} to copy, about {1}. A failed or cancelled move leaves its VM running on its source.',
        bytes(estimate.bytes),
        duration(estimate.durationMs),
      ),
      ...(hosts.length > 0 ? ['', vscode.l10n.t('Then the hosts are maintained one by one: {0}.', hosts.join(', '))] : []),
    ].join('\n'),
    vscode.l10n.t('Run'),
  );
}

/** "Plan Again" in the fleet panel: the plan file as it reads now, checked and placed again. */
async function replan(ctx: PlanRunContext, uri: vscode.Uri): ReturnType<FleetPanel['runPlan']> {
  const { view } = await ctx.runnable(uri);
  const outcomes = await ctx.check(uri);
  const ready = outcomes.filter((o): o is MoveCheck => isChecked(o) && !o.resolved.move.ha);
  return ctx.deps.fleetPanel.runPlan(planRun(ctx, uri, view, ready));
}

/** The fleet panel's run of these checked moves: each with its destination and choices, the plan's order and cap. */
function planRun(ctx: PlanRunContext, uri: vscode.Uri, view: PlanView, checks: readonly MoveCheck[]): PlanRun {
  return {
    subject: path.basename(uri.path),
    moves: checks.map((r) => ({ vmId: r.resolved.vm.id, destination: r.resolved.destination, plan: r.plan })),
    order: queueOrder(view.file),
    ...(view.file.concurrency !== undefined && { concurrency: view.file.concurrency }),
    again: () => replan(ctx, uri),
  };
}
