// Compare-VM: recognized incompatibilities merge with the findings of the other checks; the others are shown
// verbatim.
import * as l10n from '@vscode/l10n';
import { sameHost } from '../../hyperv/hostName';
import { hostIdPart, recognize, unknownId, type CompareIncompatibility, type CompareKind, type Recognized } from '../compareVm';
import type { Evidence, Finding, Severity } from '../types';
import { clusterFinding } from './cluster';
import type { CheckContext, Findings } from './context';
import { isoFinding, passThroughFinding, vtpmFinding } from './devices';
import { plannedVmFinding } from './leftovers';
import { memoryFinding } from './memory';
import { migrationDisabled, noMigrationNetwork } from './migration';
import { plannedSwitch, switchMissing } from './network';
import { processorEvidence, processorFeatures, processorVendor } from './processor';
import { missingPaths, storagePathFinding, storageSpaceFinding, vhdUnreachableFinding } from './storage';
import { versionUnsupported } from './version';

function findingFor(
  kind: Exclude<CompareKind, 'summary'>,
  key: string,
  ctx: CheckContext,
  incompatibility: CompareIncompatibility,
): Finding {
  const src = ctx.src;
  switch (kind) {
    case 'migration.disabled':
      return migrationDisabled(key || ctx.destination, []);
    case 'migration.no-network':
      return noMigrationNetwork(key || ctx.destination, [], []);
    case 'cluster.role':
      return clusterFinding(ctx);
    case 'leftovers.planned-vm':
      return plannedVmFinding(ctx, true);
    case 'version.unsupported':
      return versionUnsupported(ctx);
    case 'processor.vendor':
      return processorVendor(ctx, processorEvidence(ctx).slice(1));
    case 'processor.features':
      return processorFeatures(ctx);
    case 'memory.insufficient':
      return memoryFinding(ctx);
    case 'storage.path':
      return storagePathFinding(ctx, missingPaths(ctx));
    case 'storage.space':
      return storageSpaceFinding(ctx);
    case 'storage.vhd-unreachable':
      return vhdUnreachableFinding(ctx, key);
    case 'network.switch-missing': {
      const adapter = src?.vm.adapters.find((a) => a.id === key);
      const chosen = plannedSwitch(ctx.plan, key);
      const wanted = (chosen === undefined ? adapter?.switchName : chosen) ?? /switch '(.*)'/i.exec(incompatibility.message)?.[1] ?? '?';
      return switchMissing(ctx, adapter, key, wanted, chosen !== undefined);
    }
    case 'devices.iso':
      return isoFinding(ctx, key, src?.vm.dvdDrives.find((d) => d.controller === key)?.path ?? null);
    case 'devices.pass-through':
      return passThroughFinding(ctx, key, src?.vm.disks.find((d) => d.controller === key)?.diskNumber ?? null);
    case 'devices.vtpm':
      return vtpmFinding(ctx, true);
  }
}

function compareEvidence(ctx: CheckContext, incompatibility: CompareIncompatibility): Evidence {
  return { source: `Compare-VM on ${ctx.source} → ${ctx.destination}`, detail: `${incompatibility.messageId}: ${incompatibility.message}` };
}

export function compareVm(ctx: CheckContext, findings: Findings): void {
  const src = ctx.src;
  if (!src) return;
  if (src.compareError && ctx.dst) {
    findings.add({
      id: 'other.compare-vm-failed',
      area: 'other',
      severity: 'warning',
      title: l10n.t('Compare-VM could not run'),
      cause: l10n.t("Hyper-V's own dry run failed, so the checks above were made without it; the move may still find a reason to refuse."),
      evidence: [{ source: `Compare-VM on ${ctx.source} → ${ctx.destination}`, detail: src.compareError.message }],
      fixes: [],
    });
  }
  if (src.planProblems.length > 0) {
    findings.add({
      id: 'other.plan',
      area: 'other',
      severity: 'warning',
      title: l10n.t('Part of the move plan could not be applied'),
      cause: l10n.t('A choice of the plan could not be made on the compatibility report; Compare-VM checked the move without it.'),
      evidence: src.planProblems.map((problem) => ({ source: l10n.t('the move plan on the compatibility report'), detail: problem })),
      fixes: [],
    });
  }
  const incompatibilities = src.compare?.incompatibilities ?? [];
  const summaries: CompareIncompatibility[] = [];
  for (const incompatibility of incompatibilities) {
    const recognized = configuredHost(recognize(incompatibility), ctx);
    const shown = { messageId: incompatibility.messageId, message: incompatibility.message, sourceType: incompatibility.sourceType };
    if (recognized?.kind === 'summary') {
      summaries.push(incompatibility);
      continue;
    }
    if (recognized) {
      const evidence = compareEvidence(ctx, incompatibility);
      const existing = findings.get(recognized.id);
      if (existing) {
        findings.add({ ...existing, evidence: [evidence], compareVm: shown });
      } else {
        const built = findingFor(recognized.kind, recognized.key, ctx, incompatibility);
        findings.add({ ...built, evidence: [...built.evidence, evidence], compareVm: shown });
      }
      const { title, cause } = recognized.kind === 'devices.vtpm' ? vtpmFinding(ctx, true) : {};
      findings.escalate(recognized.id, { severity: 'blocker', ...(title && { title }), ...(cause && { cause }) });
      continue;
    }
    findings.add(verbatim(ctx, incompatibility, 'blocker'));
  }
  // Hyper-V's summary line adds nothing to the reasons it sums up; alone, it is the only word there is.
  const alone = incompatibilities.length === summaries.length;
  for (const summary of summaries) findings.add(verbatim(ctx, summary, alone ? 'blocker' : 'info'));
}

/** A Compare-VM cause keyed by a host (the NetBIOS name the report gives it) is keyed by that host's configured name. */
function configuredHost(recognized: Recognized | undefined, ctx: CheckContext): Recognized | undefined {
  if (!recognized?.kind.startsWith('migration.') || !recognized.key) return recognized;
  const host = [ctx.request.source, ctx.request.destination].find((name) => sameHost(name, recognized.key));
  return host ? { ...recognized, key: host, id: `${recognized.kind}:${hostIdPart(host)}` } : recognized;
}

function verbatimCause(incompatibility: CompareIncompatibility): string {
  const part = incompatibility.sourceType.slice(incompatibility.sourceType.lastIndexOf('.') + 1);
  return part
    ? l10n.t(
        "Compare-VM reports this incompatibility (MessageId {0}, on the VM's {1}), word for word as Hyper-V gave it.",
        incompatibility.messageId,
        part,
      )
    : l10n.t(
        "Compare-VM reports this incompatibility (MessageId {0}, on the VM's configuration), word for word as Hyper-V gave it.",
        incompatibility.messageId,
      );
}

function verbatim(ctx: CheckContext, incompatibility: CompareIncompatibility, severity: Severity): Finding {
  return {
    id: unknownId(incompatibility),
    area: 'other',
    severity,
    title: incompatibility.message.split(/\r?\n/)[0] ?? incompatibility.message,
    cause: verbatimCause(incompatibility),
    evidence: [compareEvidence(ctx, incompatibility)],
    fixes: [],
    compareVm: { messageId: incompatibility.messageId, message: incompatibility.message, sourceType: incompatibility.sourceType },
  };
}
