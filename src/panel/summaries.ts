// The panel's snapshots, made from the fleet and the migration core: plain, formatted data for the webview.
import * as l10n from '@vscode/l10n';
import type { HostEntry } from '../hyperv/fleet';
import { sameHost } from '../hyperv/hostName';
import type { Vm } from '../hyperv/model';
import { areas } from '../migration/areas';
import type { Finding, MoveRecord, PreflightResult } from '../migration/types';
import { bytes, clock, vendorName } from '../hyperv/format';
import type {
  AreaGroup,
  CheckView,
  DestinationView,
  FindingRow,
  HostSummary,
  MoveView,
  ReadinessKind,
  RowStatus,
  VmSummary,
} from './protocol';

export function summarizeVm(vm: Vm): VmSummary {
  return {
    id: vm.id,
    name: vm.name,
    host: vm.host,
    state: vm.state,
    status: vm.status,
    memory: bytes(vm.memoryStartup),
    processors: vm.processorCount,
    version: vm.version,
    disks: vm.disks.map((d) =>
      d.diskNumber !== null
        ? l10n.t('pass-through disk {0}', d.diskNumber)
        : `${d.path ?? '?'}${d.fileSize !== null ? ` (${bytes(d.fileSize)})` : ''}`,
    ),
    adapters: vm.adapters.map((a) => `${a.name} → ${a.switchName ?? l10n.t('not connected')}`),
    iso: vm.isoPaths,
    clustered: vm.isClustered,
  };
}

export function summarizeHost(entry: HostEntry): HostSummary {
  if (entry.state === 'error') return { name: entry.name, reachable: false, problem: entry.error.message };
  const inventory = entry.state === 'ok' ? entry.inventory : entry.previous;
  if (!inventory) return { name: entry.name, reachable: true, problem: l10n.t('reading…') };
  const h = inventory.host;
  return {
    name: entry.name,
    reachable: true,
    cluster: h.cluster ?? undefined,
    cpu: `${vendorName(h.cpuVendor)} · ${h.cpuName}`,
    memoryFree: bytes(h.memoryFree),
    diskFree: bytes(h.volumes.reduce((n, v) => n + v.freeSpace, 0)),
    migration: h.migrationEnabled
      ? h.useAnyNetwork
        ? l10n.t('enabled, any network')
        : l10n.t('enabled, {0}', h.networks.join(', ') || l10n.t('no network'))
      : l10n.t('disabled'),
    authentication: h.authenticationType,
    switches: h.switches.map((s) => s.name),
    versions: h.supportedVersions,
    vmCount: inventory.vms.length,
  };
}

function row(finding: Finding, passed: boolean, status: RowStatus | undefined): FindingRow {
  return {
    id: finding.id,
    area: finding.area,
    severity: passed ? 'passed' : finding.severity,
    title: finding.title,
    cause: finding.cause,
    evidence: finding.evidence,
    fixes: passed
      ? []
      : finding.fixes.map((f) => ({
          id: f.id,
          title: f.title,
          description: f.description,
          destructive: f.destructive,
          appliesTo: f.appliesTo,
          choices: f.choices ?? [],
        })),
    ...(finding.compareVm
      ? { compareVm: `${finding.compareVm.messageId} (${finding.compareVm.sourceType}): ${finding.compareVm.message}` }
      : {}),
    ...(status ? { status } : {}),
  };
}

const rank: Record<FindingRow['severity'], number> = { blocker: 0, warning: 1, info: 2, passed: 3 };

/**
 * The checklist: every area in order; an area's current findings first (worst first), then those an
 * earlier check of this destination found and this one did not (passed, with what fixed them); an area
 * with neither shows one passed row.
 */
export function checklist(
  result: PreflightResult,
  seen: ReadonlyMap<string, Finding>,
  statuses: ReadonlyMap<string, RowStatus>,
): AreaGroup[] {
  const current = new Set(result.findings.map((f) => f.id));
  const groups: AreaGroup[] = [];
  for (const { area, title, passed } of areas()) {
    const rows = [
      ...result.findings.filter((f) => f.area === area).map((f) => row(f, false, statuses.get(f.id))),
      ...[...seen.values()].filter((f) => f.area === area && !current.has(f.id)).map((f) => row(f, true, statuses.get(f.id))),
    ].sort((a, b) => rank[a.severity] - rank[b.severity]);
    if (rows.length === 0 && area === 'other') continue;
    groups.push({
      area,
      title,
      rows:
        rows.length > 0 ? rows : [{ id: `${area}.passed`, area, severity: 'passed', title: passed, cause: '', evidence: [], fixes: [] }],
    });
  }
  return groups;
}

