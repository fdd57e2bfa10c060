import { defineScript } from '../powershell/script';
import type { PowerShellResult, PowerShellRunner } from '../powershell/types';
import { array, boolean, object, stringItem } from './decode';
import ensureLabText from './scripts/ensureLab.ps1';
import resetLabText from './scripts/resetLab.ps1';

const ensureLabScript = defineScript<{ Path: string }, { created: boolean; hosts: string[] }>('ensureLab', ensureLabText, (data) => {
  const o = object(data, 'lab');
  return { created: boolean(o, 'created', 'lab'), hosts: array(o, 'hosts', 'lab', stringItem) };
});

const resetLabScript = defineScript<Record<string, never>, string[]>('resetLab', resetLabText, (data) =>
  array(object(data, 'lab'), 'hosts', 'lab', stringItem),
);

/** Makes the lab file from the Default template if it is missing; answers the lab's hosts. */
export function ensureLab(runner: PowerShellRunner, path: string): Promise<PowerShellResult<{ created: boolean; hosts: string[] }>> {
  return runner.run(ensureLabScript, { Path: path });
}

export function resetLab(runner: PowerShellRunner): Promise<PowerShellResult<string[]>> {
  return runner.run(resetLabScript, {});
}
