// Processor: a live move between vendors, and features of the source's processor the destination lacks
// (processor compatibility for migration, with the fix as the VM's state makes it).
import * as l10n from '@vscode/l10n';
import { vendorName } from '../../hyperv/format';
import type { Evidence, Finding, FixOption } from '../types';
import type { CheckContext, Findings } from './context';

/** VM states whose memory and processor state travel with the VM: a live move. */
const LIVE_STATES = ['Running', 'Paused', 'Saved', 'Starting', 'Stopping', 'Saving', 'Pausing', 'Resuming'];

export function processorVendor(ctx: CheckContext, evidence: readonly Evidence[]): Finding {
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

export function processorEvidence(ctx: CheckContext): Evidence[] {
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

export function processorFeatures(ctx: CheckContext): Finding {
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

export function processor(ctx: CheckContext, findings: Findings): void {
  const { src, dst } = ctx;
  if (!src || !dst || !LIVE_STATES.includes(src.vm.state)) return;
  if (vendorName(src.host.cpuVendor) !== vendorName(dst.host.cpuVendor)) {
    findings.add(
      processorVendor(ctx, [...processorEvidence(ctx).slice(1), { source: `Get-VM (${ctx.vmName})`, detail: `State: ${src.vm.state}` }]),
    );
  }
}
