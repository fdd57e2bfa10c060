// Running the HA workflow: each step journaled before it runs and when it ends; check, HA off, the move through
// the executor, HA on at the destination cluster (or back on the source after a failed or cancelled move),
// verify. A workflow picked up after a reload finishes what it had begun, as where the VM is says.

import { randomUUID } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import { hostKey, sameHost } from '../../hyperv/hostName';
import type { CallOptions, Logger } from '../../powershell/types';
import { HaJournal, type HaJournalEntry } from '../haJournal';
import { createPreflightEngine } from '../preflight';
import type { MigrationRequest, MoveHandle, MovePlan, MoveRecord, PreflightEngine, PreflightResult } from '../types';
import { haAddRoleScript, haRemoveRoleScript, haStateScript, same } from './state';
import { addRoleParams, initialSteps, movePlanOf, moveScript, previewScript, removeRoleParams, verifyScript } from './steps';
import * as summaries from './summaries';
import type { HaPhase, HaStepId, HaStepStatus, HaWorkflow, HaWorkflowOptions, HaWorkflowState, Shape } from './types';

export const silent: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** The role the workflow resolves: the only finding the check lets through. */
const CLUSTER_FINDING = 'cluster.role';

/** Thrown at the next step once the workflow is disposed: nothing more runs. */
class Disposed extends Error {}

export class Workflow implements HaWorkflow {
  private state: HaWorkflowState;
  private readonly listeners = new Set<(state: HaWorkflowState) => void>();
  private readonly preflight: PreflightEngine;
  private readonly logger: Logger;
  private readonly journal: HaJournal;
  private readonly id: string;
  private readonly startedAt: string;
  private readonly originalState: string;
  private readonly vmPath: string | null;
  private readonly abort = new AbortController();
  private cancelRequested = false;
  private moveHandle: { cancel(): Promise<void> } | undefined;
  private moveId: string | null;
  private moveEnded = false;
  private endedAt: string | undefined;
  private disposed = false;
  private running: Promise<HaWorkflowState> | undefined;

  constructor(
    private readonly options: HaWorkflowOptions,
    private readonly request: MigrationRequest,
    shape: Shape,
    private readonly plan: MovePlan | undefined,
    /** A workflow picked up after a reload: its journal entry, and its move if that ended meanwhile. */
    private readonly picked?: { readonly entry: HaJournalEntry; readonly move: MoveRecord | undefined },
  ) {
    const journaled = picked?.entry;
    this.preflight = options.preflight ?? createPreflightEngine(options.runner, { credentialFor: options.credentialFor });
    this.logger = options.logger ?? silent;
    this.journal = new HaJournal(options.journalDir, this.logger);
    this.id = journaled?.id ?? randomUUID();
    this.startedAt = journaled?.startedAt ?? new Date().toISOString();
    this.moveId = journaled?.moveId ?? null;
    this.originalState = shape.vmState;
    this.vmPath = shape.vmPath;
    const { sourceCluster, role, destinationCluster } = shape;
    this.state = { request, sourceCluster, role, destinationCluster, phase: 'ready', steps: [] };
    const steps = initialSteps(request, this.state, this.movePlan).map((step) => {
      const seen = journaled?.steps.find((s) => s.id === step.id);
      return seen ? { ...step, status: seen.status, ...(seen.detail !== undefined && { detail: seen.detail }) } : step;
    });
    this.state = { ...this.state, steps };
    if (journaled) {
      const interrupted = steps.find((s) => s.status === 'running');
      this.state = {
        ...this.state,
        resumed: summaries.resumedNote(request.vmName, interrupted?.title),
      };
    }
  }

  snapshot(): HaWorkflowState {
    return this.state;
  }

