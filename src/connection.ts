import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CredentialStore } from './credentials';
import type { FleetSource } from './hyperv/fleet';
import type { HostTarget } from './hyperv/inventory';
import { ensureLab } from './hyperv/lab';
import { hostKey } from './hyperv/hostName';
import { resolveExecutable } from './powershell/executable';
import { openAhead } from './powershell/hostSessions';
import { PowerShellPool, startsAtOnceFor } from './powershell/pool';
import { damagedProfileMessage, findDamagedProfiles, powershellCacheDirectory } from './powershell/startupProfile';
import type { Credential, Logger, PowerShellRunner } from './powershell/types';
import { readSettings, type Settings } from './settings';

/**
 * The lab's admin: in lab mode every host is reached with this credential (unless one is stored), as an admin
 * of a real fleet stores one (Set Credentials…), so the report flow on a source can reach the destination
 * (-DestinationCredential; README, Requirements). The lab accepts any password: this one guards nothing.
 */
export const LAB_ADMIN: Credential = Object.freeze({ userName: 'CONTOSO\\labadmin', password: 'lab' });

/**
 * Where the cmdlets come from: the lab (our module over a lab file in global storage) or real hosts. Owns
 * the PowerShell pool and rebuilds it when a setting that shapes it changes.
 */
export class Connection implements vscode.Disposable {
  private pool: Promise<PowerShellPool> | undefined;
  private poolKey = '';
  /** The pool warmUp() last started sessions in. */
  private warmed: Promise<PowerShellPool> | undefined;
  private settings: Settings = readSettings();
  private labHosts: string[] | undefined;
  private profilesChecked = false;
  private readonly credentials: CredentialStore;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly logger: Logger,
  ) {
    this.credentials = new CredentialStore(context.secrets, context.globalState);
  }

  get mode(): Settings['mode'] {
    return this.settings.mode;
  }

  get labFile(): string {
    return process.env.HYPERV_LAB_PATH ?? path.join(this.context.globalStorageUri.fsPath, 'lab.json');
  }

  get labModule(): string {
    return this.context.asAbsolutePath(path.join('src', 'lab', 'HyperVLab', 'HyperVLab.psd1'));
  }

  /** Re-reads the settings; the next call gets a new pool if the executable, size or mode changed. */
  reload(): void {
    this.settings = readSettings();
    this.labHosts = undefined;
  }

  /** The lab's host list changed (reset): read it again on the next refresh. */
  forgetLabHosts(): void {
    this.labHosts = undefined;
  }

  /** The pool for the current settings; concurrent callers get the same one. */
  runner(): Promise<PowerShellRunner> {
    const s = this.settings;
    const key = JSON.stringify([s.mode, s.powershellPath, s.poolSize, s.timeoutMs, s.mode === 'lab' ? this.labFile : '']);
    if (this.pool && key === this.poolKey) return this.pool;
    const old = this.pool;
    this.poolKey = key;
    this.pool = resolveExecutable(s.powershellPath).then(
      (executable) =>
        new PowerShellPool({
          executable,
          size: s.poolSize,
          startsAtOnce: startsAtOnceFor(),
          defaultTimeoutMs: s.timeoutMs,
          logger: this.logger,
          cacheHome: path.join(this.context.globalStorageUri.fsPath, 'pwsh-cache'),
          ...(s.mode === 'lab' ? { env: { HYPERV_LAB_PATH: this.labFile }, modules: [this.labModule] } : {}),
        }),
    );
    if (old) void old.then((pool) => pool.dispose());
    if (!this.profilesChecked) {
      this.profilesChecked = true;
      void this.checkStartupProfiles().catch((error: unknown) =>
        this.logger.warn(`Reading PowerShell's startup profiles failed: ${String(error)}`),
      );
    }
    return this.pool;
  }

  /**
   * Gets ready for the next action while the user looks at the tree: starts sessions ahead of need, one per host the
   * tree shows (at most the pool's size), in the background, once per pool. Called when the tree's first read is
   * done, so the starts (one per two cores at a time) do not slow it; a call that comes meanwhile takes a session as
   * soon as one is free rather than wait for a start (PowerShellPool.sessionFor). When every host can have a session
   * of its own, each then opens its host's remoting session (Open-OnHosts, no call in it), so that a first read of
   * all of them (Configure Live Migration) finds its connections open, as a second one does; on a larger fleet the
   * tree's own batches already hold one per host.
   */
  warmUp(hosts: readonly string[]): void {
    const pool = this.pool;
    if (!pool || this.warmed === pool) return;
    this.warmed = pool;
    void pool
      .then((ready) => openAhead(ready, hosts, this.settings.poolSize, (host) => this.knownCredential(host), hostKey))
      .catch((error: unknown) => this.logger.warn(`Starting PowerShell sessions ahead of need failed: ${String(error)}`));
  }

  /**
   * Tells the user, once, when PowerShell's own startup profile (theirs, shared by every pwsh they start) is
   * damaged: the sessions do not read it (startupProfile.ts), but their terminals do. Deleted only when they say so.
   */
  private async checkStartupProfiles(): Promise<void> {
    for (const damaged of await findDamagedProfiles(powershellCacheDirectory())) {
      const message = damagedProfileMessage(damaged);
      if (!damaged.fatal) {
        this.logger.info(message);
        continue;
      }
      this.logger.warn(message);
      const deleteFile = vscode.l10n.t('Delete File');
      const showLog = vscode.l10n.t('Show Log');
      const choice = await vscode.window.showWarningMessage(message, deleteFile, showLog);
      if (choice === deleteFile) {
        await rm(damaged.file, { force: true });
        this.logger.info(`Deleted "${damaged.file}" as asked; PowerShell writes a new one at its next start.`);
      } else if (choice === showLog) {
        await vscode.commands.executeCommand('hyperv.log.show');
      }
    }
  }

  /** The fleet to read: the lab's hosts, or the configured hosts with their stored credentials. */
  async source(): Promise<FleetSource | undefined> {
    const runner = await this.runner();
    if (this.settings.mode === 'lab') {
      if (!this.labHosts) {
        const lab = await ensureLab(runner, this.labFile);
        if (!lab.ok) throw new Error(vscode.l10n.t('The lab at {0} could not be read: {1}', this.labFile, lab.error.message));
        this.labHosts = lab.data.hosts;
      }
      return { runner, hosts: this.labHosts.map((name) => ({ name })) };
    }
    if (this.settings.hosts.length === 0) return undefined;
    const hosts: HostTarget[] = [];
    for (const name of this.settings.hosts) {
      const credential = await this.credential(name);
      hosts.push(credential ? { name, credential } : { name });
    }
    return { runner, hosts };
  }

  /** A host's stored credential, under whichever name of the host it was stored (in lab mode, the lab's admin when none is stored). */
  async credential(host: string): Promise<Credential | undefined> {
    return (await this.credentials.get(host)) ?? (this.settings.mode === 'lab' ? LAB_ADMIN : undefined);
  }

  /** A host's credential as last read from secret storage (every refresh reads them): for synchronous callers. */
  knownCredential(host: string): Credential | undefined {
    return this.credentials.cached(host) ?? (this.settings.mode === 'lab' ? LAB_ADMIN : undefined);
  }

  async setCredential(host: string, credential: Credential): Promise<void> {
    await this.credentials.set(host, credential);
  }

  async clearCredential(host: string): Promise<boolean> {
    return this.credentials.clear(host);
  }

  dispose(): void {
    void this.pool?.then((pool) => pool.dispose());
    this.pool = undefined;
  }
}
