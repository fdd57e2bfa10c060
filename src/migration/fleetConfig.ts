// Configure Live Migration across hosts: read every host's migration settings and the constrained
// delegation of its AD account (one round trip per host, all hosts in parallel), judge every ordered pair
// (source → destination) ready or what is missing, plan the smallest set of changes that makes every pair
// ready, and apply it with fixed scripts whose preview is exactly what runs (fixes.ts renderFix).
import * as l10n from '@vscode/l10n';
import { array, boolean, DecodeError, number, object, optionalNumber, string, stringItem } from '../hyperv/decode';
import { adNameProblem, sameHost } from '../hyperv/hostName';
import { psLiteral } from '../hyperv/migrationScript';
import { classifyError, isRawErrorFacts } from '../powershell/classify';
import { defineScript } from '../powershell/script';
import type { CallOptions, Credential, PowerShellError, PowerShellRunner, Script } from '../powershell/types';
import { adWrites, fixScripts, renderFix } from './fixes';
import configDelegationText from './scripts/configDelegation.ps1';
import configReadText from './scripts/configRead.ps1';
import configRefreshTicketsText from './scripts/configRefreshTickets.ps1';
import type { FixArgument } from './types';
import readDelegationAccountText from './scripts/shared/readDelegationAccount.ps1';

// ---- what is read -------------------------------------------------------------------------------------

/** A host's AD computer account, found by the host's configured name (readDelegationAccount.ps1). */
export interface DelegationAccount {
  /** The account's Name: the computer's NetBIOS name. */
  readonly name: string;
  /** dNSHostName: what confirms the account is the configured host's (hostName.ts adNameProblem). */
  readonly dnsHostName: string;
  /** msDS-AllowedToDelegateTo, as stored. */
  readonly allowedToDelegateTo: readonly string[];
  /** "Use any authentication protocol". */
  readonly trustedToAuthForDelegation: boolean;
}

/** One host's live-migration settings and its AD account, as read. */
export interface HostConfiguration {
  /** Get-VMHost ComputerName: the name the host gives itself, shown, never used to name it. */
  readonly name: string;
  readonly fqdn: string;
  readonly migrationEnabled: boolean;
  readonly useAnyNetwork: boolean;
  readonly networks: readonly { readonly subnet: string; readonly priority: number | null }[];
  /** Kerberos or CredSSP. */
  readonly authenticationType: string;
  /** TCPIP, Compression or SMB. */
  readonly performanceOption: string;
  readonly maximumVmMigrations: number;
  readonly maximumStorageMigrations: number;
  /** null when it could not be read (see accountError). */
  readonly account: DelegationAccount | null;
  readonly accountError: PowerShellError | null;
}

/** A host as asked for (`host`, the name the fleet knows it by), read or not. */
export type HostReading =
  | { readonly host: string; readonly ok: true; readonly config: HostConfiguration }
  | { readonly host: string; readonly ok: false; readonly error: PowerShellError };

/** What keeps a pair from being ready; `text` is what the matrix cell shows. */
export type PairGap =
  | { readonly kind: 'migration-disabled'; readonly host: string; readonly text: string }
  | { readonly kind: 'no-network'; readonly host: string; readonly text: string }
  | { readonly kind: 'credssp'; readonly host: string; readonly text: string }
  | { readonly kind: 'delegation'; readonly account: string; readonly entries: readonly string[]; readonly text: string }
  | { readonly kind: 'any-protocol'; readonly account: string; readonly text: string }
  | { readonly kind: 'unread'; readonly host: string; readonly text: string }
  /** AD's computer for the host is not the configured host (hostName.ts adNameProblem): nothing is judged or written. */
  | { readonly kind: 'ad-name'; readonly host: string; readonly text: string };

/** One cell of the matrix: `ready`, or what is `missing`; `unknown` when a host or account could not be read. */
export interface PairState {
  readonly source: string;
  readonly destination: string;
  readonly status: 'ready' | 'missing' | 'unknown';
  readonly gaps: readonly PairGap[];
}

export interface FleetConfiguration {
  /** In the order asked. */
  readonly hosts: readonly HostReading[];
  /** Every ordered pair of distinct hosts, source-major in the order asked. */
  readonly pairs: readonly PairState[];
  readonly readAt: string;
  /** PowerShell round trips made, per host: one. */
  readonly roundTrips: Readonly<Record<string, number>>;
}

