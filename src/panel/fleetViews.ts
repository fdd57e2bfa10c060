// The fleet panel's snapshots, made from the migration core's answers: plain, formatted data for the
// webview. No 'vscode' here.
import { hostKey } from '../hyperv/hostName';
import { changeWrites, type ChangeResult, type ConfigChange, type FleetApplyResult, type FleetConfiguration, type FleetConfigurationPlan, type HostReading, type PairGap, type PairState } from '../migration/fleetConfig';
import type { HaWorkflowState } from '../migration/haWorkflow';
import type { Candidate, MigrationPlan } from '../migration/placement';
import { formatDuration } from '../migration/progress';
import type { QueueRow, QueueSummary } from '../migration/queue';
import { bytes, plural } from '../tree/format';
import type {
  CandidateView,
  ConfigChangeView,
  ConfigHostView,
  DrainSummaryView,
  HaView,
  MatrixCell,
  PlacementView,
  QueueRowView,
  UnmovableView,
} from './fleetProtocol';

// ---- Configure Live Migration ------------------------------------------------------------------------

export function configHostView(reading: HostReading): ConfigHostView {
  if (!reading.ok) {
    return {
      name: reading.host,
      read: false,
      problem: reading.error.message,
      migrationEnabled: false,
      networks: '',
      networksOk: false,
      authentication: '',
      kerberos: false,
      performance: '',
      limits: '',
      delegation: '',
      anyProtocol: false,
    };
  }
  const c = reading.config;
  const networks = c.useAnyNetwork ? 'any network' : c.networks.map((n) => n.subnet).join(', ') || 'none';
  const account = c.account;
  return {
    name: reading.host,
    read: true,
    ...(c.accountError ? { problem: `AD account not read: ${c.accountError.message}` } : {}),
    migrationEnabled: c.migrationEnabled,
    networks,
    networksOk: c.useAnyNetwork || c.networks.length > 0,
    authentication: c.authenticationType,
    kerberos: /kerberos/i.test(c.authenticationType),
    performance: c.performanceOption,
    limits: `${c.maximumVmMigrations} live · ${c.maximumStorageMigrations} storage`,
    delegation: account
      ? `${account.trustedToAuthForDelegation ? 'any protocol' : 'Kerberos only'} · ${account.allowedToDelegateTo.length} ${account.allowedToDelegateTo.length === 1 ? 'entry' : 'entries'}`
      : 'not read',
    anyProtocol: account?.trustedToAuthForDelegation ?? false,
  };
}

const gapWord: Record<PairGap['kind'], string> = {
  'migration-disabled': 'migration off',
  'no-network': 'no network',
  credssp: 'CredSSP',
  delegation: 'delegation',
  'any-protocol': 'any protocol',
  unread: 'not read',
  'ad-name': 'AD name',
};

export function matrixCell(pair: PairState): MatrixCell {
  const words = [...new Set(pair.gaps.map((g) => gapWord[g.kind]))];
  return {
    source: pair.source,
    destination: pair.destination,
    status: pair.status,
    label: pair.status === 'ready' ? 'ready' : words.join(' · '),
    gaps: pair.gaps.map((g) => g.text),
  };
}

export function changeView(change: ConfigChange, result?: ChangeResult): ConfigChangeView {
  return {
    id: change.id,
    host: change.host,
    title: change.title,
    why: change.why,
    ad: change.appliesTo === 'ad',
    script: change.script,
    ...(result ? { result: { status: result.status, ...(result.error ? { message: result.error.message } : {}) } } : {}),
  };
}

/**
 * The question asked before the plan is applied, and its detail: every change on the hosts, and every AD
 * change with each value it writes (the account, the attribute, each delegation entry).
 */
export function applyConfirmation(plan: FleetConfigurationPlan): { readonly message: string; readonly detail: string } {
  const ad = plan.changes.filter((c) => c.appliesTo === 'ad');
  const host = plan.changes.filter((c) => c.appliesTo !== 'ad');
  const detail = [
    ...(host.length > 0 ? ['On the hosts:', ...host.map((c) => `• ${c.title}`), ''] : []),
    ...(ad.length > 0
      ? [
          'In Active Directory (computer accounts):',
          ...ad.flatMap((c) => [`• ${c.title}`, ...changeWrites(c).map((line) => `  ${line}`)]),
          '',
          'AD changes take effect once AD has replicated them and each changed host has a new Kerberos ticket (refresh the tickets afterwards, or reboot the hosts).',
        ]
      : []),
  ].join('\n');
  return { message: `Apply ${plan.changes.length} ${plan.changes.length === 1 ? 'change' : 'changes'} to make every pair of hosts ready for live migration?`, detail };
}

export function readyCount(config: FleetConfiguration): number {
  return config.pairs.filter((p) => p.status === 'ready').length;
}

