import * as vscode from 'vscode';
import { modalUi, openScript, PanelHost } from './webviewHost';
import type { Fleet } from '../hyperv/fleet';
import type { Vm } from '../hyperv/model';
import type { MoveHandle, MoveRecord } from '../migration/types';
import { inBackground } from '../logger';
import type { Logger } from '../powershell/types';
import { MigrationSession, type MigrationCore, type PanelUi } from './migrationSession';
import { MoveSamples } from '../migration/moveSamples';
import { dispatch } from './messages';
import { parseFromWebview, type Choices, type FromWebview, type PanelIntent, type PanelState } from './protocol';
import { moveView, summarizeHost } from './summaries';

const TITLES: Readonly<Record<PanelIntent, () => string>> = {
  check: () => vscode.l10n.t('Check migration'),
  migrate: () => vscode.l10n.t('Migrate'),
  copy: () => vscode.l10n.t('Migration as PowerShell'),
  moves: () => vscode.l10n.t('Migrations'),
};

function title(intent: PanelIntent): string {
  return TITLES[intent]();
}

/**
 * The migration panel and its controller. The extension owns the state (one MigrationSession per VM, the
 * executor's moves) and pushes snapshots; the webview renders them and asks. Nothing is posted before the
 * webview says it is ready. Commands and tests drive the same methods the webview's messages reach.
 */
export class MigrationPanel implements vscode.Disposable {
  private intent: PanelIntent = 'moves';
  private sessions: MigrationSession[] = [];
  /** Every move this window has seen (started here or re-attached), by id, with its progress over time. */
  private readonly moves = new Map<string, { record: MoveRecord; running: boolean; samples: MoveSamples }>();
  private readonly followed = new Set<MoveHandle>();
  private readonly subscriptions: { dispose(): void }[] = [];
  private readonly host: PanelHost<FromWebview, PanelState>;

  constructor(
    extensionUri: vscode.Uri,
    private readonly fleet: Fleet,
    private readonly isLab: () => boolean,
    private readonly logger: Logger,
    private readonly core: MigrationCore,
    private readonly ui: PanelUi = modalUi,
    /** Why no VM may go to a host now (maintenance), or undefined: such a host is shown, not offered, not checked. */
    private readonly closed: (host: string) => string | undefined = () => undefined,
  ) {
    this.host = new PanelHost({
      extensionUri,
      viewType: 'hyperv.migration',
      // Without taking the focus: the destination quick pick opens on top of the panel right after.
      preserveFocus: true,
      bundle: 'webview',
      parse: parseFromWebview,
      handle: (message) => this.handle(message),
      logger,
      name: 'panel',
      state: () => this.state(),
      closed: () => {
        for (const s of this.sessions) s.dispose();
        this.sessions = [];
      },
    });
    this.subscriptions.push(
      fleet.onDidChange(() => this.host.changed()),
      core.executor.onDidChange(() => this.followRunning()),
    );
    this.followRunning();
  }

  /** Fires when the state changes (the destination quick pick follows the readiness through it). */
  onDidChange(listener: () => void): { dispose(): void } {
    return this.host.onDidChange(listener);
  }

  /** The state the webview shows now (also what tests read). */
  state(): PanelState {
    const vms = this.sessions.map((s) => s.vm());
    const names = vms.map((vm) => vm.name);
    const subject = this.intent === 'moves' ? '' : names.join(', ');
    const sections = this.sessions.map((s) => s.view());
    return {
      intent: this.intent,
      title: subject ? `${title(this.intent)}: ${subject}` : title(this.intent),
      lab: this.isLab(),
      vms: sections.map((s) => s.vm),
      fleet: this.fleet.hosts().map(summarizeHost),
      migrating: this.fleet
        .vms()
        .filter((vm) => vm.migrationPercent !== null || /migrat/i.test(vm.status))
        .map((vm) => `${vm.name}${vm.migrationPercent !== null ? ` (${vm.migrationPercent}%)` : ''}`),
      sections,
      moves: [...this.moves.values()]
        .map(({ record, running, samples }) => ({ ...moveView(record, running), samples: samples.list() }))
        .sort((a, b) => b.startedAt.localeCompare(a.startedAt)),
    };
  }

