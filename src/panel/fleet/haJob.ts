// The HA workflow of a clustered VM in the fleet panel: prepared (every step shown with its script), run
// after the admin confirms, cancelled, and picked up from its journal after a reload. No 'vscode' here:
// the panel renders `view()` and routes the webview's messages to `handle()`.
import * as l10n from '@vscode/l10n';
import type { Vm } from '../../hyperv/model';
import {
  prepareHaWorkflow,
  resumeHaWorkflows,
  type HaWorkflow,
  type HaWorkflowOptions,
  type HaWorkflowState,
} from '../../migration/haWorkflow';
import { haRecord } from '../../migration/history';
import { createPreflightEngine } from '../../migration/preflight';
import type { MigrationRequest } from '../../migration/types';
import type { Credential } from '../../powershell/types';
import type { HaView } from '../fleetProtocol';
import { haView } from './haViews';
import { FleetJobBase, type MessagesOf } from './fleetJobBase';
import { credentialsFor, errorText } from './jobContext';

/** The webview's messages for the HA workflow. */
export const HA_MESSAGES = ['haStart', 'haCancel', 'haShowScript'] as const;
export type HaMessage = MessagesOf<(typeof HA_MESSAGES)[number]>;

interface HaRun {
  readonly request: MigrationRequest;
  preparing: boolean;
  unavailable?: string;
  workflow?: HaWorkflow;
  subscription?: { dispose(): void };
}

export class HaJob extends FleetJobBase<HaRun> {
  title(): string {
    const vmName = this.current?.request.vmName;
    return vmName ? `${l10n.t('Move a clustered VM')}: ${vmName}` : l10n.t('Move a clustered VM');
  }

  /**
   * Migrate… of a clustered VM: prepares the guarded HA workflow (check, remove the role, move, add the
   * role on a destination cluster, verify; HA restored on the source cluster if the move fails or is
   * cancelled) and shows every step with its script. `start()` runs it.
   */
  async prepare(vm: Vm, destination: string): Promise<HaWorkflow | undefined> {
    if (this.running) {
      this.ctx.reveal('ha');
      throw new Error(
        l10n.t('The HA workflow of {0} is running: let it end, or cancel it, first.', this.current?.request.vmName ?? l10n.t('a VM')),
      );
    }
    this.current?.subscription?.dispose();
    const job: HaRun = { request: { vmId: vm.id, vmName: vm.name, source: vm.host, destination }, preparing: true };
    this.current = job;
    this.ctx.reveal('ha');
    try {
      const credentialFor = await credentialsFor(this.ctx.deps, [vm.host, destination]);
      const prepared = await prepareHaWorkflow(this.options(credentialFor), job.request);
      if (this.current !== job) return undefined;
      if (!prepared.ok) {
        job.unavailable = prepared.message;
        return undefined;
      }
      job.workflow = prepared.workflow;
      job.subscription = prepared.workflow.onDidChange(() => this.ctx.changed());
      return prepared.workflow;
    } catch (error) {
      job.unavailable = errorText(error);
      return undefined;
    } finally {
      job.preparing = false;
      this.ctx.changed();
    }
  }

  private get running(): boolean {
    return this.current?.workflow?.snapshot().phase === 'running';
  }

  private workflow(): HaWorkflow {
    const workflow = this.current?.workflow;
    if (!workflow) throw new Error(this.current?.unavailable ?? l10n.t('There is no HA workflow: run Migrate… on a clustered VM first.'));
    return workflow;
  }

  /** Runs the workflow after the admin confirms; resolves when it ended and the fleet was read again. Undefined when declined. */
  async start(): Promise<HaWorkflowState | undefined> {
    const workflow = this.workflow();
    const s = workflow.snapshot();
    if (s.phase !== 'ready')
      throw new Error(
        s.phase === 'running' ? 'The workflow is running.' : 'The workflow has run: run Migrate… again to move the VM again.',
      );
    const { vmName, destination, source } = s.request;
    const end = s.destinationCluster
      ? l10n.t('On {0} it is added as a role of {1} (HA on).', destination, s.destinationCluster)
      : l10n.t('{0} is not a cluster node: {1} stays a plain VM there, not highly available.', destination, vmName);
    const confirmed = await this.ctx.ui.confirm(
      l10n.t('Move {0} out of cluster {1} to {2}?', vmName, s.sourceCluster, destination),
      l10n.t(
        "The role '{0}' is removed from {1}: {2} is not highly available while it moves. {3}\n\nIf the move fails or is cancelled, the role is restored on {1} and {2} keeps running on {4}.",
        s.role,
        s.sourceCluster,
        vmName,
        end,
        source,
      ),
      l10n.t('Move'),
    );
    if (!confirmed) return undefined;
    const startedAt = new Date().toISOString();
    const final = await workflow.run();
    void this.ctx.deps.history?.record(haRecord(final, startedAt));
    await this.ctx.deps.fleet.refresh();
    return final;
  }

