// The fleet panel's snapshots, made from the migration core's answers: plain, formatted data for the
// webview. No 'vscode' here.
import * as l10n from '@vscode/l10n';
import { hostKey } from '../hyperv/hostName';
import {
  changeWrites,
  type ChangeResult,
  type ConfigChange,
  type FleetApplyResult,
  type FleetConfiguration,
  type FleetConfigurationPlan,
  type HostConfigReading,
  type PairGap,
  type PairState,
} from '../migration/fleetConfig';
import type { HaWorkflowState } from '../migration/haWorkflow';
import type { Candidate, MigrationPlan } from '../migration/placement';
import type { QueueRow, QueueSummary } from '../migration/queue';
import { bytes, duration } from '../hyperv/format';
import type {
  CandidateView,
  ConfigChangeView,
  ConfigHostView,
  DrainSummaryView,
  HaFindingView,
  HaView,
  MatrixCell,
  PlacementView,
  QueueRowView,
  UnmovableView,
} from './fleetProtocol';

// ---- Configure Live Migration ------------------------------------------------------------------------

export function configHostView(reading: HostConfigReading): ConfigHostView {
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
  const networks = c.useAnyNetwork ? l10n.t('any network') : c.networks.map((n) => n.subnet).join(', ') || l10n.t('none');
  const account = c.account;
  return {
    name: reading.host,
    read: true,
    ...(c.accountError ? { problem: l10n.t('AD account not read: {0}', c.accountError.message) } : {}),
    migrationEnabled: c.migrationEnabled,
    networks,
    networksOk: c.useAnyNetwork || c.networks.length > 0,
    authentication: c.authenticationType,
    kerberos: /kerberos/i.test(c.authenticationType),
    performance: c.performanceOption,
    limits: l10n.t('{0} live · {1} storage', c.maximumVmMigrations, c.maximumStorageMigrations),
    delegation: account
      ? `${account.trustedToAuthForDelegation ? l10n.t('any protocol') : l10n.t('Kerberos only')} · ${account.allowedToDelegateTo.length === 1 ? l10n.t('1 entry') : l10n.t('{0} entries', account.allowedToDelegateTo.length)}`
      : l10n.t('not read'),
    anyProtocol: account?.trustedToAuthForDelegation ?? false,
  };
}

function gapWord(kind: PairGap['kind']): string {
  switch (kind) {
    case 'migration-disabled':
      return l10n.t('migration off');
    case 'no-network':
      return l10n.t('no network');
    case 'credssp':
      return 'CredSSP';
    case 'delegation':
      return l10n.t('delegation');
    case 'any-protocol':
      return l10n.t('any protocol');
    case 'unread':
      return l10n.t('not read');
    case 'ad-name':
      return l10n.t('AD name');
  }
}

