// Devices: ISOs on the source's own storage, pass-through disks, virtual Fibre Channel, assigned devices
// and a virtual TPM.
import * as l10n from '@vscode/l10n';
import type { Finding } from '../types';
import { quote, same, type CheckContext, type Findings } from './context';

export function isoFinding(ctx: CheckContext, controller: string, path: string | null): Finding {
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

export function passThroughFinding(ctx: CheckContext, controller: string, diskNumber: number | null): Finding {
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

export function vtpmFinding(ctx: CheckContext, blocked: boolean): Finding {
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

export function devices(ctx: CheckContext, findings: Findings): void {
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
