// Every check of HYPERV.md's table for one VM and destination, on the facts the two preflight scripts read,
// merged with what Compare-VM reported: one finding per cause, with the evidence of both. Pure functions:
// the engine (preflight.ts) reads, these files judge, one file per area, run in the order of CHECKS.
import type { Finding } from '../types';
import { authentication } from './authentication';
import { cluster } from './cluster';
import { compareVm } from './compare';
import { Findings, type Check, type CheckContext, type CheckInput } from './context';
import { devices } from './devices';
import { hostFinding } from './hosts';
import { leftovers } from './leftovers';
import { memory } from './memory';
import { concurrency, migrationSettings } from './migration';
import { network } from './network';
import { processor } from './processor';
import { storage } from './storage';
import { version } from './version';

export type { CheckInput, FactsReading } from './context';
export { sameHostFinding } from './hosts';

/** The checks in the order they run; Compare-VM last, so its causes merge with what the others found. */
export const CHECKS: readonly Check[] = [
  migrationSettings,
  concurrency,
  authentication,
  processor,
  network,
  version,
  storage,
  memory,
  devices,
  leftovers,
  cluster,
  compareVm,
];

/** Every finding for the request, from the two readings: the hosts' errors, each check, then Compare-VM. */
export function evaluate(input: CheckInput): Finding[] {
  const { request, plan } = input;
  const findings = new Findings();
  if (!input.source.ok) findings.add(hostFinding('source', request.source, input.source.error));
  if (!input.destination.ok) findings.add(hostFinding('destination', request.destination, input.destination.error));
  // The hosts go by their configured names (the request's), not by the names they give themselves: the
  // fixes run on, and take the credential of, the host the admin configured (inventory.ts asConfigured).
  const src = input.source.ok ? { ...input.source.facts, host: { ...input.source.facts.host, name: request.source } } : undefined;
  const dst = input.destination.ok
    ? { ...input.destination.facts, host: { ...input.destination.facts.host, name: request.destination } }
    : undefined;
  const ctx: CheckContext = {
    request,
    plan,
    src,
    dst,
    vmName: src?.vm.name ?? request.vmName,
    source: request.source,
    destination: request.destination,
    handsOnCredential: input.handsOnCredential ?? false,
  };
  for (const check of CHECKS) check(ctx, findings);
  return findings.sorted();
}
