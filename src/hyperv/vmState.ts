import { defineScript } from '../powershell/script';
import type { CallOptions, PowerShellResult, PowerShellRunner } from '../powershell/types';
import { object, string } from './decode';
import { hostKey } from './hostName';
import type { Vm } from './model';
import setVmStateText from './scripts/setVmState.ps1';

export type VmStateAction = 'Start' | 'ShutDown' | 'TurnOff' | 'Save';

const setVmState = defineScript<{ ComputerName: string; Id: string; Action: VmStateAction }, { state: string; status: string }>(
  'setVmState',
  setVmStateText,
  (data) => {
    const o = object(data, 'result');
    return { state: string(o, 'state', 'result'), status: string(o, 'status', 'result') };
  },
);

export function changeVmState(
  runner: PowerShellRunner,
  vm: Vm,
  action: VmStateAction,
  options?: CallOptions,
): Promise<PowerShellResult<{ state: string; status: string }>> {
  return runner.run(setVmState, { ComputerName: vm.host, Id: vm.id, Action: action }, { affinity: hostKey(vm.host), ...options });
}
