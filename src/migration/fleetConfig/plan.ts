// Configure Live Migration, planning: the smallest set of changes that makes every pair ready, each with the
// exact PowerShell it runs (its fix script's preview, fixScript.ts).
import * as l10n from '@vscode/l10n';
import { adNameProblem, sameHost } from '../../hyperv/hostName';
import { psLiteral } from '../../hyperv/migrationScript';
import { adWrites, fixScripts } from '../fixes';
import { AD_CREDENTIAL, inSession, inSessionFix, param, type FixScript } from '../fixScript';
import { type FixArgument } from '../types';
import { same, type FleetConfiguration, type HostConfigReading, type PairState } from './read';
import { confirmedAccount, delegationEntries, isGap, missingEntries } from './judge';

// ---- planning -----------------------------------------------------------------------------------------

export type ConfigChangeKind =
  | 'enable-migration'
  | 'use-any-network'
  | 'add-migration-network'
  | 'use-kerberos'
  | 'add-delegation'
  | 'allow-any-protocol';

export interface PairRef {
  readonly source: string;
  readonly destination: string;
}

/** One change of the plan: what, where, why, and the exact PowerShell it runs. */
export interface ConfigChange {
  /** `<kind>:<host>`, unique in a plan. */
  readonly id: string;
  readonly kind: ConfigChangeKind;
  /** The host the change is made for (for AD changes: the source whose computer account changes). */
  readonly host: string;
  readonly title: string;
  /** Why: the gap it closes and the pairs that need it. */
  readonly why: string;
  /** The pairs this change is needed for. */
  readonly pairs: readonly PairRef[];
  /** AD changes are: they change the domain, take replication and a new ticket, and are shown before applying. */
  readonly destructive: boolean;
  readonly appliesTo: 'host' | 'ad';
  /** The exact PowerShell the change runs (values as literals). */
  readonly script: string;
  /** The values the change's fixed script receives in $Params. */
  readonly params: Readonly<Record<string, FixArgument>>;
}

export interface FleetConfigurationPlan {
  /** Host settings first (in host order), then the AD changes (in host order). */
  readonly changes: readonly ConfigChange[];
  /** The whole plan as one script an admin can read, keep and run. */
  readonly script: string;
  /** What the admin must know: AD replication, a new Kerberos ticket; hosts that could not be planned. */
  readonly notes: readonly string[];
  /** Hosts whose AD account the plan changes: their Kerberos tickets need a refresh (refreshKerberosTickets). */
  readonly refreshHosts: readonly string[];
  /** Pairs the plan cannot make ready because a host or account could not be read. */
  readonly unplanned: readonly PairState[];
  /** Pairs ready before the plan. */
  readonly readyPairs: number;
}

export interface PlanOptions {
  /**
   * How a host without a migration network gets one: `fleet-subnet` (default) adds the subnet most other
   * hosts migrate on, so moves stay on the migration network, or lets the host use any network when no
   * other host has one; `any` always lets it use any network.
   */
  readonly network?: 'fleet-subnet' | 'any';
}

export const changeScripts: Readonly<Record<ConfigChangeKind, FixScript>> = {
  'enable-migration': fixScripts.enableMigration,
  'use-any-network': fixScripts.useAnyNetwork,
  'add-migration-network': fixScripts.addMigrationNetwork,
  'use-kerberos': fixScripts.kerberos,
  'add-delegation': inSessionFix(
    'configDelegation',
    [
      "Adds to one source host's AD computer account every constrained-delegation entry it lacks for the",
      'destinations of the fleet: the migration service and cifs, by short name and FQDN, in one change.',
    ],
    inSession`Get-ADComputer -Identity ${param('Account')}${AD_CREDENTIAL} | Set-ADObject -Add @{ 'msDS-AllowedToDelegateTo' = [string[]]${param('Entries')} }${AD_CREDENTIAL}`,
  ),
  'allow-any-protocol': fixScripts.anyProtocol,
};

function pairList(pairs: readonly PairRef[]): string {
  const shown = pairs.slice(0, 6).map((p) => `${p.source}→${p.destination}`);
  const list = shown.join(', ');
  const more = pairs.length - shown.length;
  if (more > 0) return l10n.t('{0}, and {1} more ({2} pairs)', list, more, pairs.length);
  return pairs.length === 1 ? l10n.t('{0} (1 pair)', list) : l10n.t('{0} ({1} pairs)', list, pairs.length);
}

