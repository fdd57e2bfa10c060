// Names come from configuration, not from hosts, on the lab: HV02 gives itself another name (Set-HyperVLabFault
// -ReportsName HV02-OLD, as an alias, a stale DNS record or a long name make Hyper-V's NetBIOS ComputerName
// differ from the name a host was reached by). The inventory names HV02's VMs by the configured HV02, the
// check runs with the credential stored for HV02, and Configure Live Migration writes the delegation entries
// AD confirms for HV02 (its computer's Name and dNSHostName), never HV02-OLD. Configured by the name it gives
// itself, AD has no such computer: the matrix and the check say so, and nothing is written.
import * as assert from 'node:assert/strict';
import { CredentialStore } from '../../src/credentials';
import { readFleet } from '../../src/hyperv/inventory';
import { applyFleetConfiguration, planFleetConfiguration, readFleetConfiguration } from '../../src/migration/fleetConfig';
import { createPreflightEngine } from '../../src/migration/preflight';
import type { CallOptions, PowerShellRunner, Script } from '../../src/powershell/types';
import { createLab, type Lab } from '../support/labFixture';

const ADMIN = { userName: 'CONTOSO\\labadmin', password: 'lab' };
const HV02_ADMIN = { userName: 'CONTOSO\\hv02admin', password: 'only-for-hv02' };
const SERVICE = 'Microsoft Virtual System Migration Service';

type Used = { readonly script: string; readonly userName: string | undefined };

/** The lab's runner, recording the credential each script was given. */
function recording(runner: PowerShellRunner): PowerShellRunner & { readonly used: Used[] } {
  const used: Used[] = [];
  return {
    used,
    concurrency: runner.concurrency,
    run<P, T>(script: Script<P, T>, params: P, options?: CallOptions) {
      used.push({ script: script.name, userName: options?.credential?.userName });
      return runner.run(script, params, options);
    },
    dispose: () => Promise.resolve(),
  };
}

/** Credentials as the extension stores them (SecretStorage and its names, here in memory): one for HV02, typed as its FQDN. */
async function credentials(): Promise<CredentialStore> {
  const secrets = new Map<string, string>();
  const names = new Map<string, unknown>();
  const store = new CredentialStore(
    {
      get: (k) => Promise.resolve(secrets.get(k)),
      store: (k, v) => Promise.resolve(void secrets.set(k, v)),
      delete: (k) => Promise.resolve(void secrets.delete(k)),
    },
    { get: <T>(k: string, d: T) => (names.has(k) ? (names.get(k) as T) : d), update: (k, v) => Promise.resolve(void names.set(k, v)) },
  );
  await store.set('hv02.contoso.lab', HV02_ADMIN);
  return store;
}

