import * as assert from 'node:assert/strict';
import { decodeHostInventory } from '../../../src/hyperv/inventory';
import { migrationScript, psLiteral } from '../../../src/hyperv/migrationScript';
import { hostJson, vmJson } from '../../support/inventoryData';

describe('migration as PowerShell', () => {
  it('quotes a value so PowerShell reads it back unchanged', () => {
    assert.equal(psLiteral("it's"), "'it''s'");
    assert.equal(psLiteral('$(x) `n "y"'), '\'$(x) `n "y"\'');
    assert.equal(psLiteral('a\u2019b'), "'a\u2019\u2019b'");
  });

  it('runs Compare-VM, stops on incompatibilities, then moves with the same report', () => {
    const source = decodeHostInventory({ host: hostJson('HV01'), vms: [vmJson('web01', 'HV01')] });
    const destination = decodeHostInventory({ host: hostJson('HV02'), vms: [] }).host;
    const script = migrationScript(source.vms[0], destination);
    const lines = script.split('\n').map((l) => l.trim());
    const compare = lines.findIndex((l) => l.startsWith('$report = Compare-VM'));
    const move = lines.findIndex((l) => l === 'Move-VM -CompatibilityReport $report');
    assert.ok(compare >= 0 && move > compare);
    assert.match(lines[compare], /-DestinationHost 'HV02' -IncludeStorage -DestinationStoragePath 'D:\\Hyper-V\\web01'/);
    assert.ok(lines.slice(compare, move).some((l) => l.includes('throw')));
  });
});