/** The subnet most of the other read hosts migrate on, or null. */
function fleetSubnet(readings: readonly HostConfigReading[], except: string): string | null {
  const counts = new Map<string, number>();
  for (const reading of readings) {
    if (!reading.ok || sameHost(reading.host, except)) continue;
    for (const subnet of new Set(reading.config.networks.map((n) => n.subnet))) counts.set(subnet, (counts.get(subnet) ?? 0) + 1);
  }
  let best: string | null = null;
  for (const [subnet, count] of counts) if (best === null || count > (counts.get(best) ?? 0)) best = subnet;
  return best;
}

/** What a change of the plan writes to AD, one line per value (fixes.ts adWrites); none for a change on a host. */
export function changeWrites(c: ConfigChange): string[] {
  const account = typeof c.params.Account === 'string' ? c.params.Account : '';
  const entries = Array.isArray(c.params.Entries) ? (c.params.Entries as readonly string[]) : [];
  if (c.kind === 'add-delegation') return adWrites(account, entries, false);
  if (c.kind === 'allow-any-protocol') return adWrites(account, [], true);
  return [];
}

export function change(
  kind: ConfigChangeKind,
  host: string,
  parts: Pick<ConfigChange, 'title' | 'why' | 'pairs' | 'params'>,
): ConfigChange {
  const ad = kind === 'add-delegation' || kind === 'allow-any-protocol';
  return {
    id: `${kind}:${host}`,
    kind,
    host,
    ...parts,
    destructive: ad,
    appliesTo: ad ? 'ad' : 'host',
    script: changeScripts[kind].preview(parts.params),
  };
}

/** Built in the active language: a function, not a constant. */
const refreshNote = (): string =>
  l10n.t(
    'The AD changes take effect only after AD has replicated them to the domain controllers the hosts use, and each changed host has a new Kerberos ticket: purge its tickets (klist purge -li 0x3e7, "Refresh Kerberos tickets") or reboot it. Until then a move from it may still fail with 0x8009030D or 0x8009030E.',
  );