export interface FleetConfigOptions {
  /** The credential for a host, when it needs one (the extension's SecretStorage); none by default. */
  readonly credentialFor?: (host: string) => Credential | undefined;
}

// ---- reading ------------------------------------------------------------------------------------------

function errorFacts(value: unknown, path: string): PowerShellError | null {
  if (value === null || value === undefined) return null;
  if (!isRawErrorFacts(value)) throw new DecodeError(path, 'error facts', value);
  return classifyError(value);
}

function decodeConfiguration(data: unknown): HostConfiguration {
  const path = 'config';
  const o = object(data, path);
  const account = o.account === null || o.account === undefined ? null : object(o.account, `${path}.account`);
  return {
    name: string(o, 'name', path),
    fqdn: typeof o.fqdn === 'string' ? o.fqdn : '',
    migrationEnabled: boolean(o, 'migrationEnabled', path),
    useAnyNetwork: boolean(o, 'useAnyNetwork', path),
    networks: array(o, 'networks', path, (v, p) => {
      const n = object(v, p);
      return { subnet: string(n, 'subnet', p), priority: optionalNumber(n, 'priority', p) };
    }),
    authenticationType: string(o, 'authenticationType', path),
    performanceOption: typeof o.performanceOption === 'string' ? o.performanceOption : '',
    maximumVmMigrations: number(o, 'maximumVmMigrations', path),
    maximumStorageMigrations: number(o, 'maximumStorageMigrations', path),
    account: account && {
      name: string(account, 'name', `${path}.account`),
      dnsHostName: typeof account.dnsHostName === 'string' ? account.dnsHostName : '',
      allowedToDelegateTo: array(account, 'allowedToDelegateTo', `${path}.account`, stringItem),
      trustedToAuthForDelegation: boolean(account, 'trustedToAuthForDelegation', `${path}.account`),
    },
    accountError: errorFacts(o.accountError, `${path}.accountError`),
  };
}

export const configReadScript = defineScript<{ readonly Host: string }, HostConfiguration>(
  'configRead',
  configReadText,
  decodeConfiguration,
  [readDelegationAccountText],
);

const same = (a: string, b: string): boolean => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;

function callOptions(host: string, options: FleetConfigOptions, signal: AbortSignal | undefined): CallOptions {
  const credential = options.credentialFor?.(host);
  return { signal, ...(credential && { credential }) };
}

