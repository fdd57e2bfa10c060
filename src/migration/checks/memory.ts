// Memory: a running VM's memory moves with it, so the destination must have that much free.
import * as l10n from '@vscode/l10n';
import { bytes } from '../../hyperv/format';
import type { Finding } from '../types';
import type { CheckContext, Findings } from './context';
import type { SourceFacts } from './facts';

/** VM states that hold memory the destination must have free. */
const MEMORY_STATES = ['Running', 'Paused', 'Starting', 'Resuming', 'Pausing'];

function memoryNeeded(src: SourceFacts): number {
  return Math.max(src.vm.memoryStartup, src.vm.memoryAssigned);
}

export function memoryFinding(ctx: CheckContext): Finding {
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

export function memory(ctx: CheckContext, findings: Findings): void {
  const { src, dst } = ctx;
  if (!src || !dst || !MEMORY_STATES.includes(src.vm.state)) return;
  if (memoryNeeded(src) > dst.host.memoryFree) findings.add(memoryFinding(ctx));
}
