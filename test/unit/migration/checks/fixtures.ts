// What the tests of the checks share: web01 moving from HV01 to HV02, a fake that answers the two preflight
// scripts (preflightData.ts: nothing in the way unless a test changes it), and Compare-VM's incompatibilities.
import type { MigrationRequest, PreflightResult } from '../../../../src/migration/types';
import type { PowerShellResult } from '../../../../src/powershell/types';
import { FakeRunner, ok } from '../../../support/fakeRunner';
import { destinationAnswer, sourceAnswer, VM_ID, type Json } from '../../../support/preflightData';

export const REQUEST: MigrationRequest = { vmId: VM_ID, vmName: 'web01', source: 'HV01', destination: 'HV02' };

export function incompatibility(messageId: number, message: string, type: string, sourceKey: string | null = null): Json {
  return { messageId, message, sourceType: `Microsoft.HyperV.PowerShell.${type}`, sourceKey };
}

export function runner(
  source: Json | PowerShellResult<unknown> = sourceAnswer(),
  destination: Json | PowerShellResult<unknown> = destinationAnswer(),
): FakeRunner {
  const answer = (value: Json | PowerShellResult<unknown>) =>
    'ok' in value && typeof value.ok === 'boolean' ? (value as PowerShellResult<unknown>) : ok(value);
  return new FakeRunner()
    .answer('preflightSource', () => answer(source))
    .answer('preflightDestination', () => answer(destination))
    .answer('openHostSessions', () => ok(1));
}

export const ids = (result: PreflightResult) => result.findings.map((f) => f.id);
