// Every check of HYPERV.md's table for one VM and destination, on the facts the two preflight scripts read,
// merged with what Compare-VM reported: one finding per cause, with the evidence of both. Pure functions:
// the engine (preflight.ts) reads, this file judges.
import * as l10n from '@vscode/l10n';
import { bytes, vendorName } from '../hyperv/format';
import { adNameProblem, sameHost } from '../hyperv/hostName';
import { volumeOf } from '../hyperv/volumes';
import type { PowerShellError } from '../powershell/types';
import type { DestinationFacts, SourceFacts } from './checksFacts';
import { hostIdPart, recognize, unknownId, type CompareKind, type Incompatibility, type Recognized } from './compareVm';
import type { Area, Evidence, Finding, FixOption, MigrationRequest, MovePlan, Severity } from './types';
import { keepsVhdFileName, vhdFileName, withSourceFileName } from './vhdFileName';

/** A side's reading: its facts, or why they could not be read. */
export type Reading<T> = { readonly ok: true; readonly facts: T } | { readonly ok: false; readonly error: PowerShellError };

export interface CheckInput {
  readonly request: MigrationRequest;
  readonly plan?: MovePlan;
  readonly source: Reading<SourceFacts>;
  readonly destination: Reading<DestinationFacts>;
  /** A credential goes with the check and the move for the source's hop to the destination (-DestinationCredential). */
  readonly handsOnCredential?: boolean;
}

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

/** VM states whose memory and processor state travel with the VM: a live move. */
const LIVE_STATES = ['Running', 'Paused', 'Saved', 'Starting', 'Stopping', 'Saving', 'Pausing', 'Resuming'];
/** VM states that hold memory the destination must have free. */
const MEMORY_STATES = ['Running', 'Paused', 'Starting', 'Resuming', 'Pausing'];
const SERVICES = ['Microsoft Virtual System Migration Service', 'cifs'];

const same = (a: string, b: string): boolean => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;
const quote = (value: string): string => `'${value.replace(/[\r\n\u0085\u2028\u2029]+/g, ' ')}'`;

/** The context every finding is written in: names as the admin knows them, and whatever was read. */
interface Context {
  readonly request: MigrationRequest;
  readonly plan?: MovePlan;
  readonly src?: SourceFacts;
  readonly dst?: DestinationFacts;
  readonly vmName: string;
  readonly source: string;
  readonly destination: string;
  readonly handsOnCredential: boolean;
}

