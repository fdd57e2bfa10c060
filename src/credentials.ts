import { hostKey, sameHost, shortHostName } from './hyperv/hostName';
import type { Credential } from './powershell/types';

/** Where secrets live (VS Code's SecretStorage): read, write and delete by key, no listing. */
export interface SecretStore {
  get(key: string): Thenable<string | undefined>;
  store(key: string, value: string): Thenable<void>;
  delete(key: string): Thenable<void>;
}

/** Where the names credentials were stored for are kept (a Memento): names only, never secrets. */
export interface NameIndex {
  get<T>(key: string, defaultValue: T): T;
  update(key: string, value: unknown): Thenable<void>;
}

const secretKey = (host: string) => `hyperv.credential.${hostKey(host)}`;
const INDEX_KEY = 'hyperv.credentialHosts';

/**
 * The hosts' stored credentials, found by any name of the same host (hostName.ts `sameHost`): a credential
 * stored for HV01 serves hv01.contoso.lab and one stored for hv01.contoso.lab serves HV01, whichever the
 * admin typed first. Secret storage cannot list its keys, so the names stored for are kept beside it.
 */
export class CredentialStore {
  private readonly known = new Map<string, Credential>();

  constructor(
    private readonly secrets: SecretStore,
    private readonly index: NameIndex,
  ) {}

  /** A host's stored credential, read from secret storage, or undefined. */
  async get(host: string): Promise<Credential | undefined> {
    for (const name of this.namesOf(host)) {
      const stored = await this.secrets.get(secretKey(name));
      if (!stored) continue;
      const parsed = JSON.parse(stored) as Credential;
      const credential = { userName: parsed.userName, password: parsed.password };
      this.known.set(hostKey(host), credential);
      return credential;
    }
    this.forgetKnown(host);
    return undefined;
  }

  /** A host's credential as last read or stored, for synchronous callers. */
  cached(host: string): Credential | undefined {
    return this.known.get(hostKey(host)) ?? [...this.known].find(([name]) => sameHost(name, host))?.[1];
  }

  async set(host: string, credential: Credential): Promise<void> {
    await this.secrets.store(secretKey(host), JSON.stringify(credential));
    const names = this.storedNames();
    if (!names.some((name) => hostKey(name) === hostKey(host))) await this.index.update(INDEX_KEY, [...names, hostKey(host)]);
    this.forgetKnown(host);
    this.known.set(hostKey(host), credential);
  }

  /** Removes every credential stored for the host under any of its names; true when there was one. */
  async clear(host: string): Promise<boolean> {
    let had = false;
    for (const name of this.namesOf(host)) {
      if ((await this.secrets.get(secretKey(name))) !== undefined) had = true;
      await this.secrets.delete(secretKey(name));
    }
    await this.index.update(
      INDEX_KEY,
      this.storedNames().filter((name) => !sameHost(name, host)),
    );
    this.forgetKnown(host);
    return had;
  }

  /** The names a credential of this host may be stored under: its own, its short name, and every stored name of the same host. */
  private namesOf(host: string): string[] {
    const names = [host, shortHostName(host), ...this.storedNames().filter((name) => sameHost(name, host))];
    return names.filter((name, i) => name.trim() !== '' && names.findIndex((other) => hostKey(other) === hostKey(name)) === i);
  }

  private storedNames(): string[] {
    return this.index.get<string[]>(INDEX_KEY, []);
  }

  private forgetKnown(host: string): void {
    for (const name of [...this.known.keys()]) if (sameHost(name, host)) this.known.delete(name);
  }
}
