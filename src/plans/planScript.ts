// "Copy as PowerShell": the whole plan of one move as a script an admin can keep and run: the checks as
// comments, the fixes applied from the panel, the plan's choices on Compare-VM's report, then Move-VM
// (everything to one folder, or each disk to its own file: storageArguments).
// Values go in as single-quoted literals (psLiteral) and comments are single lines, so no name can turn
// into code.
import { oneLine, onSourceHost, psLiteral, vmFolder, vmFolderName } from '../hyperv/migrationScript';
import { storageArguments } from '../migration/preflight';
import type { Finding, MigrationRequest, MovePlan, PreflightResult } from '../migration/types';
import { areaTitle } from '../migration/areas';

export interface AppliedFix {
  readonly title: string;
  readonly script: string;
  readonly appliedAt: string;
}

export interface PlanScriptInput {
  readonly request: MigrationRequest;
  /** The destination's VirtualMachinePath when known; else the script asks the destination for it. */
  readonly destinationVmPath?: string;
  /** The latest check, and findings earlier checks saw that it no longer finds. */
  readonly result?: PreflightResult;
  readonly resolved?: readonly Finding[];
  readonly plan?: MovePlan;
  readonly applied?: readonly AppliedFix[];
}

function checkComments(input: PlanScriptInput): string[] {
  const { result, plan } = input;
  if (!result) return ['# Checks: none run yet; Compare-VM below is the authoritative check.'];
  const out = [
    `# Checks (${result.checkedAt}): ${result.ready ? 'nothing blocks the move' : 'blockers remain; Compare-VM below will stop the script'}.`,
  ];
  const planned = (f: Finding) => {
    const adapter = Object.keys(plan?.adapterSwitches ?? {}).find((id) => f.id.endsWith(`:${id}`));
    if (adapter === undefined || !plan) return '';
    const target = plan.adapterSwitches[adapter];
    return target === null ? ' (plan: disconnect the adapter)' : ` (plan: connect to switch '${target}')`;
  };
  for (const f of result.findings)
    out.push(oneLine(`#   ${f.severity.toUpperCase().padEnd(8)} ${areaTitle(f.area)}: ${f.title}${planned(f)}`));
  for (const f of input.resolved ?? []) out.push(oneLine(`#   ${'PASSED'.padEnd(8)} ${areaTitle(f.area)}: ${f.title} (fixed)`));
  if (result.findings.length === 0 && (input.resolved ?? []).length === 0) out.push('#   every check passed');
  return out;
}

function appliedFixes(applied: readonly AppliedFix[]): string[] {
  if (applied.length === 0) return [];
  const out = ['', '# Fixes applied from the panel. Already in place; a fix that fails here is reported and the script goes on.'];
  for (const fix of applied) {
    out.push(oneLine(`# ${fix.title} (applied ${fix.appliedAt})`), 'try {');
    for (const text of fix.script.split(/\r?\n/)) out.push(text.length > 0 ? `    ${text}` : '');
    out.push(`} catch { Write-Warning (${psLiteral(oneLine(fix.title))} + ': ' + $_) }`);
  }
  return out;
}

function planLines(request: MigrationRequest, plan: MovePlan | undefined): string[] {
  const adapters = Object.entries(plan?.adapterSwitches ?? {});
  const dvds = plan?.ejectDvd ?? [];
  if (adapters.length === 0 && dvds.length === 0) return [];
  const out = ['', "# The plan: changes to the report's copy of the VM, which Move-VM moves with (the VM itself is not touched)."];
  for (const [id, target] of adapters) {
    const adapter = `$report.VM.NetworkAdapters | Where-Object Id -eq ${psLiteral(id)}`;
    out.push(
      target === null
        ? `${adapter} | Disconnect-VMNetworkAdapter`
        : `${adapter} | Connect-VMNetworkAdapter -VMSwitch (Get-VMSwitch -ComputerName ${psLiteral(request.destination)} -Name ${psLiteral(target)} @toDestination)`,
    );
  }
  for (const drive of dvds) {
    out.push(
      `$report.VM.DVDDrives | Where-Object { ('{0} {1}:{2}' -f $_.ControllerType, $_.ControllerNumber, $_.ControllerLocation) -eq ${psLiteral(drive)} } | Set-VMDvdDrive -Path $null`,
    );
  }
  out.push('$report = Compare-VM -CompatibilityReport $report');
  return out;
}

export function planScript(input: PlanScriptInput): string {
  const { request } = input;
  const storage = input.request.storagePath
    ? psLiteral(input.request.storagePath)
    : input.destinationVmPath
      ? psLiteral(vmFolder(input.destinationVmPath, request.vmName))
      : // Joined as text: Join-Path would need the destination's drive on the machine that runs the script.
        `((Get-VMHost -ComputerName ${psLiteral(request.destination)} @toDestination).VirtualMachinePath.TrimEnd('\\', '/') + '\\' + ${psLiteral(vmFolderName(request.vmName))})`;
  const name = oneLine(request.vmName);
  return [
    oneLine(
      `# Shared-nothing live migration of ${name} from ${request.source} to ${request.destination}, as planned in VS Code (Hyper-V Live Migration).`,
    ),
    '# Requires the Hyper-V PowerShell module and rights on both hosts.',
    ...checkComments(input),
    ...appliedFixes(input.applied ?? []),
    '',
    "$ErrorActionPreference = 'Stop'",
    ...onSourceHost(request.source, request.destination, [
      `$vm = Get-VM -Id ${psLiteral(request.vmId)}   # ${name}`,
      `$report = Compare-VM -VM $vm -DestinationHost ${psLiteral(request.destination)} ${storageArguments(request, storage)} @hop`,
      ...planLines(request, input.plan),
      'if ($report.Incompatibilities) {',
      '    $report.Incompatibilities | Format-Table MessageId, Message -AutoSize -Wrap',
      `    throw ${psLiteral(`${name} cannot move to ${request.destination} until the incompatibilities above are fixed.`)}`,
      '}',
      'Move-VM -CompatibilityReport $report',
    ]),
    `Get-VM -Id ${psLiteral(request.vmId)} -ComputerName ${psLiteral(request.destination)} | Format-Table Name, State, Status, ComputerName`,
    '',
  ].join('\n');
}
