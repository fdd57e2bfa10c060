// Leftovers: a planned VM of this VM on the destination (left by an earlier move or check, or staged by this
// check's Compare-VM and not removed).
import * as l10n from '@vscode/l10n';
import type { Finding, FixOption } from '../types';
import { quote, type CheckContext, type Findings } from './context';

/**
 * A planned VM of this VM on the destination. One the destination held before the check (an earlier move
 * or check that did not finish) is no obstacle: Compare-VM and Move-VM delete a planned VM of the same Id
 * before they stage their own (FIDELITY.md), so it is told, not blocked on. The one this check's Compare-VM
 * staged is its own, and the check removes it; only Compare-VM reporting a conflict itself is a blocker.
 */
export function plannedVmFinding(ctx: CheckContext, fromCompare: boolean): Finding {
  const before = ctx.dst?.plannedBefore;
  const remove: FixOption = {
    id: 'remove-planned-vm',
    title: l10n.t('Remove the planned VM from {0}', ctx.destination),
    description: l10n.t(
      'Destroys the planned VM on {0} (Msvm_VirtualSystemManagementService.DestroySystem), as Hyper-V admins remove what a failed move left. {1} on {2} is not touched.',
      ctx.destination,
      ctx.vmName,
      ctx.source,
    ),
    destructive: true,
    appliesTo: 'host',
    args: { host: ctx.destination },
  };
  if (fromCompare) {
    return {
      id: 'leftovers.planned-vm',
      area: 'leftovers',
      severity: 'blocker',
      title: l10n.t('A planned copy of {0} on {1} stands in the way', ctx.vmName, ctx.destination),
      cause: l10n.t(
        "Compare-VM reports a planned (never realized) virtual machine with {0}'s Id on {1} that it could not replace. Remove it, then check again.",
        ctx.vmName,
        ctx.destination,
      ),
      evidence: [],
      fixes: [remove],
    };
  }
  return {
    id: 'leftovers.planned-vm',
    area: 'leftovers',
    severity: 'info',
    title: l10n.t('A planned copy of {0} was left on {1}', ctx.vmName, ctx.destination),
    cause: l10n.t(
      "An earlier move or check that did not finish left a planned (never realized) virtual machine with {0}'s Id on {1}. It does not stop the move: Compare-VM deletes a planned VM of the same Id before it stages its own, so this check replaced it, and removed the one it staged.",
      ctx.vmName,
      ctx.destination,
    ),
    evidence: before
      ? [
          {
            source: l10n.t('Get-VM -Id {0} on {1}, before Compare-VM', ctx.request.vmId.toUpperCase(), ctx.destination),
            detail: `PlannedVirtualMachine ${quote(before.name)}`,
          },
        ]
      : [],
    fixes: [],
  };
}

/** The planned VM this check's Compare-VM staged could not be removed: told, so the admin knows what was left. */
function stagedVmLeftFinding(ctx: CheckContext, problem: string): Finding {
  return {
    id: 'leftovers.staged-vm',
    area: 'leftovers',
    severity: 'warning',
    title: l10n.t('The check left a planned copy of {0} on {1}', ctx.vmName, ctx.destination),
    cause: l10n.t(
      'Compare-VM stages a planned VM on the destination; the check removes it when it is done, and here that failed: {0} The next check or move replaces it.',
      problem,
    ),
    evidence: [{ source: l10n.t("Remove-VM (the report's planned VM on {0})", ctx.destination), detail: problem }],
    fixes: [],
  };
}

export function leftovers(ctx: CheckContext, findings: Findings): void {
  if (ctx.dst?.plannedBefore) findings.add(plannedVmFinding(ctx, false));
  if (ctx.src?.cleanupProblem) findings.add(stagedVmLeftFinding(ctx, ctx.src.cleanupProblem));
}
