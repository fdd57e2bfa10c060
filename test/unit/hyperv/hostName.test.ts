import * as assert from 'node:assert/strict';
import { hostKey, sameHost, shortHostName, validateHostName } from '../../../src/hyperv/hostName';

describe('host names', () => {
  it('accepts short names and FQDNs', () => {
    for (const name of ['HV01', 'hv-01', 'hv01.contoso.com', ' HV02 ']) assert.equal(validateHostName(name), undefined, name);
  });

  it('refuses what is not a host name, with a reason', () => {
    for (const name of ['', 'HV 01', "HV01'; Remove-Item", 'HV01$(calc)', '-HV01', 'a..b', 'x'.repeat(254)]) {
      assert.equal(typeof validateHostName(name), 'string', name);
    }
  });

  describe('one host, however it is written', () => {
    it("ignores case, surrounding spaces and DNS's trailing dot in the key", () => {
      assert.equal(hostKey('HV01'), 'hv01');
      assert.equal(hostKey(' hv01.Contoso.LAB. '), 'hv01.contoso.lab');
      assert.equal(hostKey('hv01.contoso.lab.'), hostKey('HV01.CONTOSO.LAB'));
    });

    it('keeps the FQDN in the key: the same short name in two domains gives two keys', () => {
      assert.notEqual(hostKey('hv01.contoso.lab'), hostKey('hv01.fabrikam.lab'));
      assert.notEqual(hostKey('HV01'), hostKey('hv01.contoso.lab'));
    });

    it('takes the first label as the short name', () => {
      assert.equal(shortHostName('hv01.contoso.lab.'), 'hv01');
      assert.equal(shortHostName('HV01'), 'HV01');
    });

    it('is the same host in any case and with or without the trailing dot', () => {
      assert.equal(sameHost('HV01', 'hv01'), true);
      assert.equal(sameHost('hv01.contoso.lab', 'HV01.CONTOSO.LAB.'), true);
    });

    it('is the same host as a short name and an FQDN that starts with it, either way round', () => {
      assert.equal(sameHost('HV01', 'hv01.contoso.lab'), true);
      assert.equal(sameHost('hv01.contoso.lab.', 'hv01'), true);
    });

    it('is not the same host for two FQDNs of two domains, nor for a short name that is only a prefix', () => {
      assert.equal(sameHost('hv01.contoso.lab', 'hv01.fabrikam.lab'), false);
      assert.equal(sameHost('HV01', 'hv010.contoso.lab'), false);
      assert.equal(sameHost('HV01', 'HV02'), false);
      assert.equal(sameHost('', 'HV01'), false);
    });
  });
});