export function matrixCell(pair: PairState): MatrixCell {
  const words = [...new Set(pair.gaps.map((g) => gapWord(g.kind)))];
  return {
    source: pair.source,
    destination: pair.destination,
    status: pair.status,
    label: pair.status === 'ready' ? l10n.t('ready') : words.join(' · '),
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
/**
 * A modal cannot scroll: past MODAL_ENTRY_LINES lines of entries it would push its buttons off the screen. Then each
 * change's title still names its account and count; Show PowerShell beside Apply lists every entry.
 */
const MODAL_ENTRY_LINES = 14;

export function applyConfirmation(plan: FleetConfigurationPlan): { readonly message: string; readonly detail: string } {
  const ad = plan.changes.filter((c) => c.appliesTo === 'ad');
  const host = plan.changes.filter((c) => c.appliesTo !== 'ad');
  const full = ad.reduce((n, c) => n + changeWrites(c).length, 0) <= MODAL_ENTRY_LINES;
  const adLines = (c: ConfigChange): string[] => (full ? changeWrites(c) : []);
  const detail = [
    ...(host.length > 0 ? [l10n.t('On the hosts:'), ...host.map((c) => `• ${c.title}`), ''] : []),
    ...(ad.length > 0
      ? [
          l10n.t('In Active Directory (computer accounts):'),
          ...ad.flatMap((c) => [`• ${c.title}`, ...adLines(c).map((line) => `  ${line}`)]),
          '',
          l10n.t(
            'AD changes take effect once AD has replicated them and each changed host has a new Kerberos ticket (refresh the tickets afterwards, or reboot the hosts).',
          ),
        ]
      : []),
  ].join('\n');
  const message =
    plan.changes.length === 1
      ? l10n.t('Apply 1 change to make every pair of hosts ready for live migration?')
      : l10n.t('Apply {0} changes to make every pair of hosts ready for live migration?', plan.changes.length);
  return { message, detail };
}

export function readyCount(config: FleetConfiguration): number {
  return config.pairs.filter((p) => p.status === 'ready').length;
}

/** The apply in a sentence, with the re-read's matrix count against the one before. */
export function appliedText(result: FleetApplyResult, before: number, after: FleetConfiguration | undefined): string {
  const applied = result.results.filter((r) => r.status === 'applied').length;
  const failed = result.results.filter((r) => r.status === 'failed');
  const skipped = result.results.filter((r) => r.status === 'skipped').length;
  const total = result.results.length;
  const parts = [total === 1 ? l10n.t('{0} of 1 change applied', applied) : l10n.t('{0} of {1} changes applied', applied, total)];
  if (failed.length > 0) parts.push(l10n.t('{0} failed ({1})', failed.length, failed.map((r) => r.title).join('; ')));
  if (skipped > 0) parts.push(l10n.t('{0} not run', skipped));
  const pairs = after?.pairs.length ?? 0;
  const reread = !after
    ? ''
    : ` ${pairs === 1 ? l10n.t('Read again: {0} of 1 pair ready ({1} before).', readyCount(after), before) : l10n.t('Read again: {0} of {1} pairs ready ({2} before).', readyCount(after), pairs, before)}`;
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
    estimate: `≈ ${duration(c.estimatedMs)}`,
  };
}

function sizeText(vm: { memoryBytes: number; diskBytes: number; checkpointBytes: number }): string {
  const parts = [vm.memoryBytes > 0 ? l10n.t('{0} memory', bytes(vm.memoryBytes)) : l10n.t('no memory (not running)')];
  if (vm.diskBytes > 0) parts.push(l10n.t('{0} disks', bytes(vm.diskBytes)));
  if (vm.checkpointBytes > 0) parts.push(l10n.t('{0} checkpoints', bytes(vm.checkpointBytes)));
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
  return plan.unmovable.map((u) => ({
    vmId: u.vm.id,
    vmName: u.vm.name,
    source: u.vm.source,
    why: u.why,
    candidates: u.candidates.map(candidateView),
  }));
}

export function limitLines(plan: MigrationPlan): string[] {
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

// ---- the HA workflow ----------------------------------------------------------------------------------

export function haView(state: HaWorkflowState): HaView {
  const { request } = state;
  const progress = state.move?.progress;
  const findings = (state.preflight?.findings ?? [])
    .filter((f) => f.severity !== 'info')
    .map((f): HaFindingView => {
      const severity = f.severity === 'blocker' ? 'blocker' : 'warning';
      if (f.id === 'cluster.role') {
        return {
          severity,
          text:
            severity === 'blocker'
              ? l10n.t('Blocker: {0} (the workflow removes the role, then restores it where it ends)', f.title)
              : l10n.t('Warning: {0} (the workflow removes the role, then restores it where it ends)', f.title),
        };
      }
      return { severity, text: severity === 'blocker' ? l10n.t('Blocker: {0}', f.title) : l10n.t('Warning: {0}', f.title) };
    });
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
    steps: state.steps.map((s) => ({
      id: s.id,
      title: s.title,
      status: s.status,
      ...(s.detail ? { detail: s.detail } : {}),
      script: s.script,
    })),
    ...(progress
      ? {
          move: {
            percent: Math.max(0, Math.min(100, Math.round(progress.percent))),
            phase: progress.phase,
            bytes: progress.bytesTotal > 0 ? `${bytes(progress.bytesMoved)} of ${bytes(progress.bytesTotal)}` : bytes(progress.bytesMoved),
            eta: progress.etaMs === null ? '—' : duration(progress.etaMs),
          },
        }
      : {}),
    findings,
  };
}