/** Reads every host (one round trip each, in parallel) and judges every ordered pair. */
export async function readFleetConfiguration(
  runner: PowerShellRunner,
  hosts: readonly string[],
  signal?: AbortSignal,
  options: FleetConfigOptions = {},
): Promise<FleetConfiguration> {
  const unique = hosts.filter((h, i) => hosts.findIndex((other) => sameHost(other, h)) === i);
  const roundTrips: Record<string, number> = {};
  const readings = await Promise.all(
    unique.map(async (host): Promise<HostReading> => {
      roundTrips[host] = (roundTrips[host] ?? 0) + 1;
      const result = await runner.run(configReadScript, { Host: host }, callOptions(host, options, signal));
      return result.ok
        ? { host, ok: true, config: result.data }
        : { host, ok: false, error: { ...result.error, target: result.error.target ?? host } };
    }),
  );
  signal?.throwIfAborted();
  return { hosts: readings, pairs: judgePairs(readings), readAt: new Date().toISOString(), roundTrips };
}

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
function confirmedAccount(reading: Extract<HostReading, { ok: true }>): DelegationAccount | PairGap {
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

const isGap = (value: DelegationAccount | PairGap): value is PairGap => 'kind' in value;

function missingEntries(account: DelegationAccount, required: readonly string[]): string[] {
  return required.filter((entry) => !account.allowedToDelegateTo.some((have) => same(have, entry)));
}

function hostGaps(reading: HostReading, role: 'source' | 'destination'): PairGap[] {
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

function judgePair(source: HostReading, destination: HostReading): PairState {
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
export function judgePairs(readings: readonly HostReading[]): PairState[] {
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

const changeScripts: Readonly<Record<ConfigChangeKind, Script<Readonly<Record<string, FixArgument>>, unknown>>> = {
  'enable-migration': fixScripts.enableMigration,
  'use-any-network': fixScripts.useAnyNetwork,
  'add-migration-network': fixScripts.addMigrationNetwork,
  'use-kerberos': fixScripts.kerberos,
  'add-delegation': defineScript<Readonly<Record<string, FixArgument>>, null>('configDelegation', configDelegationText, () => null),
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
function fleetSubnet(readings: readonly HostReading[], except: string): string | null {
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

function change(kind: ConfigChangeKind, host: string, parts: Pick<ConfigChange, 'title' | 'why' | 'pairs' | 'params'>): ConfigChange {
  const ad = kind === 'add-delegation' || kind === 'allow-any-protocol';
  return {
    id: `${kind}:${host}`,
    kind,
    host,
    ...parts,
    destructive: ad,
    appliesTo: ad ? 'ad' : 'host',
    script: renderFix(changeScripts[kind].text, parts.params),
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
  const read = readings.filter((r): r is Extract<HostReading, { ok: true }> => r.ok);
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

// ---- applying -----------------------------------------------------------------------------------------

export interface ChangeResult {
  readonly id: string;
  readonly title: string;
  readonly host: string;
  /** `skipped`: not run because the apply was cancelled first. */
  readonly status: 'applied' | 'failed' | 'skipped';
  readonly error?: PowerShellError;
}

export interface FleetApplyResult {
  /** Every change applied. Read the configuration again to see the matrix. */
  readonly ok: boolean;
  readonly results: readonly ChangeResult[];
}

/**
 * Runs the plan's changes one after another with their fixed scripts; a failed change does not stop the
 * others (they are independent). Read the configuration again afterwards: every pair should be ready.
 */
export async function applyFleetConfiguration(
  runner: PowerShellRunner,
  plan: FleetConfigurationPlan,
  signal?: AbortSignal,
  options: FleetConfigOptions = {},
): Promise<FleetApplyResult> {
  const results: ChangeResult[] = [];
  for (const c of plan.changes) {
    const script = changeScripts[c.kind] as Script<Readonly<Record<string, FixArgument>>, unknown> | undefined;
    if (!script) throw new Error(l10n.t('The plan holds a change of unknown kind {0}.', String(c.kind)));
    if (signal?.aborted) {
      results.push({ id: c.id, title: c.title, host: c.host, status: 'skipped' });
      continue;
    }
    const result = await runner.run(script, c.params, callOptions(c.host, options, signal));
    results.push(
      result.ok
        ? { id: c.id, title: c.title, host: c.host, status: 'applied' }
        : {
            id: c.id,
            title: c.title,
            host: c.host,
            status: signal?.aborted ? 'skipped' : 'failed',
            error: { ...result.error, target: result.error.target ?? c.host },
          },
    );
  }
  return { ok: results.every((r) => r.status === 'applied'), results };
}

// ---- Kerberos tickets ---------------------------------------------------------------------------------

export const refreshTicketsScript = defineScript<Readonly<Record<string, FixArgument>>, null>(
  'configRefreshTickets',
  configRefreshTicketsText,
  () => null,
);

export interface TicketRefresh {
  readonly host: string;
  readonly ok: boolean;
  readonly error?: PowerShellError;
}

/** The exact PowerShell refreshKerberosTickets runs for a host. */
export function refreshTicketsPreview(host: string): string {
  return renderFix(refreshTicketsScript.text, { Host: host });
}

/** Purges the computer account's Kerberos tickets on each host (klist purge -li 0x3e7), in parallel. */
export async function refreshKerberosTickets(
  runner: PowerShellRunner,
  hosts: readonly string[],
  signal?: AbortSignal,
  options: FleetConfigOptions = {},
): Promise<TicketRefresh[]> {
  return Promise.all(
    hosts.map(async (host): Promise<TicketRefresh> => {
      const result = await runner.run(refreshTicketsScript, { Host: host }, callOptions(host, options, signal));
      return result.ok ? { host, ok: true } : { host, ok: false, error: { ...result.error, target: result.error.target ?? host } };
    }),
  );
}
