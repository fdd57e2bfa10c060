// The view of a drain (or Migrate many, or a plan file's run) for the webview, made from placement's plan
// and the queue: each VM's placement with its rated candidates, the unmovable ones with why, the hosts'
// limits, the queue's rows and the summary. No 'vscode' here.
import * as l10n from '@vscode/l10n';
import { bytes, duration } from '../../hyperv/format';
import { hostKey } from '../../hyperv/hostName';
import type { Candidate, PlacementPlan } from '../../migration/placement';
import type { QueueRow, QueueSummary } from '../../migration/queue';
import type { CandidateView, DrainSummaryView, PlacementView, QueueRowView, UnmovableView } from '../fleetProtocol';

export function candidateView(c: Candidate): CandidateView {
  return {
    host: c.host,
    ready: c.ready,
    score: c.score,
    lines: c.lines.map((l) => ({ text: l.text, points: l.points })),
    blockers: c.blockers,
    choices: c.choices,
    estimate: `≈ ${duration(c.estimatedMs)}`,
  };
}

function sizeText(vm: { memoryBytes: number; diskBytes: number; checkpointBytes: number }): string {
  const parts = [vm.memoryBytes > 0 ? l10n.t('{0} memory', bytes(vm.memoryBytes)) : l10n.t('no memory (not running)')];
  if (vm.diskBytes > 0) parts.push(l10n.t('{0} disks', bytes(vm.diskBytes)));
  if (vm.checkpointBytes > 0) parts.push(l10n.t('{0} checkpoints', bytes(vm.checkpointBytes)));
  return parts.join(' · ');
}

export function placementViews(plan: PlacementPlan): PlacementView[] {
  return plan.placements.map((p) => ({
    vmId: p.vm.id,
    vmName: p.vm.name,
    source: p.vm.source,
    state: p.vm.state,
    size: sizeText(p.vm),
    destination: p.destination,
    overridden: p.overridden,
    candidates: p.candidates.map(candidateView),
  }));
}

export function unmovableViews(plan: PlacementPlan): UnmovableView[] {
  return plan.unmovable.map((u) => ({
    vmId: u.vm.id,
    vmName: u.vm.name,
    source: u.vm.source,
    why: u.why,
    candidates: u.candidates.map(candidateView),
  }));
}

export function limitLines(plan: PlacementPlan): string[] {
  const involved = new Set(plan.placements.flatMap((p) => [p.vm.source, p.destination]).map(hostKey));
  return plan.hosts
    .filter((h) => involved.has(hostKey(h.name)))
    .map((h) => l10n.t('{0}: {1} live, {2} storage at once', h.name, h.limits.vm, h.limits.storage));
}

function phaseWord(phase: string): string {
  return phase === 'starting' ? l10n.t('Starting') : phase === 'completing' ? l10n.t('Completing') : l10n.t('Moving');
}

export function queueRowView(row: QueueRow): QueueRowView {
  const p = row.progress;
  const percent = Math.max(0, Math.min(100, Math.round(p?.percent ?? 0)));
  const moved = p && p.bytesTotal > 0 ? l10n.t('{0} of {1}', bytes(p.bytesMoved), bytes(p.bytesTotal)) : bytes(row.bytes);
  let detail: string;
  switch (row.state) {
    case 'queued':
      detail = row.waiting ?? l10n.t('Queued.');
      break;
    case 'starting':
      detail = l10n.t('Starting: checking again and asking Hyper-V to move it…');
      break;
    case 'moving':
      detail =
        p?.etaMs !== null && p?.etaMs !== undefined
          ? l10n.t('{0} · {1} left', phaseWord(p.phase), duration(p.etaMs))
          : phaseWord(p?.phase ?? 'moving');
      break;
    case 'succeeded':
      detail = row.outcome?.summary ?? l10n.t('{0} now runs on {1}.', row.vmName, row.destination);
      break;
    default:
      detail = row.why ?? row.outcome?.summary ?? l10n.t('Not moved.');
  }
  return {
    vmId: row.vmId,
    vmName: row.vmName,
    source: row.source,
    destination: row.destination,
    state: row.state,
    percent,
    bytes: moved,
    detail,
  };
}

export function summaryView(summary: QueueSummary): DrainSummaryView {
  return {
    text: summary.text,
    moved: summary.moved.map((r) => `${r.vmName} → ${r.destination}`),
    failed: summary.failed.map((r) => ({ vmName: r.vmName, why: r.why ?? l10n.t('Failed.') })),
    notMoved: summary.notMoved.map((r) => ({ vmName: r.vmName, why: r.why })),
  };
}
