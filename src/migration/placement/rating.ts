// Rating a host for a VM, like SCVMM's host ratings: a score out of 100 and the lines that made it, counted
// after the moves already planned onto the host.

import * as l10n from '@vscode/l10n';
import { bytes } from '../../hyperv/format';
import { hostKey } from '../../hyperv/hostName';
import { volumeOf } from '../../hyperv/volumes';
import type { Finding } from '../types';
import { diskKey, estimateMs, LIVE, vendorOf, type Committed } from './capacity';
import type { Candidate, Evaluation, HostCapacity, Option, RatingLine } from './types';

/** A blocker in a sentence, with its first fix when it has one. */
function blockerText(finding: Finding): string {
  const fix = finding.fixes.find((option) => option.appliesTo !== 'plan');
  return `${finding.title}${fix ? ` (fix: ${fix.title})` : ''}`;
}

/** A host rated for a VM: not ready with why, or a score out of 100 from memory, disk, processor, network and the checks. */
export function rate(evaluation: Evaluation, option: Option, hosts: ReadonlyMap<string, HostCapacity>, committed: Committed): Candidate {
  const { vm } = evaluation;
  const host = hosts.get(hostKey(option.host));
  const source = hosts.get(hostKey(vm.source));
  const estimatedMs = estimateMs(vm.bytes, host?.linkSpeedBps ?? null, source?.linkSpeedBps ?? null);
  const findings = option.result?.findings ?? [];
  const base = { host: option.host, findings, choices: option.choices, estimatedMs, ...(option.plan && { plan: option.plan }) };
  const notReady = (blockers: readonly string[]): Candidate => ({ ...base, ready: false, score: 0, lines: [], blockers });
  if (option.ruledOut.length > 0) return notReady(option.ruledOut);
  const blockers = findings.filter((finding) => finding.severity === 'blocker');
  if (!option.result || !option.plan || !host) return notReady([l10n.t('Not checked.')]);
  if (blockers.length > 0) return notReady(blockers.map(blockerText));

  const lines: RatingLine[] = [];
  const problems: string[] = [];
  // Memory (30): what is left after the moves planned onto the host, this one included.
  const planned = committed.memory.get(hostKey(host.name)) ?? 0;
  const live = LIVE.includes(vm.state);
  const memoryAfter = host.memoryFree - planned - vm.memoryBytes;
  if (memoryAfter < 0) {
    problems.push(
      l10n.t(
        'Not enough memory on {0} after the planned moves: {1} free, {2} needs {3}.',
        host.name,
        bytes(Math.max(0, host.memoryFree - planned)),
        vm.name,
        bytes(vm.memoryBytes),
      ),
    );
  } else {
    const points = Math.round((30 * memoryAfter) / Math.max(1, host.memoryCapacity));
    lines.push({
      text: live
        ? l10n.t('Memory: {0} of {1} free after the planned moves', bytes(memoryAfter), bytes(host.memoryCapacity))
        : l10n.t(
            'Memory: {0} is {1}, it takes none now; {2} of {3} free after the planned moves',
            vm.name,
            vm.state.toLowerCase(),
            bytes(memoryAfter),
            bytes(host.memoryCapacity),
          ),
      points,
    });
  }
  // Disk (20): the volume the files go to.
  const path = option.plan.request.storagePath ?? host.virtualMachinePath;
  const volume = volumeOf(path, host.volumes);
  const fileBytes = vm.diskBytes + vm.checkpointBytes;
  if (!volume) {
    lines.push({ text: l10n.t('Disk: no volume of {0} holds {1}; the check found the space', host.name, path), points: 0 });
  } else {
    const diskAfter = volume.freeSpace - (committed.disk.get(diskKey(host.name, volume.name)) ?? 0) - fileBytes;
    if (diskAfter < 0) {
      problems.push(
        l10n.t(
          "Not enough space on {0} of {1} after the planned moves for {2} of {3}'s files.",
          volume.name,
          host.name,
          bytes(fileBytes),
          vm.name,
        ),
      );
    } else {
      lines.push({
        text: l10n.t('Disk {0}: {1} of {2} free after the planned moves', volume.name, bytes(diskAfter), bytes(volume.size)),
        points: Math.round((20 * diskAfter) / Math.max(1, volume.size)),
      });
    }
  }
  if (problems.length > 0) return notReady(problems);
  // Processor (20): the checks already ruled out what cannot run; the same vendor is the better fit.
  const sameVendor = !source || vendorOf(source.cpuVendor) === vendorOf(host.cpuVendor);
  lines.push(
    sameVendor
      ? {
          text: l10n.t('Processor: {0}, as on {1}; the features {2} uses are supported', vendorOf(host.cpuVendor), vm.source, vm.name),
          points: 20,
        }
      : {
          text: l10n.t(
            'Processor: {0} ({1} is {2}): {3} is off and starts on the other vendor',
            vendorOf(host.cpuVendor),
            vm.source,
            source ? vendorOf(source.cpuVendor) : '?',
            vm.name,
          ),
          points: 5,
        },
  );
  // Network (20): adapters that keep their switch.
  if (option.adapters === 0) lines.push({ text: l10n.t('Network: no adapters'), points: 20 });
  else {
    const kept = option.switchesKept;
    lines.push({
      text:
        kept === option.adapters
          ? l10n.t("Network: every adapter's switch exists on {0}", host.name)
          : l10n.t('Network: {0} of {1} adapters need another switch on {2}', option.adapters - kept, option.adapters, host.name),
      points: Math.round((20 * kept) / option.adapters),
    });
  }
  // Checks (10): warnings lower the rating.
  const warnings = findings.filter((finding) => finding.severity === 'warning');
  lines.push({
    text:
      warnings.length === 0
        ? l10n.t('Checks: ready, no warnings')
        : warnings.length === 1
          ? l10n.t('Checks: 1 warning: {0}', warnings.map((w) => w.title).join('; '))
          : l10n.t('Checks: {0} warnings: {1}', warnings.length, warnings.map((w) => w.title).join('; ')),
    points: Math.max(0, 10 - 5 * warnings.length),
  });
  const score = lines.reduce((sum, line) => sum + line.points, 0);
  return { ...base, ready: true, score, lines, blockers: [] };
}

/** Ready hosts first, best score first. */
export function rank(candidates: readonly Candidate[]): Candidate[] {
  return [...candidates].sort((a, b) => Number(b.ready) - Number(a.ready) || b.score - a.score);
}
