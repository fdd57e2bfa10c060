// Configure Live Migration as the fleet panel runs it, driven as its webview drives it (view() and the
// messages handle() takes), with the fake at the PowerShell boundary: the matrix and the plan as read, Show
// PowerShell, Apply asked first and proven by a re-read, Read again, and the tickets refreshed.
import * as assert from 'node:assert/strict';
import { ConfigureJob } from '../../../../src/panel/fleet/configureJob';
import { FakeRunner, ok } from '../../../support/fakeRunner';
import { fleetAnswer, hostJson } from '../../../support/inventoryData';
import { fakeContext } from './fakeContext';

const entries = (to: string): string[] => [
  `Microsoft Virtual System Migration Service/${to}`,
  `Microsoft Virtual System Migration Service/${to}.corp.example`,
  `cifs/${to}`,
  `cifs/${to}.corp.example`,
];

/** What configRead.ps1 answers for a host whose AD account delegates to `delegatesTo`. */
function configAnswer(name: string, delegatesTo: readonly string[]): Record<string, unknown> {
  return {
    name,
    fqdn: `${name}.corp.example`,
    migrationEnabled: true,
    useAnyNetwork: false,
    networks: [{ subnet: '10.0.5.0/24', priority: 0 }],
    authenticationType: 'Kerberos',
    performanceOption: 'Compression',
    maximumVmMigrations: 2,
    maximumStorageMigrations: 2,
    account: {
      name,
      dnsHostName: `${name}.corp.example`,
      allowedToDelegateTo: delegatesTo.flatMap(entries),
      trustedToAuthForDelegation: true,
    },
    accountError: null,
  };
}

/** Hosts A and B: B may delegate to A, A not yet to B (until configDelegation runs). */
function setup(confirm = true) {
  const delegation: Record<string, string[]> = { A: [], B: ['A'] };
  const runner = new FakeRunner()
    .answer('configRead', (p) => {
      const host = (p as { Host: string }).Host;
      return ok(configAnswer(host, delegation[host] ?? []));
    })
    .answer('configDelegation', (p) => {
      const { Account, Entries } = p as { Account: string; Entries: string[] };
      if (Account === 'A' && Entries.includes('cifs/B')) delegation.A = ['B'];
      return ok(null);
    })
    .answer('configRefreshTickets', () => ok(null))
    .answer(
      'getFleetInventory',
      fleetAnswer((name) => ({ host: hostJson(name), vms: [] })),
    );
  const { ctx, recorded } = fakeContext({ runner, hosts: ['A', 'B'], confirm });
  return { runner, recorded, job: new ConfigureJob(ctx) };
}

const called = (runner: FakeRunner, script: string) => runner.calls.filter((c) => c.script === script).length;

describe('fleet panel: Configure Live Migration', function () {
  it('opens on the hosts: the matrix says what each pair lacks, the plan what fixes it, and Show PowerShell opens that plan', async function () {
    const { job, recorded } = setup();
    assert.equal(job.view(), null, 'nothing shown before it is opened');
    await job.open(['A', 'B']);
    assert.deepEqual(recorded.revealed, ['configure']);
    assert.equal(job.title(), 'Configure live migration: 2 hosts');
    const view = job.view();
    assert.deepEqual(
      view?.cells.map((c) => `${c.source}→${c.destination}: ${c.label}`),
      ['A→B: delegation', 'B→A: ready'],
    );
    assert.deepEqual([view?.readyPairs, view?.pairs, view?.busy], [1, 2, null]);
    assert.deepEqual(
      view?.changes.map((c) => [c.id, c.ad]),
      [['add-delegation:A', true]],
    );

    await job.handle({ type: 'configureShowScript' });
    assert.equal(recorded.scripts.length, 1);
    assert.equal(recorded.scripts[0], job.script());
    assert.match(recorded.scripts[0] ?? '', /Get-ADComputer -Identity 'A' \| Set-ADObject -Add/);
  });

  it('configureApply asks first: declined, nothing runs', async function () {
    const { job, runner, recorded } = setup(false);
    await job.open(['A', 'B']);
    await job.handle({ type: 'configureApply' });
    assert.equal(recorded.confirmed.length, 1);
    assert.match(recorded.confirmed[0]?.message ?? '', /^Apply 1 change/);
    assert.equal(called(runner, 'configDelegation'), 0);
    assert.equal(job.view()?.applied, undefined);
  });

  it('configureApply, confirmed: the change runs and the hosts read again show every pair ready', async function () {
    const { job, runner, recorded } = setup();
    await job.open(['A', 'B']);
    await job.handle({ type: 'configureApply' });
    assert.equal(recorded.confirmed.length, 1);
    assert.deepEqual(
      runner.calls.filter((c) => c.script === 'configDelegation').map((c) => c.params),
      [{ Account: 'A', Entries: entries('B') }],
    );
    const view = job.view();
    assert.equal(view?.applied?.text, '1 of 1 change applied. Read again: 2 of 2 pairs ready (1 before).');
    assert.deepEqual(
      view?.applied?.changes.map((c) => c.result?.status),
      ['applied'],
    );
    assert.equal(view?.allReady, true);
    assert.deepEqual(view?.changes, []);
    assert.deepEqual(view?.refreshHosts, ['A']);
  });

  it('configureRead reads every host again; configureRefreshTickets refreshes the hosts whose account changed', async function () {
    const { job, runner, recorded } = setup();
    await job.open(['A', 'B']);
    assert.equal(called(runner, 'configRead'), 2);
    await job.handle({ type: 'configureRead' });
    assert.equal(called(runner, 'configRead'), 4);

    await job.handle({ type: 'configureApply' });
    await job.handle({ type: 'configureRefreshTickets' });
    assert.deepEqual(
      runner.calls.filter((c) => c.script === 'configRefreshTickets').map((c) => c.params),
      [{ Host: 'A' }],
    );
    assert.deepEqual(job.view()?.tickets, [{ host: 'A', ok: true }]);

    await job.handle({ type: 'configureShowTicketScript' });
    assert.match(recorded.scripts.at(-1) ?? '', /Invoke-Command -ComputerName 'A' .*klist\.exe purge -li 0x3e7/);
  });

  it('refuses to open on fewer than two hosts, and every message before it is open', async function () {
    const { job } = setup();
    await assert.rejects(() => job.open(['A']), /choose at least two/);
    await assert.rejects(() => job.handle({ type: 'configureRead' }), /Configure Live Migration is not open/);
  });
});