  onDidChange(listener: (state: HaWorkflowState) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  run(signal?: AbortSignal): Promise<HaWorkflowState> {
    if (!this.running) {
      if (signal?.aborted) this.cancelRequested = true;
      signal?.addEventListener('abort', () => void this.cancel(), { once: true });
      this.running = (this.picked ? this.resume() : this.execute()).catch(async (error: unknown) => {
        if (error instanceof Disposed || this.disposed) return this.state;
        this.logger.error(`HA workflow of ${this.request.vmName}: ${(error as Error).message}`);
        const summary = l10n.t(
          'The HA workflow stopped unexpectedly: {0}. Check where {1} is and whether it is a cluster role.',
          (error as Error).message,
          this.request.vmName,
        );
        return this.end('failed', summary).catch(() => this.state);
      });
    }
    return this.running;
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }

  async cancel(): Promise<void> {
    if (
      this.disposed ||
      this.moveEnded ||
      this.state.phase === 'succeeded' ||
      this.state.phase === 'failed' ||
      this.state.phase === 'cancelled'
    )
      return;
    this.cancelRequested = true;
    if (!this.running) return;
    this.abort.abort();
    await this.moveHandle?.cancel();
    await this.running;
  }

  private get movePlan(): MovePlan {
    return movePlanOf(this.request, this.plan, this.state.preflight, this.vmPath);
  }

  preview(): string {
    return previewScript(this.request, this.state);
  }

  // ---- running ----------------------------------------------------------------------------------------

  private emit(): void {
    for (const listener of [...this.listeners]) listener(this.state);
  }

  private setStep(id: HaStepId, status: HaStepStatus, detail?: string): void {
    this.state = {
      ...this.state,
      steps: this.state.steps.map((s) => (s.id === id ? { ...s, status, ...(detail !== undefined ? { detail } : {}) } : s)),
    };
    this.emit();
  }

  private skipPending(): void {
    this.state = { ...this.state, steps: this.state.steps.map((s) => (s.status === 'pending' ? { ...s, status: 'skipped' } : s)) };
  }

  /** Throws once the workflow is disposed: no step starts, nothing more is journaled. */
  private live(): void {
    if (this.disposed) throw new Disposed(`The HA workflow of ${this.request.vmName} was disposed.`);
  }

  /** A step's new status, journaled before the workflow goes on. */
  private async mark(id: HaStepId, status: HaStepStatus, detail?: string): Promise<void> {
    this.live();
    this.setStep(id, status, detail);
    await this.save();
    this.live();
  }

  private entry(): HaJournalEntry {
    const { sourceCluster, role, destinationCluster, phase, summary } = this.state;
    return {
      id: this.id,
      pid: process.pid,
      startedAt: this.startedAt,
      plan: this.movePlan,
      sourceCluster,
      role,
      destinationCluster,
      vmState: this.originalState,
      moveId: this.moveId,
      steps: this.state.steps.map(({ id, status, detail }) => ({ id, status, ...(detail !== undefined && { detail }) })),
      phase,
      ...(summary !== undefined && { summary }),
      ...(this.endedAt !== undefined && { endedAt: this.endedAt }),
    };
  }

  /** Writes where the workflow is to its journal (a failed write is logged: the workflow goes on, as a move does). */
  private async save(): Promise<void> {
    try {
      await this.journal.write(this.entry());
    } catch (error) {
      this.logger.error(`HA journal: could not write the workflow of ${this.request.vmName}: ${(error as Error).message}`);
    }
  }

  private async end(phase: Exclude<HaPhase, 'ready' | 'running'>, summary: string): Promise<HaWorkflowState> {
    this.live();
    this.skipPending();
    this.endedAt = new Date().toISOString();
    this.state = { ...this.state, phase, summary: this.state.resumed ? `${this.state.resumed} ${summary}` : summary };
    await this.save();
    this.logger.info(`HA workflow of ${this.request.vmName}: ${this.state.summary ?? ''}`);
    this.emit();
    return this.state;
  }

  /** A call about `host`: its stored credential, and the pool session that has its remoting session open (affinity). */
  private call(host: string): CallOptions {
    const credential = this.options.credentialFor?.(host);
    return { affinity: hostKey(host), ...(credential && { credential }) };
  }

  private async execute(): Promise<HaWorkflowState> {
    const { vmName, source, destination } = this.request;
    const { sourceCluster } = this.state;
    const cancelledBeforeChange = () =>
      this.end('cancelled', l10n.t('Cancelled before anything changed: {0} is still a role of {1} on {2}.', vmName, sourceCluster, source));
    this.state = { ...this.state, phase: 'running' };
    this.emit();
    if (this.cancelRequested) return cancelledBeforeChange();

    // 1. Check: every blocker but the cluster role stops the workflow before anything changes.
    await this.mark('check', 'running');
    if (this.cancelRequested) {
      await this.mark('check', 'skipped', l10n.t('Cancelled.'));
      return cancelledBeforeChange();
    }
    let checked: PreflightResult;
    try {
      checked = await this.preflight.check(this.movePlan.request, { plan: this.plan, signal: this.abort.signal });
    } catch (error) {
      if (this.cancelRequested) {
        await this.mark('check', 'skipped', l10n.t('Cancelled.'));
        return cancelledBeforeChange();
      }
      throw error;
    }
    this.state = { ...this.state, preflight: checked };
    this.state = { ...this.state, steps: this.state.steps.map((s) => (s.id === 'move' ? { ...s, script: moveScript(this.movePlan) } : s)) };
    const blockers = checked.findings.filter((f) => f.severity === 'blocker' && f.id !== CLUSTER_FINDING);
    if (blockers.length > 0) {
      const titles = blockers.map((f) => f.title).join('; ');
      await this.mark('check', 'failed', summaries.blockersDetail(blockers.length, titles));
      return this.end('failed', summaries.blockedSummary(vmName, destination, titles));
    }
    const warnings = checked.findings.filter((f) => f.severity === 'warning').length;
    await this.mark('check', 'succeeded', summaries.checkedDetail(warnings));
    if (this.cancelRequested) return cancelledBeforeChange();

    // 2. HA off. Not cancellable midway: a half-made cluster change would leave HA unknown.
    await this.mark('remove-role', 'running');
    const removed = await this.options.runner.run(haRemoveRoleScript, removeRoleParams(this.state), this.call(source));
    if (!removed.ok) {
      await this.mark('remove-role', 'failed', removed.error.message);
      return this.restoreAndVerify(
        'failed',
        l10n.t("Removing the role '{0}' from {1} failed: {2}", this.state.role, sourceCluster, removed.error.message),
        false,
      );
    }
    await this.mark(
      'remove-role',
      'succeeded',
      l10n.t('{0} is no longer a role of {1}; it keeps running on {2}.', vmName, sourceCluster, source),
    );
    if (this.cancelRequested) {
      await this.mark('move', 'skipped', l10n.t('Cancelled before the move started.'));
      return this.restoreAndVerify('cancelled', l10n.t('Cancelled before the move started.'), true);
    }

    // 3. The move, through the executor (journaled, progress from the source's migration job).
    await this.mark('move', 'running', l10n.t('Starting…'));
    let record: MoveRecord;
    try {
      record = await this.follow(await this.options.executor.start(this.movePlan));
    } catch (error) {
      if (error instanceof Disposed) throw error;
      await this.mark('move', 'failed', (error as Error).message);
      return this.restoreAndVerify('failed', l10n.t('The move did not start: {0}', (error as Error).message), true);
    } finally {
      this.moveEnded = true;
    }
    const outcome = record.outcome;
    if (outcome?.phase !== 'succeeded') {
      const phase = outcome?.phase === 'cancelled' ? 'cancelled' : 'failed';
      const why = outcome?.summary ?? (phase === 'cancelled' ? l10n.t('The move was cancelled.') : l10n.t('The move failed.'));
      await this.mark('move', phase === 'cancelled' ? 'skipped' : 'failed', why);
      return this.restoreAndVerify(phase, why, true);
    }
    await this.mark('move', 'succeeded', outcome.summary ?? l10n.t('{0} moved to {1}.', vmName, destination));
    return this.completeOnDestination(outcome.summary);
  }

  /** Follows the move to its end (its id journaled), its progress shown on the move step; cancellable meanwhile. */
  private async follow(handle: MoveHandle): Promise<MoveRecord> {
    this.moveHandle = handle;
    this.moveId = handle.record().id;
    const show = (r: MoveRecord): void => {
      if (this.disposed) return;
      this.state = { ...this.state, move: r };
      this.setStep('move', 'running', `${r.progress.phase} · ${r.progress.percent} %`);
    };
    const subscription = handle.onProgress(show);
    try {
      show(handle.record());
      await this.save();
      if (this.cancelRequested) await handle.cancel();
      const record = await handle.done;
      this.live();
      this.state = { ...this.state, move: record };
      return record;
    } finally {
      subscription.dispose();
    }
  }

  /** After the VM arrived: HA on at the destination cluster (when it is one), then verified there. */
  private async completeOnDestination(moved: string | undefined): Promise<HaWorkflowState> {
    const { vmName, destination } = this.request;
    const { destinationCluster } = this.state;
    await this.mark('restore-role', 'skipped', l10n.t('Not needed: the move succeeded.'));

    // 4. HA on, on the destination cluster (unless it is a role there already: a workflow picked up after a reload).
    if (destinationCluster && this.state.steps.find((s) => s.id === 'add-role')?.status !== 'succeeded') {
      await this.mark('add-role', 'running');
      const added = await this.options.runner.run(
        haAddRoleScript,
        addRoleParams(this.request, this.state, destination),
        this.call(destination),
      );
      if (!added.ok) {
        await this.mark('add-role', 'failed', added.error.message);
        const verified = await this.verify(destination, destinationCluster, false);
        const script = this.state.steps.find((s) => s.id === 'add-role')?.script ?? '';
        return this.end('failed', summaries.addRoleFailed(this.request, destinationCluster, added.error.message, script, verified));
      }
      await this.mark('add-role', 'succeeded', l10n.t('{0} is a role of {1} (HA on).', vmName, destinationCluster));
    } else if (!destinationCluster) {
      await this.mark('add-role', 'skipped', l10n.t('{0} is not a cluster node: {1} stays a plain VM there.', destination, vmName));
    }

    // 5. Verify.
    const ok = await this.verify(destination, destinationCluster, true);
    if (!ok)
      return this.end(
        'failed',
        l10n.t('{0} moved, but the verification did not pass: {1}', vmName, this.state.steps.find((s) => s.id === 'verify')?.detail ?? ''),
      );
    return this.end('succeeded', summaries.movedSummary(this.request, destinationCluster, moved));
  }

  /**
   * A workflow picked up from the journal after a reload. A move that was started is followed to its end
   * (the executor re-attached it); then where the VM is and what holds it decide the rest, as the workflow
   * would have: on the destination, its role is added there (a cluster node) and it is verified; still on
   * the source without its role, HA is restored on the source cluster. Nothing new starts: a move that had
   * not started is not started now.
   */
  private async resume(): Promise<HaWorkflowState> {
    const { vmName, source, destination } = this.request;
    const { sourceCluster, destinationCluster } = this.state;
    const status = (id: HaStepId): HaStepStatus | undefined => this.state.steps.find((s) => s.id === id)?.status;
    this.state = { ...this.state, phase: 'running' };
    this.logger.info(`HA workflow of ${vmName}: ${this.state.resumed ?? ''}`);
    const interrupted = this.state.steps.find((s) => s.status === 'running');
    if (interrupted) await this.mark(interrupted.id, 'running', l10n.t('Interrupted by a reload of VS Code; picked up again.'));
    else await this.save();

    // A started move goes on on its host: follow it (found by its id, or by the VM if the id was not journaled
    // yet); one that ended meanwhile says how.
    let record: MoveRecord | undefined = this.picked?.move;
    if (status('move') === 'running') {
      const handle = this.options.executor
        .running()
        .find((h) => (this.moveId ? h.record().id === this.moveId : same(h.record().plan.request.vmId, this.request.vmId)));
      if (handle) record = await this.follow(handle);
      else if (record) this.state = { ...this.state, move: record };
    }
    this.moveEnded = true;

    const read = await this.options.runner.run(
      haStateScript,
      { VmId: this.request.vmId, Source: source, Destination: destination },
      this.call(source),
    );
    this.live();
    if (!read.ok) {
      return this.end(
        'failed',
        l10n.t(
          'Where {0} is and what holds it could not be read ({1}). Check it by hand; if it has no role, add one on the node it runs on: {2}',
          vmName,
          read.error.message,
          this.state.steps.find((s) => s.id === 'restore-role')?.script ?? '',
        ),
      );
    }
    const now = read.data;
    if (now.vm && sameHost(now.vm.host, destination)) {
      if (status('move') !== 'succeeded')
        await this.mark('move', 'succeeded', record?.outcome?.summary ?? l10n.t('{0} is on {1}.', vmName, destination));
      if (destinationCluster && now.role && same(now.role.cluster, destinationCluster))
        await this.mark('add-role', 'succeeded', l10n.t('{0} is a role of {1} (HA on).', vmName, destinationCluster));
      return this.completeOnDestination(record?.outcome?.summary);
    }
    if (now.vm && sameHost(now.vm.host, source)) {
      const outcome = record?.outcome;
      const phase = outcome?.phase === 'cancelled' ? 'cancelled' : 'failed';
      const started = record !== undefined || this.moveId !== null;
      if (status('move') === 'pending' || (status('move') === 'running' && !started))
        await this.mark('move', 'skipped', l10n.t('Not started: VS Code was reloaded before the move started.'));
      else if (status('move') === 'running')
        await this.mark(
          'move',
          phase === 'cancelled' ? 'skipped' : 'failed',
          outcome?.summary ?? l10n.t('{0} did not move: it is on {1}.', vmName, source),
        );
      const why = outcome?.summary ?? l10n.t('{0} was not moved.', vmName);
      if (now.role && same(now.role.cluster, sourceCluster)) {
        // The role was never removed (or is back already): nothing to restore.
        const removed = status('remove-role') === 'succeeded';
        await this.mark('add-role', 'skipped', l10n.t('Not run: the move did not happen.'));
        await this.mark(
          'restore-role',
          removed ? 'succeeded' : 'skipped',
          removed ? l10n.t('{0} is a role of {1} again (HA on).', vmName, sourceCluster) : l10n.t('Not needed: the role was not removed.'),
        );
        const verified = await this.verify(source, sourceCluster, true);
        const where = this.state.verified?.vm;
        const before = removed ? why : l10n.t('Nothing was changed.');
        const summary = summaries.stillARoleSummary(before, vmName, sourceCluster, where);
        return this.end(verified ? phase : 'failed', summary);
      }
      return this.restoreAndVerify(phase, why, true);
    }
    return this.end('failed', summaries.lostSummary(this.request, now));
  }

  /** After a failed or cancelled move (or a failed role removal): HA back on the source cluster, then verified. */
  private async restoreAndVerify(phase: 'failed' | 'cancelled', why: string, roleRemoved: boolean): Promise<HaWorkflowState> {
    const { vmName, source } = this.request;
    const { sourceCluster } = this.state;
    await this.mark('add-role', 'skipped', l10n.t('Not run: the move did not happen.'));
    let restored = true;
    let restoreError = '';
    if (roleRemoved) {
      await this.mark('restore-role', 'running');
      const added = await this.options.runner.run(haAddRoleScript, addRoleParams(this.request, this.state, source), this.call(source));
      restored = added.ok;
      restoreError = added.ok ? '' : added.error.message;
      await this.mark(
        'restore-role',
        added.ok ? 'succeeded' : 'failed',
        added.ok ? l10n.t('{0} is a role of {1} again (HA on).', vmName, sourceCluster) : restoreError,
      );
    } else {
      await this.mark('restore-role', 'skipped', l10n.t('Not needed: the role was not removed.'));
    }
    const verified = await this.verify(source, sourceCluster, true);
    const where = this.state.verified?.vm;
    if (!restored) {
      const script = this.state.steps.find((s) => s.id === 'restore-role')?.script ?? '';
      const lost = summaries.notRestoredSummary(why, this.request, sourceCluster, restoreError, where, script);
      return this.end('failed', lost);
    }
    let summary = summaries.restoredSummary(why, this.request, sourceCluster, where, roleRemoved);
    if (!verified)
      summary = l10n.t('{0} The verification did not pass: {1}', summary, this.state.steps.find((s) => s.id === 'verify')?.detail ?? '');
    return this.end(verified ? phase : 'failed', summary);
  }

  /** Reads where the VM is and what holds it, and checks it against what the workflow should have left. */
  private async verify(host: string, cluster: string | null, record: boolean): Promise<boolean> {
    const { vmName } = this.request;
    if (record) {
      this.state = {
        ...this.state,
        steps: this.state.steps.map((s) =>
          s.id === 'verify' ? { ...s, script: verifyScript(this.request, this.state.role, host, cluster) } : s,
        ),
      };
      await this.mark('verify', 'running');
    }
    const read = await this.options.runner.run(
      haStateScript,
      { VmId: this.request.vmId, Source: this.request.source, Destination: this.request.destination },
      this.call(host),
    );
    if (!read.ok) {
      if (record) await this.mark('verify', 'failed', l10n.t('Could not read where {0} is: {1}', vmName, read.error.message));
      return false;
    }
    const state = read.data;
    this.state = { ...this.state, verified: state };
    const problems = summaries.verificationProblems(state, this.request, host, cluster, this.originalState);
    if (record) {
      const detail = summaries.verifiedDetail(state, vmName, host, cluster, problems);
      await this.mark('verify', problems.length === 0 ? 'succeeded' : 'failed', detail);
    }
    return problems.length === 0;
  }
}
