// Configure Live Migration, judging: every ordered pair (source → destination) ready, or what is missing.
import * as l10n from '@vscode/l10n';
import { adNameProblem, sameHost } from '../../hyperv/hostName';
import { same, type DelegationAccount, type FleetConfiguration, type HostConfigReading, type PairGap, type PairState } from './read';

// ---- judging ------------------------------------------------------------------------------------------

export const MIGRATION_SERVICE = 'Microsoft Virtual System Migration Service';

/**
 * The four msDS-AllowedToDelegateTo entries a source needs to live-migrate to a destination: the migration
 * service and cifs, each for the destination's NetBIOS name and its FQDN, both as AD has its computer (the
 * account found by the configured name and confirmed by its dNSHostName, `confirmedAccount`), never as the
 * host names itself and never guessed from another host's domain.
 */
export function delegationEntries(destinationAccount: DelegationAccount): string[] {
  const names = [destinationAccount.name, destinationAccount.dnsHostName].filter(
    (n, i, all) => n && all.findIndex((m) => same(m, n)) === i,
  );
  return [MIGRATION_SERVICE, 'cifs'].flatMap((service) => names.map((n) => `${service}/${n}`));
}

/** The host's AD computer account when AD confirms it is the configured host; otherwise the gap that says why not. */
export function confirmedAccount(reading: Extract<HostConfigReading, { ok: true }>): DelegationAccount | PairGap {
  const { account, accountError } = reading.config;
  if (!account)
    return {
      kind: 'unread',
      host: reading.host,
      text: l10n.t("{0}'s AD account could not be read: {1}", reading.host, accountError?.message ?? l10n.t('no answer')),
    };
  const problem = adNameProblem(reading.host, account);
  return problem ? { kind: 'ad-name', host: reading.host, text: problem } : account;
}

export const isGap = (value: DelegationAccount | PairGap): value is PairGap => 'kind' in value;

export function missingEntries(account: DelegationAccount, required: readonly string[]): string[] {
  return required.filter((entry) => !account.allowedToDelegateTo.some((have) => same(have, entry)));
}

function hostGaps(reading: HostConfigReading, role: 'source' | 'destination'): PairGap[] {
  if (!reading.ok)
    return [{ kind: 'unread', host: reading.host, text: l10n.t('{0} could not be read: {1}', reading.host, reading.error.message) }];
  const { config } = reading;
  const host = reading.host;
  const gaps: PairGap[] = [];
  if (!config.migrationEnabled) gaps.push({ kind: 'migration-disabled', host, text: l10n.t('live migration is off on {0}', host) });
  if (!config.useAnyNetwork && config.networks.length === 0)
    gaps.push({ kind: 'no-network', host, text: l10n.t('{0} has no migration network', host) });
  if (/credssp/i.test(config.authenticationType)) {
    gaps.push({
      kind: 'credssp',
      host,
      text:
        role === 'source'
          ? l10n.t('{0} uses CredSSP (works only for a move started on {0} itself)', host)
          : l10n.t('{0} uses CredSSP (the hosts should both use Kerberos)', host),
    });
  }
  return gaps;
}

function judgePair(source: HostConfigReading, destination: HostConfigReading): PairState {
  const gaps: PairGap[] = [...hostGaps(source, 'source'), ...hostGaps(destination, 'destination')];
  if (source.ok) {
    const account = confirmedAccount(source);
    const target = destination.ok ? confirmedAccount(destination) : undefined;
    if (isGap(account)) {
      gaps.push(account);
    } else {
      if (target && isGap(target)) gaps.push(target);
      const missing = target && !isGap(target) ? missingEntries(account, delegationEntries(target)) : [];
      if (missing.length > 0) {
        gaps.push({
          kind: 'delegation',
          account: account.name,
          entries: missing,
          text: l10n.t('{0} lacks {1}', account.name, missing.join(', ')),
        });
      }
      if (!account.trustedToAuthForDelegation) {
        gaps.push({
          kind: 'any-protocol',
          account: account.name,
          text: l10n.t('{0}\'s delegation is "Kerberos only" (not "use any authentication protocol")', account.name),
        });
      }
    }
  }
  const status = gaps.some((g) => g.kind === 'unread' || g.kind === 'ad-name') ? 'unknown' : gaps.length > 0 ? 'missing' : 'ready';
  return { source: source.host, destination: destination.host, status, gaps };
}

/** Every ordered pair of distinct hosts, judged. */
export function judgePairs(readings: readonly HostConfigReading[]): PairState[] {
  return readings.flatMap((source) =>
    readings.filter((destination) => !sameHost(destination.host, source.host)).map((destination) => judgePair(source, destination)),
  );
}

/** The matrix cell of a pair, or undefined when the pair is not in the configuration. */
export function pairOf(config: FleetConfiguration, source: string, destination: string): PairState | undefined {
  return config.pairs.find((p) => sameHost(p.source, source) && sameHost(p.destination, destination));
}

/** True when every host was read and every pair is ready. */
export function isFleetReady(config: FleetConfiguration): boolean {
  return config.hosts.every((h) => h.ok) && config.pairs.every((p) => p.status === 'ready');
}
