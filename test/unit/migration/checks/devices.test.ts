// Devices: virtual Fibre Channel and assigned devices.
import * as assert from 'node:assert/strict';
import { createPreflightEngine } from '../../../../src/migration/preflight';
import { destinationAnswer, sourceAnswer } from '../../../support/preflightData';
import { REQUEST, runner } from './fixtures';

describe('checks: devices (fake PowerShell)', function () {
  it('reports virtual Fibre Channel (blocking when the SAN is missing) and assigned devices', async function () {
    const devices = (sans: string[] | null) =>
      createPreflightEngine(
        runner(
          sourceAnswer((d) => {
            d.vm.fibreChannel = [{ name: 'Fibre Channel Adapter', sanName: 'SAN-A' }];
            d.vm.assignedDevices = [{ name: 'NVIDIA T4', instanceId: 'PCIP\\VEN_10DE&DEV_1EB8' }];
          }),
          destinationAnswer((d) => (d.host.sans = sans)),
        ),
      ).check(REQUEST);
    const missing = await devices(['SAN-B']);
    assert.deepEqual(
      missing.findings.map((f) => [f.id, f.severity]),
      [
        ['devices.assigned:PCIP\\VEN_10DE&DEV_1EB8', 'blocker'],
        ['devices.fibre-channel:Fibre Channel Adapter', 'blocker'],
      ],
    );
    const unknown = await devices(null);
    assert.equal(
      unknown.findings.find((f) => f.id.startsWith('devices.fibre-channel'))?.severity,
      'warning',
      'SANs not listed: a warning to check',
    );
  });
});
