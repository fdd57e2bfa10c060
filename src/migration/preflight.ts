// The preflight engine: every check of HYPERV.md for one VM and destination, in two PowerShell round
// trips (the destination side, then the source side with Compare-VM, its session opened meanwhile), then
// judged in checks/. An unreachable host is a finding, not an exception.
import * as l10n from '@vscode/l10n';
import { hostKey, sameHost } from '../hyperv/hostName';
import { psLiteral } from '../hyperv/migrationScript';
import { openHostSessions } from '../powershell/hostSessions';
import { defineScript } from '../powershell/script';
import type { CallOptions, Credential, PowerShellResult, PowerShellRunner } from '../powershell/types';
import { evaluate, sameHostFinding, type FactsReading } from './checks';
import { decodeDestinationFacts, decodeSourceFacts, type DestinationFacts, type SourceFacts } from './checks/facts';
import { planParams, type PlanParams } from './compareVm';
import preflightDestinationText from './scripts/preflightDestination.ps1';
import preflightSourceText from './scripts/preflightSource.ps1';
import type { CheckOptions, MigrationRequest, PreflightEngine, PreflightResult } from './types';
import compareArgumentsText from './scripts/shared/compareArguments.ps1';
import hostFactsText from '../hyperv/scripts/shared/hostFacts.ps1';
import readDelegationAccountText from './scripts/shared/readDelegationAccount.ps1';

/** One disk of the move as Compare-VM and Move-VM take it in `-Vhds`. */
export interface VhdParam {
  readonly SourceFilePath: string;
  readonly DestinationFilePath: string;
}

export interface SourceParams extends PlanParams {
  readonly VmId: string;
  readonly Source: string;
  readonly Destination: string;
  readonly StoragePath: string | null;
  /** The destination's default VM path as its own read answered it (Compare-VM's storage path when StoragePath is null). */
  readonly DestinationVmPath: string | null;
  /** Each disk to its own file (`-VirtualMachinePath` etc. then take StoragePath); null: `-IncludeStorage`. */
  readonly Vhds: readonly VhdParam[] | null;
}

/** The request's disks as `-Vhds` takes them, for the scripts' $Params; null when the request moves everything to one folder. */
export function vhdsParam(request: MigrationRequest): VhdParam[] | null {
  return request.vhds ? request.vhds.map((v) => ({ SourceFilePath: v.source, DestinationFilePath: v.destination })) : null;
}

/**
 * The storage parameters of Compare-VM and Move-VM for a request, as PowerShell text for the scripts an
 * admin reads and runs: `-IncludeStorage -DestinationStoragePath <storage>`, or, with `vhds`, the
 * per-disk set (VMMultipleDestinations, which takes no -IncludeStorage): the configuration, checkpoints
 * and smart paging file to <storage>, each disk to its own file. `storage` is PowerShell already (a
 * literal or an expression); the disks' paths go in as single-quoted literals.
 */
export function storageArguments(request: MigrationRequest, storage: string): string {
  if (!request.vhds) return `-IncludeStorage -DestinationStoragePath ${storage}`;
  const disks = request.vhds.map((v) => `@{ SourceFilePath = ${psLiteral(v.source)}; DestinationFilePath = ${psLiteral(v.destination)} }`);
  return `-VirtualMachinePath ${storage} -SnapshotFilePath ${storage} -SmartPagingFilePath ${storage} -Vhds @(${disks.join(', ')})`;
}

export interface DestinationParams {
  readonly VmId: string;
  readonly Destination: string;
}

export const preflightSource = defineScript<SourceParams, SourceFacts>('preflightSource', preflightSourceText, decodeSourceFacts, [
  compareArgumentsText,
  hostFactsText,
  readDelegationAccountText,
]);

/**
 * The credential the source host hands on to the destination for the report flow it runs (Compare-VM and
 * Move-VM take it as -DestinationCredential): the destination's stored credential, else the source's (one
 * admin account for the fleet is the common case). None: the hop relies on delegation (README, Requirements).
 */
export function destinationCredentialFor(
  credentialFor: (host: string) => Credential | undefined,
  source: string,
  destination: string,
): Credential | undefined {
  return credentialFor(destination) ?? credentialFor(source);
}
export const preflightDestination = defineScript<DestinationParams, DestinationFacts>(
  'preflightDestination',
  preflightDestinationText,
  decodeDestinationFacts,
  [hostFactsText, readDelegationAccountText],
);

