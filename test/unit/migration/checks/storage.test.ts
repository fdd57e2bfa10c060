// Storage and memory: what the VM needs against the destination's volumes and free memory.
import * as assert from 'node:assert/strict';
import { createPreflightEngine } from '../../../../src/migration/preflight';
import { destinationAnswer, GB, sourceAnswer } from '../../preflightData';
import { ids, REQUEST, runner } from './fixtures';

describe('checks: storage and memory (fake PowerShell)', function () {
  it('checks destination memory and disk against what the VM needs', async function () {
    const result = await createPreflightEngine(
      runner(
        sourceAnswer((d) => (d.vm.checkpoints = [{ name: 'before patch', bytes: 2 * GB }])),
        destinationAnswer((d) => {
          d.host.memoryFree = 1 * GB;
          d.host.volumes = [{ name: 'D:\\', freeSpace: 15 * GB, size: 100 * GB }];
        }),
      ),
    ).check(REQUEST);
    assert.deepEqual(ids(result), ['storage.space', 'memory.insufficient']);
    assert.equal(result.findings[0].title, 'Not enough space on HV02 D:\\ (16 GB needed, 15 GB free)');
    assert.equal(result.findings[1].title, 'HV02 has 1 GB free; web01 needs 2 GB');
    const noVolume = await createPreflightEngine(runner(sourceAnswer((d) => (d.storagePath = 'Q:\\VMs\\web01')))).check(REQUEST);
    assert.deepEqual(ids(noVolume), ['storage.path']);
  });
});