/** Findings by id: a second finding for the same cause adds its evidence to the first. */
class Findings {
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

// ---------------------------------------------------------------------------------------------------
// Hosts

function hostFinding(role: 'source' | 'destination', host: string, error: PowerShellError): Finding {
  const source = role === 'source';
  const kinds: Partial<Record<PowerShellError['kind'], () => [string, string, string]>> = {
    hostUnreachable: () => [
      'unreachable',
      l10n.t('{0} does not answer', host),
      source
        ? l10n.t(
            'The source host {0} could not be reached (WinRM/DNS/firewall), so nothing on it could be checked and no move can start.',
            host,
          )
        : l10n.t(
            'The destination host {0} could not be reached (WinRM/DNS/firewall), so nothing on it could be checked and no move can start.',
            host,
          ),
    ],
    accessDenied: () => [
      'access-denied',
      l10n.t('Access to {0} was refused', host),
      source
        ? l10n.t(
            'The source host {0} answered but refused this account. Moving a VM needs Hyper-V Administrators (or local Administrators) on both hosts; set credentials for the host if this account is not one.',
            host,
          )
        : l10n.t(
            'The destination host {0} answered but refused this account. Moving a VM needs Hyper-V Administrators (or local Administrators) on both hosts; set credentials for the host if this account is not one.',
            host,
          ),
    ],
    moduleMissing: () => [
      'module-missing',
      l10n.t('A PowerShell module is missing for {0}', host),
      source
        ? l10n.t(
            'The checks of the source host {0} need the Hyper-V PowerShell module where this extension runs (RSAT: Hyper-V Management Tools).',
            host,
          )
        : l10n.t(
            'The checks of the destination host {0} need the Hyper-V PowerShell module where this extension runs (RSAT: Hyper-V Management Tools).',
            host,
          ),
    ],
    timeout: () => [
      'error',
      l10n.t('{0} did not answer in time', host),
      source
        ? l10n.t('Reading the source host {0} took longer than allowed; the host may be overloaded or the network slow.', host)
        : l10n.t('Reading the destination host {0} took longer than allowed; the host may be overloaded or the network slow.', host),
    ],
  };
  const [slug, title, cause] = kinds[error.kind]?.() ?? [
    'error',
    l10n.t('{0} could not be read', host),
    source
      ? l10n.t('Reading the source host {0} failed, so its checks could not run.', host)
      : l10n.t('Reading the destination host {0} failed, so its checks could not run.', host),
  ];
  return {
    id: `hosts.${slug}:${hostIdPart(host)}`,
    area: 'hosts',
    severity: 'blocker',
    title,
    cause,
    evidence: [{ source: `PowerShell → ${host}`, detail: error.message }],
    fixes: [],
  };
}

// ---------------------------------------------------------------------------------------------------
// Migration settings, concurrency

function migrationSettings(ctx: Context, findings: Findings): void {
  const hosts = [ctx.src && { facts: ctx.src.host, other: ctx.dst?.host }, ctx.dst && { facts: ctx.dst.host, other: ctx.src?.host }].filter(
    (h) => !!h,
  );
  for (const { facts, other } of hosts) {
    const evidence: Evidence = {
      source: `Get-VMHost -ComputerName ${facts.name}`,
      detail: `VirtualMachineMigrationEnabled: ${facts.migrationEnabled}, UseAnyNetworkForMigration: ${facts.useAnyNetwork}`,
    };
    if (!facts.migrationEnabled) {
      findings.add(migrationDisabled(facts.name, [evidence]));
    }
    if (!facts.useAnyNetwork && facts.networks.length === 0) {
      findings.add(
        noMigrationNetwork(facts.name, other?.networks ?? [], [
          evidence,
          { source: `Get-VMMigrationNetwork -ComputerName ${facts.name}`, detail: l10n.t('no networks') },
        ]),
      );
    }
  }
}

function migrationDisabled(host: string, evidence: readonly Evidence[]): Finding {
  return {
    id: `migration.disabled:${hostIdPart(host)}`,
    area: 'migration',
    severity: 'blocker',
    title: l10n.t('Live migration is turned off on {0}', host),
    cause: l10n.t(
      '{0} neither sends nor receives live migrations until live migration is enabled on it (Hyper-V Settings → Live Migrations).',
      host,
    ),
    evidence,
    fixes: [
      {
        id: 'enable-migration',
        title: l10n.t('Enable live migration on {0}', host),
        description: l10n.t(
          'Runs Enable-VMMigration on {0}: the host then sends and accepts live migrations on its migration networks. Other hosts are not changed.',
          host,
        ),
        destructive: false,
        appliesTo: 'host',
        args: { host },
      },
    ],
  };
}

function noMigrationNetwork(host: string, otherNetworks: readonly string[], evidence: readonly Evidence[]): Finding {
  const fixes: FixOption[] = [
    {
      id: 'use-any-network',
      title: l10n.t('Let {0} migrate over any network', host),
      description: l10n.t(
        'Runs Set-VMHost -UseAnyNetworkForMigration $true on {0}: live migrations may then use any of its networks, the management network included.',
        host,
      ),
      destructive: false,
      appliesTo: 'host',
      args: { host },
    },
  ];
  const subnets = [...new Set(otherNetworks)];
  if (subnets.length > 0) {
    fixes.push({
      id: 'add-migration-network',
      title: l10n.t('Add a migration network to {0}', host),
      description: l10n.t(
        'Runs Add-VMMigrationNetwork on {0} with the subnet you pick (the other host migrates on it), so migrations stay on that network.',
        host,
      ),
      destructive: false,
      appliesTo: 'host',
      choices: [{ name: 'subnet', label: l10n.t('Migration subnet'), options: subnets }],
      args: { host },
    });
  }
  return {
    id: `migration.no-network:${hostIdPart(host)}`,
    area: 'migration',
    severity: 'blocker',
    title: l10n.t('{0} has no network for live migration', host),
    cause: l10n.t(
      "{0} has no migration network and may not use any network, so it cannot send or receive the VM's memory and disks.",
      host,
    ),
    evidence,
    fixes,
  };
}

function concurrency(ctx: Context, findings: Findings): void {
  const src = ctx.src;
  const dst = ctx.dst;
  const vmId = ctx.request.vmId.toUpperCase();
  if (src && (/migrating/i.test(src.vm.status) || src.jobs.some((j) => j.vmId === vmId))) {
    findings.add({
      id: 'migration.already-moving',
      area: 'migration',
      severity: 'blocker',
      title: l10n.t('{0} is being migrated now', ctx.vmName),
      cause: l10n.t(
        'A migration of {0} is already running from {1}; Hyper-V refuses a second one until it ends.',
        ctx.vmName,
        src.host.name,
      ),
      evidence: [{ source: `Get-VM on ${src.host.name}`, detail: `Status: ${src.vm.status}` }],
      fixes: [],
    });
  }
  const all = [
    ...(src?.jobs.map((j) => ({ ...j, from: src.host.name })) ?? []),
    ...(dst?.jobs.map((j) => ({ ...j, from: dst.host.name })) ?? []),
  ];
  const seen = new Set<string>();
  for (const facts of [src?.host, dst?.host]) {
    if (!facts || seen.has(hostIdPart(facts.name))) continue;
    seen.add(hostIdPart(facts.name));
    const running = all.filter((j) => sameHost(j.from, facts.name) || sameHost(j.destinationHost, facts.name));
    const storage = running.filter((j) => j.jobType === 306 || j.jobType === 307);
    const full = running.length >= facts.maximumVmMigrations;
    const storageFull = storage.length >= facts.maximumStorageMigrations;
    if (!full && !storageFull) continue;
    const title = full
      ? l10n.t('{0} already runs {1} live migrations (its limit is {2})', facts.name, running.length, facts.maximumVmMigrations)
      : l10n.t('{0} already runs {1} storage migrations (its limit is {2})', facts.name, storage.length, facts.maximumStorageMigrations);
    findings.add({
      id: `migration.concurrency:${hostIdPart(facts.name)}`,
      area: 'migration',
      severity: 'warning',
      title,
      cause: l10n.t(
        "Hyper-V refuses a migration past the host's limit (event 21501). The move will wait in the queue until one of the running migrations ends; started by hand now, it would fail.",
      ),
      evidence: [
        {
          source: `Get-CimInstance Msvm_MigrationJob (JobState 4) on ${[...new Set(running.map((j) => j.from))].join(', ') || facts.name}`,
          detail: l10n.t('{0} running, {1} with storage', running.length, storage.length),
        },
        {
          source: `Get-VMHost -ComputerName ${facts.name}`,
          detail: `MaximumVirtualMachineMigrations: ${facts.maximumVmMigrations}, MaximumStorageMigrations: ${facts.maximumStorageMigrations}`,
        },
      ],
      fixes: [],
    });
  }
}

// ---------------------------------------------------------------------------------------------------
// Authentication and constrained delegation

function authentication(ctx: Context, findings: Findings): void {
  const src = ctx.src;
  if (!src) return;
  const dst = ctx.dst;
  const credssp = [src.host, dst?.host].filter((h) => !!h && /credssp/i.test(h.authenticationType));
  const sourceCredssp = /credssp/i.test(src.host.authenticationType);
  if (credssp.length > 0) {
    const names = credssp.map((h) => h!.name);
    const [first = '', second = ''] = names;
    const both = names.length > 1;
    // The move starts on the source, in a PowerShell session there, which Microsoft counts as the sign-in
    // CredSSP needs ("a local console session, a Remote Desktop session, or a remote Windows PowerShell session").
    const cause = sourceCredssp
      ? l10n.t(
          '{0} uses CredSSP, which needs the move started by someone signed in on {0}: this extension starts it in a PowerShell session on {0}, which counts. Credential Guard (on by default in Windows Server 2025) breaks CredSSP, and moving back needs the same on {1}. Kerberos with constrained delegation is the setup Microsoft recommends.',
          src.host.name,
          ctx.destination,
        )
      : both
        ? l10n.t(
            '{0} and {1} use CredSSP while {2} uses Kerberos: the hosts should agree, or moves back to {2} need a sign-in on {0} and {1}.',
            first,
            second,
            src.host.name,
          )
        : l10n.t(
            '{0} uses CredSSP while {1} uses Kerberos: the hosts should agree, or moves back to {1} need a sign-in on {0}.',
            first,
            src.host.name,
          );
    findings.add({
      id: 'authentication.credssp',
      area: 'authentication',
      severity: 'warning',
      title: both
        ? l10n.t('{0} and {1} authenticate migrations with CredSSP', first, second)
        : l10n.t('{0} authenticates migrations with CredSSP', first),
      cause,
      evidence: credssp.map((h) => ({
        source: `Get-VMHost -ComputerName ${h!.name}`,
        detail: `VirtualMachineMigrationAuthenticationType: ${h!.authenticationType}`,
      })),
      fixes: [
        {
          id: 'use-kerberos',
          title: both ? l10n.t('Switch {0} and {1} to Kerberos', first, second) : l10n.t('Switch {0} to Kerberos', first),
          description: both
            ? l10n.t(
                "Runs Set-VMHost -VirtualMachineMigrationAuthenticationType Kerberos on {0} and {1}. Kerberos needs constrained delegation from the source's AD account to the destination (checked below).",
                first,
                second,
              )
            : l10n.t(
                "Runs Set-VMHost -VirtualMachineMigrationAuthenticationType Kerberos on {0}. Kerberos needs constrained delegation from the source's AD account to the destination (checked below).",
                first,
              ),
          destructive: false,
          appliesTo: 'host',
          args: { hosts: names },
        },
      ],
    });
  }
  // The report flow runs on the source, and its connection to the destination is a second hop: with no
  // credential handed on, it has none of the admin's (learn.microsoft.com, "Making the second hop"), unless
  // delegation was set up for it. The compare's own answer tells: refused, it is this.
  const refused =
    src.compareError &&
    (src.compareError.kind === 'accessDenied' || /required permission|access is denied/i.test(src.compareError.message));
  if (refused && !ctx.handsOnCredential && !src.host.isLocal) {
    findings.add({
      id: 'authentication.second-hop',
      area: 'authentication',
      severity: 'blocker',
      title: l10n.t('{0} cannot reach {1} on your behalf', src.host.name, ctx.destination),
      cause: l10n.t(
        'Compare-VM and Move-VM -CompatibilityReport run on {0} itself (the report cmdlets have no -ComputerName), and from there {1} is a second hop, which a remoting session has no credentials for. Store a credential for {1} (Hyper-V: Set Credentials…): the check and the move pass it on as -DestinationCredential.',
        src.host.name,
        ctx.destination,
      ),
      evidence: [{ source: `Compare-VM on ${src.host.name}`, detail: src.compareError?.message ?? '' }],
      fixes: [],
    });
  }
  // Delegation is what Kerberos needs; a CredSSP move does not use it.
  if (sourceCredssp) return;
  if (!src.account) {
    const error = src.accountError;
    findings.add({
      id: 'authentication.unverified',
      area: 'authentication',
      severity: 'warning',
      title: l10n.t('Delegation of {0} could not be read', src.host.name),
      cause:
        error?.kind === 'moduleMissing'
          ? l10n.t(
              "Reading {0}'s AD account needs the ActiveDirectory PowerShell module (RSAT) where this extension runs. Without it, missing delegation shows only when the move fails (0x8009030D or 0x8009030E).",
              src.host.name,
            )
          : l10n.t(
              "{0}'s AD computer account could not be read, so its constrained delegation to {1} is unknown; if it is missing, the move fails with 0x8009030D or 0x8009030E.",
              src.host.name,
              ctx.destination,
            ),
      evidence: [{ source: `Get-ADComputer ${src.host.name}`, detail: error?.message ?? l10n.t('no answer') }],
      fixes: [],
    });
    return;
  }
  const account = src.account;
  // The accounts are found by the configured names and confirmed by AD's dNSHostName; the destination's
  // entries are its names as AD has them, never a name a host gives itself, never guessed. A destination
  // that could not be read at all has its own finding already.
  if (!dst) return;
  const sourceProblem = adNameProblem(ctx.request.source, account);
  const target = dst.account;
  const targetProblem = target ? adNameProblem(ctx.request.destination, target) : undefined;
  if (sourceProblem || targetProblem || !target) {
    const problem =
      sourceProblem ??
      targetProblem ??
      l10n.t("{0}'s AD computer account could not be read: {1}", ctx.request.destination, dst.accountError?.message ?? l10n.t('no answer'));
    findings.add({
      id: 'authentication.ad-name',
      area: 'authentication',
      severity: 'warning',
      title: l10n.t('Delegation from {0} to {1} cannot be checked', ctx.request.source, ctx.request.destination),
      cause: l10n.t(
        "{0} The delegation entries are made for the hosts' names as AD has their computers, so they are neither checked nor changed; if they are missing, a Kerberos move fails with 0x8009030D or 0x8009030E.",
        problem,
      ),
      evidence: [
        { source: `Get-ADComputer for ${ctx.request.source}`, detail: `${account.name}, dNSHostName ${account.dnsHostName || '(none)'}` },
        {
          source: `Get-ADComputer for ${ctx.request.destination}`,
          detail: target
            ? `${target.name}, dNSHostName ${target.dnsHostName || '(none)'}`
            : (dst.accountError?.message ?? l10n.t('not read')),
        },
      ],
      fixes: [],
    });
    return;
  }
  const destShort = target.name;
  const names = [target.name, target.dnsHostName].filter((n, i, all) => n && all.findIndex((m) => same(m, n)) === i);
  const required = SERVICES.flatMap((service) => names.map((name) => `${service}/${name}`));
  const missing = required.filter((entry) => !account.allowedToDelegateTo.some((have) => same(have, entry)));
  const listed: Evidence = {
    source: `Get-ADComputer ${account.name} -Properties msDS-AllowedToDelegateTo, TrustedToAuthForDelegation`,
    detail: `msDS-AllowedToDelegateTo: ${account.allowedToDelegateTo.length ? account.allowedToDelegateTo.join('; ') : '(none)'}; TrustedToAuthForDelegation: ${account.trustedToAuthForDelegation}`,
  };
  if (missing.length > 0) {
    findings.add({
      id: 'authentication.delegation',
      area: 'authentication',
      severity: 'blocker',
      title: l10n.t('{0} may not delegate to {1} ({2} of {3} entries missing)', src.host.name, destShort, missing.length, required.length),
      cause: l10n.t(
        'A Kerberos live migration started from here needs {0}\'s AD account to delegate both the migration service and cifs to {1}, by short name and FQDN; without them Move-VM fails with "The credentials supplied to the package were not recognized (0x8009030D)". Delegation is one-way: moving back needs {1}\'s own entries.',
        src.host.name,
        destShort,
      ),
      evidence: [listed, { source: l10n.t('missing entries'), detail: missing.join('; ') }],
      fixes: [
        {
          id: 'add-delegation',
          title: l10n.t('Add the {0} delegation entries to {1}', missing.length, account.name),
          description: account.trustedToAuthForDelegation
            ? l10n.t(
                "Changes {0}'s AD computer account: adds {1} to msDS-AllowedToDelegateTo. AD must replicate the change, and {2} needs a new Kerberos ticket (klist purge -li 0x3e7 on {2}, or a reboot) before it takes effect.",
                account.name,
                missing.join(', '),
                src.host.name,
              )
            : l10n.t(
                'Changes {0}\'s AD computer account: adds {1} to msDS-AllowedToDelegateTo and turns on "use any authentication protocol". AD must replicate the change, and {2} needs a new Kerberos ticket (klist purge -li 0x3e7 on {2}, or a reboot) before it takes effect.',
                account.name,
                missing.join(', '),
                src.host.name,
              ),
          destructive: true,
          appliesTo: 'ad',
          args: { account: account.name, entries: missing, host: src.host.name },
        },
      ],
    });
  }
  if (!account.trustedToAuthForDelegation) {
    findings.add({
      id: 'authentication.any-protocol',
      area: 'authentication',
      severity: 'blocker',
      title: l10n.t('{0}\'s delegation is "Kerberos only"', account.name),
      cause: l10n.t(
        'Since Windows Server 2016 a live migration needs "use any authentication protocol" (TrustedToAuthForDelegation) on the source\'s AD account; with Kerberos only, Move-VM fails with "No credentials are available in the security package (0x8009030E)".',
      ),
      evidence: [listed],
      fixes: [
        {
          id: 'allow-any-protocol',
          title: l10n.t('Let {0} delegate with any authentication protocol', account.name),
          description: l10n.t(
            "Changes {0}'s AD computer account: Set-ADAccountControl -TrustedToAuthForDelegation $true. AD must replicate the change, and {1} needs a new Kerberos ticket (klist purge -li 0x3e7 on {1}, or a reboot) before it takes effect.",
            account.name,
            src.host.name,
          ),
          destructive: true,
          appliesTo: 'ad',
          args: { account: account.name, host: src.host.name },
        },
      ],
    });
  }
}

// ---------------------------------------------------------------------------------------------------
// Processor

function processorVendor(ctx: Context, evidence: readonly Evidence[]): Finding {
  const from = ctx.src ? vendorName(ctx.src.host.cpuVendor) : l10n.t('one vendor');
  const to = ctx.dst ? vendorName(ctx.dst.host.cpuVendor) : l10n.t('another');
  return {
    id: 'processor.vendor',
    area: 'processor',
    severity: 'blocker',
    title: l10n.t('Processor vendors differ: {0} on {1}, {2} on {3}', from, ctx.source, to, ctx.destination),
    cause: l10n.t(
      'A running (or saved) VM cannot live-migrate between {0} and {1} processors: processor compatibility does not span vendors. Shut {2} down to move it offline, or choose a destination with {0} processors.',
      from,
      to,
      ctx.vmName,
    ),
    evidence,
    fixes: [],
  };
}

function processorEvidence(ctx: Context): Evidence[] {
  const evidence: Evidence[] = [];
  if (ctx.src) {
    evidence.push({
      source: `Get-VMProcessor (${ctx.vmName} on ${ctx.src.host.name})`,
      detail: `CompatibilityForMigrationEnabled: ${ctx.src.vm.compatibilityForMigration}`,
    });
    evidence.push({ source: `Win32_Processor on ${ctx.src.host.name}`, detail: `${ctx.src.host.cpuVendor}, ${ctx.src.host.cpuName}` });
  }
  if (ctx.dst)
    evidence.push({ source: `Win32_Processor on ${ctx.dst.host.name}`, detail: `${ctx.dst.host.cpuVendor}, ${ctx.dst.host.cpuName}` });
  return evidence;
}

/**
 * The processor compatibility fix as the VM's state makes it: the setting changes only while the VM is off
 * (Saved and Paused are not off), so any other VM is shut down cleanly and started again (the fix script,
 * fixProcessorCompatibility.ps1, does the same per state).
 */
function compatibilityFix(vm: string, state: string): FixOption {
  const option = (title: string, description: string, destructive: boolean): FixOption => ({
    id: 'enable-compatibility',
    title,
    description,
    destructive,
    appliesTo: 'vm',
  });
  switch (state) {
    case 'Off':
      return option(
        l10n.t('Turn on processor compatibility for {0}', vm),
        l10n.t(
          '{0} is off: it is set to processor compatibility for migration (Set-VMProcessor -CompatibilityForMigrationEnabled $true), and stays off.',
          vm,
        ),
        false,
      );
    case 'Paused':
      return option(
        l10n.t('Resume {0}, shut it down, turn on processor compatibility, start it again', vm),
        l10n.t(
          'Downtime: a paused VM cannot be shut down, so {0} is resumed (Resume-VM), its guest going on where it was paused, then shut down (Stop-VM), set to processor compatibility for migration (Set-VMProcessor -CompatibilityForMigrationEnabled $true) and started again (Start-VM). It ends running, unavailable until its guest has booted. The setting can only change while the VM is off.',
          vm,
        ),
        true,
      );
    case 'Saved':
      return option(
        l10n.t('Start {0} from its saved state, shut it down, turn on processor compatibility, start it again', vm),
        l10n.t(
          'Downtime: a saved VM is not off. {0} is started (Start-VM), its guest going on from its saved state (nothing it saved is lost), then shut down (Stop-VM), set to processor compatibility for migration (Set-VMProcessor -CompatibilityForMigrationEnabled $true) and started again (Start-VM). It ends running, unavailable until its guest has booted. The setting can only change while the VM is off. It does not return to the saved state.',
          vm,
        ),
        true,
      );
    default:
      return option(
        l10n.t('Shut {0} down, turn on processor compatibility, start it again', vm),
        state === 'Running'
          ? l10n.t(
              'Downtime: {0} is shut down (Stop-VM), set to processor compatibility for migration (Set-VMProcessor -CompatibilityForMigrationEnabled $true) and started again (Start-VM). It ends running, unavailable until its guest has booted. The setting can only change while the VM is off.',
              vm,
            )
          : l10n.t(
              'Downtime: {0} is shut down (Stop-VM), set to processor compatibility for migration (Set-VMProcessor -CompatibilityForMigrationEnabled $true) and started again (Start-VM). It ends running, unavailable until its guest has booted. The setting can only change while the VM is off. It is {1} now: the fix refuses to run until it is running, off, saved or paused.',
              vm,
              state,
            ),
        true,
      );
  }
}

function processorFeatures(ctx: Context): Finding {
  const fixes: FixOption[] = ctx.src && !ctx.src.vm.compatibilityForMigration ? [compatibilityFix(ctx.vmName, ctx.src.vm.state)] : [];
  return {
    id: 'processor.features',
    area: 'processor',
    severity: 'blocker',
    title: l10n.t('{0} uses processor features {1} lacks', ctx.vmName, ctx.destination),
    cause: ctx.src?.vm.compatibilityForMigration
      ? l10n.t(
          "{0} already runs with processor compatibility on, yet {1}'s processor lacks features it uses; choose a destination of the same or a newer processor generation.",
          ctx.vmName,
          ctx.destination,
        )
      : l10n.t(
          "{0} was started with every feature of {1}'s newer processor, and {2}'s processor lacks some of them. With processor compatibility on, the VM uses only features common to its vendor's processors, which takes a restart of the VM.",
          ctx.vmName,
          ctx.source,
          ctx.destination,
        ),
    evidence: processorEvidence(ctx),
    fixes,
  };
}

function processor(ctx: Context, findings: Findings): void {
  const { src, dst } = ctx;
  if (!src || !dst || !LIVE_STATES.includes(src.vm.state)) return;
  if (vendorName(src.host.cpuVendor) !== vendorName(dst.host.cpuVendor)) {
    findings.add(
      processorVendor(ctx, [...processorEvidence(ctx).slice(1), { source: `Get-VM (${ctx.vmName})`, detail: `State: ${src.vm.state}` }]),
    );
  }
}

// ---------------------------------------------------------------------------------------------------
// Network

function switchMissing(
  ctx: Context,
  adapter: { id: string; name: string; switchName: string | null } | undefined,
  key: string,
  wanted: string,
  planned: boolean,
): Finding {
  const dst = ctx.dst;
  const switches = dst?.host.switches.map((s) => s.name) ?? [];
  const fixes: FixOption[] = [];
  if (switches.length > 0) {
    fixes.push({
      id: 'map-switch',
      title: l10n.t('Connect it to a switch of {0} for the move', ctx.destination),
      description: l10n.t(
        "The adapter is connected to the switch you pick on the moved VM only (on Compare-VM's report, as Hyper-V requires); {0} keeps '{1}' until it moves.",
        ctx.vmName,
        wanted,
      ),
      destructive: false,
      appliesTo: 'plan',
      choices: [{ name: 'switch', label: l10n.t('Switch on {0}', ctx.destination), options: switches }],
      args: { adapterId: key },
    });
  }
  // Private first: it changes nothing of the host's own networking. External binds a physical adapter.
  const adapters = dst?.host.freeNetAdapters ?? [];
  const types = adapters.length > 0 ? ['Private', 'Internal', 'External'] : ['Private', 'Internal'];
  fixes.push({
    id: 'create-switch',
    title: l10n.t('Create switch {0} on {1}', quote(wanted), ctx.destination),
    description:
      adapters.length > 0
        ? l10n.t(
            "Runs New-VMSwitch on {0}. Private reaches only its VMs; Internal its VMs and {0} itself; External binds the physical adapter you pick, and {0}'s own traffic over that adapter drops for a few seconds while the switch is made.",
            ctx.destination,
          )
        : l10n.t(
            'Runs New-VMSwitch on {0}. Private reaches only its VMs; Internal its VMs and {0} itself; External is not offered: no physical adapter of {0} is free (or its adapters could not be listed).',
            ctx.destination,
          ),
    destructive: adapters.length > 0,
    appliesTo: 'host',
    choices: [
      { name: 'switchType', label: l10n.t('Switch type'), options: types },
      ...(adapters.length > 0 ? [{ name: 'netAdapter', label: l10n.t('Physical adapter (External)'), options: adapters }] : []),
    ],
    args: { host: ctx.destination, switchName: wanted },
  });
  fixes.push({
    id: 'disconnect-adapter',
    title: l10n.t('Disconnect the adapter for the move'),
    description: l10n.t(
      'The moved VM arrives with this adapter disconnected: the guest loses this network until the adapter is connected to a switch on {0}. {1} keeps its connection until it moves.',
      ctx.destination,
      ctx.vmName,
    ),
    destructive: true,
    appliesTo: 'plan',
    args: { adapterId: key },
  });
  return {
    id: `network.switch-missing:${key}`,
    area: 'network',
    severity: 'blocker',
    title: planned
      ? l10n.t('Planned switch {0} does not exist on {1}', quote(wanted), ctx.destination)
      : l10n.t('Switch {0} does not exist on {1}', quote(wanted), ctx.destination),
    cause: switchMissingCause(ctx, adapter, wanted, planned),
    evidence: [
      ...(adapter
        ? [
            {
              source: `Get-VMNetworkAdapter (${ctx.vmName} on ${ctx.source})`,
              detail: `${quote(adapter.name)} → ${adapter.switchName ?? l10n.t('not connected')}${planned ? `; plan: → ${quote(wanted)}` : ''}`,
            },
          ]
        : []),
      ...(dst
        ? [
            {
              source: `Get-VMSwitch -ComputerName ${dst.host.name}`,
              detail: switches.length ? l10n.t('switches: {0}', switches.join(', ')) : l10n.t('no switches'),
            },
          ]
        : []),
    ],
    fixes,
  };
}

function switchMissingCause(ctx: Context, adapter: { name: string } | undefined, wanted: string, planned: boolean): string {
  if (planned) {
    return adapter
      ? l10n.t(
          'The plan connects adapter {0} to {1}, which {2} does not have. Pick one of its switches or create it.',
          quote(adapter.name),
          quote(wanted),
          ctx.destination,
        )
      : l10n.t(
          'The plan connects adapter An adapter to {0}, which {1} does not have. Pick one of its switches or create it.',
          quote(wanted),
          ctx.destination,
        );
  }
  return adapter
    ? l10n.t(
        "Adapter {0} of {1} is connected to {2}, and {3} has no switch of that name, so Hyper-V cannot connect the adapter after the move. Connect it to one of {3}'s switches for the move, create the switch there, or disconnect the adapter.",
        quote(adapter.name),
        ctx.vmName,
        quote(wanted),
        ctx.destination,
      )
    : l10n.t(
        "Adapter An adapter of {0} is connected to {1}, and {2} has no switch of that name, so Hyper-V cannot connect the adapter after the move. Connect it to one of {2}'s switches for the move, create the switch there, or disconnect the adapter.",
        ctx.vmName,
        quote(wanted),
        ctx.destination,
      );
}

/** The plan's switch for an adapter: a name, null (disconnect), or undefined when the plan leaves it alone. */
function plannedSwitch(plan: MovePlan | undefined, adapterId: string): string | null | undefined {
  if (!plan || !Object.prototype.hasOwnProperty.call(plan.adapterSwitches, adapterId)) return undefined;
  return plan.adapterSwitches[adapterId] ?? null;
}

function network(ctx: Context, findings: Findings): void {
  const { src, dst } = ctx;
  if (!src || !dst) return;
  for (const adapter of src.vm.adapters) {
    const chosen = plannedSwitch(ctx.plan, adapter.id);
    const wanted = chosen === undefined ? adapter.switchName : chosen;
    if (wanted === null) continue;
    if (dst.host.switches.some((s) => same(s.name, wanted))) continue;
    findings.add(switchMissing(ctx, adapter, adapter.id, wanted, chosen !== undefined));
  }
}

// ---------------------------------------------------------------------------------------------------
// Configuration version, storage, memory

function versionUnsupported(ctx: Context): Finding {
  const versions = ctx.dst?.host.supportedVersions ?? [];
  return {
    id: 'version.unsupported',
    area: 'version',
    severity: 'blocker',
    title: ctx.src
      ? l10n.t('Configuration version {0} is not supported on {1}', ctx.src.vm.version, ctx.destination)
      : l10n.t("The VM's configuration version is not supported on {0}", ctx.destination),
    cause:
      versions.length > 0
        ? l10n.t(
            "{0} runs VM configuration versions up to {1}; a VM cannot move to a host that does not support its version (and upgrading a VM's version is one-way). Choose a destination that supports it.",
            ctx.destination,
            versions[versions.length - 1] ?? '',
          )
        : l10n.t(
            "{0} runs VM configuration versions up to an older one; a VM cannot move to a host that does not support its version (and upgrading a VM's version is one-way). Choose a destination that supports it.",
            ctx.destination,
          ),
    evidence: [
      ...(ctx.src ? [{ source: `Get-VM (${ctx.vmName} on ${ctx.src.host.name})`, detail: `Version: ${ctx.src.vm.version}` }] : []),
      ...(ctx.dst ? [{ source: `Get-VMHostSupportedVersion -ComputerName ${ctx.dst.host.name}`, detail: versions.join(', ') }] : []),
    ],
    fixes: [],
  };
}

function neededBytes(src: SourceFacts): number {
  return src.vm.disks.reduce((n, d) => n + d.bytes, 0) + src.vm.checkpoints.reduce((n, c) => n + c.bytes, 0);
}

/** Paths as Hyper-V compares them: without regard to case. */
const samePath = (a: string, b: string): boolean => a.toUpperCase() === b.toUpperCase();

type VirtualDisk = SourceFacts['vm']['disks'][number] & { readonly path: string };

function virtualDisks(src: SourceFacts): VirtualDisk[] {
  return src.vm.disks.filter((d): d is VirtualDisk => d.diskNumber === null && d.path !== null);
}

/** What the move puts where on the destination: each folder or file, with the bytes it brings. */
interface Placement {
  readonly what: string;
  readonly path: string;
  readonly bytes: number;
}

function placements(request: MigrationRequest, src: SourceFacts): Placement[] {
  const folder = src.storagePath;
  if (!request.vhds) return folder ? [{ what: "the VM's files", path: folder, bytes: neededBytes(src) }] : [];
  const checkpoints = src.vm.checkpoints.reduce((n, c) => n + c.bytes, 0);
  const out: Placement[] = folder ? [{ what: 'configuration and checkpoints', path: folder, bytes: checkpoints }] : [];
  const disks = virtualDisks(src);
  for (const vhd of request.vhds) {
    const disk = disks.find((d) => samePath(d.path, vhd.source));
    if (disk) out.push({ what: disk.path, path: vhd.destination, bytes: disk.bytes });
  }
  return out;
}

function storageEvidence(ctx: Context): Evidence[] {
  const evidence: Evidence[] = [];
  if (ctx.src) {
    const disks = ctx.src.vm.disks.filter((d) => d.diskNumber === null);
    evidence.push({
      source: `Get-VHD (${ctx.vmName} on ${ctx.src.host.name})`,
      detail: disks.map((d) => `${d.path ?? d.controller}: ${bytes(d.bytes)}`).join('; ') || l10n.t('no virtual disks'),
    });
    if (ctx.src.vm.checkpoints.length) {
      evidence.push({
        source: `Get-VMSnapshot (${ctx.vmName})`,
        detail: ctx.src.vm.checkpoints.map((c) => `${quote(c.name)}: ${bytes(c.bytes)}`).join('; '),
      });
    }
  }
  if (ctx.request.vhds) {
    evidence.push({
      source: l10n.t("the move's destination of each disk"),
      detail: [
        ...(ctx.src?.storagePath ? [l10n.t('configuration and checkpoints → {0}', ctx.src.storagePath)] : []),
        ...ctx.request.vhds.map((v) => `${v.source} → ${v.destination}`),
      ].join('; '),
    });
  }
  if (ctx.dst) {
    evidence.push({
      source: `Win32_Volume on ${ctx.dst.host.name}`,
      detail:
        ctx.dst.host.volumes.map((v) => l10n.t('{0} {1} free of {2}', v.name, bytes(v.freeSpace), bytes(v.size))).join('; ') ||
        l10n.t('no volumes'),
    });
  }
  return evidence;
}

type Volume = DestinationFacts['host']['volumes'][number];

/** The placements on local paths of the destination (an SMB path is no volume of it). */
function localPlacements(ctx: Context): Placement[] {
  return ctx.src ? placements(ctx.request, ctx.src).filter((p) => !p.path.startsWith('\\\\')) : [];
}

/** Each destination volume the move writes to, with what it needs there. */
function volumeNeeds(ctx: Context): { readonly volume: Volume; readonly needed: number }[] {
  if (!ctx.dst) return [];
  const needs = new Map<Volume, number>();
  for (const placement of localPlacements(ctx)) {
    const volume = volumeOf(placement.path, ctx.dst.host.volumes);
    if (volume) needs.set(volume, (needs.get(volume) ?? 0) + placement.bytes);
  }
  return [...needs].map(([volume, needed]) => ({ volume, needed }));
}

function storagePathFinding(ctx: Context, paths: readonly string[]): Finding {
  const shown = paths.map(quote).join(', ');
  return {
    id: 'storage.path',
    area: 'storage',
    severity: 'blocker',
    title:
      paths.length > 0
        ? l10n.t('{0} cannot be created on {1}', shown, ctx.destination)
        : l10n.t('The destination folder on {0} could not be resolved', ctx.destination),
    cause:
      paths.length > 1
        ? l10n.t(
            "The VM's files go to {0} on {1}, which are on no volume of that host. Choose paths on one of its volumes.",
            shown,
            ctx.destination,
          )
        : paths.length === 1
          ? l10n.t(
              "The VM's files go to {0} on {1}, which is on no volume of that host. Choose a path on one of its volumes.",
              shown,
              ctx.destination,
            )
          : l10n.t(
              "The VM's files go to a folder on {0}, which is on no volume of that host. Choose a path on one of its volumes.",
              ctx.destination,
            ),
    evidence: storageEvidence(ctx),
    fixes: [],
  };
}

/** The paths of the move that are on no volume of the destination; the storage path when none is known to be. */
function missingPaths(ctx: Context): string[] {
  const volumes = ctx.dst?.host.volumes ?? [];
  const missing = localPlacements(ctx)
    .filter((p) => !volumeOf(p.path, volumes))
    .map((p) => p.path);
  return missing.length > 0 || !ctx.src?.storagePath ? missing : [ctx.src.storagePath];
}

function storageSpaceFinding(ctx: Context): Finding {
  const needs = volumeNeeds(ctx);
  const short = needs.filter((n) => n.needed > n.volume.freeSpace);
  const shown = short.length > 0 ? short : ctx.request.vhds ? [] : needs;
  const where = (n: (typeof needs)[number]) =>
    l10n.t('{0} ({1} needed, {2} free)', n.volume.name, bytes(n.needed), bytes(n.volume.freeSpace));
  const needed = ctx.src ? neededBytes(ctx.src) : 0;
  return {
    id: 'storage.space',
    area: 'storage',
    severity: 'blocker',
    title:
      shown.length > 0
        ? l10n.t('Not enough space on {0} {1}', ctx.destination, shown.map(where).join('; '))
        : l10n.t('Not enough disk space on {0}', ctx.destination),
    cause: ctx.request.vhds
      ? shown.length > 1
        ? l10n.t(
            'Each file is counted on the destination volume it goes to, and these volumes do not have room for what the move sends there. Free space there, or send the files elsewhere, or choose another host.',
          )
        : shown.length === 1
          ? l10n.t(
              'Each file is counted on the destination volume it goes to, and {0} does not have room for what the move sends there. Free space there, or send the files elsewhere, or choose another host.',
              shown[0]?.volume.name ?? '',
            )
          : l10n.t(
              'Each file is counted on the destination volume it goes to, and a volume does not have room for what the move sends there. Free space there, or send the files elsewhere, or choose another host.',
            )
      : l10n.t(
          "The VM's virtual disks and checkpoints ({0}) do not fit on the destination volume. Free space there, or choose another path or host.",
          bytes(needed),
        ),
    evidence: storageEvidence(ctx),
    fixes: [],
  };
}

/** Whether a file that stays where it is can be opened by the destination: an SMB path, or a CSV of a cluster both hosts are nodes of. */
function reachableFromDestination(ctx: Context, path: string): boolean {
  if (path.startsWith('\\\\')) return true;
  const cluster = ctx.src?.host.cluster;
  return /^C:\\ClusterStorage\\/i.test(path) && !!cluster && !!ctx.dst?.host.cluster && same(cluster, ctx.dst.host.cluster);
}

function vhdUnreachableFinding(ctx: Context, controller: string): Finding {
  const path = ctx.src?.vm.disks.find((d) => d.controller === controller)?.path ?? null;
  const disk = path ? `${quote(path)} (${controller})` : `(${controller})`;
  return {
    id: `storage.vhd-unreachable:${controller}`,
    area: 'storage',
    severity: 'blocker',
    title: l10n.t('A virtual disk {0} stays where {1} cannot reach it', disk, ctx.destination),
    cause: ctx.request.vhds
      ? l10n.t(
          "The move gives a destination file to each disk it lists, and this one is not listed: Hyper-V leaves it where it is, on {0}'s own storage, which {1} cannot open. List it with its destination file.",
          ctx.source,
          ctx.destination,
        )
      : l10n.t("The disk is not moved with the VM and is on {0}'s own storage. Move the storage with the VM.", ctx.source),
    evidence: path ? [{ source: `Get-VMHardDiskDrive (${ctx.vmName} on ${ctx.source})`, detail: `${controller}: ${path}` }] : [],
    fixes: [],
  };
}

/** The move's list of disks: each source must be a virtual disk of the VM moving to a file of the same name, each disk and destination file named once, each local disk listed. */
function vhdList(ctx: Context, findings: Findings): void {
  const { src, request } = ctx;
  if (!src || !request.vhds) return;
  const disks = virtualDisks(src);
  const seenSources = new Set<string>();
  const seenDestinations = new Set<string>();
  for (const vhd of request.vhds) {
    if (!disks.some((d) => samePath(d.path, vhd.source))) {
      findings.add({
        id: `storage.vhd-unknown:${vhd.source.toUpperCase()}`,
        area: 'storage',
        severity: 'blocker',
        title: l10n.t('{0} is not a virtual disk of {1}', quote(vhd.source), ctx.vmName),
        cause: l10n.t(
          "The move sends {0} to {1}, but {2} has no virtual disk at that path on {3}, so Hyper-V refuses the whole move. Correct the path to one of the VM's disks (see the evidence), or remove the entry.",
          quote(vhd.source),
          quote(vhd.destination),
          ctx.vmName,
          ctx.source,
        ),
        evidence: [
          {
            source: `Get-VMHardDiskDrive (${ctx.vmName} on ${ctx.source})`,
            detail: disks.map((d) => `${d.controller}: ${d.path}`).join('; ') || l10n.t('no virtual disks'),
          },
        ],
        fixes: [],
      });
    }
    if (!keepsVhdFileName(vhd.source, vhd.destination)) {
      findings.add({
        id: `storage.vhd-renamed:${vhd.source.toUpperCase()}`,
        area: 'storage',
        severity: 'blocker',
        title: l10n.t('{0} would become a file of another name, {1}', quote(vhd.source), quote(vhdFileName(vhd.destination))),
        cause: l10n.t(
          'Hyper-V moves a virtual disk only to a file of the same name ("The source and destination file names in the Vhds parameter must match."), so it refuses the whole move. Keep the file name {0} and choose only the folder: {1}.',
          quote(vhdFileName(vhd.source)),
          quote(withSourceFileName(vhd.source, vhd.destination)),
        ),
        evidence: [{ source: l10n.t("the move's destination of each disk"), detail: `${vhd.source} → ${vhd.destination}` }],
        fixes: [],
      });
    }
    for (const [seen, path, asSource] of [
      [seenSources, vhd.source, true],
      [seenDestinations, vhd.destination, false],
    ] as const) {
      const key = path.toUpperCase();
      if (seen.has(key)) {
        findings.add({
          id: `storage.vhd-conflict:${key}`,
          area: 'storage',
          severity: 'blocker',
          title: asSource
            ? l10n.t('{0} is listed more than once', quote(path))
            : l10n.t('{0} is the destination of more than one disk', quote(path)),
          cause: asSource
            ? l10n.t(
                'Each virtual disk moves to a file of its own, named once in the move; Hyper-V refuses a list in which {0} is listed more than once.',
                quote(path),
              )
            : l10n.t(
                'Each virtual disk moves to a file of its own, named once in the move; Hyper-V refuses a list in which {0} is the destination of more than one disk.',
                quote(path),
              ),
          evidence: [
            {
              source: l10n.t("the move's destination of each disk"),
              detail: request.vhds.map((v) => `${v.source} → ${v.destination}`).join('; '),
            },
          ],
          fixes: [],
        });
      }
      seen.add(key);
    }
  }
  if (!ctx.dst) return;
  for (const disk of disks) {
    if (request.vhds.some((v) => samePath(v.source, disk.path)) || reachableFromDestination(ctx, disk.path)) continue;
    findings.add(vhdUnreachableFinding(ctx, disk.controller));
  }
}

/** A disk whose file (or a parent of it) the source host cannot read: missing, or on a share it cannot reach. */
function unreadableDisks(ctx: Context, findings: Findings): void {
  for (const disk of ctx.src?.vm.disks ?? []) {
    if (!disk.unreadable) continue;
    const { path } = disk.unreadable;
    const message = disk.unreadable.message.replace(/\s+/g, ' ').trim();
    const parent = disk.path !== null && !samePath(disk.path, path);
    findings.add({
      id: `storage.vhd-unreadable:${disk.controller}`,
      area: 'storage',
      severity: 'blocker',
      title: l10n.t('The virtual disk {0} ({1}) cannot be read on {2}', quote(disk.path ?? path), disk.controller, ctx.source),
      cause: parent
        ? l10n.t(
            'Get-VHD on {0} cannot read {1}, a parent of this differencing disk: {2} Hyper-V cannot move a VM whose disk file it cannot open. Restore the file, or the share it is on so that {0} can reach it, or remove the drive from the VM.',
            ctx.source,
            quote(path),
            message,
          )
        : l10n.t(
            'Get-VHD on {0} cannot read its file: {1} Hyper-V cannot move a VM whose disk file it cannot open. Restore the file, or the share it is on so that {0} can reach it, or remove the drive from the VM.',
            ctx.source,
            message,
          ),
      evidence: [{ source: `Get-VHD (${ctx.vmName} on ${ctx.source})`, detail: `${disk.controller}: ${path}: ${message}` }],
      fixes: [],
    });
  }
}

function storage(ctx: Context, findings: Findings): void {
  unreadableDisks(ctx, findings);
  const { src, dst } = ctx;
  if (!src || !dst) return;
  vhdList(ctx, findings);
  if (!src.storagePath) return;
  const missing = localPlacements(ctx)
    .filter((p) => !volumeOf(p.path, dst.host.volumes))
    .map((p) => p.path);
  if (missing.length > 0) findings.add(storagePathFinding(ctx, missing));
  if (volumeNeeds(ctx).some((n) => n.needed > n.volume.freeSpace)) findings.add(storageSpaceFinding(ctx));
}

function memoryNeeded(src: SourceFacts): number {
  return Math.max(src.vm.memoryStartup, src.vm.memoryAssigned);
}

function memoryFinding(ctx: Context): Finding {
  return {
    id: 'memory.insufficient',
    area: 'memory',
    severity: 'blocker',
    title:
      ctx.src && ctx.dst
        ? l10n.t(
            '{0} has {1} free; {2} needs {3}',
            ctx.destination,
            bytes(ctx.dst.host.memoryFree),
            ctx.vmName,
            bytes(memoryNeeded(ctx.src)),
          )
        : l10n.t('{0} lacks the memory for {1}', ctx.destination, ctx.vmName),
    cause: l10n.t(
      'A running VM\'s memory moves with it, so the destination must have at least that much free; otherwise the move fails ("Insufficient system resources (0x800705AA)" or "Ran out of memory (0x8007000E)"). Choose another host, or free memory on {0}.',
      ctx.destination,
    ),
    evidence: [
      ...(ctx.src
        ? [
            {
              source: `Get-VM (${ctx.vmName} on ${ctx.src.host.name})`,
              detail: `MemoryStartup: ${bytes(ctx.src.vm.memoryStartup)}, MemoryAssigned: ${bytes(ctx.src.vm.memoryAssigned)}, State: ${ctx.src.vm.state}`,
            },
          ]
        : []),
      ...(ctx.dst
        ? [{ source: `Win32_OperatingSystem on ${ctx.dst.host.name}`, detail: `FreePhysicalMemory: ${bytes(ctx.dst.host.memoryFree)}` }]
        : []),
    ],
    fixes: [],
  };
}

function memory(ctx: Context, findings: Findings): void {
  const { src, dst } = ctx;
  if (!src || !dst || !MEMORY_STATES.includes(src.vm.state)) return;
  if (memoryNeeded(src) > dst.host.memoryFree) findings.add(memoryFinding(ctx));
}

function version(ctx: Context, findings: Findings): void {
  const { src, dst } = ctx;
  if (!src || !dst) return;
  if (!dst.host.supportedVersions.includes(src.vm.version)) findings.add(versionUnsupported(ctx));
}

// ---------------------------------------------------------------------------------------------------
// Devices

function isoFinding(ctx: Context, controller: string, path: string | null): Finding {
  return {
    id: `devices.iso:${controller}`,
    area: 'devices',
    severity: 'blocker',
    title: path ? l10n.t('ISO attached: {0}', quote(path)) : l10n.t('An ISO is attached ({0})', controller),
    cause: l10n.t(
      'The image is on {0}\'s own storage, which {1} cannot open, so the move fails ("Attachment … failed to open (0xC03A0014)"). Eject it, now or only on the moved VM.',
      ctx.source,
      ctx.destination,
    ),
    evidence: [{ source: `Get-VMDvdDrive (${ctx.vmName} on ${ctx.source})`, detail: `${controller}: ${path ?? l10n.t('(unknown)')}` }],
    fixes: [
      {
        id: 'eject-iso',
        title: l10n.t('Eject the ISO from {0} now', ctx.vmName),
        description: l10n.t(
          "Runs Set-VMDvdDrive -Path $null on {0}'s DVD drive {1}: the guest loses the disc now.",
          ctx.vmName,
          controller,
        ),
        destructive: false,
        appliesTo: 'vm',
        args: { controller },
      },
      {
        id: 'eject-iso-on-move',
        title: l10n.t('Eject it on the moved VM only'),
        description: l10n.t(
          "The drive is emptied on Compare-VM's report, so the VM arrives on {0} without the disc; until the move it keeps it.",
          ctx.destination,
        ),
        destructive: false,
        appliesTo: 'plan',
        args: { controller },
      },
    ],
  };
}

function passThroughFinding(ctx: Context, controller: string, diskNumber: number | null): Finding {
  return {
    id: `devices.pass-through:${controller}`,
    area: 'devices',
    severity: 'blocker',
    title:
      diskNumber !== null
        ? l10n.t('Pass-through disk: physical disk {0} of {1}', diskNumber, ctx.source)
        : l10n.t('A pass-through disk is attached ({0})', controller),
    cause: l10n.t(
      'A physical disk of {0} cannot move with the VM. Copy its data to a virtual disk and detach it (Remove-VMHardDiskDrive), then check again.',
      ctx.source,
    ),
    evidence: [
      { source: `Get-VMHardDiskDrive (${ctx.vmName} on ${ctx.source})`, detail: `${controller}: DiskNumber ${diskNumber ?? '?'}` },
    ],
    fixes: [],
  };
}

function vtpmFinding(ctx: Context, blocked: boolean): Finding {
  return {
    id: 'devices.vtpm',
    area: 'devices',
    severity: blocked ? 'blocker' : 'warning',
    title: blocked
      ? l10n.t("{0} cannot unwrap {1}'s vTPM key protector", ctx.destination, ctx.vmName)
      : l10n.t('{0} has a virtual TPM', ctx.vmName),
    cause: blocked
      ? l10n.t(
          '{0}\'s vTPM keys are sealed to a guardian {1} does not hold, so the VM could not start there ("The key protector for the virtual machine could not be unwrapped"). Import the guardian (for a local guardian, the source\'s "UntrustedGuardian" certificates) on {1}, or attest it with HGS, or choose a host that holds it.',
          ctx.vmName,
          ctx.destination,
        )
      : ctx.src?.compare
        ? l10n.t(
            "The VM's keys are sealed to a guardian; it starts on {0} only if that host holds the guardian (HGS, or the source's UntrustedGuardian certificates). Compare-VM did not object.",
            ctx.destination,
          )
        : l10n.t(
            "The VM's keys are sealed to a guardian; it starts on {0} only if that host holds the guardian (HGS, or the source's UntrustedGuardian certificates).",
            ctx.destination,
          ),
    evidence: [
      {
        source: `Get-VMSecurity (${ctx.vmName} on ${ctx.source})`,
        detail: `TpmEnabled: ${ctx.src?.vm.tpmEnabled ?? '?'}, Shielded: ${ctx.src?.vm.shielded ?? '?'}`,
      },
    ],
    fixes: [],
  };
}

function devices(ctx: Context, findings: Findings): void {
  const { src, dst } = ctx;
  if (!src) return;
  for (const dvd of src.vm.dvdDrives) {
    if (!dvd.path || dvd.path.startsWith('\\\\') || ctx.plan?.ejectDvd.includes(dvd.controller)) continue;
    findings.add(isoFinding(ctx, dvd.controller, dvd.path));
  }
  for (const disk of src.vm.disks) {
    if (disk.diskNumber !== null) findings.add(passThroughFinding(ctx, disk.controller, disk.diskNumber));
  }
  for (const hba of src.vm.fibreChannel) {
    const sans = dst?.host.sans;
    const missing = !!sans && !sans.some((s) => same(s, hba.sanName));
    findings.add({
      id: `devices.fibre-channel:${hba.name}`,
      area: 'devices',
      severity: missing ? 'blocker' : 'warning',
      title: missing
        ? l10n.t('Virtual SAN {0} does not exist on {1}', quote(hba.sanName), ctx.destination)
        : l10n.t('Virtual Fibre Channel adapter on SAN {0}', quote(hba.sanName)),
      cause: missing
        ? l10n.t(
            "The VM's Fibre Channel adapter needs a virtual SAN of the same name on {0}, connected to the same fabric (New-VMSan).",
            ctx.destination,
          )
        : l10n.t(
            "The VM keeps its storage over Fibre Channel: {0} needs virtual SAN {1} on the same fabric, and the VM's second WWPN set must be zoned, or the VM loses that storage after the move.",
            ctx.destination,
            quote(hba.sanName),
          ),
      evidence: [
        { source: `Get-VM (${ctx.vmName}).FibreChannelHostBusAdapters`, detail: `${quote(hba.name)} → SAN ${quote(hba.sanName)}` },
        ...(sans ? [{ source: `Get-VMSan -ComputerName ${ctx.destination}`, detail: sans.join(', ') || l10n.t('none') }] : []),
      ],
      fixes: [],
    });
  }
  for (const device of src.vm.assignedDevices) {
    findings.add({
      id: `devices.assigned:${device.instanceId}`,
      area: 'devices',
      severity: 'blocker',
      title: l10n.t('Assigned device: {0}', quote(device.name || device.instanceId)),
      cause: l10n.t(
        'A device assigned to the VM (Discrete Device Assignment) cannot live-migrate. Remove it (Remove-VMAssignableDevice) to move the VM, then assign a device on {0}.',
        ctx.destination,
      ),
      evidence: [{ source: `Get-VMAssignableDevice (${ctx.vmName} on ${ctx.source})`, detail: device.instanceId }],
      fixes: [],
    });
  }
  if (src.vm.tpmEnabled) findings.add(vtpmFinding(ctx, false));
}

// ---------------------------------------------------------------------------------------------------
// Leftovers, cluster

/**
 * A planned VM of this VM on the destination. One the destination held before the check (an earlier move
 * or check that did not finish) is no obstacle: Compare-VM and Move-VM delete a planned VM of the same Id
 * before they stage their own (FIDELITY.md), so it is told, not blocked on. The one this check's Compare-VM
 * staged is its own, and the check removes it; only Compare-VM reporting a conflict itself is a blocker.
 */
function plannedVmFinding(ctx: Context, fromCompare: boolean): Finding {
  const before = ctx.src?.plannedBefore;
  const remove: FixOption = {
    id: 'remove-planned-vm',
    title: l10n.t('Remove the planned VM from {0}', ctx.destination),
    description: l10n.t(
      'Destroys the planned VM on {0} (Msvm_VirtualSystemManagementService.DestroySystem), as Hyper-V admins remove what a failed move left. {1} on {2} is not touched.',
      ctx.destination,
      ctx.vmName,
      ctx.source,
    ),
    destructive: true,
    appliesTo: 'host',
    args: { host: ctx.destination },
  };
  if (fromCompare) {
    return {
      id: 'leftovers.planned-vm',
      area: 'leftovers',
      severity: 'blocker',
      title: l10n.t('A planned copy of {0} on {1} stands in the way', ctx.vmName, ctx.destination),
      cause: l10n.t(
        "Compare-VM reports a planned (never realized) virtual machine with {0}'s Id on {1} that it could not replace. Remove it, then check again.",
        ctx.vmName,
        ctx.destination,
      ),
      evidence: [],
      fixes: [remove],
    };
  }
  return {
    id: 'leftovers.planned-vm',
    area: 'leftovers',
    severity: 'info',
    title: l10n.t('A planned copy of {0} was left on {1}', ctx.vmName, ctx.destination),
    cause: l10n.t(
      "An earlier move or check that did not finish left a planned (never realized) virtual machine with {0}'s Id on {1}. It does not stop the move: Compare-VM deletes a planned VM of the same Id before it stages its own, so this check replaced it, and removed the one it staged.",
      ctx.vmName,
      ctx.destination,
    ),
    evidence: before
      ? [
          {
            source: l10n.t('Get-VM -Id {0} -ComputerName {1}, before Compare-VM', ctx.request.vmId.toUpperCase(), ctx.destination),
            detail: `PlannedVirtualMachine ${quote(before.name)}`,
          },
        ]
      : [],
    fixes: [],
  };
}

/** The planned VM this check's Compare-VM staged could not be removed: told, so the admin knows what was left. */
function stagedVmLeftFinding(ctx: Context, problem: string): Finding {
  return {
    id: 'leftovers.staged-vm',
    area: 'leftovers',
    severity: 'warning',
    title: l10n.t('The check left a planned copy of {0} on {1}', ctx.vmName, ctx.destination),
    cause: l10n.t(
      'Compare-VM stages a planned VM on the destination; the check removes it when it is done, and here that failed: {0} The next check or move replaces it.',
      problem,
    ),
    evidence: [{ source: l10n.t("Remove-VM (the report's planned VM on {0})", ctx.destination), detail: problem }],
    fixes: [],
  };
}

function clusterFinding(ctx: Context): Finding {
  const cluster = ctx.src?.host.cluster;
  const inside = !!cluster && !!ctx.dst?.host.cluster && same(cluster, ctx.dst.host.cluster);
  return {
    id: 'cluster.role',
    area: 'cluster',
    severity: 'blocker',
    title: cluster
      ? l10n.t('{0} is highly available (a role of cluster {1})', ctx.vmName, cluster)
      : l10n.t('{0} is highly available', ctx.vmName),
    cause: inside
      ? l10n.t(
          '{0} is a role of {1}, and {2} is a node of it: move the role with the cluster (Move-ClusterVirtualMachineRole, or Failover Cluster Manager), not as a shared-nothing move.',
          ctx.vmName,
          cluster,
          ctx.destination,
        )
      : l10n.t(
          "While {0} is a cluster role it cannot leave its cluster's nodes. Moving it to {1} takes the HA workflow of the fleet operations: remove the role (HA off), migrate, add the role on the destination cluster, as one guarded workflow that restores HA if the move fails. A plain move cannot.",
          ctx.vmName,
          ctx.destination,
        ),
    evidence: [
      { source: `Get-VM (${ctx.vmName} on ${ctx.source})`, detail: `IsClustered: True${cluster ? `; Get-Cluster: ${cluster}` : ''}` },
    ],
    fixes: [],
  };
}

function leftoversAndCluster(ctx: Context, findings: Findings): void {
  if (ctx.src?.plannedBefore) findings.add(plannedVmFinding(ctx, false));
  if (ctx.src?.cleanupProblem) findings.add(stagedVmLeftFinding(ctx, ctx.src.cleanupProblem));
  if (ctx.src?.vm.isClustered) findings.add(clusterFinding(ctx));
}

// ---------------------------------------------------------------------------------------------------
// Compare-VM: recognized incompatibilities merge with the findings above; the others are shown verbatim.

function findingFor(kind: Exclude<CompareKind, 'summary'>, key: string, ctx: Context, incompatibility: Incompatibility): Finding {
  const src = ctx.src;
  switch (kind) {
    case 'migration.disabled':
      return migrationDisabled(key || ctx.destination, []);
    case 'migration.no-network':
      return noMigrationNetwork(key || ctx.destination, [], []);
    case 'cluster.role':
      return clusterFinding(ctx);
    case 'leftovers.planned-vm':
      return plannedVmFinding(ctx, true);
    case 'version.unsupported':
      return versionUnsupported(ctx);
    case 'processor.vendor':
      return processorVendor(ctx, processorEvidence(ctx).slice(1));
    case 'processor.features':
      return processorFeatures(ctx);
    case 'memory.insufficient':
      return memoryFinding(ctx);
    case 'storage.path':
      return storagePathFinding(ctx, missingPaths(ctx));
    case 'storage.space':
      return storageSpaceFinding(ctx);
    case 'storage.vhd-unreachable':
      return vhdUnreachableFinding(ctx, key);
    case 'network.switch-missing': {
      const adapter = src?.vm.adapters.find((a) => a.id === key);
      const chosen = plannedSwitch(ctx.plan, key);
      const wanted = (chosen === undefined ? adapter?.switchName : chosen) ?? /switch '(.*)'/i.exec(incompatibility.message)?.[1] ?? '?';
      return switchMissing(ctx, adapter, key, wanted, chosen !== undefined);
    }
    case 'devices.iso':
      return isoFinding(ctx, key, src?.vm.dvdDrives.find((d) => d.controller === key)?.path ?? null);
    case 'devices.pass-through':
      return passThroughFinding(ctx, key, src?.vm.disks.find((d) => d.controller === key)?.diskNumber ?? null);
    case 'devices.vtpm':
      return vtpmFinding(ctx, true);
  }
}

function compareEvidence(ctx: Context, incompatibility: Incompatibility): Evidence {
  return { source: `Compare-VM on ${ctx.source} → ${ctx.destination}`, detail: `${incompatibility.messageId}: ${incompatibility.message}` };
}

function compareVm(ctx: Context, findings: Findings): void {
  const src = ctx.src;
  if (!src) return;
  if (src.compareError && ctx.dst) {
    findings.add({
      id: 'other.compare-vm-failed',
      area: 'other',
      severity: 'warning',
      title: l10n.t('Compare-VM could not run'),
      cause: l10n.t("Hyper-V's own dry run failed, so the checks above were made without it; the move may still find a reason to refuse."),
      evidence: [{ source: `Compare-VM on ${ctx.source} → ${ctx.destination}`, detail: src.compareError.message }],
      fixes: [],
    });
  }
  if (src.planProblems.length > 0) {
    findings.add({
      id: 'other.plan',
      area: 'other',
      severity: 'warning',
      title: l10n.t('Part of the move plan could not be applied'),
      cause: l10n.t('A choice of the plan could not be made on the compatibility report; Compare-VM checked the move without it.'),
      evidence: src.planProblems.map((problem) => ({ source: l10n.t('the move plan on the compatibility report'), detail: problem })),
      fixes: [],
    });
  }
  const incompatibilities = src.compare?.incompatibilities ?? [];
  const summaries: Incompatibility[] = [];
  for (const incompatibility of incompatibilities) {
    const recognized = configuredHost(recognize(incompatibility), ctx);
    const shown = { messageId: incompatibility.messageId, message: incompatibility.message, sourceType: incompatibility.sourceType };
    if (recognized?.kind === 'summary') {
      summaries.push(incompatibility);
      continue;
    }
    if (recognized) {
      const evidence = compareEvidence(ctx, incompatibility);
      const existing = findings.get(recognized.id);
      if (existing) {
        findings.add({ ...existing, evidence: [evidence], compareVm: shown });
      } else {
        const built = findingFor(recognized.kind, recognized.key, ctx, incompatibility);
        findings.add({ ...built, evidence: [...built.evidence, evidence], compareVm: shown });
      }
      const { title, cause } = recognized.kind === 'devices.vtpm' ? vtpmFinding(ctx, true) : {};
      findings.escalate(recognized.id, { severity: 'blocker', ...(title && { title }), ...(cause && { cause }) });
      continue;
    }
    findings.add(verbatim(ctx, incompatibility, 'blocker'));
  }
  // Hyper-V's summary line adds nothing to the reasons it sums up; alone, it is the only word there is.
  const alone = incompatibilities.length === summaries.length;
  for (const summary of summaries) findings.add(verbatim(ctx, summary, alone ? 'blocker' : 'info'));
}

/** A Compare-VM cause keyed by a host (the NetBIOS name the report gives it) is keyed by that host's configured name. */
function configuredHost(recognized: Recognized | undefined, ctx: Context): Recognized | undefined {
  if (!recognized?.kind.startsWith('migration.') || !recognized.key) return recognized;
  const host = [ctx.request.source, ctx.request.destination].find((name) => sameHost(name, recognized.key));
  return host ? { ...recognized, key: host, id: `${recognized.kind}:${hostIdPart(host)}` } : recognized;
}

function verbatimCause(incompatibility: Incompatibility): string {
  const part = incompatibility.sourceType.slice(incompatibility.sourceType.lastIndexOf('.') + 1);
  return part
    ? l10n.t(
        "Compare-VM reports this incompatibility (MessageId {0}, on the VM's {1}), word for word as Hyper-V gave it.",
        incompatibility.messageId,
        part,
      )
    : l10n.t(
        "Compare-VM reports this incompatibility (MessageId {0}, on the VM's configuration), word for word as Hyper-V gave it.",
        incompatibility.messageId,
      );
}

function verbatim(ctx: Context, incompatibility: Incompatibility, severity: Severity): Finding {
  return {
    id: unknownId(incompatibility),
    area: 'other',
    severity,
    title: incompatibility.message.split(/\r?\n/)[0] ?? incompatibility.message,
    cause: verbatimCause(incompatibility),
    evidence: [compareEvidence(ctx, incompatibility)],
    fixes: [],
    compareVm: { messageId: incompatibility.messageId, message: incompatibility.message, sourceType: incompatibility.sourceType },
  };
}

// ---------------------------------------------------------------------------------------------------

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
  const ctx: Context = {
    request,
    plan,
    src,
    dst,
    vmName: src?.vm.name ?? request.vmName,
    source: request.source,
    destination: request.destination,
    handsOnCredential: input.handsOnCredential ?? false,
  };
  migrationSettings(ctx, findings);
  concurrency(ctx, findings);
  authentication(ctx, findings);
  processor(ctx, findings);
  network(ctx, findings);
  version(ctx, findings);
  storage(ctx, findings);
  memory(ctx, findings);
  devices(ctx, findings);
  leftoversAndCluster(ctx, findings);
  compareVm(ctx, findings);
  return findings.sorted();
}

/** The finding for a destination that is the VM's own host: nothing to check. */
export function sameHostFinding(request: MigrationRequest): Finding {
  return {
    id: 'hosts.same',
    area: 'hosts',
    severity: 'blocker',
    title: l10n.t('{0} is already on {1}', request.vmName, request.destination),
    cause: l10n.t('The destination is the host the VM runs on; choose another host.'),
    evidence: [{ source: l10n.t('the request'), detail: l10n.t('source {0}, destination {1}', request.source, request.destination) }],
    fixes: [],
  };
}
