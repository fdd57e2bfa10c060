// Export (a plan as one standalone script) on the default lab, through the session layer and real pwsh:
// the plan is read, resolved on the fleet as read, checked by the preflight engine with its approved
// switch mapping, exported, and the script run with nothing but the lab module standing in for Hyper-V.
// The VMs land where the plan says, a blocked move is reported Failed and the next one still runs, and a
// hostile VM name stays a value.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFleet, type HostReading } from '../../src/hyperv/inventory';
import { createFixer } from '../../src/migration/fixes';
import { createPreflightEngine } from '../../src/migration/preflight';
import type { Fixer, PreflightEngine } from '../../src/migration/types';
import { checkMoves, isChecked, type MoveCheck } from '../../src/plans/checkPlan';
import { parsePlan } from '../../src/plans/planFile';
import { applyTextEdits, approveFixEdits, exportPlanScript } from '../../src/plans/planText';
import { resolvePlan } from '../../src/plans/resolve';
import { createLab, type Lab } from '../support/labFixture';

interface VmRow {
  name: string;
  host: string;
  path: string;
  switches: (string | null)[];
}

interface Ran {
  /** What the script printed, as an admin sees it. */
  output: string;
  results: { VM: string; From: string; To: string; Result: string; Detail: string }[];
}

const MARKER = 'pwned-plan-export';
const HOSTILE = `x'; New-Item -Path ([IO.Path]::GetTempPath()) -Name ${MARKER} -ItemType File; '$(New-Item -Path ([IO.Path]::GetTempPath()) -Name ${MARKER} -ItemType File)\`"\nWrite-Host owned *[a]`;

/** Runs the exported text as it is (dot-sourced, so its results list can be read back as data). */
// The admin sets $DestinationCredential before running the script, as its comments say: the source hands it
// on to the destination (the report flow's second hop).
const RUN = `param($Params)
$DestinationCredential = [pscredential]::new('CONTOSO\\admin', (ConvertTo-SecureString 'not logged' -AsPlainText -Force))
$output = . ([scriptblock]::Create($Params.script)) *>&1 | Out-String -Width 400
[pscustomobject]@{
  output = $output
  results = @($planResults | ForEach-Object { [pscustomobject]@{ VM = $_.VM; From = $_.From; To = $_.To; Result = $_.Result; Detail = [string]$_.Detail } })
}`;