export function checkView(
  result: PreflightResult,
  seen: ReadonlyMap<string, Finding>,
  statuses: ReadonlyMap<string, RowStatus>,
): CheckView {
  return {
    status: 'done',
    checkedAt: result.checkedAt,
    blockers: result.findings.filter((f) => f.severity === 'blocker').length,
    warnings: result.findings.filter((f) => f.severity === 'warning').length,
    groups: checklist(result, seen, statuses),
  };
}

/** `ready`, `2 blockers`, `ready · 1 warning`. */
export function readinessSummary(result: PreflightResult): string {
  const blockers = result.findings.filter((f) => f.severity === 'blocker').length;
  const warnings = result.findings.filter((f) => f.severity === 'warning').length;
  if (blockers === 1) return l10n.t('1 blocker');
  if (blockers > 0) return l10n.t('{0} blockers', blockers);
  if (!result.ready) return l10n.t('not ready');
  if (warnings === 0) return l10n.t('ready');
  return warnings === 1 ? l10n.t('ready · 1 warning') : l10n.t('ready · {0} warnings', warnings);
}

export function moveView(record: MoveRecord, running: boolean): MoveView {
  const { plan, progress, outcome } = record;
  const { request } = plan;
  const view: MoveView = {
    id: record.id,
    vmId: request.vmId,
    vmName: request.vmName,
    source: request.source,
    destination: request.destination,
    phase: progress.phase,
    running,
    percent: Math.max(0, Math.min(100, Math.round(progress.percent))),
    bytes:
      progress.bytesTotal > 0 ? l10n.t('{0} of {1}', bytes(progress.bytesMoved), bytes(progress.bytesTotal)) : bytes(progress.bytesMoved),
    throughput: progress.throughput > 0 ? `${bytes(progress.throughput)}/s` : '—',
    elapsed: clock(progress.elapsedMs),
    eta: progress.etaMs === null ? (running ? l10n.t('estimating…') : '—') : clock(progress.etaMs),
    startedAt: record.startedAt,
  };
  if (!outcome) return view;
  const started = view.percent > 0;
  const headline =
    outcome.phase === 'succeeded'
      ? l10n.t('{0} now runs on {1}.', request.vmName, request.destination)
      : outcome.phase === 'cancelled'
        ? started
          ? l10n.t('The move was cancelled at {0} %.', view.percent)
          : l10n.t('The move was cancelled before it started.')
        : started
          ? l10n.t('The move of {0} to {1} failed at {2} %.', request.vmName, request.destination, view.percent)
          : l10n.t('The move of {0} to {1} failed before it started.', request.vmName, request.destination);
  // Where the VM is after a failure or cancel; when it could not be looked up, the executor's sentence says so.
  const where = outcome.vmFoundOn
    ? l10n.t('{0} is {1} on {2}', request.vmName, outcome.vmFoundOn.state.toLowerCase(), outcome.vmFoundOn.host)
    : outcome.phase !== 'succeeded'
      ? outcome.summary
      : undefined;
  return {
    ...view,
    phase: outcome.phase,
    outcome: {
      phase: outcome.phase,
      headline,
      duration: clock(outcome.durationMs),
      moved: bytes(outcome.bytesMoved),
      ...(outcome.failure ? { failure: outcome.failure } : {}),
      ...(where ? { vmFoundOn: where } : {}),
    },
  };
}

/**
 * Every host as a destination of `vm`: its source, a host in maintenance (`closed` says why; not offered), what
 * the readiness check found, or not checked yet.
 */
export function destinationViews(
  hosts: readonly HostEntry[],
  vm: Vm,
  readiness: (host: string) => { readonly kind: ReadinessKind; readonly summary: string } | undefined,
  closed: (host: string) => string | undefined = () => undefined,
): DestinationView[] {
  return hosts.map((h) => {
    const cluster = h.state === 'ok' ? (h.inventory.host.cluster ?? undefined) : undefined;
    const base = { host: h.name, ...(cluster ? { cluster } : {}) };
    if (sameHost(h.name, vm.host)) return { ...base, readiness: 'source', summary: l10n.t('{0} runs here', vm.name) };
    const why = closed(h.name);
    if (why) return { ...base, readiness: 'maintenance', summary: why };
    const r = readiness(h.name);
    if (!r && h.state === 'error') return { ...base, readiness: 'unreachable', summary: l10n.t('unreachable') };
    return r ? { ...base, readiness: r.kind, summary: r.summary } : { ...base, readiness: 'unchecked', summary: l10n.t('not checked') };
  });
}