/** The smallest set of changes that makes every pair of read hosts ready. */
export function planFleetConfiguration(config: FleetConfiguration, options: PlanOptions = {}): FleetConfigurationPlan {
  const readings = config.hosts;
  const read = readings.filter((r): r is Extract<HostConfigReading, { ok: true }> => r.ok);
  const involving = (host: string): PairRef[] =>
    config.pairs
      .filter((p) => sameHost(p.source, host) || sameHost(p.destination, host))
      .map(({ source, destination }) => ({ source, destination }));
  const from = (host: string): PairRef[] =>
    config.pairs.filter((p) => sameHost(p.source, host)).map(({ source, destination }) => ({ source, destination }));

  const hostChanges: ConfigChange[] = [];
  const adChanges: ConfigChange[] = [];
  for (const { host, config: settings } of read) {
    const pairs = involving(host);
    if (pairs.length === 0) continue;
    if (!settings.migrationEnabled) {
      hostChanges.push(
        change('enable-migration', host, {
          title: l10n.t('Enable live migration on {0}', host),
          why: l10n.t('Live migration is off on {0}: it neither sends nor receives moves. Needed by {1}.', host, pairList(pairs)),
          pairs,
          params: { Host: host },
        }),
      );
    }
    if (!settings.useAnyNetwork && settings.networks.length === 0) {
      const subnet = options.network === 'any' ? null : fleetSubnet(readings, host);
      hostChanges.push(
        subnet
          ? change('add-migration-network', host, {
              title: l10n.t('Add migration network {0} to {1}', subnet, host),
              why: l10n.t(
                '{0} has no network for live migration; the other hosts migrate on {1}. Needed by {2}.',
                host,
                subnet,
                pairList(pairs),
              ),
              pairs,
              params: { Subnet: subnet, Host: host },
            })
          : change('use-any-network', host, {
              title: l10n.t('Let {0} migrate over any network', host),
              why: l10n.t(
                '{0} has no network for live migration, and no other host names one to share. Needed by {1}.',
                host,
                pairList(pairs),
              ),
              pairs,
              params: { Host: host },
            }),
      );
    }
    if (/credssp/i.test(settings.authenticationType)) {
      hostChanges.push(
        change('use-kerberos', host, {
          title: l10n.t('Switch {0} to Kerberos', host),
          why: l10n.t(
            '{0} authenticates live migrations with CredSSP, which works only for a move started by an admin logged on to {0} (and not at all under Credential Guard). Needed by {1}.',
            host,
            pairList(pairs),
          ),
          pairs,
          params: { Hosts: [host] },
        }),
      );
    }
  }
  for (const source of read) {
    const { host } = source;
    const account = confirmedAccount(source);
    if (isGap(account)) continue;
    const missing: string[] = [];
    const needing: PairRef[] = [];
    for (const destination of read) {
      if (sameHost(destination.host, host)) continue;
      const target = confirmedAccount(destination);
      if (isGap(target)) continue;
      const lacking = missingEntries(account, delegationEntries(target));
      if (lacking.length === 0) continue;
      needing.push({ source: host, destination: destination.host });
      for (const entry of lacking) if (!missing.some((m) => same(m, entry))) missing.push(entry);
    }
    if (missing.length > 0) {
      adChanges.push(
        change('add-delegation', host, {
          title: l10n.t('Add {0} delegation entries to {1}', missing.length, account.name),
          why: l10n.t(
            "{0}'s AD account may not delegate the migration service and cifs to {1}; a Kerberos move from {2} there fails with 0x8009030D. Needed by {3}.",
            account.name,
            needing.map((p) => p.destination).join(', '),
            host,
            pairList(needing),
          ),
          pairs: needing,
          params: { Account: account.name, Entries: missing },
        }),
      );
    }
    const pairs = from(host).filter((p) => read.some((r) => sameHost(r.host, p.destination)));
    if (!account.trustedToAuthForDelegation && pairs.length > 0) {
      adChanges.push(
        change('allow-any-protocol', host, {
          title: l10n.t('Let {0} delegate with any authentication protocol', account.name),
          why: l10n.t(
            '{0}\'s delegation is "Kerberos only"; since Windows Server 2016 a live migration needs "use any authentication protocol", else it fails with 0x8009030E. Needed by {1}.',
            account.name,
            pairList(pairs),
          ),
          pairs,
          params: { Account: account.name },
        }),
      );
    }
  }
  const changes = [...hostChanges, ...adChanges];
  const refreshHosts = [...new Set(adChanges.map((c) => c.host))];
  const unplanned = config.pairs.filter((p) => p.status === 'unknown');
  const notes: string[] = [];
  if (adChanges.length > 0) notes.push(refreshNote());
  for (const reading of readings) {
    if (!reading.ok) notes.push(l10n.t('{0} could not be read ({1}); its pairs are not planned.', reading.host, reading.error.message));
    else if (!reading.config.account)
      notes.push(
        l10n.t(
          "{0}'s AD account could not be read ({1}); its delegation is not planned.",
          reading.host,
          reading.config.accountError?.message ?? l10n.t('no answer'),
        ),
      );
    else {
      const problem = adNameProblem(reading.host, reading.config.account);
      if (problem) notes.push(l10n.t('{0} No delegation to or from {1} is planned.', problem, reading.host));
    }
  }
  const readyPairs = config.pairs.filter((p) => p.status === 'ready').length;
  return { changes, script: planScript(config, changes, refreshHosts, readyPairs), notes, refreshHosts, unplanned, readyPairs };
}

/** One comment line: line breaks (any PowerShell accepts) become spaces, so no text can turn into code. */
function comment(text: string): string {
  return `# ${text.replace(/[\r\n\u0085\u2028\u2029]+/g, ' ')}`;
}

function planScript(
  config: FleetConfiguration,
  changes: readonly ConfigChange[],
  refreshHosts: readonly string[],
  readyPairs: number,
): string {
  const hosts = config.hosts.map((h) => h.host);
  const lines = [
    comment(
      `Configure live migration for ${hosts.join(', ')}: ${config.pairs.length} ordered pairs, ${readyPairs} ready, ${changes.length} change${changes.length === 1 ? '' : 's'}.`,
    ),
    '# Generated by Hyper-V Live Migration for VS Code. Needs the Hyper-V and ActiveDirectory PowerShell modules.',
    "$ErrorActionPreference = 'Stop'",
  ];
  if (changes.length === 0) lines.push('', '# Nothing to change: every pair that could be read is ready.');
  for (const c of changes) lines.push('', comment(`${c.title}. ${c.why}`), c.script);
  if (refreshHosts.length > 0) {
    lines.push(
      '',
      comment(refreshNote()),
      '# Once AD has replicated, refresh the tickets of the changed hosts:',
      comment(`Invoke-Command -ComputerName ${refreshHosts.map(psLiteral).join(', ')} -ScriptBlock { klist.exe purge -li 0x3e7 }`),
    );
  }
  return `${lines.join('\n')}\n`;
}
