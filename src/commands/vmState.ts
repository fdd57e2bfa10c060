import * as vscode from 'vscode';
import type { Connection } from '../connection';
import type { Fleet } from '../hyperv/fleet';
import { changeVmState, type VmStateAction } from '../hyperv/vmState';
import { vmsFor } from './pick';
import { UserError } from './register';

export async function startVm(connection: Connection, fleet: Fleet, node: unknown, nodes: unknown): Promise<void> {
  const vms = (await vmsFor(fleet, node, nodes, 'Start VMs')).filter((vm) => vm.state !== 'Running');
  if (vms.length === 0) return;
  const names = vms.map((vm) => vm.name).join(', ');
  const choice = await vscode.window.showWarningMessage(`Start ${names}?`, { modal: true }, 'Start');
  if (choice !== 'Start') throw new vscode.CancellationError();
  await run(connection, fleet, vms, 'Start');
}

export async function stopVm(connection: Connection, fleet: Fleet, node: unknown, nodes: unknown): Promise<void> {
  const vms = (await vmsFor(fleet, node, nodes, 'Stop VMs')).filter((vm) => vm.state !== 'Off');
  if (vms.length === 0) return;
  const names = vms.map((vm) => vm.name).join(', ');
  const choice = await vscode.window.showWarningMessage(
    `Stop ${names}?`,
    { modal: true, detail: 'Shut Down asks the guest OS to shut down. Turn Off cuts the power (unsaved guest data is lost). Save keeps the memory on disk.' },
    'Shut Down',
    'Turn Off',
    'Save',
  );
  const action: Record<string, VmStateAction> = { 'Shut Down': 'ShutDown', 'Turn Off': 'TurnOff', Save: 'Save' };
  if (!choice || !action[choice]) throw new vscode.CancellationError();
  await run(connection, fleet, vms, action[choice]);
}

async function run(connection: Connection, fleet: Fleet, vms: readonly { name: string; host: string; id: string }[], action: VmStateAction): Promise<void> {
  const runner = await connection.runner();
  const failures: string[] = [];
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${action} ${vms.length === 1 ? vms[0].name : `${vms.length} VMs`}`, cancellable: true }, async (_progress, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    const results = await Promise.all(fleet.vms().filter((vm) => vms.some((v) => v.id === vm.id)).map(async (vm) => ({ vm, result: await changeVmState(runner, vm, action, { signal: controller.signal }) })));
    for (const { vm, result } of results) if (!result.ok) failures.push(`${vm.name}: ${result.error.message}`);
  });
  await fleet.refresh([...new Set(vms.map((vm) => vm.host))]);
  if (failures.length > 0) throw new UserError(failures.join('\n'), [{ title: 'Refresh', command: 'hyperv.fleet.refresh' }]);
}
