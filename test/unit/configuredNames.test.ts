// Names come from configuration, not from hosts: a host may give itself another name than the one it was
// configured by (Hyper-V's ComputerName is the NetBIOS form of what DNS resolves: an alias, a stale record,
// a name over 15 characters). The check and Configure Live Migration name the hosts as configured, find
// their AD accounts by those names, and write the delegation entries AD confirms (dNSHostName); where AD
// does not confirm a configured name they say so and write nothing.
import * as assert from 'node:assert/strict';
import { planFleetConfiguration, readFleetConfiguration } from '../../src/migration/fleetConfig';
import { createPreflightEngine } from '../../src/migration/preflight';
import type { MigrationRequest } from '../../src/migration/types';
import { FakeRunner, ok } from '../support/fakeRunner';
import { destinationAnswer, sourceAnswer, VM_ID, type Json } from '../support/preflightData';

const REQUEST: MigrationRequest = { vmId: VM_ID, vmName: 'web01', source: 'HV01', destination: 'HV02' };
const SERVICE = 'Microsoft Virtual System Migration Service';

/** The answers of two hosts that call themselves HV01-OLD and HV02-OLD, whatever they were configured as. */
function renamed(
  destinationAccount: Json | null = {
    name: 'HV02',
    dnsHostName: 'HV02.contoso.lab',
    allowedToDelegateTo: [],
    trustedToAuthForDelegation: true,
  },
): FakeRunner {
  const source = sourceAnswer((data) => {
    Object.assign(data.host, { name: 'HV01-OLD', fqdn: 'HV01-OLD.contoso.lab' });
    data.account = { name: 'HV01', dnsHostName: 'HV01.contoso.lab', allowedToDelegateTo: [], trustedToAuthForDelegation: true };
  });
  const destination = destinationAnswer((data) => {
    Object.assign(data.host, { name: 'HV02-OLD', fqdn: 'HV02-OLD.contoso.lab' });
    data.account = destinationAccount;
  });
  return new FakeRunner()
    .answer('preflightSource', () => ok(source))
    .answer('preflightDestination', () => ok(destination))
    .answer('openHostSessions', () => ok(1));
}

describe('names come from configuration, not from hosts', function () {
  it("the check asks for the configured names, and its delegation fix writes the destination as AD has it, with the source's credential", async function () {
    const fake = renamed();
    const result = await createPreflightEngine(fake).check(REQUEST);
    assert.deepEqual(
      fake.calls.map((c) => c.params as Json).map((p) => p.Source ?? p.Destination ?? p.hosts),
      [['HV01'], 'HV02', 'HV01'],
      "the source's session opened, the destination read, then the source read, each by its configured name",
    );
    const fix = result.findings.find((f) => f.id === 'authentication.delegation')?.fixes.find((f) => f.id === 'add-delegation');
    assert.deepEqual(fix?.args, {
      account: 'HV01',
      entries: [`${SERVICE}/HV02`, `${SERVICE}/HV02.contoso.lab`, 'cifs/HV02', 'cifs/HV02.contoso.lab'],
      host: 'HV01',
    });
    assert.ok(!JSON.stringify(result.findings).includes('-OLD'), 'no finding names a host by the name it gives itself');
  });

  it('the check says so, and offers no AD change, where AD does not confirm the configured destination', async function () {
    const result = await createPreflightEngine(
      renamed({ name: 'HV07', dnsHostName: 'HV07.contoso.lab', allowedToDelegateTo: [], trustedToAuthForDelegation: true }),
    ).check(REQUEST);
    const finding = result.findings.find((f) => f.id === 'authentication.ad-name');
    assert.match(finding?.cause ?? '', /AD's computer HV07 is HV07\.contoso\.lab, not HV02/);
    assert.ok(!result.findings.some((f) => f.fixes.some((fix) => fix.appliesTo === 'ad')), result.findings.map((f) => f.id).join(', '));
  });

  it('the check says so where AD has no computer for the configured destination', async function () {
    const result = await createPreflightEngine(renamed(null)).check(REQUEST);
    assert.ok(
      result.findings.some((f) => f.id === 'authentication.ad-name'),
      result.findings.map((f) => f.id).join(', '),
    );
    assert.ok(!result.findings.some((f) => f.id === 'authentication.delegation'));
  });

  /** configRead answers: hosts that call themselves <name>-OLD, with AD accounts as given. */
  function configFleet(accounts: Record<string, Json>): FakeRunner {
    return new FakeRunner().answer('configRead', (params) => {
      const host = (params as { Host: string }).Host;
      const short = host.split('.')[0]?.toUpperCase() ?? host;
      return ok({
        name: `${short}-OLD`,
        fqdn: `${short}-OLD.corp.example`,
        migrationEnabled: true,
        useAnyNetwork: true,
        networks: [],
        authenticationType: 'Kerberos',
        performanceOption: 'Compression',
        maximumVmMigrations: 2,
        maximumStorageMigrations: 2,
        account: { allowedToDelegateTo: [], trustedToAuthForDelegation: true, ...accounts[host] },
        accountError: null,
      });
    });
  }

  it('Configure writes the entries AD confirms for each destination, never the name a host gives itself', async function () {
    const runner = configFleet({
      A: { name: 'A', dnsHostName: 'A.corp.example' },
      'b.corp.example': { name: 'B', dnsHostName: 'B.corp.example' },
    });
    const plan = planFleetConfiguration(await readFleetConfiguration(runner, ['A', 'b.corp.example']));
    const fromA = plan.changes.find((c) => c.id === 'add-delegation:A');
    assert.deepEqual(fromA?.params, {
      Account: 'A',
      Entries: [`${SERVICE}/B`, `${SERVICE}/B.corp.example`, 'cifs/B', 'cifs/B.corp.example'],
    });
    assert.ok(!plan.script.includes('-OLD'), plan.script);
  });

  it('Configure marks the pairs unknown and plans no entry where AD does not confirm a configured name', async function () {
    const runner = configFleet({
      A: { name: 'A', dnsHostName: 'A.corp.example' },
      'b.corp.example': { name: 'B', dnsHostName: 'B.fabrikam.example' },
    });
    const config = await readFleetConfiguration(runner, ['A', 'b.corp.example']);
    const pair = config.pairs.find((p) => p.source === 'A');
    assert.equal(pair?.status, 'unknown');
    assert.match(pair?.gaps.find((g) => g.kind === 'ad-name')?.text ?? '', /AD's computer B is B\.fabrikam\.example, not b\.corp\.example/);
    const plan = planFleetConfiguration(config);
    assert.deepEqual(
      plan.changes.filter((c) => c.appliesTo === 'ad'),
      [],
    );
    assert.match(plan.notes.join('\n'), /No delegation to or from b\.corp\.example is planned/);
  });
});
