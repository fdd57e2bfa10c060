import * as assert from 'node:assert/strict';
import { CredentialStore, type NameIndex, type SecretStore } from '../../src/credentials';

/** VS Code's SecretStorage and globalState as maps: what the store wrote is what a later session reads. */
function storage(): { secrets: SecretStore & { values: Map<string, string> }; index: NameIndex } {
  const values = new Map<string, string>();
  const memento = new Map<string, unknown>();
  return {
    secrets: {
      values,
      get: (key) => Promise.resolve(values.get(key)),
      store: (key, value) => Promise.resolve(void values.set(key, value)),
      delete: (key) => Promise.resolve(void values.delete(key)),
    },
    index: {
      get: <T>(key: string, defaultValue: T) => (memento.has(key) ? (memento.get(key) as T) : defaultValue),
      update: (key, value) => Promise.resolve(void memento.set(key, value)),
    },
  };
}

const admin = { userName: 'CONTOSO\\hvadmin', password: 'pa55' };

describe('stored credentials', () => {
  it('are found by the FQDN when stored for the short name, and by the short name when stored for the FQDN', async () => {
    const one = storage();
    await new CredentialStore(one.secrets, one.index).set('HV01', admin);
    assert.deepEqual(await new CredentialStore(one.secrets, one.index).get('hv01.contoso.lab.'), admin);

    const two = storage();
    await new CredentialStore(two.secrets, two.index).set('hv02.contoso.lab', admin);
    const later = new CredentialStore(two.secrets, two.index);
    assert.deepEqual(await later.get('HV02'), admin);
    assert.deepEqual(later.cached('hv02'), admin);
  });

  it('are not found for the same short name in another domain', async () => {
    const { secrets, index } = storage();
    await new CredentialStore(secrets, index).set('hv01.contoso.lab', admin);
    assert.equal(await new CredentialStore(secrets, index).get('hv01.fabrikam.lab'), undefined);
  });

  it('are cleared under every name of the host', async () => {
    const { secrets, index } = storage();
    const store = new CredentialStore(secrets, index);
    await store.set('hv03.contoso.lab', admin);
    assert.equal(await store.clear('HV03'), true);
    assert.equal(await store.get('hv03.contoso.lab'), undefined);
    assert.equal(store.cached('HV03'), undefined);
    assert.equal(secrets.values.size, 0);
  });

  it('never keep the secret outside secret storage', async () => {
    const { secrets, index } = storage();
    await new CredentialStore(secrets, index).set('HV04', admin);
    assert.ok(!JSON.stringify(index.get('hyperv.credentialHosts', [])).includes(admin.password));
  });
});
