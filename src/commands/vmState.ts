import * as vscode from 'vscode';
import type { Connection } from '../connection';
import type { Fleet } from '../hyperv/fleet';
import { changeVmState, type VmStateAction } from '../hyperv/vmState';
import { vmsFor } from './pick';
import { UserError } from '../userError';

export async function startVm(connection: Connection, fleet: Fleet, node: unknown, nodes: unknown): Promise<void> {
  const vms = (await vmsFor(fleet, node, nodes, vscode.l10n.t('Start VMs'))).filter((vm) => vm.state !== 'Running');
  if (vms.length === 0) return;
  const names = vms.map((vm) => vm.name).join(', ');
  const start = vscode.l10n.t('Start');
  const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Start {0}?', names), { modal: true }, start);
  if (choice !== start) throw new vscode.CancellationError();
  await run(connection, fleet, vms, 'Start');
}

export async function stopVm(connection: Connection, fleet: Fleet, node: unknown, nodes: unknown): Promise<void> {
  const vms = (await vmsFor(fleet, node, nodes, vscode.l10n.t('Stop VMs'))).filter((vm) => vm.state !== 'Off');
  if (vms.length === 0) return;
  const names = vms.map((vm) => vm.name).join(', ');
  const shutDown = vscode.l10n.t('Shut Down');
  const turnOff = vscode.l10n.t('Turn Off');
  const save = vscode.l10n.t('Save');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Stop {0}?', names),
    {
      modal: true,
      detail: vscode.l10n.t(
        'Shut Down asks the guest OS to shut down. Turn Off cuts the power (unsaved guest data is lost). Save keeps the memory on disk.',
      ),
    },
    shutDown,
    turnOff,
    save,
  );
  const action: Record<string, VmStateAction> = { [shutDown]: 'ShutDown', [turnOff]: 'TurnOff', [save]: 'Save' };
  if (!choice || !action[choice]) throw new vscode.CancellationError();
  await run(connection, fleet, vms, action[choice]);
}

/** The progress of a state change: `Start web01`, `ShutDown 3 VMs` (the action as Hyper-V names it). */
function progressTitle(action: VmStateAction, what: string): string {
  switch (action) {
    case 'Start':
      return vscode.l10n.t('Start {0}', what);
    case 'ShutDown':
      return vscode.l10n.t('ShutDown {0}', what);
    case 'TurnOff':
      return vscode.l10n.t('TurnOff {0}', what);
    case 'Save':
      return vscode.l10n.t('Save {0}', what);
  }
}

async function run(
  connection: Connection,
  fleet: Fleet,
  vms: readonly { name: string; host: string; id: string }[],
  action: VmStateAction,
): Promise<void> {
  const runner = await connection.runner();
  const failures: string[] = [];
  await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: progressTitle(action, vms.length === 1 ? vms[0].name : vscode.l10n.t('{0} VMs', vms.length)),
      cancellable: true,
    },
    async (_progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      const results = await Promise.all(
        fleet
          .vms()
          .filter((vm) => vms.some((v) => v.id === vm.id))
          .map(async (vm) => ({ vm, result: await changeVmState(runner, vm, action, { signal: controller.signal }) })),
      );
      for (const { vm, result } of results) if (!result.ok) failures.push(`${vm.name}: ${result.error.message}`);
    },
  );
  await fleet.refresh([...new Set(vms.map((vm) => vm.host))]);
  if (failures.length > 0) throw new UserError(failures.join('\n'), [{ title: vscode.l10n.t('Refresh'), command: 'hyperv.fleet.refresh' }]);
}
