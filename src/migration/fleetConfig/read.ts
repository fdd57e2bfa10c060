// Configure Live Migration, reading: every host's migration settings and the constrained delegation of its AD
// account, one round trip per host, all hosts in parallel.
import { array, boolean, DecodeError, number, object, optionalNumber, string, stringItem } from '../../hyperv/decode';
import { hostKey, sameHost } from '../../hyperv/hostName';
import { classifyError, isRawErrorFacts } from '../../powershell/classify';
import { defineScript } from '../../powershell/script';
import { type CallOptions, type Credential, type PowerShellError, type PowerShellRunner } from '../../powershell/types';
import configReadText from '../scripts/configRead.ps1';
import readDelegationAccountText from '../scripts/shared/readDelegationAccount.ps1';
import { judgePairs } from './judge';

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
export type HostConfigReading =
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
  readonly hosts: readonly HostConfigReading[];
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

export const same = (a: string, b: string): boolean => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;

/** A call about `host`: its stored credential, and the pool session that has its remoting session open (affinity). */
export function callOptions(host: string, options: FleetConfigOptions, signal: AbortSignal | undefined): CallOptions {
  const credential = options.credentialFor?.(host);
  return { signal, affinity: hostKey(host), ...(credential && { credential }) };
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
    unique.map(async (host): Promise<HostConfigReading> => {
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