  /** What an HA workflow runs with, started here or picked up from the journal. */
  private options(credentialFor: (host: string) => Credential | undefined): HaWorkflowOptions {
    const { deps } = this.ctx;
    return {
      runner: deps.runner,
      executor: deps.executor,
      preflight: createPreflightEngine(deps.runner, { credentialFor }),
      credentialFor,
      logger: deps.logger,
      journalDir: deps.haJournalDir,
    };
  }

  /**
   * After a reload (activation calls it): the HA workflows VS Code left unfinished are picked up from their
   * journal and finished without asking again (the admin confirmed the whole workflow): a move that still
   * runs is followed to its end, then the VM's role is added on the destination cluster if it moved, or HA
   * is restored on the source cluster if it did not. The admin is told when it is picked up and how it
   * ended; the panel shows it. Resolves when they have ended.
   */
  async resume(): Promise<readonly HaWorkflowState[]> {
    // The hosts are known once the journal is read; the workflows look their credentials up only when they run.
    let lookup: (host: string) => Credential | undefined = () => undefined;
    const credentialFor = (host: string): Credential | undefined => lookup(host);
    const workflows = await resumeHaWorkflows(this.options(credentialFor));
    lookup = await credentialsFor(
      this.ctx.deps,
      workflows.flatMap((w) => [w.snapshot().request.source, w.snapshot().request.destination]),
    );
    return Promise.all(workflows.map((workflow) => this.finishResumed(workflow)));
  }

  private async finishResumed(workflow: HaWorkflow): Promise<HaWorkflowState> {
    const s = workflow.snapshot();
    const { vmName } = s.request;
    this.current?.subscription?.dispose();
    this.current = { request: s.request, preparing: false, workflow, subscription: workflow.onDidChange(() => this.ctx.changed()) };
    this.ctx.activate('ha');
    const then = s.destinationCluster
      ? l10n.t(
          '{0} is made a role of {1} if it moved, or HA is restored on {2} if it did not',
          vmName,
          s.destinationCluster,
          s.sourceCluster,
        )
      : l10n.t('HA is restored on {0} if {1} did not move', s.sourceCluster, vmName);
    this.ctx.tell(
      'warning',
      l10n.t('{0} It is finished now: a move still running is followed to its end, then {1}.', s.resumed ?? '', then),
      'ha',
    );
    const startedAt = new Date().toISOString();
    const final = await workflow.run();
    void this.ctx.deps.history?.record(haRecord(final, startedAt));
    await this.ctx.deps.fleet.refresh();
    this.ctx.tell(
      final.phase === 'succeeded' ? 'info' : 'warning',
      final.summary ?? l10n.t('The HA workflow of {0} ended: {1}.', vmName, final.phase),
      'ha',
    );
    return final;
  }

  /** Cancels: before the move nothing more changes; during it the move stops and HA is restored. */
  cancel(): Promise<void> {
    return this.workflow().cancel();
  }

  async showScript(): Promise<string> {
    const script = this.workflow().preview();
    await this.ctx.openScript(script);
    return script;
  }

  view(): HaView | null {
    const job = this.current;
    if (!job) return null;
    if (job.workflow) return haView(job.workflow.snapshot());
    const { request } = job;
    return {
      vmId: request.vmId,
      vmName: request.vmName,
      source: request.source,
      destination: request.destination,
      sourceCluster: '',
      destinationCluster: null,
      role: '',
      phase: job.preparing ? 'preparing' : 'unavailable',
      ...(job.unavailable ? { message: job.unavailable } : {}),
      steps: [],
      findings: [],
    };
  }

  handle(message: HaMessage): Promise<void> {
    return this.dispatch(message, {
      haStart: () => this.start(),
      haCancel: () => this.cancel(),
      haShowScript: () => this.showScript(),
    });
  }

  /** Nothing more of a running HA workflow is done or journaled: the next extension host picks it up. */
  dispose(): void {
    this.current?.subscription?.dispose();
    this.current?.workflow?.dispose();
  }
}
