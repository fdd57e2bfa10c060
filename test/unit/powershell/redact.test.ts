import * as assert from 'node:assert/strict';
import { describeParams, REDACTED, redact } from '../../../src/powershell/redact';

describe('PowerShell parameter redaction', () => {
  it('replaces every value whose key names a secret, at any depth and in arrays', () => {
    const params = {
      host: 'HV01',
      Password: 'p@ss',
      nested: { clientSecret: 's3', list: [{ credential: { userName: 'u', password: 'x' } }, { apiToken: 't' }] },
      passwd: 'old',
    };
    assert.deepEqual(redact(params), {
      host: 'HV01',
      Password: REDACTED,
      nested: { clientSecret: REDACTED, list: [{ credential: REDACTED }, { apiToken: REDACTED }] },
      passwd: REDACTED,
    });
  });

  it('keeps the original untouched and describes parameters as JSON', () => {
    const params = { name: 'web01', password: 'hunter2' };
    const text = describeParams(params);
    assert.equal(params.password, 'hunter2');
    assert.doesNotMatch(text, /hunter2/);
    assert.deepEqual(JSON.parse(text), { name: 'web01', password: REDACTED });
    assert.equal(describeParams(undefined), 'null');
    assert.equal(describeParams(['a', 1, null]), '["a",1,null]');
  });
});