  get visible(): boolean {
    return this.host.visible;
  }

  /**
   * Opens the panel on VMs (check, migrate, copy: one section each, whose destinations are checked in
   * parallel right away), or on the moves.
   */
  show(intent: PanelIntent, vms: readonly Vm[] = []): MigrationSession[] {
    this.intent = intent;
    if (intent === 'moves') {
      // The moves list: the VMs' sections stay as they are, for when a VM command opens the panel again.
      this.host.reveal();
      return this.sessions;
    }
    const kept = new Map(this.sessions.map((s) => [s.vmId, s]));
    for (const s of this.sessions) if (!vms.some((vm) => vm.id === s.vmId)) s.dispose();
    this.sessions = vms.map((vm) => kept.get(vm.id) ?? this.newSession(vm));
    this.host.reveal();
    return this.sessions;
  }

  private newSession(vm: Vm): MigrationSession {
    const session = new MigrationSession(vm, {
      fleet: this.fleet,
      core: this.core,
      ui: this.ui,
      logger: this.logger,
      changed: () => this.host.changed(),
      closed: this.closed,
    });
    const running = this.core.executor.running().find((h) => h.record().plan.request.vmId === vm.id);
    if (running) session.attach(running);
    else inBackground(this.logger, vscode.l10n.t('Checking destinations for {0}', vm.name), session.checkDestinations());
    return session;
  }

  session(vmId: string): MigrationSession {
    const session = this.sessions.find((s) => s.vmId === vmId);
    if (!session) throw new Error(vscode.l10n.t('That VM is not in the migration panel any more.'));
    return session;
  }

  // The controller: what the webview's buttons, the commands and the tests do.

  choose(vmId: string, host: string): Promise<void> {
    return this.session(vmId).choose(host);
  }

  recheck(vmId: string): Promise<void> {
    return this.session(vmId).recheck();
  }

  checkDestinations(vmId: string): Promise<void> {
    return this.session(vmId).checkDestinations();
  }

  async applyFix(vmId: string, findingId: string, fixId: string, choices: Choices = {}): Promise<boolean> {
    const applied = await this.session(vmId).applyFix(findingId, fixId, choices);
    // The walkthrough's "fix one" step.
    if (applied) void vscode.commands.executeCommand('setContext', 'hyperv.walkthrough.fixApplied', true);
    return applied;
  }

  /** "Show PowerShell": the fix's exact script in an untitled PowerShell editor beside the panel. */
  async showFixScript(vmId: string, findingId: string, fixId: string, choices: Choices = {}): Promise<string> {
    const script = this.session(vmId).fixScript(findingId, fixId, choices);
    await openScript(script);
    return script;
  }

  async migrate(vmId: string): Promise<MoveHandle> {
    const handle = await this.session(vmId).migrate();
    this.follow(handle);
    return handle;
  }

  /** After a failure: check again, and move again when nothing blocks. */
  async retry(vmId: string): Promise<MoveHandle | undefined> {
    const session = this.session(vmId);
    await session.recheck();
    if (!session.view().migrate.enabled) return undefined;
    return this.migrate(vmId);
  }

  async cancel(moveId: string): Promise<void> {
    const handle = this.core.executor.running().find((h) => h.record().id === moveId);
    if (!handle) throw new Error(vscode.l10n.t('That move is not running any more.'));
    await handle.cancel();
  }

