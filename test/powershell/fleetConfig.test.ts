// Configure Live Migration on the default lab, through the session layer and real pwsh: the matrix shows
// exactly the gaps the lab was built with (Templates/Default.ps1), the plan is the smallest that closes
// them (one Set-ADObject per source, nothing for a ready pair), applying it makes every pair ready as a
// re-read proves, and the ticket refresh succeeds on every host (a no-op in the lab).

import * as assert from 'node:assert/strict';
import {
  applyFleetConfiguration,
  isFleetReady,
  pairOf,
  planFleetConfiguration,
  readFleetConfiguration,
  refreshKerberosTickets,
  type FleetConfiguration,
  type PairGap,
} from '../../src/migration/fleetConfig';
import { createLab, type Lab } from '../support/labFixture';

const HOSTS = ['HV01', 'HV02', 'HV03', 'HV04', 'HV05', 'HV06'];
const DOMAIN = 'contoso.lab';
const entries = (to: string): string[] => [
  `Microsoft Virtual System Migration Service/${to}`,
  `Microsoft Virtual System Migration Service/${to}.${DOMAIN}`,
  `cifs/${to}`,
  `cifs/${to}.${DOMAIN}`,
];

/** A pair's gaps as short words: `off:HV04`, `net:HV04`, `credssp:HV04`, `deleg:4`, `any`. */
function words(gaps: readonly PairGap[]): string[] {
  return gaps.map((g) => {
    switch (g.kind) {
      case 'migration-disabled':
        return `off:${g.host}`;
      case 'no-network':
        return `net:${g.host}`;
      case 'credssp':
        return `credssp:${g.host}`;
      case 'delegation':
        return `deleg:${g.entries.length}`;
      case 'any-protocol':
        return 'any';
      case 'unread':
        return `unread:${g.host}`;
      case 'ad-name':
        return `ad-name:${g.host}`;
    }
  });
}

/** What the default lab was built with, pair by pair. */
function expectedGaps(source: string, destination: string): string[] {
  const hv04 = ['off:HV04', 'net:HV04', 'credssp:HV04'];
  const host = [...(source === 'HV04' ? hv04 : []), ...(destination === 'HV04' ? hv04 : [])];
  const delegated: Record<string, string[]> = { HV01: ['HV02'], HV02: ['HV01', 'HV03'], HV05: ['HV01', 'HV06'], HV06: ['HV01', 'HV05'] };
  const anyProtocol = ['HV01', 'HV05', 'HV06'].includes(source);
  return [...host, ...((delegated[source] ?? []).includes(destination) ? [] : ['deleg:4']), ...(anyProtocol ? [] : ['any'])];
}