describe('names come from configuration, not from hosts (lab: HV02 calls itself HV02-OLD)', function () {
  let lab: Lab;

  before(async function () {
    lab = await createLab({ size: 2 });
    await lab.run('renamed', "param($Params)\nSet-HyperVLabFault -ComputerName HV02 -ReportsName 'HV02-OLD'");
  });

  after(async function () {
    await lab?.dispose();
  });

  it("the lab: HV02 gives HV02-OLD as its VMHost, VM and Win32_ComputerSystem name, and is still reached as HV02 (assumption: which name is the knob's)", async function () {
    const names = await lab.run<{ Host: string; Vm: string; Dns: string; Name: string }>(
      'names',
      `param($Params)
$system = Get-CimInstance -ClassName Win32_ComputerSystem -ComputerName HV02
[pscustomobject]@{ Host = (Get-VMHost -ComputerName HV02).ComputerName; Vm = @(Get-VM -ComputerName HV02)[0].ComputerName; Dns = $system.DNSHostName; Name = $system.Name }`,
    );
    assert.deepEqual(names, { Host: 'HV02-OLD', Vm: 'HV02-OLD', Dns: 'HV02-OLD', Name: 'HV02-OLD' });
  });

  it('the inventory names HV02 and its VMs by the configured name, and a check of its VM runs with the credential stored for HV02', async function () {
    const [reading] = await readFleet(lab.pool, [{ name: 'HV02', credential: ADMIN }]);
    assert.ok(reading?.ok, reading && !reading.ok ? reading.error.message : 'no reading');
    assert.equal(reading.inventory.host.name, 'HV02');
    assert.ok(reading.inventory.vms.length > 0);
    assert.deepEqual([...new Set(reading.inventory.vms.map((vm) => vm.host))], ['HV02']);

    const store = await credentials();
    await store.get('HV02');
    const runner = recording(lab.pool);
    const vm = reading.inventory.vms[0];
    const engine = createPreflightEngine(runner, { credentialFor: (host) => store.cached(host) ?? ADMIN });
    await engine.check({ vmId: vm.id, vmName: vm.name, source: vm.host, destination: 'HV01' });
    assert.deepEqual(
      runner.used.find((u) => u.script === 'preflightSource'),
      { script: 'preflightSource', userName: HV02_ADMIN.userName },
    );
  });

  it('Configure writes the entries AD confirms for HV02 (to HV03, which lacks them), never the name HV02 gives itself', async function () {
    const config = await readFleetConfiguration(lab.pool, ['HV01', 'HV02', 'HV03'], undefined, { credentialFor: () => ADMIN });
    const hv02 = config.hosts.find((h) => h.host === 'HV02');
    assert.ok(hv02?.ok && hv02.config.account, JSON.stringify(hv02));
    assert.equal(hv02.config.name, 'HV02-OLD', 'the lab answers the name HV02 gives itself');
    assert.equal(hv02.config.account.dnsHostName, 'HV02.contoso.lab');

    const plan = planFleetConfiguration(config);
    const toHv02 = [`${SERVICE}/HV02`, `${SERVICE}/HV02.contoso.lab`, 'cifs/HV02', 'cifs/HV02.contoso.lab'];
    const fromHv03 = plan.changes.find((c) => c.id === 'add-delegation:HV03');
    assert.ok(fromHv03, plan.changes.map((c) => c.id).join(', '));
    for (const entry of toHv02)
      assert.ok((fromHv03.params.Entries as string[]).includes(entry), `${entry} in ${JSON.stringify(fromHv03.params)}`);
    assert.ok(!plan.script.includes('HV02-OLD'), plan.script);

    const applied = await applyFleetConfiguration(lab.pool, plan, undefined, { credentialFor: () => ADMIN });
    assert.ok(applied.ok, JSON.stringify(applied.results.filter((r) => r.status !== 'applied')));
    const written = await lab.run<string[]>(
      'ad',
      "param($Params)\n@((Get-ADComputer -Identity HV03 -Properties 'msDS-AllowedToDelegateTo').'msDS-AllowedToDelegateTo' | ForEach-Object { [string]$_ })",
    );
    for (const entry of toHv02) assert.ok(written.includes(entry), `${entry} written to HV03: ${written.join('; ')}`);
    assert.ok(!written.some((entry) => /HV02-OLD/i.test(entry)), written.join('; '));
  });

  it('configured by the name it gives itself, AD has no such computer: the matrix and the check say so, and nothing is planned for it', async function () {
    const config = await readFleetConfiguration(lab.pool, ['HV01', 'HV02-OLD'], undefined, { credentialFor: () => ADMIN });
    const old = config.hosts.find((h) => h.host === 'HV02-OLD');
    assert.ok(old?.ok && !old.config.account, JSON.stringify(old));
    assert.match(old.config.accountError?.message ?? '', /HV02-OLD/);
    assert.ok(
      config.pairs.every((p) => p.status === 'unknown'),
      JSON.stringify(config.pairs),
    );
    assert.deepEqual(
      planFleetConfiguration(config).changes.filter((c) => c.appliesTo === 'ad'),
      [],
    );

    const [reading] = await readFleet(lab.pool, [{ name: 'HV01', credential: ADMIN }]);
    const vm = reading?.ok ? reading.inventory.vms.find((v) => v.state === 'Running') : undefined;
    assert.ok(vm);
    const result = await createPreflightEngine(lab.pool, { credentialFor: () => ADMIN }).check({
      vmId: vm.id,
      vmName: vm.name,
      source: 'HV01',
      destination: 'HV02-OLD',
    });
    assert.ok(
      result.findings.some((f) => f.id === 'authentication.ad-name'),
      result.findings.map((f) => f.id).join(', '),
    );
    assert.ok(!result.findings.some((f) => f.id === 'authentication.delegation'), result.findings.map((f) => f.id).join(', '));
  });
});
