// Storage: disks the source cannot read, the move's list of disks (-Vhds), disks left where the destination
// cannot reach them, destination paths on no volume, and free space on each destination volume.
import * as l10n from '@vscode/l10n';
import { bytes } from '../../hyperv/format';
import { volumeOf } from '../../hyperv/volumes';
import type { Evidence, Finding, MigrationRequest } from '../types';
import { keepsVhdFileName, vhdFileName, withSourceFileName } from '../vhdFileName';
import { quote, same, type CheckContext, type Findings } from './context';
import type { DestinationFacts, SourceFacts } from './facts';

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

function storageEvidence(ctx: CheckContext): Evidence[] {
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
function localPlacements(ctx: CheckContext): Placement[] {
  return ctx.src ? placements(ctx.request, ctx.src).filter((p) => !p.path.startsWith('\\\\')) : [];
}

/** Each destination volume the move writes to, with what it needs there. */
function volumeNeeds(ctx: CheckContext): { readonly volume: Volume; readonly needed: number }[] {
  if (!ctx.dst) return [];
  const needs = new Map<Volume, number>();
  for (const placement of localPlacements(ctx)) {
    const volume = volumeOf(placement.path, ctx.dst.host.volumes);
    if (volume) needs.set(volume, (needs.get(volume) ?? 0) + placement.bytes);
  }
  return [...needs].map(([volume, needed]) => ({ volume, needed }));
}

export function storagePathFinding(ctx: CheckContext, paths: readonly string[]): Finding {
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
export function missingPaths(ctx: CheckContext): string[] {
  const volumes = ctx.dst?.host.volumes ?? [];
  const missing = localPlacements(ctx)
    .filter((p) => !volumeOf(p.path, volumes))
    .map((p) => p.path);
  return missing.length > 0 || !ctx.src?.storagePath ? missing : [ctx.src.storagePath];
}

export function storageSpaceFinding(ctx: CheckContext): Finding {
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
function reachableFromDestination(ctx: CheckContext, path: string): boolean {
  if (path.startsWith('\\\\')) return true;
  const cluster = ctx.src?.host.cluster;
  return /^C:\\ClusterStorage\\/i.test(path) && !!cluster && !!ctx.dst?.host.cluster && same(cluster, ctx.dst.host.cluster);
}

export function vhdUnreachableFinding(ctx: CheckContext, controller: string): Finding {
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
function vhdList(ctx: CheckContext, findings: Findings): void {
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
function unreadableDisks(ctx: CheckContext, findings: Findings): void {
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

export function storage(ctx: CheckContext, findings: Findings): void {
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
