// Configure Live Migration's view for the webview, made from the migration core's answers: the hosts, the
// matrix's cells, the plan's changes, the question asked before applying and the apply in a sentence. No
// 'vscode' here.
import * as l10n from '@vscode/l10n';
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
} from '../../migration/fleetConfig';
import type { ConfigChangeView, ConfigHostView, MatrixCell } from '../fleetProtocol';

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
 * A modal cannot scroll: past MODAL_ENTRY_LINES lines of entries it would push its buttons off the screen. Then each
 * change's title still names its account and count; Show PowerShell beside Apply lists every entry.
 */
const MODAL_ENTRY_LINES = 14;

/**
 * The question asked before the plan is applied, and its detail: every change on the hosts, and every AD
 * change with each value it writes (the account, the attribute, each delegation entry).
 */
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
