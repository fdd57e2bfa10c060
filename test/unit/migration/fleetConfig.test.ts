// Configure Live Migration with a fake at the PowerShell boundary: one read per host, the matrix judged
// from what was read (entries named as AD has the destination, never guessed, compared case-insensitively, an
// unreadable host or AD account making its pairs unknown, never ready), the plan minimal and its script
// safe for any name, apply running every change through its fixed script and going on after a failure.

import * as assert from 'node:assert/strict';
import {
  applyFleetConfiguration,
  judgePairs,
  pairOf,
  planFleetConfiguration,
  readFleetConfiguration,
  refreshKerberosTickets,
  refreshTicketsPreview,
  type FleetConfiguration,
  type HostConfiguration,
  type HostConfigReading,
} from '../../../src/migration/fleetConfig';
import type { PowerShellResult } from '../../../src/powershell/types';
import { FakeRunner, ok } from '../../support/fakeRunner';

const entries = (to: string, domain = 'corp.example'): string[] => [
  `Microsoft Virtual System Migration Service/${to}`,
  `Microsoft Virtual System Migration Service/${to}.${domain}`,
  `cifs/${to}`,
  `cifs/${to}.${domain}`,
];

/** What configRead.ps1 answers for a host, as JSON. */
function answer(name: string, more: Record<string, unknown> = {}, account: Record<string, unknown> | null = {}): Record<string, unknown> {
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
    account: account && {
      name,
      dnsHostName: `${name}.corp.example`,
      allowedToDelegateTo: [],
      trustedToAuthForDelegation: true,
      ...account,
    },
    accountError: null,
    ...more,
  };
}

const failure = (kind: 'hostUnreachable' | 'scriptError', message: string): PowerShellResult<unknown> => ({
  ok: false,
  error: { kind, message },
  warnings: [],
});

function fleet(answers: Record<string, Record<string, unknown> | PowerShellResult<unknown>>): FakeRunner {
  return new FakeRunner().answer('configRead', (params) => {
    const a = answers[(params as { Host: string }).Host];
    if (!a) throw new Error(`no answer for ${JSON.stringify(params)}`);
    return 'ok' in a && typeof a.ok === 'boolean' ? (a as PowerShellResult<unknown>) : ok(a);
  });
}

const read = (runner: FakeRunner, hosts: string[]): Promise<FleetConfiguration> => readFleetConfiguration(runner, hosts);