  /** "Copy as PowerShell": the whole plan of one VM's move on the clipboard. */
  async copyScript(vmId: string): Promise<string> {
    const session = this.session(vmId);
    const script = session.script();
    await vscode.env.clipboard.writeText(script);
    void vscode.window.showInformationMessage(
      vscode.l10n.t('The migration of {0} to {1} is on the clipboard as PowerShell.', session.vm().name, session.chosen ?? ''),
    );
    return script;
  }

  /** Re-attaches to moves the journal says were running when VS Code went away (activation calls it). */
  async recover(): Promise<readonly MoveRecord[]> {
    const records = await this.core.executor.recover();
    for (const record of records) if (!this.moves.has(record.id)) this.note(record, false);
    this.followRunning();
    return records;
  }

  /** Keeps a move's latest record and its progress as a sample. */
  private note(record: MoveRecord, running: boolean): void {
    const samples = this.moves.get(record.id)?.samples ?? new MoveSamples();
    samples.add(record);
    this.moves.set(record.id, { record, running, samples });
  }

  private followRunning(): void {
    for (const handle of this.core.executor.running()) this.follow(handle);
    this.host.changed();
  }

  /**
   * Follows a move wherever it started: the moves list, its VM's section, and the fleet, read once the
   * move runs on the host (the tree shows "Migrating N%" and the MoveWatcher keeps it live) and once more
   * at the end.
   */
  private follow(handle: MoveHandle): void {
    if (this.followed.has(handle)) return;
    this.followed.add(handle);
    const record = handle.record();
    const { request } = record.plan;
    this.note(record, true);
    // The hosts are read once the move runs there (a started move is first journaled, then begun).
    let read = false;
    const readOnceRunning = (r: MoveRecord) => {
      if (read || r.progress.phase === 'starting') return;
      read = true;
      inBackground(
        this.logger,
        vscode.l10n.t('Reading {0} and {1}', request.source, request.destination),
        this.fleet.refresh([request.source, request.destination]),
      );
    };
    const subscription = handle.onProgress((r) => {
      this.note(r, true);
      readOnceRunning(r);
      this.host.changed();
    });
    this.sessions.find((s) => s.vmId === request.vmId)?.attach(handle);
    readOnceRunning(record);
    const followed = handle.done
      .catch((error: unknown): MoveRecord => {
        this.logger.warn(`panel: move ${record.id} ended without an outcome: ${String(error)}`);
        return handle.record();
      })
      .then((final) => {
        subscription.dispose();
        this.followed.delete(handle);
        this.note(final, false);
        // The walkthrough's "migrate" step.
        if (final.outcome?.phase === 'succeeded') void vscode.commands.executeCommand('setContext', 'hyperv.walkthrough.moved', true);
        const refreshed = this.fleet.refresh();
        this.sessions.find((s) => s.vmId === request.vmId)?.ended(handle, final, refreshed);
        this.host.changed();
      });
    inBackground(this.logger, vscode.l10n.t('Following the move of {0}', request.vmName), followed);
    this.host.changed();
  }

  private handle(message: FromWebview): Promise<void> {
    return dispatch(
      message,
      {
        ready: () => this.host.webviewReady(),
        refresh: () => this.fleet.refresh(),
        showLog: () => vscode.commands.executeCommand('hyperv.log.show'),
        choose: (m) => this.choose(m.vmId, m.host),
        recheck: (m) => this.recheck(m.vmId),
        checkDestinations: (m) => this.checkDestinations(m.vmId),
        applyFix: (m) => this.applyFix(m.vmId, m.findingId, m.fixId, m.choices),
        showFixScript: (m) => this.showFixScript(m.vmId, m.findingId, m.fixId, m.choices),
        migrate: (m) => this.migrate(m.vmId),
        retry: (m) => this.retry(m.vmId),
        cancel: (m) => this.cancel(m.moveId),
        copyScript: (m) => this.copyScript(m.vmId),
      },
      this.logger,
      'panel',
    );
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    for (const s of this.sessions) s.dispose();
    this.host.dispose();
  }
}
