// Check Plan: the preflight engine for every resolved move, a few at a time, with the fixes the plan
// approved for Compare-VM's report (switch mappings, ISO ejects) made on the move first. Each finding
// becomes a problem on its move's line; an approved host, VM or AD fix is named on its finding (Run Plan
// applies it); an approval that no longer matches a finding or names no fix of it is a problem too.
import * as l10n from '@vscode/l10n';
import type { PlanProblem, ProblemSeverity } from './planFile';
import type { ResolvedFix, ResolvedMove } from './resolve';
import type { Finding, Fixer, FixOption, MovePlan, PreflightEngine, PreflightResult } from '../migration/types';

/** The finding the HA workflow resolves itself (it removes the role before the move). */
export const HA_FINDING = 'cluster.role';

export interface Approval {
  readonly approved: ResolvedFix;
  readonly finding: Finding;
  readonly option: FixOption;
}

export interface MoveCheck {
  readonly resolved: ResolvedMove;
  /** The move with the plan's approved report fixes made. */
  readonly plan: MovePlan;
  readonly result: PreflightResult;
  /** Approved fixes that change the fleet (host, VM, AD), whose findings the check still shows: Run Plan applies them. */
  readonly pending: readonly Approval[];
  /** Findings that stop the move once the approved fixes are counted (empty: the move can run). */
  readonly blockers: readonly Finding[];
  readonly problems: readonly PlanProblem[];
}

const SEVERITY: Record<Finding['severity'], ProblemSeverity> = { blocker: 'error', warning: 'warning', info: 'info' };

function matching(approved: ResolvedFix, finding: Finding): FixOption | undefined {
  return approved.findingId === finding.id ? finding.fixes.find((option) => option.id === approved.fix) : undefined;
}

/** One move: check, make the approved report fixes on the move, check again with them. */
export async function checkMove(resolved: ResolvedMove, engine: PreflightEngine, fixer: Fixer, signal?: AbortSignal): Promise<MoveCheck> {
  const { move, request, fixes } = resolved;
  let plan: MovePlan = { request, adapterSwitches: {}, ejectDvd: [] };
  let result = await engine.check(request, { plan, signal });
  const problems: PlanProblem[] = [];
  const problem = (message: string, code: string, severity: ProblemSeverity, span = move.anchor) =>
    problems.push({ span, severity, message, code, move: move.index });

  const made = new Set<ResolvedFix>();
  for (const approved of fixes) {
    const finding = result.findings.find((f) => f.id === approved.findingId);
    const option = finding && matching(approved, finding);
    if (!finding || !option || option.appliesTo !== 'plan') continue;
    const outcome = await fixer.apply(request, { finding, fixId: option.id, choices: approved.choices }, plan, signal);
    if (!outcome.ok) {
      problem(
        l10n.t("The approved fix '{0}' could not be made on the move: {1}", option.title, outcome.error.message),
        'plan.fix-failed',
        'error',
        approved.span,
      );
      continue;
    }
    made.add(approved);
    if (outcome.plan) plan = outcome.plan;
  }
  if (made.size > 0) result = await engine.check(plan.request, { plan, signal });

  const pending: Approval[] = [];
  const blockers: Finding[] = [];
  for (const finding of result.findings) {
    if (move.ha && finding.id === HA_FINDING) {
      problem(l10n.t('{0}: the HA workflow removes the role before the move and adds it back after.', finding.title), finding.id, 'info');
      continue;
    }
    const approved = fixes.find((a) => a.findingId === finding.id);
    const option = approved && matching(approved, finding);
    if (approved && option && option.appliesTo !== 'plan') {
      pending.push({ approved, finding, option });
      problem(
        l10n.t('{0} — approved fix: {1} (Run Plan applies it before the move). {2}', finding.title, option.title, finding.cause),
        finding.id,
        'info',
      );
      continue;
    }
    if (finding.severity === 'blocker') blockers.push(finding);
    problem(l10n.t('{0}. {1}', finding.title, finding.cause), finding.id, SEVERITY[finding.severity]);
  }
  for (const approved of fixes) {
    const finding = result.findings.find((f) => f.id === approved.findingId);
    if (!finding) {
      if (!made.has(approved)) {
        problem(
          l10n.t(
            "The approved fix '{0}' is for finding '{1}', which the check no longer finds (fixed already, or made on the move).",
            approved.fix,
            approved.finding,
          ),
          'plan.fix-resolved',
          'info',
          approved.span,
        );
      }
      continue;
    }
    if (!finding.fixes.some((option) => option.id === approved.fix)) {
      problem(
        finding.fixes.length > 0
          ? l10n.t(
              "Finding '{0}' has no fix '{1}' (its fixes: {2}).",
              approved.finding,
              approved.fix,
              finding.fixes.map((o) => o.id).join(', '),
            )
          : l10n.t("Finding '{0}' has no fix '{1}' (it has no fix).", approved.finding, approved.fix),
        'plan.unknown-fix',
        'error',
        approved.span,
      );
    }
  }
  return { resolved, plan, result, pending, blockers, problems };
}

/** A move whose check could not run (e.g. the session failed): the reason, as a problem on its line. */
export interface MoveCheckFailure {
  readonly resolved: ResolvedMove;
  readonly error: string;
  readonly problems: readonly PlanProblem[];
}

export type CheckOutcome = MoveCheck | MoveCheckFailure;

export function isChecked(outcome: CheckOutcome): outcome is MoveCheck {
  return 'result' in outcome;
}

/** Every move, at most `concurrency` checks at a time (each check is one round trip to each of its two hosts). */
export async function checkMoves(
  moves: readonly ResolvedMove[],
  engine: PreflightEngine,
  fixer: Fixer,
  options: {
    readonly concurrency?: number;
    readonly signal?: AbortSignal;
    readonly onProgress?: (done: number, total: number) => void;
  } = {},
): Promise<CheckOutcome[]> {
  const results: CheckOutcome[] = new Array<CheckOutcome>(moves.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < moves.length) {
      const index = next++;
      const resolved = moves[index];
      if (!resolved) continue;
      try {
        results[index] = await checkMove(resolved, engine, fixer, options.signal);
      } catch (error) {
        options.signal?.throwIfAborted();
        const message = l10n.t(
          'The check of {0} could not run: {1}',
          resolved.request.vmName,
          error instanceof Error ? error.message : String(error),
        );
        results[index] = {
          resolved,
          error: message,
          problems: [{ span: resolved.move.anchor, severity: 'error', message, code: 'plan.check-failed', move: resolved.move.index }],
        };
      }
      options.onProgress?.(++done, moves.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, moves.length)) }, worker));
  return results;
}