describe('Configure Live Migration on the default lab', function () {
  let lab: Lab;
  let initial: FleetConfiguration;

  before(async function () {
    lab = await createLab({ size: 3 });
    initial = await readFleetConfiguration(lab.pool, HOSTS);
  });

  after(async function () {
    await lab?.dispose();
  });

  it('reads every host in one round trip and its settings as the lab holds them', function () {
    assert.deepEqual(initial.roundTrips, Object.fromEntries(HOSTS.map((h) => [h, 1])));
    assert.ok(initial.hosts.every((h) => h.ok));
    const hv04 = initial.hosts.find((h) => h.host === 'HV04');
    assert.ok(hv04?.ok);
    assert.equal(hv04.config.migrationEnabled, false);
    assert.equal(hv04.config.authenticationType, 'CredSSP');
    assert.deepEqual(hv04.config.networks, []);
    const hv01 = initial.hosts.find((h) => h.host === 'HV01');
    assert.ok(hv01?.ok);
    assert.equal(hv01.config.fqdn, `HV01.${DOMAIN}`);
    assert.deepEqual(
      hv01.config.networks.map((n) => n.subnet),
      ['10.10.1.0/24'],
    );
    assert.equal(hv01.config.maximumVmMigrations, 2);
    assert.equal(hv01.config.maximumStorageMigrations, 2);
    assert.equal(hv01.config.account?.trustedToAuthForDelegation, true);
  });

  it('reads each host again in the session the first read opened: one connection per host, then one call per read', async function () {
    const pool = lab.openPool({}, 1);
    try {
      await lab.run('clear', 'param($Params)\nClear-HyperVLabTraffic');
      for (let read = 0; read < 2; read++) assert.ok((await readFleetConfiguration(pool, HOSTS)).hosts.every((h) => h.ok));
      const traffic = await lab.run<{ Hosts: { Name: string; Connections: number; Calls: number }[] }>(
        'traffic',
        'param($Params)\nGet-HyperVLabTraffic',
      );
      // HV01 is this computer: read here, with no session.
      assert.deepEqual(
        traffic.Hosts.map((h) => `${h.Name} ${h.Connections} ${h.Calls}`),
        HOSTS.filter((h) => h !== 'HV01').map((h) => `${h} 1 2`),
      );
    } finally {
      await pool.dispose();
    }
  });

  it('shows exactly the gaps the lab was built with, in every one of the 30 ordered pairs', function () {
    assert.equal(initial.pairs.length, 30);
    for (const pair of initial.pairs) {
      const expected = expectedGaps(pair.source, pair.destination);
      assert.deepEqual(words(pair.gaps), expected, `${pair.source}→${pair.destination}`);
      assert.equal(pair.status, expected.length === 0 ? 'ready' : 'missing', `${pair.source}→${pair.destination}`);
    }
    assert.deepEqual(
      initial.pairs.filter((p) => p.status === 'ready').map((p) => `${p.source}→${p.destination}`),
      ['HV01→HV02', 'HV05→HV01', 'HV05→HV06', 'HV06→HV01', 'HV06→HV05'],
    );
    // HV02→HV03: every entry present, "use any authentication protocol" off.
    assert.deepEqual(words(pairOf(initial, 'HV02', 'HV03')?.gaps ?? []), ['any']);
    const hv01ToHv03 = pairOf(initial, 'HV01', 'HV03')?.gaps.find((g) => g.kind === 'delegation');
    assert.deepEqual(hv01ToHv03?.kind === 'delegation' && hv01ToHv03.entries, entries('HV03'));
  });

  it('plans the smallest set of changes: HV04 settings, one Set-ADObject per source lacking entries, any protocol where off', function () {
    const plan = planFleetConfiguration(initial);
    assert.deepEqual(
      plan.changes.map((c) => c.id),
      [
        'enable-migration:HV04',
        'add-migration-network:HV04',
        'use-kerberos:HV04',
        'add-delegation:HV01',
        'add-delegation:HV02',
        'allow-any-protocol:HV02',
        'add-delegation:HV03',
        'allow-any-protocol:HV03',
        'add-delegation:HV04',
        'allow-any-protocol:HV04',
        'add-delegation:HV05',
        'add-delegation:HV06',
      ],
    );
    const added = (host: string): unknown => plan.changes.find((c) => c.id === `add-delegation:${host}`)?.params.Entries;
    assert.deepEqual(added('HV01'), [...entries('HV03'), ...entries('HV04'), ...entries('HV05'), ...entries('HV06')]);
    assert.deepEqual(added('HV02'), [...entries('HV04'), ...entries('HV05'), ...entries('HV06')]);
    assert.deepEqual(added('HV05'), [...entries('HV02'), ...entries('HV03'), ...entries('HV04')]);
    assert.equal(plan.readyPairs, 5);
    for (const c of plan.changes) assert.equal(c.destructive, c.appliesTo === 'ad', c.id);
    // No change names a pair that was ready.
    const ready = new Set(['HV01→HV02', 'HV05→HV01', 'HV05→HV06', 'HV06→HV01', 'HV06→HV05']);
    for (const c of plan.changes.filter((c) => c.appliesTo === 'ad')) {
      for (const p of c.pairs)
        assert.ok(!ready.has(`${p.source}→${p.destination}`), `${c.id} names ready pair ${p.source}→${p.destination}`);
    }
    assert.match(
      plan.changes.find((c) => c.id === 'add-delegation:HV02')?.script ?? '',
      /^Get-ADComputer -Identity 'HV02' \| Set-ADObject -Add @\{ 'msDS-AllowedToDelegateTo' = \[string\[\]\]@\('Microsoft Virtual System Migration Service\/HV04', /,
    );
    assert.match(
      plan.script,
      /Invoke-Command -ComputerName 'HV04' -ArgumentList '10\.10\.1\.0\/24' -ScriptBlock \{\n {4}param\(\$Subnet\)\n {4}\$null = Add-VMMigrationNetwork -Subnet \$Subnet\n\}/,
    );
    assert.match(plan.notes.join(' '), /replicated.*klist purge -li 0x3e7/);
    assert.deepEqual(plan.refreshHosts, HOSTS);
  });

  it('applying the plan makes every pair ready, and a re-read proves it; a second plan is empty', async function () {
    const plan = planFleetConfiguration(initial);
    const applied = await applyFleetConfiguration(lab.pool, plan);
    assert.deepEqual(
      applied.results.filter((r) => r.status !== 'applied'),
      [],
    );
    assert.equal(applied.ok, true);
    const after = await readFleetConfiguration(lab.pool, HOSTS);
    assert.deepEqual(
      after.pairs.filter((p) => p.status !== 'ready').map((p) => `${p.source}→${p.destination}: ${p.gaps.map((g) => g.text).join('; ')}`),
      [],
    );
    assert.equal(isFleetReady(after), true);
    assert.deepEqual(planFleetConfiguration(after).changes, []);
  });

  it("the plan's script, run as an admin would on a fresh lab, makes every pair ready too", async function () {
    await lab.run('reset', `param($Params)\n$null = Reset-HyperVLab`);
    const fresh = await readFleetConfiguration(lab.pool, HOSTS);
    assert.equal(fresh.pairs.filter((p) => p.status === 'ready').length, 5);
    await lab.run('plan', `param($Params)\n$null = & ([scriptblock]::Create([string]$Params.text)) *>&1`, {
      text: planFleetConfiguration(fresh).script,
    });
    assert.equal(isFleetReady(await readFleetConfiguration(lab.pool, HOSTS)), true);
  });

  it('refreshes the Kerberos tickets on every host, and says which host does not answer', async function () {
    const refreshed = await refreshKerberosTickets(lab.pool, HOSTS);
    assert.deepEqual(
      refreshed,
      HOSTS.map((host) => ({ host, ok: true })),
    );
    await lab.run('fault', `param($Params)\nSet-HyperVLabFault -ComputerName HV03 -Unreachable`);
    try {
      const [hv02, hv03] = await refreshKerberosTickets(lab.pool, ['HV02', 'HV03']);
      assert.deepEqual(hv02, { host: 'HV02', ok: true });
      assert.equal(hv03?.ok, false);
      assert.equal(hv03?.error?.kind, 'hostUnreachable');
      const partial = await readFleetConfiguration(lab.pool, ['HV01', 'HV03']);
      assert.equal(pairOf(partial, 'HV01', 'HV03')?.status, 'unknown');
      assert.deepEqual(planFleetConfiguration(partial).changes, []);
    } finally {
      await lab.run('clear', `param($Params)\nSet-HyperVLabFault -ComputerName HV03 -Clear`);
    }
  });
});