describe('plan export on the default lab', function () {
  this.timeout(180_000);
  let lab: Lab;
  let engine: PreflightEngine;
  let fixer: Fixer;
  let hosts: string[];

  const vms = async (): Promise<Map<string, VmRow>> => {
    const rows = await lab.run<VmRow[]>(
      'vms',
      `param($Params)
@(Get-VM -ComputerName (Get-HyperVLabHost | ForEach-Object Name) | ForEach-Object {
  [pscustomobject]@{ name = $_.Name; host = $_.ComputerName; path = $_.Path; switches = @($_.NetworkAdapters | ForEach-Object SwitchName) } })`,
    );
    return new Map(rows.map((row) => [row.name, row]));
  };
  const fleet = (): Promise<HostReading[]> =>
    readFleet(
      lab.pool,
      hosts.map((name) => ({ name })),
    );

  /** Parses, resolves and checks the plan text as Check Plan does. */
  const check = async (text: string): Promise<{ checks: MoveCheck[]; text: string }> => {
    const file = parsePlan(text);
    assert.deepEqual(file.problems, [], 'the plan reads');
    const resolved = resolvePlan(file, await fleet());
    assert.deepEqual(resolved.problems, [], 'every move resolves');
    const outcomes = await checkMoves(resolved.moves, engine, fixer, { concurrency: 2 });
    const checks = outcomes.filter(isChecked);
    assert.equal(checks.length, outcomes.length, 'every check ran');
    return { checks, text };
  };

  /** Approves a map-switch of the move's first switch-missing finding, as the lightbulb does, and checks again. */
  const approveMapping = async (
    text: string,
    index: number,
    checks: MoveCheck[],
    choice: string,
  ): Promise<{ checks: MoveCheck[]; text: string }> => {
    const finding = checks
      .find((c) => c.resolved.move.index === index)
      ?.result.findings.find((f) => f.id.startsWith('network.switch-missing:'));
    assert.ok(finding, 'the Storage switch is missing on HV02');
    const mapSwitch = finding.fixes.find((f) => f.id === 'map-switch');
    const offered = mapSwitch?.choices?.[0];
    assert.ok(offered && offered.options.includes(choice), JSON.stringify(mapSwitch));
    const edits = approveFixEdits(text, index, { finding: finding.id, fix: 'map-switch', choices: { [offered.name]: choice } });
    assert.ok(edits);
    return check(applyTextEdits(text, edits));
  };

  const exported = (checks: MoveCheck[], text: string): string =>
    exportPlanScript({
      plan: parsePlan(text),
      fileName: 'drain.migration.json',
      checks,
      skipped: [],
      fixScript: (c, approval) =>
        fixer.preview(c.plan.request, { finding: approval.finding, fixId: approval.option.id, choices: approval.approved.choices }, c.plan),
      exportedAt: '2026-11-26T07:00:00.000Z',
    });

  const run = (script: string): Promise<Ran> => lab.run<Ran>('plan-export', RUN, { script });

  before(async function () {
    lab = await createLab();
    engine = createPreflightEngine(lab.pool, { credentialFor: () => ({ userName: 'CONTOSO\\admin', password: 'not logged' }) });
    fixer = createFixer(lab.pool);
    hosts = await lab.run<string[]>('hosts', 'param($Params)\n@(Get-HyperVLabHost | ForEach-Object Name)');
  });

  beforeEach(async function () {
    await lab.run('reset', 'param($Params)\n$null = Reset-HyperVLab\nSet-HyperVLabTimeScale -TimeScale 10000');
  });

  after(async function () {
    await lab?.dispose();
  });

  it('moves web01 and sql01 (its Storage adapter mapped to LAN1 as approved) to HV02; the table says Moved twice', async function () {
    const first = await check(`// Drain HV01
{
  "name": "Drain HV01",
  "order": "as-written",
  "moves": [
    { "vm": "web01", "destination": "HV02" },
    { "vm": "sql01", "destination": "HV02" },
  ],
}`);
    assert.deepEqual(
      first.checks.map((c) => c.blockers.length),
      [0, 1],
      'sql01 is blocked by its Storage adapter until the mapping is approved',
    );
    const { checks, text } = await approveMapping(first.text, 1, first.checks, 'LAN1');
    assert.deepEqual(
      checks.map((c) => [c.resolved.request.vmName, c.blockers.length]),
      [
        ['web01', 0],
        ['sql01', 0],
      ],
    );
    assert.deepEqual(Object.values(checks[1]?.plan.adapterSwitches ?? {}), ['LAN1'], 'the mapping is made on the move');

    const before = await vms();
    assert.deepEqual(
      [before.get('web01')?.host, before.get('sql01')?.host, before.get('sql01')?.switches],
      ['HV01', 'HV01', ['LAN1', 'Storage']],
    );
    const ran = await run(exported(checks, text));
    assert.deepEqual(
      ran.results.map((r) => [r.VM, r.From, r.To, r.Result, r.Detail]),
      [
        ['web01', 'HV01', 'HV02', 'Moved', ''],
        ['sql01', 'HV01', 'HV02', 'Moved', ''],
      ],
    );
    assert.match(ran.output, /web01\s+HV01\s+HV02\s+Moved/);
    assert.match(ran.output, /sql01\s+HV01\s+HV02\s+Moved/);
    const after = await vms();
    assert.deepEqual([after.get('web01')?.host, after.get('sql01')?.host], ['HV02', 'HV02']);
    assert.deepEqual(after.get('sql01')?.switches, ['LAN1', 'LAN1'], 'the Storage adapter came over connected to LAN1');
  });

  it('a blocked move (web01 -> HV03) is reported Failed with why, and the next move still runs', async function () {
    const first = await check(`{
  "order": "as-written",
  "moves": [
    { "vm": "web01", "destination": "HV03" },
    { "vm": "sql01", "destination": "HV02" }
  ]
}`);
    assert.ok((first.checks[0]?.blockers.length ?? 0) > 0, 'web01 -> HV03 has blockers');
    const { checks, text } = await approveMapping(first.text, 1, first.checks, 'LAN1');
    const ran = await run(exported(checks, text));
    assert.deepEqual(
      ran.results.map((r) => [r.VM, r.To, r.Result]),
      [
        ['web01', 'HV03', 'Failed'],
        ['sql01', 'HV02', 'Moved'],
      ],
    );
    assert.equal(ran.results[0]?.Detail, 'web01 cannot move to HV03 until the incompatibilities above are fixed.');
    assert.match(ran.output, /web01\s+HV01\s+HV03\s+Failed/);
    const after = await vms();
    assert.deepEqual([after.get('web01')?.host, after.get('sql01')?.host], ['HV01', 'HV02'], 'web01 stays where it was');
  });

  it('a VM with a hostile name is moved under that name and nothing in it runs', async function () {
    await lab.run(
      'rename',
      `param($Params)
& (Get-Module HyperVLab) { param($name) Update-LabState { param($s) ($s.vms | Where-Object name -eq 'build01').name = $name } | Out-Null } $Params.name`,
      { name: HOSTILE },
    );
    const text = JSON.stringify({ name: `it's "${HOSTILE}"`, moves: [{ vm: HOSTILE, destination: 'HV02' }] }, null, 2);
    const first = await check(text);
    const iso = first.checks[0]?.result.findings.find((f) => f.id.startsWith('devices.iso:'));
    assert.ok(iso && iso.fixes.some((f) => f.id === 'eject-iso-on-move'), JSON.stringify(first.checks[0]?.result.findings));
    const edits = approveFixEdits(text, 0, { finding: iso.id, fix: 'eject-iso-on-move' });
    assert.ok(edits);
    const { checks } = await check(applyTextEdits(text, edits));
    assert.deepEqual(checks[0]?.blockers, []);
    const script = exported(checks, applyTextEdits(text, edits));

    const parsed = await lab.run<{ errors: number; commands: string[] }>(
      'parse',
      `param($Params)
$tokens = $null; $errors = $null
$ast = [System.Management.Automation.Language.Parser]::ParseInput($Params.script, [ref]$tokens, [ref]$errors)
[pscustomobject]@{ errors = $errors.Count; commands = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true) | ForEach-Object { $_.GetCommandName() }) }`,
      { script },
    );
    assert.equal(parsed.errors, 0);
    assert.ok(!parsed.commands.includes('New-Item') && !parsed.commands.includes('Write-Host'), parsed.commands.join(', '));

    const ran = await run(script);
    assert.deepEqual(
      ran.results.map((r) => [r.VM, r.To, r.Result, r.Detail]),
      [[HOSTILE, 'HV02', 'Moved', '']],
    );
    const moved = (await vms()).get(HOSTILE);
    assert.equal(moved?.host, 'HV02');
    assert.equal(moved?.path, checks[0]?.result.storagePath, 'in the folder the check named, as a literal');
    assert.equal(existsSync(join(tmpdir(), MARKER)), false, 'nothing in the name ran');
  });
});
