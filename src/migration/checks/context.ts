// What every check shares: the two readings it judges, the context its findings are written in, and the
// collection that merges findings of one cause. Pure: nothing here reads a host.
import type { PowerShellError } from '../../powershell/types';
import type { Area, Finding, MigrationRequest, MovePlan, Severity } from '../types';
import type { DestinationFacts, SourceFacts } from './facts';

/** A side's reading: its facts, or why they could not be read. */
export type FactsReading<T> = { readonly ok: true; readonly facts: T } | { readonly ok: false; readonly error: PowerShellError };

export interface CheckInput {
  readonly request: MigrationRequest;
  readonly plan?: MovePlan;
  readonly source: FactsReading<SourceFacts>;
  readonly destination: FactsReading<DestinationFacts>;
  /** A credential goes with the check and the move for the source's hop to the destination (-DestinationCredential). */
  readonly handsOnCredential?: boolean;
}

/** The context every finding is written in: names as the admin knows them, and whatever was read. */
export interface CheckContext {
  readonly request: MigrationRequest;
  readonly plan?: MovePlan;
  readonly src?: SourceFacts;
  readonly dst?: DestinationFacts;
  readonly vmName: string;
  readonly source: string;
  readonly destination: string;
  readonly handsOnCredential: boolean;
}

/** One check: it adds what it finds in the context to the findings. */
export type Check = (ctx: CheckContext, findings: Findings) => void;

const AREA_ORDER: readonly Area[] = [
  'hosts',
  'migration',
  'authentication',
  'processor',
  'network',
  'version',
  'storage',
  'memory',
  'devices',
  'leftovers',
  'cluster',
  'other',
];
const SEVERITY_ORDER: readonly Severity[] = ['blocker', 'warning', 'info'];

/** Names as Windows compares them: without regard to case. */
export const same = (a: string, b: string): boolean => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;
/** A name in quotes, on one line. */
export const quote = (value: string): string => `'${value.replace(/[\r\n\u0085\u2028\u2029]+/g, ' ')}'`;

/** Findings by id: a second finding for the same cause adds its evidence to the first. */
export class Findings {
  private readonly byId = new Map<string, Finding>();

  add(finding: Finding): void {
    const existing = this.byId.get(finding.id);
    if (!existing) {
      this.byId.set(finding.id, finding);
      return;
    }
    this.byId.set(finding.id, {
      ...existing,
      severity: SEVERITY_ORDER.indexOf(finding.severity) < SEVERITY_ORDER.indexOf(existing.severity) ? finding.severity : existing.severity,
      evidence: [...existing.evidence, ...finding.evidence],
      fixes: existing.fixes.length > 0 ? existing.fixes : finding.fixes,
      compareVm: existing.compareVm ?? finding.compareVm,
    });
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): Finding | undefined {
    return this.byId.get(id);
  }

  /** Raises a finding to what Compare-VM says of it: Move-VM refuses what Compare-VM reports. */
  escalate(id: string, patch: Partial<Pick<Finding, 'severity' | 'title' | 'cause'>>): void {
    const existing = this.byId.get(id);
    if (existing) this.byId.set(id, { ...existing, ...patch });
  }

  sorted(): Finding[] {
    return [...this.byId.values()].sort(
      (a, b) =>
        AREA_ORDER.indexOf(a.area) - AREA_ORDER.indexOf(b.area) ||
        SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
        a.id.localeCompare(b.id),
    );
  }
}
