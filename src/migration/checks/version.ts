// Configuration version: the destination must support the VM's configuration version.
import * as l10n from '@vscode/l10n';
import type { Finding } from '../types';
import type { CheckContext, Findings } from './context';

export function versionUnsupported(ctx: CheckContext): Finding {
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

export function version(ctx: CheckContext, findings: Findings): void {
  const { src, dst } = ctx;
  if (!src || !dst) return;
  if (!dst.host.supportedVersions.includes(src.vm.version)) findings.add(versionUnsupported(ctx));
}
