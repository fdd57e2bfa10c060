import * as assert from 'node:assert/strict';
import { validateHostName } from '../../src/hyperv/hostName';

describe('host names', () => {
  it('accepts short names and FQDNs', () => {
    for (const name of ['HV01', 'hv-01', 'hv01.contoso.com', ' HV02 ']) assert.equal(validateHostName(name), undefined, name);
  });

  it('refuses what is not a host name, with a reason', () => {
    for (const name of ['', 'HV 01', "HV01'; Remove-Item", 'HV01$(calc)', '-HV01', 'a..b', 'x'.repeat(254)]) {
      assert.equal(typeof validateHostName(name), 'string', name);
    }
  });
});