/** A source's session opened by a check is taken as open for this long (well within the host sessions' 10-minute idle close). */
const REOPEN_AFTER_MS = 60_000;

export interface PreflightEngineOptions {
  /** The credential for a host, when it needs one (the extension's SecretStorage); none by default. */
  readonly credentialFor?: (host: string) => Credential | undefined;
  /** The clock for `checkedAt` (tests). */
  readonly now?: () => Date;
}

function reading<T>(result: PowerShellResult<T>, host: string): FactsReading<T> {
  return result.ok ? { ok: true, facts: result.data } : { ok: false, error: { ...result.error, target: result.error.target ?? host } };
}

export function createPreflightEngine(runner: PowerShellRunner, options: PreflightEngineOptions = {}): PreflightEngine {
  const now = options.now ?? (() => new Date());
  // When this engine last opened a source's session: a check that follows soon after (placement checks one source
  // against every host) finds it open, and needs no second pool call for it.
  const openedAt = new Map<string, number>();
  return {
    async check(request: MigrationRequest, { plan, signal }: CheckOptions = {}): Promise<PreflightResult> {
      if (plan && plan.request.vmId.toLowerCase() !== request.vmId.toLowerCase()) {
        throw new Error(l10n.t('The move plan is for VM {0}, not {1}.', plan.request.vmId, request.vmId));
      }
      signal?.throwIfAborted();
      if (sameHost(request.source, request.destination)) {
        return { request, findings: [sameHostFinding(request)], ready: false, checkedAt: now().toISOString(), roundTrips: {} };
      }
      // Round trips are counted as they are made: the contract is at most two per host involved.
      const roundTrips: Record<string, number> = {};
      const on = (host: string, destinationCredential?: Credential): CallOptions => {
        roundTrips[host] = (roundTrips[host] ?? 0) + 1;
        const credential = options.credentialFor?.(host);
        // affinity: the pool session that has the host's remoting session open (hostSession.ps1) takes the call.
        return {
          signal,
          affinity: hostKey(host),
          ...(credential && { credential }),
          ...(destinationCredential && { destinationCredential }),
        };
      };
      const handedOn = options.credentialFor && destinationCredentialFor(options.credentialFor, request.source, request.destination);
      // The destination is read first: the source's Compare-VM stages a planned VM there, so what was there
      // before must be read before it, and the source needs the destination's default VM path. Meanwhile the
      // source's session is opened (no call in it), so a first check does not wait for the two connections in
      // turn; a source that cannot be reached answers there, and is not tried a second time.
      const sourceCredential = options.credentialFor?.(request.source);
      const recently = Date.now() - (openedAt.get(hostKey(request.source)) ?? -Infinity) < REOPEN_AFTER_MS;
      if (!recently) openedAt.set(hostKey(request.source), Date.now());
      const opening = recently
        ? Promise.resolve(undefined)
        : runner
            .run(
              openHostSessions,
              { hosts: [request.source], strict: true },
              { signal, affinity: hostKey(request.source), ...(sourceCredential && { credential: sourceCredential }) },
            )
            .catch(() => undefined);
      const destination = await runner.run(
        preflightDestination,
        { VmId: request.vmId, Destination: request.destination },
        on(request.destination),
      );
      const opened = await opening;
      signal?.throwIfAborted();
      const source: PowerShellResult<SourceFacts> =
        opened?.ok === false
          ? opened
          : await runner.run(
              preflightSource,
              {
                VmId: request.vmId,
                Source: request.source,
                Destination: request.destination,
                StoragePath: request.storagePath ?? null,
                DestinationVmPath: destination.ok ? destination.data.host.virtualMachinePath : null,
                Vhds: vhdsParam(request),
                ...planParams(plan),
              },
              on(request.source, handedOn),
            );
      signal?.throwIfAborted();
      const findings = evaluate({
        request,
        plan,
        source: reading(source, request.source),
        destination: reading(destination, request.destination),
        handsOnCredential: !!handedOn,
      });
      const storagePath = source.ok ? source.data.storagePath : null;
      return {
        request,
        findings,
        ready: !findings.some((finding) => finding.severity === 'blocker'),
        checkedAt: now().toISOString(),
        roundTrips,
        ...(storagePath && { storagePath }),
      };
    },
  };
}
