// Leftovers: a planned VM of this VM on the destination, before the check or staged by it.
import * as assert from 'node:assert/strict';
import { createPreflightEngine } from '../../../../src/migration/preflight';
import { destinationAnswer, sourceAnswer, VM_ID } from '../../../support/preflightData';
import { REQUEST, runner } from './fixtures';

describe('checks: leftovers (fake PowerShell)', function () {
  it('tells a planned VM the destination held before the check (info, no blocker) and a staged one it could not remove (warning)', async function () {
    const result = await createPreflightEngine(
      runner(
        sourceAnswer((d) => (d.cleanupProblem = 'Access is denied.')),
        destinationAnswer((d) => (d.plannedBefore = { id: VM_ID, name: 'web01' })),
      ),
    ).check(REQUEST);
    assert.deepEqual(
      result.findings.map((f) => [f.id, f.severity]),
      [
        ['leftovers.staged-vm', 'warning'],
        ['leftovers.planned-vm', 'info'],
      ],
    );
    assert.equal(result.ready, true);
    assert.deepEqual(result.findings[1].fixes, []);
  });
});