/** The apply in a sentence, with the re-read's matrix count against the one before. */
export function appliedText(result: FleetApplyResult, before: number, after: FleetConfiguration | undefined): string {
  const applied = result.results.filter((r) => r.status === 'applied').length;
  const failed = result.results.filter((r) => r.status === 'failed');
  const skipped = result.results.filter((r) => r.status === 'skipped').length;
  const parts = [`${applied} of ${plural(result.results.length, 'change')} applied`];
  if (failed.length > 0) parts.push(`${failed.length} failed (${failed.map((r) => r.title).join('; ')})`);
  if (skipped > 0) parts.push(`${skipped} not run`);
  const reread = after ? ` Read again: ${readyCount(after)} of ${plural(after.pairs.length, 'pair')} ready (${before} before).` : '';
  return `${parts.join('; ')}.${reread}`;
}

// ---- Drain Host / Migrate many ------------------------------------------------------------------------

export function candidateView(c: Candidate): CandidateView {
  return {
    host: c.host,
    ready: c.ready,
    score: c.score,
    lines: c.lines.map((l) => ({ text: l.text, points: l.points })),
    blockers: c.blockers,
    choices: c.choices,
    estimate: `≈ ${formatDuration(c.estimatedMs)}`,
  };
}

function sizeText(vm: { memoryBytes: number; diskBytes: number; checkpointBytes: number }): string {
  const parts = [vm.memoryBytes > 0 ? `${bytes(vm.memoryBytes)} memory` : 'no memory (not running)'];
  if (vm.diskBytes > 0) parts.push(`${bytes(vm.diskBytes)} disks`);
  if (vm.checkpointBytes > 0) parts.push(`${bytes(vm.checkpointBytes)} checkpoints`);
  return parts.join(' · ');
}

export function placementViews(plan: MigrationPlan): PlacementView[] {
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

export function unmovableViews(plan: MigrationPlan): UnmovableView[] {
  return plan.unmovable.map((u) => ({ vmId: u.vm.id, vmName: u.vm.name, source: u.vm.source, why: u.why, candidates: u.candidates.map(candidateView) }));
}

export function limitLines(plan: MigrationPlan): string[] {
  const involved = new Set(plan.placements.flatMap((p) => [p.vm.source, p.destination]).map(hostKey));
  return plan.hosts.filter((h) => involved.has(hostKey(h.name))).map((h) => `${h.name}: ${h.limits.vm} live, ${h.limits.storage} storage at once`);
}

const phaseWords: Record<string, string> = { starting: 'Starting', moving: 'Moving', completing: 'Completing' };

export function queueRowView(row: QueueRow): QueueRowView {
  const p = row.progress;
  const percent = Math.max(0, Math.min(100, Math.round(p?.percent ?? 0)));
  const moved = p && p.bytesTotal > 0 ? `${bytes(p.bytesMoved)} of ${bytes(p.bytesTotal)}` : bytes(row.bytes);
  let detail: string;
  switch (row.state) {
    case 'queued':
      detail = row.waiting ?? 'Queued.';
      break;
    case 'starting':
      detail = 'Starting: checking again and asking Hyper-V to move it…';
      break;
    case 'moving':
      detail = `${phaseWords[p?.phase ?? 'moving'] ?? 'Moving'}${p?.etaMs !== null && p?.etaMs !== undefined ? ` · ${formatDuration(p.etaMs)} left` : ''}`;
      break;
    case 'succeeded':
      detail = row.outcome?.summary ?? `${row.vmName} now runs on ${row.destination}.`;
      break;
    default:
      detail = row.why ?? row.outcome?.summary ?? 'Not moved.';
  }
  return { vmId: row.vmId, vmName: row.vmName, source: row.source, destination: row.destination, state: row.state, percent, bytes: moved, detail };
}

export function summaryView(summary: QueueSummary): DrainSummaryView {
  return {
    text: summary.text,
    moved: summary.moved.map((r) => `${r.vmName} → ${r.destination}`),
    failed: summary.failed.map((r) => ({ vmName: r.vmName, why: r.why ?? 'Failed.' })),
    notMoved: summary.notMoved.map((r) => ({ vmName: r.vmName, why: r.why })),
  };
}

// ---- the HA workflow ----------------------------------------------------------------------------------

export function haView(state: HaWorkflowState): HaView {
  const { request } = state;
  const progress = state.move?.progress;
  const findings = (state.preflight?.findings ?? [])
    .filter((f) => f.severity !== 'info')
    .map((f) => `${f.severity === 'blocker' ? 'Blocker' : 'Warning'}: ${f.title}${f.id === 'cluster.role' ? ' (the workflow removes the role, then restores it where it ends)' : ''}`);
  return {
    vmId: request.vmId,
    vmName: request.vmName,
    source: request.source,
    destination: request.destination,
    sourceCluster: state.sourceCluster,
    destinationCluster: state.destinationCluster,
    role: state.role,
    phase: state.phase,
    ...(state.summary ? { message: state.summary } : {}),
    steps: state.steps.map((s) => ({ id: s.id, title: s.title, status: s.status, ...(s.detail ? { detail: s.detail } : {}), script: s.script })),
    ...(progress
      ? {
          move: {
            percent: Math.max(0, Math.min(100, Math.round(progress.percent))),
            phase: progress.phase,
            bytes: progress.bytesTotal > 0 ? `${bytes(progress.bytesMoved)} of ${bytes(progress.bytesTotal)}` : bytes(progress.bytesMoved),
            eta: progress.etaMs === null ? '—' : formatDuration(progress.etaMs),
          },
        }
      : {}),
    findings,
  };
}
