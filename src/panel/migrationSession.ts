// The state of one VM in the migration panel: where it may go (readiness of every other host, computed in
// parallel), the checklist for the chosen destination, the fixes applied and the plan's choices, and its
// move. No 'vscode' here: the panel asks through `PanelUi` and renders `view()`.
import { setMaxListeners } from 'node:events';
import * as l10n from '@vscode/l10n';
import type { Fleet } from '../hyperv/fleet';
import { sameHost } from '../hyperv/hostName';
import type { Vm } from '../hyperv/model';
import { fixWrites } from '../migration/fixes';
import type {
  Finding,
  FixOption,
  MigrationRequest,
  MoveExecutor,
  MoveHandle,
  MovePlan,
  MoveRecord,
  PreflightEngine,
  PreflightResult,
  Fixer,
} from '../migration/types';
import type { Logger } from '../powershell/types';
import { planScript, type AppliedFix } from '../plans/planScript';
import { MoveSamples } from '../migration/moveSamples';
import type { Choices, DestinationView, MigrationSection, ReadinessKind, RowStatus } from './protocol';
import { checkView, destinationViews, moveView, readinessSummary, summarizeVm } from './summaries';

/** What the migration core gives the panel. */
export interface MigrationCore {
  readonly engine: PreflightEngine;
  readonly fixer: Fixer;
  readonly executor: MoveExecutor;
}

/** The few questions the panel asks the admin (modal, in VS Code). */
export interface PanelUi {
  /** Resolves true when the admin chose `action`. */
  confirm(message: string, detail: string, action: string): Promise<boolean>;
}

export interface SessionContext {
  readonly fleet: Fleet;
  readonly core: MigrationCore;
  readonly ui: PanelUi;
  readonly logger: Logger;
  /** Called whenever the section's view may have changed. */
  readonly changed: () => void;
  /** Why no VM may go to the host now (it is in maintenance), or undefined when it may. */
  readonly closed?: (host: string) => string | undefined;
}

interface Readiness {
  readonly kind: ReadinessKind;
  readonly summary: string;
  readonly result?: PreflightResult;
  readonly at: number;
}

type CheckState =
  | { readonly status: 'checking'; readonly previous?: PreflightResult }
  | { readonly status: 'done'; readonly result: PreflightResult }
  | { readonly status: 'failed'; readonly message: string };

