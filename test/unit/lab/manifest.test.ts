// The lab module's manifest names every cmdlet it exports: one per Public/*.ps1 file, no wildcard.

import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const lab = join(__dirname, '..', '..', '..', '..', 'src', 'lab', 'HyperVLab');

function exported(): string[] {
  const manifest = readFileSync(join(lab, 'HyperVLab.psd1'), 'utf8');
  const list = /FunctionsToExport\s*=\s*@\(([^)]*)\)/.exec(manifest);
  assert.ok(list, 'FunctionsToExport is a list of names');
  return [...list[1].matchAll(/'([^']+)'/g)].map((m) => m[1]);
}

describe('lab module manifest', () => {
  it('exports each Public/*.ps1 cmdlet by its name, and nothing else', () => {
    const files = readdirSync(join(lab, 'Public'))
      .filter((f) => f.endsWith('.ps1'))
      .map((f) => f.slice(0, -'.ps1'.length))
      .sort();
    assert.deepEqual([...exported()].sort(), files);
  });

  it('names no wildcard', () => {
    assert.ok(exported().every((name) => !/[*?]/.test(name)));
  });
});
