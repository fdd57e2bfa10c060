// Invoke-Command as the lab answers it (the block runs "on" each host), and the tree's batched inventory
// read through it, on real pwsh.
import * as assert from 'node:assert/strict';
import { readFleet } from '../../src/hyperv/inventory';
import { refreshKerberosTickets } from '../../src/migration/fleetConfig';
import { createLab, type Lab } from '../support/labFixture';

interface Answer {
  readonly host: string;
  readonly cluster: string | null;
  readonly argument: number;
  readonly leaked: string | null;
  readonly from: string;
}

interface Failure {
  readonly id: string;
  readonly target: string | null;
  readonly origin: string | null;
  readonly category: string;
  readonly message: string;
}

const FAILURES = `$failures = @(foreach ($e in @($problems)) {
    [pscustomobject]@{
        id       = [string]$e.FullyQualifiedErrorId
        target   = if ($e.TargetObject -is [string]) { $e.TargetObject } else { $null }
        origin   = if ($e -is [System.Management.Automation.Runspaces.RemotingErrorRecord]) { [string]$e.OriginInfo.PSComputerName } else { $null }
        category = [string]$e.CategoryInfo.Category
        message  = if ($e.ErrorDetails) { $e.ErrorDetails.Message } else { $e.Exception.Message }
    }
})`;

describe("the lab's Invoke-Command and the batched inventory", function () {
  this.timeout(120_000);
  let lab: Lab;

  before(async () => {
    lab = await createLab({ size: 2 });
  });

  after(async () => lab?.dispose());

  it("runs the block on each host: its cmdlets act on that host, it sees none of the caller's variables", async () => {
    const answers = await lab.run<Answer[]>(
      'on each host',
      `param($Params)
$leak = 'the caller'
@(Invoke-Command -ComputerName HV01, hv05.contoso.lab -ScriptBlock {
    param($Number)
    $found = @(Get-Cluster -ErrorAction SilentlyContinue)
    [pscustomobject]@{ host = (Get-VMHost).ComputerName; cluster = if ($found.Count) { [string]$found[0].Name } else { $null }; argument = $Number; leaked = $leak }
} -ArgumentList 7 | ForEach-Object { [pscustomobject]@{ host = $_.host; cluster = $_.cluster; argument = $_.argument; leaked = $_.leaked; from = $_.PSComputerName } })`,
    );
    assert.deepEqual(answers, [
      { host: 'HV01', cluster: null, argument: 7, leaked: null, from: 'HV01' },
      { host: 'HV05', cluster: 'CL1', argument: 7, leaked: null, from: 'hv05.contoso.lab' },
    ]);
  });

  it("answers for the hosts it reaches and writes WinRM's error for each one it cannot, aimed at its name", async () => {
    await lab.run('fault', 'param($Params)\nSet-HyperVLabFault -ComputerName HV03 -Unreachable');
    try {
      const result = await lab.run<{ hosts: string[]; failures: Failure[] }>(
        'reach',
        `param($Params)
$hosts = @(Invoke-Command -ComputerName HV02, HV03, NOSUCH01, HV04 -ScriptBlock { (Get-VMHost).ComputerName } -ErrorAction SilentlyContinue -ErrorVariable problems)
${FAILURES}
[pscustomobject]@{ hosts = $hosts; failures = $failures }`,
      );
      assert.deepEqual(result.hosts, ['HV02', 'HV04']);
      assert.deepEqual(
        result.failures.map((f) => [f.id, f.target, f.category]),
        [
          ['WinRMOperationTimeout,PSSessionStateBroken,Invoke-Command', 'HV03', 'OpenError'],
          ['ComputerNotFound,PSSessionStateBroken,Invoke-Command', 'NOSUCH01', 'OpenError'],
        ],
      );
      assert.match(result.failures[0]?.message ?? '', /^\[HV03\] Connecting to remote server HV03 failed/);
    } finally {
      await lab.run('clear', 'param($Params)\nSet-HyperVLabFault -ComputerName HV03 -Clear');
    }
  });

  it("brings an error of the block back from its computer, and a terminating one ends that host's block only", async () => {
    const result = await lab.run<{ output: string[]; failures: Failure[] }>(
      'errors',
      `param($Params)
$output = @(Invoke-Command -ComputerName HV01, HV02 -ScriptBlock {
    $ErrorActionPreference = 'Stop'
    if ((Get-VMHost).ComputerName -eq 'HV01') { Get-VM -Name 'no such vm' }
    'finished on ' + (Get-VMHost).ComputerName
} -ErrorAction SilentlyContinue -ErrorVariable problems)
${FAILURES}
[pscustomobject]@{ output = $output; failures = $failures }`,
    );
    assert.deepEqual(result.output, ['finished on HV02']);
    assert.equal(result.failures.length, 1, JSON.stringify(result.failures));
    assert.equal(result.failures[0]?.origin, 'HV01');
    assert.match(result.failures[0]?.message ?? '', /unable to find a virtual machine with name "no such vm"/);
  });

  it("purges a host's tickets with klist.exe through Invoke-Command", async () => {
    const [hv01, hv03] = await (async () => {
      await lab.run('fault', 'param($Params)\nSet-HyperVLabFault -ComputerName HV03 -Unreachable');
      try {
        return await refreshKerberosTickets(lab.pool, ['HV01', 'HV03']);
      } finally {
        await lab.run('clear', 'param($Params)\nSet-HyperVLabFault -ComputerName HV03 -Clear');
      }
    })();
    assert.deepEqual(hv01, { host: 'HV01', ok: true });
    assert.ok(hv03 && !hv03.ok && hv03.error?.kind === 'hostUnreachable' && hv03.error.target === 'HV03', JSON.stringify(hv03));
  });

  it('reads a batch with an unreachable and an unknown host: each of those its error, every other host its inventory', async () => {
    assert.equal(lab.pool.concurrency, 2, 'a pool of 2 reads in one batch');
    await lab.run('fault', 'param($Params)\nSet-HyperVLabFault -ComputerName HV03 -Unreachable');
    try {
      const readings = await readFleet(
        lab.pool,
        ['HV01', 'HV03', 'NOSUCH01', 'hv05.contoso.lab'].map((name) => ({ name })),
      );
      assert.deepEqual(
        readings.map((r) => [r.name, r.ok ? 'ok' : r.error.kind, r.ok ? r.inventory.host.name : r.error.target]),
        [
          ['HV01', 'ok', 'HV01'],
          ['HV03', 'hostUnreachable', 'HV03'],
          ['NOSUCH01', 'hostUnreachable', 'NOSUCH01'],
          ['hv05.contoso.lab', 'ok', 'hv05.contoso.lab'],
        ],
      );
      const hv03 = readings[1];
      assert.ok(
        hv03 && !hv03.ok && /^Connecting to remote server HV03 failed/.test(hv03.error.message),
        "the message without PowerShell's [HV03] in front",
      );
      const hv05 = readings[3];
      assert.ok(hv05?.ok);
      assert.equal(hv05.inventory.host.cluster, 'CL1');
      assert.ok(
        hv05.inventory.vms.some((vm) => vm.isClustered),
        'the clustered VMs of HV05',
      );
    } finally {
      await lab.run('clear', 'param($Params)\nSet-HyperVLabFault -ComputerName HV03 -Clear');
    }
  });
});