/** A readiness result younger than this is reused when the admin picks that destination. */
const FRESH_MS = 60_000;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class MigrationSession {
  private destination: string | undefined;
  private readonly readiness = new Map<string, Readiness>();
  private check: CheckState | undefined;
  private plan: MovePlan | undefined;
  /** Every finding seen for the current destination, so the ones that went away show as passed. */
  private readonly seen = new Map<string, Finding>();
  private readonly statuses = new Map<string, RowStatus>();
  private applied: AppliedFix[] = [];
  private handle: MoveHandle | undefined;
  private progress: { dispose(): void } | undefined;
  private record: MoveRecord | undefined;
  private samples = new MoveSamples();
  private busy = 0;
  private notice: string | undefined;
  private checkTicket = 0;
  private readinessTicket = 0;
  private readonly abort = new AbortController();

  constructor(
    private readonly original: Vm,
    private readonly context: SessionContext,
  ) {
    // Every call of this VM's checks listens on the one signal: a destination check is two calls per host.
    setMaxListeners(100, this.abort.signal);
  }

  get vmId(): string {
    return this.original.id;
  }

  /** The VM as the fleet shows it now (it moves), else as it was when the panel opened. */
  vm(): Vm {
    return this.context.fleet.vms().find((vm) => vm.id === this.original.id) ?? this.original;
  }

  get chosen(): string | undefined {
    return this.destination;
  }

  /** The running move of this VM, if any. */
  get moving(): MoveHandle | undefined {
    return this.handle;
  }

  private request(destination = this.destination): MigrationRequest | undefined {
    if (!destination) return undefined;
    const vm = this.vm();
    return { vmId: vm.id, vmName: vm.name, source: vm.host, destination };
  }

  private candidates(): string[] {
    const source = this.vm().host;
    return this.context.fleet
      .hosts()
      .map((h) => h.name)
      .filter((name) => !sameHost(name, source) && !this.context.closed?.(name));
  }

  /** Checks every other host as a destination, all at once; the quick pick and the panel show the answers as they come. */
  async checkDestinations(): Promise<void> {
    const ticket = ++this.readinessTicket;
    const hosts = this.candidates();
    for (const host of hosts) this.readiness.set(host, { kind: 'checking', summary: 'checking…', at: Date.now() });
    this.context.changed();
    await Promise.all(
      hosts.map(async (host) => {
        const entry = this.context.fleet.host(host);
        let readiness: Readiness;
        if (entry?.state === 'error') {
          readiness = {
            kind: 'unreachable',
            summary: entry.error.kind === 'hostUnreachable' ? 'unreachable' : entry.error.message,
            at: Date.now(),
          };
        } else {
          readiness = await this.assess(host);
        }
        if (ticket !== this.readinessTicket) return;
        this.readiness.set(host, readiness);
        this.context.changed();
      }),
    );
  }

  private async assess(host: string): Promise<Readiness> {
    const request = this.request(host)!;
    try {
      const result = await this.context.core.engine.check(request, { signal: this.abort.signal });
      const unreachable = result.findings.find((f) => f.area === 'hosts' && f.severity === 'blocker');
      if (unreachable) return { kind: 'unreachable', summary: 'unreachable', result, at: Date.now() };
      return { kind: result.ready ? 'ready' : 'blocked', summary: readinessSummary(result), result, at: Date.now() };
    } catch (error) {
      this.context.logger.warn(`panel: checking ${request.vmName} → ${host} failed: ${errorText(error)}`);
      return { kind: 'failed', summary: `check failed: ${errorText(error)}`, at: Date.now() };
    }
  }

  destinations(): DestinationView[] {
    return destinationViews(this.context.fleet.hosts(), this.vm(), (host) => this.readiness.get(host), this.context.closed);
  }

  /** The admin picked a destination: its checklist (from the readiness check when fresh) and a new plan. */
  async choose(host: string): Promise<void> {
    const target = this.context.fleet.hosts().find((h) => sameHost(h.name, host))?.name;
    if (!target) throw new Error(l10n.t('{0} is not a host of the fleet.', host));
    if (sameHost(target, this.vm().host)) throw new Error(l10n.t('{0} already runs on {1}.', this.vm().name, target));
    const closed = this.context.closed?.(target);
    if (closed) throw new Error(l10n.t('{0} is not available as a destination: {1}', target, closed));
    if (this.handle) throw new Error(l10n.t('{0} is moving; wait for the move to end or cancel it.', this.vm().name));
    this.destination = target;
    this.plan = undefined;
    this.seen.clear();
    this.statuses.clear();
    this.applied = [];
    this.notice = undefined;
    this.check = undefined;
    this.record = undefined;
    const known = this.readiness.get(target);
    if (known?.result && Date.now() - known.at < FRESH_MS) {
      this.checkTicket++;
      this.settle({ status: 'done', result: known.result });
      return;
    }
    await this.recheck();
  }

  /** Runs the preflight again for the chosen destination, with the plan's choices. */
  async recheck(): Promise<void> {
    const request = this.request();
    if (!request) return;
    const ticket = ++this.checkTicket;
    const previous =
      this.check?.status === 'done' ? this.check.result : this.check?.status === 'checking' ? this.check.previous : undefined;
    this.check = { status: 'checking', ...(previous ? { previous } : {}) };
    this.context.changed();
    try {
      const result = await this.context.core.engine.check(request, {
        ...(this.plan ? { plan: this.plan } : {}),
        signal: this.abort.signal,
      });
      if (ticket === this.checkTicket) this.settle({ status: 'done', result });
    } catch (error) {
      if (ticket === this.checkTicket) this.settle({ status: 'failed', message: errorText(error) });
    }
  }

  private settle(check: CheckState): void {
    this.check = check;
    if (check.status === 'done') {
      for (const f of check.result.findings) this.seen.set(f.id, f);
      if (this.destination) {
        const r = check.result;
        const unreachable = r.findings.some((f) => f.area === 'hosts' && f.severity === 'blocker');
        this.readiness.set(this.destination, {
          kind: unreachable ? 'unreachable' : r.ready ? 'ready' : 'blocked',
          summary: unreachable ? l10n.t('unreachable') : readinessSummary(r),
          result: r,
          at: Date.now(),
        });
      }
    }
    this.context.changed();
  }

  /** The latest check's result, when there is one. */
  result(): PreflightResult | undefined {
    return this.check?.status === 'done' ? this.check.result : undefined;
  }

  private findFix(
    findingId: string,
    fixId: string,
    choices: Choices,
  ): { finding: Finding; fix: FixOption; choices: Record<string, string> } {
    const finding = this.result()?.findings.find((f) => f.id === findingId);
    if (!finding) throw new Error(l10n.t('That finding is not in the latest check; check again.'));
    const fix = finding.fixes.find((f) => f.id === fixId);
    if (!fix) throw new Error(l10n.t('"{0}" has no fix {1}.', finding.title, fixId));
    const picked: Record<string, string> = {};
    for (const choice of fix.choices ?? []) {
      const value = choices[choice.name] ?? choice.options[0];
      if (value === undefined || !choice.options.includes(value))
        throw new Error(l10n.t('{0}: choose one of {1}.', choice.label, choice.options.join(', ')));
      picked[choice.name] = value;
    }
    return { finding, fix, choices: picked };
  }

  /** The exact PowerShell a fix runs (or adds to the move), for "Show PowerShell". */
  fixScript(findingId: string, fixId: string, choices: Choices): string {
    const request = this.request();
    if (!request) throw new Error(l10n.t('Choose a destination first.'));
    const { finding, fix, choices: picked } = this.findFix(findingId, fixId, choices);
    return this.context.core.fixer.preview(request, { finding, fixId: fix.id, choices: picked }, this.plan);
  }

  /**
   * Applies a fix (asking first when it is destructive), then checks again: the finding turns green, or
   * its row says why not. A plan fix changes the move plan only. Resolves whether the fix was applied.
   */
  async applyFix(findingId: string, fixId: string, choices: Choices): Promise<boolean> {
    const request = this.request();
    if (!request) throw new Error(l10n.t('Choose a destination first.'));
    if (this.busy > 0 || this.handle || this.check?.status === 'checking')
      throw new Error(l10n.t('Wait until the work on {0} in progress ends.', request.vmName));
    const { finding, fix, choices: picked } = this.findFix(findingId, fixId, choices);
    const fixRequest = { finding, fixId: fix.id, choices: picked };
    const script = this.context.core.fixer.preview(request, fixRequest, this.plan);
    if (fix.destructive) {
      const writes = fixWrites(fix);
      const detail = [
        fix.description,
        ...(writes.length > 0 ? ['', l10n.t('In Active Directory:'), ...writes] : []),
        '',
        l10n.t('It runs:'),
        script,
      ].join('\n');
      const go = await this.context.ui.confirm(`${fix.title}?`, detail, l10n.t('Apply'));
      if (!go) return false;
    }
    this.statuses.set(finding.id, { kind: 'applying', message: `${fix.title}…` });
    this.busy++;
    this.context.changed();
    let outcome;
    try {
      outcome = await this.context.core.fixer.apply(request, fixRequest, this.plan, this.abort.signal);
    } catch (error) {
      outcome = { ok: false as const, error: { kind: 'scriptError' as const, message: errorText(error) } };
    } finally {
      this.busy--;
    }
    if (!outcome.ok) {
      this.statuses.set(finding.id, { kind: 'fixFailed', message: l10n.t('{0} failed: {1}', fix.title, outcome.error.message) });
      this.context.changed();
      return false;
    }
    if (outcome.plan) this.plan = outcome.plan;
    if (fix.appliesTo !== 'plan') {
      this.applied.push({ title: fix.title, script, appliedAt: new Date().toISOString() });
      this.inBackground(
        `Reading ${request.source} and ${request.destination}`,
        this.context.fleet.refresh([request.source, request.destination]),
      );
    }
    this.statuses.set(finding.id, { kind: 'applying', message: l10n.t('{0} Checking again…', outcome.message) });
    await this.recheck();
    const still = this.result()?.findings.find((f) => f.id === finding.id);
    this.statuses.set(
      finding.id,
      still
        ? { kind: 'stillFailing', message: l10n.t('{0} The check still finds this: {1}', outcome.message, still.cause) }
        : this.check?.status === 'failed'
          ? { kind: 'stillFailing', message: l10n.t('{0} The check after it failed: {1}', outcome.message, this.check.message) }
          : { kind: 'fixed', message: outcome.message },
    );
    this.context.changed();
    return true;
  }

  private migrateBlocker(): string | undefined {
    const vm = this.vm();
    if (this.handle) return l10n.t('{0} is moving.', vm.name);
    if (!this.destination) return l10n.t('Choose a destination.');
    if (this.check?.status === 'checking') return l10n.t('Checking…');
    if (this.busy > 0) return l10n.t('Wait for the fix under way.');
    if (!this.check) return l10n.t('Check the destination first.');
    if (this.check.status === 'failed') return l10n.t('The check failed: {0}', this.check.message);
    const blockers = this.check.result.findings.filter((f) => f.severity === 'blocker').length;
    if (blockers === 1) return l10n.t('1 blocker stands in the way.');
    if (blockers > 1) return l10n.t('{0} blockers stand in the way.', blockers);
    if (!this.check.result.ready) return l10n.t('The check stands in the way.');
    return undefined;
  }

  /** Starts the move with the plan; refused while anything blocks. */
  async migrate(): Promise<MoveHandle> {
    const blocker = this.migrateBlocker();
    if (blocker) throw new Error(blocker);
    const storagePath = this.result()?.storagePath;
    const request: MigrationRequest = { ...this.request()!, ...(storagePath ? { storagePath } : {}) };
    const plan: MovePlan = this.plan ?? { request, adapterSwitches: {}, ejectDvd: [] };
    this.notice = undefined;
    this.busy++;
    this.context.changed();
    let handle: MoveHandle;
    try {
      handle = await this.context.core.executor.start({ ...plan, request });
    } catch (error) {
      this.notice = l10n.t('The move could not start: {0}', errorText(error));
      throw new Error(this.notice);
    } finally {
      this.busy--;
      this.context.changed();
    }
    this.attach(handle);
    return handle;
  }

  /** Follows a move of this VM (started here, or re-attached after a reload) until `ended`. */
  attach(handle: MoveHandle): void {
    if (this.handle === handle) return;
    this.progress?.dispose();
    this.handle = handle;
    this.record = handle.record();
    this.samples = new MoveSamples();
    this.samples.add(this.record);
    this.destination ??= this.record.plan.request.destination;
    this.progress = handle.onProgress((record) => {
      this.record = record;
      this.samples.add(record);
      this.context.changed();
    });
    this.context.changed();
  }

  /**
   * The move ended. After a success the VM has a new source: what was known of its destinations is
   * dropped (checked again when the admin asks). After a failure or cancel the destination is checked
   * again once the fleet has been read (`refreshed`): a failed move can leave a planned VM behind.
   */
  ended(handle: MoveHandle, record: MoveRecord, refreshed: Promise<void>): void {
    if (this.handle !== handle) return;
    this.progress?.dispose();
    this.progress = undefined;
    this.handle = undefined;
    this.record = record;
    this.samples.add(record);
    const succeeded = record.outcome?.phase === 'succeeded';
    // What was checked before the move no longer holds (it may have left a planned VM behind).
    for (const [host, r] of this.readiness) this.readiness.set(host, { kind: r.kind, summary: r.summary, at: 0 });
    if (succeeded) {
      this.destination = undefined;
      this.check = undefined;
      this.plan = undefined;
      this.seen.clear();
      this.statuses.clear();
      this.applied = [];
      this.readiness.clear();
    }
    this.context.changed();
    if (succeeded) return;
    this.inBackground(
      `Checking ${this.vm().name} again after its move`,
      refreshed.then(() => {
        if (this.abort.signal.aborted || this.handle) return;
        return this.recheck();
      }),
    );
  }

  /** Work the session goes on with after a call has returned: a failure is logged, never left unhandled. */
  private inBackground(what: string, work: Promise<unknown>): void {
    work.catch((error: unknown) => this.context.logger.error(`panel: ${what} failed: ${errorText(error)}`));
  }

  /** The whole plan as one script: checks as comments, applied fixes, the plan on the report, Move-VM. */
  script(): string {
    const chosen = this.request();
    if (!chosen) throw new Error(l10n.t('Choose a destination first.'));
    const result = this.result();
    const request: MigrationRequest = result?.storagePath ? { ...chosen, storagePath: result.storagePath } : chosen;
    const entry = this.context.fleet.host(request.destination);
    const current = new Set(result?.findings.map((f) => f.id) ?? []);
    return planScript({
      request,
      ...(entry?.state === 'ok' ? { destinationVmPath: entry.inventory.host.virtualMachinePath } : {}),
      ...(result ? { result } : {}),
      resolved: [...this.seen.values()].filter((f) => !current.has(f.id)),
      ...(this.plan ? { plan: this.plan } : {}),
      applied: this.applied,
    });
  }

  private planLines(): string[] {
    if (!this.plan) return [];
    const lines: string[] = [];
    for (const [adapter, target] of Object.entries(this.plan.adapterSwitches)) {
      const finding = [...this.seen.values()].find((f) => f.id.endsWith(`:${adapter}`));
      const what = finding ? finding.title : l10n.t('Adapter {0}', adapter);
      lines.push(
        target === null
          ? l10n.t('{0}: disconnect the adapter for the move', what)
          : l10n.t("{0}: connect to switch '{1}' on {2}", what, target, this.plan.request.destination),
      );
    }
    for (const drive of this.plan.ejectDvd) lines.push(l10n.t('Eject the ISO from DVD drive {0} for the move', drive));
    return lines;
  }

  view(): MigrationSection {
    const blocker = this.migrateBlocker();
    const check = this.check;
    return {
      vm: summarizeVm(this.vm()),
      destination: this.destination ?? null,
      destinations: this.destinations(),
      check: !check
        ? null
        : check.status === 'done'
          ? checkView(check.result, this.seen, this.statuses)
          : check.status === 'failed'
            ? { status: 'failed', message: check.message, blockers: 0, warnings: 0, groups: [] }
            : check.previous
              ? { ...checkView(check.previous, this.seen, this.statuses), status: 'checking' }
              : { status: 'checking', blockers: 0, warnings: 0, groups: [] },
      plan: this.planLines(),
      move: this.record ? { ...moveView(this.record, this.handle !== undefined), samples: this.samples.list() } : null,
      busy: this.busy > 0 || this.check?.status === 'checking',
      migrate: {
        enabled: blocker === undefined,
        reason: blocker ?? l10n.t('Move {0} to {1} now.', this.vm().name, this.destination ?? ''),
      },
      ...(this.notice ? { notice: this.notice } : {}),
    };
  }

  dispose(): void {
    this.progress?.dispose();
    this.abort.abort();
    this.readinessTicket++;
    this.checkTicket++;
  }
}
