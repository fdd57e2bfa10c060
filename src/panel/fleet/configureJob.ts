// Configure Live Migration in the fleet panel: the hosts' settings read as a matrix of every pair, the
// smallest plan that makes every pair ready, applied after the admin confirms and proven by a re-read, and
// the Kerberos tickets refreshed where AD changed. No 'vscode' here: the panel renders `view()` and routes
// the webview's messages to `handle()`.
import * as l10n from '@vscode/l10n';
import {
  applyFleetConfiguration,
  isFleetReady,
  planFleetConfiguration,
  readFleetConfiguration,
  refreshKerberosTickets,
  refreshTicketsPreview,
  type ChangeResult,
  type ConfigChange,
  type FleetApplyResult,
  type FleetConfiguration,
  type FleetConfigurationPlan,
  type TicketRefresh,
} from '../../migration/fleetConfig';
import type { ConfigureView } from '../fleetProtocol';
import { appliedText, applyConfirmation, changeView, configHostView, matrixCell, readyCount } from './configureViews';
import { FleetJobBase, type MessagesOf } from './fleetJobBase';
import { credentialsFor, errorText } from './jobContext';

/** The webview's messages for Configure Live Migration. */
export const CONFIGURE_MESSAGES = [
  'configureRead',
  'configureShowScript',
  'configureApply',
  'configureRefreshTickets',
  'configureShowTicketScript',
] as const;
export type ConfigureMessage = MessagesOf<(typeof CONFIGURE_MESSAGES)[number]>;

interface Configuration {
  readonly hosts: readonly string[];
  busy: string | null;
  error?: string;
  config?: FleetConfiguration;
  plan?: FleetConfigurationPlan;
  applied?: {
    readonly ok: boolean;
    readonly text: string;
    readonly changes: readonly ConfigChange[];
    readonly results: readonly ChangeResult[];
  };
  refreshHosts: readonly string[];
  tickets?: readonly TicketRefresh[];
}

export class ConfigureJob extends FleetJobBase<Configuration> {
  title(): string {
    return `${l10n.t('Configure live migration')}: ${l10n.t('{0} hosts', this.current?.hosts.length ?? 0)}`;
  }

  /** Opens the panel on the hosts' live-migration configuration: reads it, shows the matrix and the plan. */
  async open(hosts: readonly string[]): Promise<FleetConfiguration | undefined> {
    if (this.current?.busy)
      throw new Error(l10n.t('Live migration is being configured already ({0}); wait for it to end.', this.current.busy));
    if (hosts.length < 2) throw new Error(l10n.t('Live migration runs between hosts: choose at least two.'));
    this.current = { hosts: [...hosts], busy: null, refreshHosts: [] };
    this.ctx.reveal('configure');
    return this.read();
  }

  private configuring(): Configuration {
    const job = this.current;
    if (!job) throw new Error(l10n.t('Configure Live Migration is not open: run it on the hosts first.'));
    return job;
  }

  /** Reads every host again (one round trip each) and plans. */
  async read(): Promise<FleetConfiguration | undefined> {
    const job = this.configuring();
    return this.busy(job, l10n.t('Reading {0} hosts…', job.hosts.length), () => this.readHosts(job));
  }

  private async readHosts(job: Configuration): Promise<FleetConfiguration> {
    const credentialFor = await credentialsFor(this.ctx.deps, job.hosts);
    const config = await readFleetConfiguration(this.ctx.deps.runner, job.hosts, undefined, { credentialFor });
    job.config = config;
    job.plan = planFleetConfiguration(config);
    job.error = undefined;
    return config;
  }

  private async busy<T>(job: Configuration, what: string, work: () => Promise<T>): Promise<T | undefined> {
    if (job.busy) throw new Error(`Wait: ${job.busy}`);
    job.busy = what;
    this.ctx.changed();
    try {
      return await work();
    } catch (error) {
      job.error = errorText(error);
      this.ctx.deps.logger.error(`Configure live migration: ${job.error}`);
      return undefined;
    } finally {
      job.busy = null;
      this.ctx.changed();
    }
  }

  /** "Show PowerShell": the whole plan as one script. */
  script(): string {
    const plan = this.configuring().plan;
    if (!plan) throw new Error(l10n.t('The hosts have not been read yet.'));
    return plan.script;
  }

  async showScript(): Promise<string> {
    const script = this.script();
    await this.ctx.openScript(script);
    return script;
  }