describe('fleet configuration: reading and the matrix', function () {
  it('reads each host once (duplicates by short name dropped) and judges every ordered pair', async function () {
    const runner = fleet({
      A: answer('A', {}, { allowedToDelegateTo: [...entries('B'), ...entries('C')] }),
      B: answer('B', {}, { allowedToDelegateTo: entries('A') }),
      C: answer('C', {}, { allowedToDelegateTo: [...entries('A'), ...entries('B')] }),
    });
    const config = await read(runner, ['A', 'B', 'C', 'a.corp.example']);
    assert.deepEqual(
      runner.calls.map((c) => c.params),
      [{ Host: 'A' }, { Host: 'B' }, { Host: 'C' }],
    );
    assert.deepEqual(config.roundTrips, { A: 1, B: 1, C: 1 });
    assert.deepEqual(
      config.pairs.map((p) => `${p.source}→${p.destination}:${p.status}`),
      ['A→B:ready', 'A→C:ready', 'B→A:ready', 'B→C:missing', 'C→A:ready', 'C→B:ready'],
    );
    const gap = pairOf(config, 'B', 'C')?.gaps[0];
    assert.deepEqual(gap?.kind === 'delegation' && gap.entries, entries('C'));
  });

  it('compares entries case-insensitively and lists only those missing', async function () {
    const config = await read(
      fleet({
        A: answer('A', {}, { allowedToDelegateTo: ['MICROSOFT VIRTUAL SYSTEM MIGRATION SERVICE/b', 'cifs/B.CORP.EXAMPLE'] }),
        B: answer('B', {}, { allowedToDelegateTo: entries('A') }),
      }),
      ['A', 'B'],
    );
    const gap = pairOf(config, 'A', 'B')?.gaps[0];
    assert.deepEqual(gap?.kind === 'delegation' && gap.entries, ['Microsoft Virtual System Migration Service/B.corp.example', 'cifs/B']);
  });

  it("names no entries for a destination AD has not confirmed: nothing is guessed from the source's domain", function () {
    const a: HostConfigReading = { host: 'A', ok: true, config: answerConfig('A', { allowedToDelegateTo: [] }) };
    const b: HostConfigReading = { host: 'B', ok: false, error: { kind: 'hostUnreachable', message: 'B does not answer' } };
    const [ab] = judgePairs([a, b]);
    assert.equal(ab?.status, 'unknown');
    assert.ok(!ab?.gaps.some((g) => g.kind === 'delegation'), JSON.stringify(ab?.gaps));
  });

  it('marks host settings on both ends: migration off, no network, CredSSP', async function () {
    const config = await read(
      fleet({
        A: answer('A', { migrationEnabled: false, networks: [], authenticationType: 'CredSSP' }, { allowedToDelegateTo: entries('B') }),
        B: answer('B', { useAnyNetwork: true, networks: [] }, { allowedToDelegateTo: entries('A') }),
      }),
      ['A', 'B'],
    );
    assert.deepEqual(
      pairOf(config, 'A', 'B')?.gaps.map((g) => g.kind),
      ['migration-disabled', 'no-network', 'credssp'],
    );
    assert.deepEqual(
      pairOf(config, 'B', 'A')?.gaps.map((g) => g.kind),
      ['migration-disabled', 'no-network', 'credssp'],
    );
    assert.match(pairOf(config, 'A', 'B')?.gaps[2]?.text ?? '', /started on A itself/);
  });

  it('an unreadable AD account makes the pairs from that host unknown, not ready', async function () {
    const config = await read(
      fleet({
        A: answer(
          'A',
          {
            accountError: {
              message: "The term 'Get-ADComputer' is not recognized",
              category: 'ObjectNotFound',
              errorId: 'CommandNotFoundException',
              exceptionType: 'System.Management.Automation.CommandNotFoundException',
              targetObject: 'Get-ADComputer',
              chain: [],
            },
          },
          null,
        ),
        B: answer('B', {}, { allowedToDelegateTo: entries('A') }),
      }),
      ['A', 'B'],
    );
    const hostA = config.hosts[0];
    assert.equal(hostA?.ok && hostA.config.accountError?.kind, 'moduleMissing');
    assert.equal(pairOf(config, 'A', 'B')?.status, 'unknown');
    // B's entries for A name A as AD has it: with A's account unread, they cannot be judged either.
    assert.equal(pairOf(config, 'B', 'A')?.status, 'unknown');
    const plan = planFleetConfiguration(config);
    assert.deepEqual(plan.changes, []);
    assert.match(plan.notes.join('\n'), /A's AD account could not be read/);
  });

  it('refuses an answer of the wrong shape as a protocol problem, not a silent default', async function () {
    const runner = fleet({ A: answer('A', { migrationEnabled: 'yes' }) });
    await assert.rejects(read(runner, ['A']), /migrationEnabled: expected boolean/);
  });
});

function answerConfig(name: string, account: Record<string, unknown>): HostConfiguration {
  const a = answer(name, {}, account);
  return {
    name,
    fqdn: '',
    migrationEnabled: true,
    useAnyNetwork: false,
    networks: [{ subnet: '10.0.5.0/24', priority: 0 }],
    authenticationType: 'Kerberos',
    performanceOption: 'Compression',
    maximumVmMigrations: 2,
    maximumStorageMigrations: 2,
    account: a.account as HostConfiguration['account'],
    accountError: null,
  };
}

/** A script with its comments and single-quoted literals taken out: what PowerShell would run as code. */
function codeOf(script: string): string {
  let code = '';
  for (let i = 0; i < script.length; i++) {
    const c = script[i];
    if (c === '#') {
      while (i < script.length && script[i] !== '\n') i++;
      code += '\n';
    } else if (c === "'") {
      for (i++; i < script.length; i++) {
        if (script[i] !== "'") continue;
        if (script[i + 1] === "'") i++;
        else break;
      }
      code += "''";
    } else {
      code += c;
    }
  }
  return code;
}

describe('fleet configuration: the plan', function () {
  it('adds a missing network as the subnet the fleet migrates on, or any network when none is shared', async function () {
    const config = await read(
      fleet({
        A: answer('A', { networks: [] }, { allowedToDelegateTo: [...entries('B'), ...entries('C')] }),
        B: answer('B', {}, { allowedToDelegateTo: [...entries('A'), ...entries('C')] }),
        C: answer(
          'C',
          {
            networks: [
              { subnet: '10.0.9.0/24', priority: 0 },
              { subnet: '10.0.5.0/24', priority: 1 },
            ],
          },
          { allowedToDelegateTo: [...entries('A'), ...entries('B')] },
        ),
      }),
      ['A', 'B', 'C'],
    );
    const plan = planFleetConfiguration(config);
    assert.deepEqual(
      plan.changes.map((c) => c.id),
      ['add-migration-network:A'],
    );
    assert.equal(
      plan.changes[0]?.script,
      [
        "Invoke-Command -ComputerName 'A' -ArgumentList '10.0.5.0/24' -ScriptBlock {",
        '    param($Subnet)',
        '    $null = Add-VMMigrationNetwork -Subnet $Subnet',
        '}',
      ].join('\n'),
    );
    assert.equal(plan.changes[0]?.destructive, false);
    assert.equal(plan.changes[0]?.pairs.length, 4);
    const any = planFleetConfiguration(config, { network: 'any' });
    assert.equal(
      any.changes[0]?.script,
      ["Invoke-Command -ComputerName 'A' -ScriptBlock {", '    Set-VMHost -UseAnyNetworkForMigration $true', '}'].join('\n'),
    );
    assert.deepEqual(plan.refreshHosts, []);
    assert.deepEqual(plan.notes, []);
  });

  it('one Set-ADObject per source with every missing entry, and Set-ADAccountControl only where off', async function () {
    const config = await read(
      fleet({
        A: answer('A', {}, { allowedToDelegateTo: ['cifs/B'], trustedToAuthForDelegation: false }),
        B: answer('B', {}, { allowedToDelegateTo: [...entries('A'), ...entries('C')] }),
        C: answer('C', {}, { allowedToDelegateTo: entries('A') }),
      }),
      ['A', 'B', 'C'],
    );
    const plan = planFleetConfiguration(config);
    assert.deepEqual(
      plan.changes.map((c) => c.id),
      ['add-delegation:A', 'allow-any-protocol:A', 'add-delegation:C'],
    );
    const [addA, anyA, addC] = plan.changes;
    assert.deepEqual(addA?.params.Entries, [...entries('B').filter((e) => e !== 'cifs/B'), ...entries('C')]);
    assert.deepEqual(addA?.pairs, [
      { source: 'A', destination: 'B' },
      { source: 'A', destination: 'C' },
    ]);
    assert.equal(addA?.destructive, true);
    assert.equal(anyA?.script.split('\n')[0], "Get-ADComputer -Identity 'A' | Set-ADAccountControl -TrustedToAuthForDelegation $true");
    assert.deepEqual(addC?.params.Entries, entries('B'));
    assert.deepEqual(addC?.pairs, [{ source: 'C', destination: 'B' }]);
    assert.deepEqual(plan.refreshHosts, ['A', 'C']);
    assert.match(
      plan.script,
      /# Once AD has replicated, refresh the tickets of the changed hosts:\n# Invoke-Command -ComputerName 'A', 'C' -ScriptBlock \{ klist\.exe purge -li 0x3e7 \}/,
    );
    assert.equal(plan.readyPairs, 3);
  });

  it('renders hostile names as literals, and keeps every comment one line', function () {
    const name = "x'; Remove-Item C:\\ -Recurse #\nWrite-Host pwned";
    const a: HostConfigReading = {
      host: name,
      ok: true,
      config: { ...answerConfig(name, { allowedToDelegateTo: [] }), migrationEnabled: false },
    };
    const b: HostConfigReading = { host: 'B', ok: true, config: answerConfig('B', { allowedToDelegateTo: [] }) };
    const config: FleetConfiguration = { hosts: [a, b], pairs: judgePairs([a, b]), readAt: '', roundTrips: {} };
    const plan = planFleetConfiguration(config);
    assert.equal(
      plan.changes[0]?.script,
      `Invoke-Command -ComputerName 'x''; Remove-Item C:\\ -Recurse #\nWrite-Host pwned' -ScriptBlock {\n    Enable-VMMigration\n}`,
    );
    const code = codeOf(plan.script);
    assert.doesNotMatch(code, /Remove-Item|Write-Host/, 'a name became code');
    assert.match(code, /Invoke-Command -ComputerName/);
  });
});

describe('fleet configuration: applying and tickets', function () {
  it('runs each change through its fixed script with its values, goes on after a failure, and reports each', async function () {
    const config = await read(
      fleet({
        A: answer(
          'A',
          { migrationEnabled: false, authenticationType: 'CredSSP' },
          { allowedToDelegateTo: [], trustedToAuthForDelegation: false },
        ),
        B: answer('B', {}, { allowedToDelegateTo: entries('A') }),
      }),
      ['A', 'B'],
    );
    const plan = planFleetConfiguration(config);
    const runner = new FakeRunner()
      .answer('fixEnableMigration', () => failure('hostUnreachable', 'A does not answer'))
      .answer('fixKerberos', () => ok(null))
      .answer('configDelegation', () => ok(null))
      .answer('fixAnyProtocol', () => ok(null));
    const result = await applyFleetConfiguration(runner, plan, undefined, {
      credentialFor: (h) => (h === 'A' ? { userName: 'CORP\\admin', password: 'secret' } : undefined),
    });
    assert.deepEqual(
      runner.calls.map((c) => [c.script, c.params]),
      [
        ['fixEnableMigration', { Host: 'A' }],
        ['fixKerberos', { Hosts: ['A'] }],
        ['configDelegation', { Account: 'A', Entries: entries('B') }],
        ['fixAnyProtocol', { Account: 'A' }],
      ],
    );
    assert.ok(runner.calls.every((c) => c.options?.credential?.userName === 'CORP\\admin'));
    assert.equal(result.ok, false);
    assert.deepEqual(
      result.results.map((r) => `${r.id}:${r.status}`),
      ['enable-migration:A:failed', 'use-kerberos:A:applied', 'add-delegation:A:applied', 'allow-any-protocol:A:applied'],
    );
    assert.equal(result.results[0]?.error?.target, 'A');
  });

  it('skips what is left once cancelled', async function () {
    const config = await read(
      fleet({ A: answer('A', { migrationEnabled: false, networks: [] }), B: answer('B', {}, { allowedToDelegateTo: entries('A') }) }),
      ['A', 'B'],
    );
    const plan = planFleetConfiguration(config);
    const controller = new AbortController();
    const runner = new FakeRunner().answer('fixEnableMigration', () => {
      controller.abort();
      return ok(null);
    });
    const result = await applyFleetConfiguration(runner, plan, controller.signal);
    assert.deepEqual(
      result.results.map((r) => r.status),
      ['applied', 'skipped', 'skipped'],
    );
    assert.equal(runner.calls.length, 1);
  });

  it('refreshes tickets on each host with klist purge -li 0x3e7 through Invoke-Command', async function () {
    const runner = new FakeRunner().answer('configRefreshTickets', (p) =>
      (p as { Host: string }).Host === 'B' ? failure('hostUnreachable', 'B does not answer') : ok(null),
    );
    const refreshed = await refreshKerberosTickets(runner, ['A', 'B']);
    assert.deepEqual(refreshed, [
      { host: 'A', ok: true },
      { host: 'B', ok: false, error: { kind: 'hostUnreachable', message: 'B does not answer', target: 'B' } },
    ]);
    assert.match(refreshTicketsPreview('A'), /^Invoke-Command -ComputerName 'A' -ScriptBlock \{ \$null = klist\.exe purge -li 0x3e7;/);
  });
});
