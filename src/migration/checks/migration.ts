// Migration settings and concurrency: live migration enabled on both hosts, a network to migrate on, and
// room under each host's limit of simultaneous migrations.
import * as l10n from '@vscode/l10n';
import { sameHost } from '../../hyperv/hostName';
import { hostIdPart } from '../compareVm';
import type { Evidence, Finding, FixOption } from '../types';
import type { CheckContext, Findings } from './context';

export function migrationSettings(ctx: CheckContext, findings: Findings): void {
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

export function migrationDisabled(host: string, evidence: readonly Evidence[]): Finding {
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

export function noMigrationNetwork(host: string, otherNetworks: readonly string[], evidence: readonly Evidence[]): Finding {
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

export function concurrency(ctx: CheckContext, findings: Findings): void {
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