  /**
   * Applies the plan after the admin confirms (the AD changes are listed), then reads every host again:
   * the matrix shows what the hosts say now. Undefined when the admin declined.
   */
  async apply(): Promise<FleetApplyResult | undefined> {
    const job = this.configuring();
    const plan = job.plan;
    if (!plan || !job.config) throw new Error(l10n.t('The hosts have not been read yet.'));
    if (plan.changes.length === 0) throw new Error(l10n.t('Nothing to change: every pair that could be read is ready.'));
    const { message, detail } = applyConfirmation(plan);
    const confirmed = await this.ctx.ui.confirm(message, detail, l10n.t('Apply'));
    if (!confirmed) return undefined;
    const before = readyCount(job.config);
    const { deps } = this.ctx;
    return this.busy(job, l10n.t('Applying {0} changes…', plan.changes.length), async () => {
      const credentialFor = await credentialsFor(deps, job.hosts);
      const result = await applyFleetConfiguration(deps.runner, plan, undefined, { credentialFor });
      job.refreshHosts = plan.refreshHosts;
      job.tickets = undefined;
      job.busy = l10n.t('Reading the hosts again…');
      this.ctx.changed();
      const after = await this.readHosts(job).catch((error: unknown) => {
        job.error = l10n.t('The changes ran, but reading the hosts again failed: {0}', errorText(error));
        return undefined;
      });
      job.applied = { ok: result.ok, text: appliedText(result, before, after), changes: plan.changes, results: result.results };
      deps.logger.info(`Configure live migration: ${job.applied.text}`);
      this.ctx.background(l10n.t('Reading the configured hosts again'), deps.fleet.refresh(job.hosts));
      return result;
    });
  }

  /** The hosts whose AD account the last apply changed, or every host. */
  private ticketHosts(job: Configuration): readonly string[] {
    return job.refreshHosts.length > 0 ? job.refreshHosts : job.hosts;
  }

  /** Purges the computer account's Kerberos tickets on the hosts whose AD account changed (or every host). */
  async refreshTickets(): Promise<readonly TicketRefresh[] | undefined> {
    const job = this.configuring();
    const hosts = this.ticketHosts(job);
    return this.busy(job, l10n.t('Refreshing Kerberos tickets on {0} hosts…', hosts.length), async () => {
      const credentialFor = await credentialsFor(this.ctx.deps, hosts);
      const tickets = await refreshKerberosTickets(this.ctx.deps.runner, hosts, undefined, { credentialFor });
      job.tickets = tickets;
      return tickets;
    });
  }

  async showTicketScript(): Promise<string> {
    const hosts = this.ticketHosts(this.configuring());
    const script = [
      "# Refresh the Kerberos tickets of the hosts' computer accounts (after AD has replicated the delegation changes).",
      ...hosts.map((h) => refreshTicketsPreview(h)),
    ].join('\n');
    await this.ctx.openScript(script);
    return script;
  }

  view(): ConfigureView | null {
    const job = this.current;
    if (!job) return null;
    const config = job.config;
    const results = new Map((job.applied?.results ?? []).map((r) => [r.id, r]));
    return {
      hosts: job.hosts,
      busy: job.busy,
      ...(job.error ? { error: job.error } : {}),
      ...(config ? { readAt: config.readAt } : {}),
      hostRows: config?.hosts.map(configHostView) ?? [],
      cells: config?.pairs.map(matrixCell) ?? [],
      readyPairs: config ? readyCount(config) : 0,
      pairs: config?.pairs.length ?? 0,
      allReady: config ? isFleetReady(config) : false,
      changes: job.plan?.changes.map((c) => changeView(c)) ?? [],
      notes: job.plan?.notes ?? [],
      unplanned: job.plan?.unplanned.map((p) => `${p.source} → ${p.destination}`) ?? [],
      ...(job.applied
        ? {
            applied: {
              ok: job.applied.ok,
              text: job.applied.text,
              changes: job.applied.changes.map((c) => changeView(c, results.get(c.id))),
            },
          }
        : {}),
      refreshHosts: job.refreshHosts,
      ...(job.tickets
        ? { tickets: job.tickets.map((t) => ({ host: t.host, ok: t.ok, ...(t.error ? { message: t.error.message } : {}) })) }
        : {}),
    };
  }

  handle(message: ConfigureMessage): Promise<void> {
    return this.dispatch(message, {
      configureRead: () => this.read(),
      configureShowScript: () => this.showScript(),
      configureApply: () => this.apply(),
      configureRefreshTickets: () => this.refreshTickets(),
      configureShowTicketScript: () => this.showTicketScript(),
    });
  }
}
