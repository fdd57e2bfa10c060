// The confirmation before AD changes lists every entry it will write: the computer account, the attribute
// (msDS-AllowedToDelegateTo) and each value, and "use any authentication protocol" where it is turned on,
// for Configure Live Migration's plan and for a check's delegation fix.
import * as assert from 'node:assert/strict';
import { fixWrites } from '../../src/migration/fixes';
import { planFleetConfiguration, readFleetConfiguration } from '../../src/migration/fleetConfig';
import { applyConfirmation } from '../../src/panel/fleet/configureViews';
import { FakeRunner, ok } from '../support/fakeRunner';

const SERVICE = 'Microsoft Virtual System Migration Service';

function host(name: string, trusted: boolean): Record<string, unknown> {
  return {
    name,
    fqdn: `${name}.contoso.lab`,
    migrationEnabled: true,
    useAnyNetwork: true,
    networks: [],
    authenticationType: 'Kerberos',
    performanceOption: 'Compression',
    maximumVmMigrations: 2,
    maximumStorageMigrations: 2,
    account: { name, dnsHostName: `${name}.contoso.lab`, allowedToDelegateTo: [], trustedToAuthForDelegation: trusted },
    accountError: null,
  };
}

describe('the confirmation before AD changes', function () {
  it('lists each account, the attribute and every entry the plan writes, and where it allows any protocol', async function () {
    const runner = new FakeRunner().answer('configRead', (params) => {
      const name = (params as { Host: string }).Host;
      return ok(host(name, name !== 'HV02'));
    });
    const plan = planFleetConfiguration(await readFleetConfiguration(runner, ['HV01', 'HV02']));
    const { detail } = applyConfirmation(plan);
    for (const [account, to] of [
      ['HV01', 'HV02'],
      ['HV02', 'HV01'],
    ] as const) {
      assert.match(detail, new RegExp(`${account} \\(computer account\\): msDS-AllowedToDelegateTo, add 4:`));
      // Every entry, one line per service with its targets (SERVICE/ HV02, HV02.contoso.lab).
      for (const service of [SERVICE, 'cifs']) {
        assert.ok(
          detail.includes(`      ${service}/ ${to}, ${to}.contoso.lab\n`),
          `the confirmation lists ${service}/${to} and its FQDN for ${account}:\n${detail}`,
        );
      }
    }
    assert.match(detail, /HV02 \(computer account\): TrustedToAuthForDelegation = True/);
    assert.doesNotMatch(detail, /HV01 \(computer account\): TrustedToAuthForDelegation/);
  });

  it('a plan too long for a modal still names each change (account and count), and keeps the buttons on the screen', async function () {
    const names = ['HV01', 'HV02', 'HV03', 'HV04', 'HV05'];
    const runner = new FakeRunner().answer('configRead', (params) => ok(host((params as { Host: string }).Host, true)));
    const plan = planFleetConfiguration(await readFleetConfiguration(runner, names));
    const { detail } = applyConfirmation(plan);
    for (const change of plan.changes.filter((c) => c.appliesTo === 'ad')) {
      assert.ok(detail.includes(`• ${change.title}\n`), `the confirmation names "${change.title}":\n${detail}`);
    }
    assert.equal(plan.changes.filter((c) => c.kind === 'add-delegation').length, names.length);
    assert.ok(detail.split('\n').length < 30, `a modal of ${detail.split('\n').length} lines:\n${detail}`);
  });

  it("lists what a check's delegation fix writes: its entries, and any protocol (its script turns that on too)", function () {
    const writes = fixWrites({
      id: 'add-delegation',
      title: 'Add the 2 delegation entries to HV01',
      description: '',
      destructive: true,
      appliesTo: 'ad',
      args: { account: 'HV01', entries: [`${SERVICE}/HV02`, 'cifs/HV02'], host: 'HV01' },
    });
    assert.deepEqual(writes, [
      'HV01 (computer account): msDS-AllowedToDelegateTo, add 2:',
      `    ${SERVICE}/ HV02`,
      '    cifs/ HV02',
      'HV01 (computer account): TrustedToAuthForDelegation = True ("use any authentication protocol")',
    ]);
  });
});
