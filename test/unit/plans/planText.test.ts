// Writing plans: Save as Plan's text reads back as the plan it was made from; approving a fix edits only
// its move (a new "fixes" list, appended, or replacing the approval of the same finding) and the plan
// still reads without a problem; Export writes one script with each move in try/catch, values as
// single-quoted literals and free text only in one-line comments.
import * as assert from 'node:assert/strict';
import { decodeHostInventory, type HostReading } from '../../../src/hyperv/inventory';
import type { Finding, FixOption, PreflightResult } from '../../../src/migration/types';
import { planScript } from '../../../src/plans/planScript';
import type { MoveCheck } from '../../../src/plans/checkPlan';
import { parsePlan } from '../../../src/plans/planFile';
import {
  applyTextEdits,
  approveFixEdits,
  describeMove,
  exportPlanScript,
  newPlanText,
  type ExportInput,
  type NewPlan,
} from '../../../src/plans/planText';
import { resolvePlan, type ResolvedMove } from '../../../src/plans/resolve';
import { hostJson, vmJson } from '../../support/inventoryData';

const HOSTILE = `x'; Remove-Item -Recurse C:\\ ; '$(whoami)\`" ‘quoted’ @{a=1}`;

function fleet(vmName = 'web01'): HostReading[] {
  const read = (name: string, vms: Record<string, unknown>[]): HostReading => ({
    name,
    ok: true,
    inventory: decodeHostInventory({ host: hostJson(name), vms }),
  });
  return [
    read('HV01', [vmJson(vmName, 'HV01', { id: 'id-web01' }), vmJson('sql01', 'HV01', { id: 'id-sql01' })]),
    read('HV02', []),
    read('HV03', []),
  ];
}

const approvalsOf = (text: string, index = 0) => {
  const plan = parsePlan(text);
  assert.deepEqual(plan.problems, [], text);
  return plan.moves.find((m) => m.index === index)?.fixes.map((f) => ({ finding: f.finding, fix: f.fix, choices: f.choices }));
};

const approve = (text: string, index: number, approval: Parameters<typeof approveFixEdits>[2]): string => {
  const edits = approveFixEdits(text, index, approval);
  assert.ok(edits, 'the move is in the text');
  return applyTextEdits(text, edits);
};

describe('plan file: newPlanText', function () {
  it('reads back through parsePlan as the plan it was made from', function () {
    const made: NewPlan = {
      name: 'Drain HV01',
      comment: 'Saved from the fleet panel\non 26 Nov',
      order: 'as-written',
      concurrency: 3,
      moves: [
        { vm: 'web01', source: 'HV01', destination: 'HV02' },
        {
          vm: 'sql01',
          source: 'HV01',
          destination: 'HV03',
          storagePath: 'D:\\VMs\\sql01',
          note: 'needs "Storage" mapped',
          fixes: [
            { finding: 'network.switch-missing:A\\1', fix: 'map-switch', choices: { switch: 'LAN1' } },
            { finding: 'devices.iso:SCSI 0:1', fix: 'eject-iso-on-move' },
          ],
        },
        { vm: 'erp01', source: 'HV05', destination: 'HV06', ha: true },
      ],
    };
    const text = newPlanText(made);
    assert.match(text, /^\/\/ Saved from the fleet panel on 26 Nov\n\{/, 'the comment is one line');
    const plan = parsePlan(text);
    assert.deepEqual(plan.problems, []);
    assert.equal(plan.name, 'Drain HV01');
    assert.equal(plan.order, 'as-written');
    assert.equal(plan.concurrency, 3);
    assert.deepEqual(
      plan.moves.map((m) => ({
        vm: m.vm,
        source: m.source,
        destination: m.destination,
        ...(m.storagePath !== undefined && { storagePath: m.storagePath }),
        ...(m.ha && { ha: true }),
        ...(m.note !== undefined && { note: m.note }),
        ...(m.fixes.length > 0 && {
          fixes: m.fixes.map((f) => ({ finding: f.finding, fix: f.fix, ...(Object.keys(f.choices).length > 0 && { choices: f.choices }) })),
        }),
      })),
      made.moves,
    );
  });

  it('defaults to longest-first and a comment saying what to do; a comment cannot break out of its line', function () {
    const plain = newPlanText({ name: 'p', moves: [{ vm: 'web01', source: 'HV01', destination: 'HV02' }] });
    assert.match(plain, /^\/\/ A migration plan: Check Plan shows what stands in the way; Run Plan moves the VMs\.\n/);
    assert.equal(parsePlan(plain).order, 'longest-first');
    const sneaky = newPlanText({
      name: 'p',
      comment: 'one\r\n"moves": []\u2028two',
      moves: [{ vm: 'web01', source: 'HV01', destination: 'HV02' }],
    });
    const plan = parsePlan(sneaky);
    assert.deepEqual(plan.problems, []);
    assert.deepEqual(
      plan.moves.map((m) => m.vm),
      ['web01'],
    );
    assert.equal(sneaky.split('\n')[0], '// one "moves": [] two');
  });
});

describe('plan file: approveFixEdits', function () {
  const text = `// Patch night
{
  "name": "Drain HV01", // why
  "moves": [
    { "vm": "web01", "destination": "HV02" },
    {
      "vm": "sql01",
      "destination": "HV02", /* keep this comment */
      "fixes": [
        { "finding": "devices.iso:SCSI 0:1", "fix": "eject-iso-on-move" },
        { "finding": "network.switch-missing:A1", "fix": "map-switch", "choices": { "switch": "LAN1" } },
      ],
    },
  ],
}
`;

  it('gives a move without approvals a "fixes" list with the approval', function () {
    const after = approve(text, 0, { finding: 'network.switch-missing:B2', fix: 'map-switch', choices: { switch: 'Backup' } });
    assert.deepEqual(approvalsOf(after, 0), [{ finding: 'network.switch-missing:B2', fix: 'map-switch', choices: { switch: 'Backup' } }]);
    assert.equal(approvalsOf(after, 1)?.length, 2, 'the other move is untouched');
    assert.ok(
      after.includes('/* keep this comment */') && after.includes('// why') && after.startsWith('// Patch night\n'),
      'comments stay',
    );
  });

  it('appends an approval for another finding, after those already there', function () {
    const after = approve(text, 1, { finding: 'authentication.delegation', fix: 'add-delegation' });
    assert.deepEqual(approvalsOf(after, 1), [
      { finding: 'devices.iso:SCSI 0:1', fix: 'eject-iso-on-move', choices: {} },
      { finding: 'network.switch-missing:A1', fix: 'map-switch', choices: { switch: 'LAN1' } },
      { finding: 'authentication.delegation', fix: 'add-delegation', choices: {} },
    ]);
  });

  it('replaces the approval of the same finding in its place (another fix or another choice)', function () {
    const after = approve(text, 1, { finding: 'network.switch-missing:A1', fix: 'disconnect-adapter' });
    assert.deepEqual(approvalsOf(after, 1), [
      { finding: 'devices.iso:SCSI 0:1', fix: 'eject-iso-on-move', choices: {} },
      { finding: 'network.switch-missing:A1', fix: 'disconnect-adapter', choices: {} },
    ]);
    const again = approve(after, 1, { finding: 'network.switch-missing:A1', fix: 'map-switch', choices: { switch: 'Backup' } });
    assert.deepEqual(approvalsOf(again, 1)?.[1], {
      finding: 'network.switch-missing:A1',
      fix: 'map-switch',
      choices: { switch: 'Backup' },
    });
    assert.equal(approvalsOf(again, 1)?.length, 2);
  });

  it("an approval written with the adapter's name replaces the one an older plan wrote with the adapter's Id, in its place", function () {
    const edits = approveFixEdits(
      text,
      1,
      { finding: 'network.switch-missing:Storage NIC', fix: 'map-switch', choices: { switch: 'Backup' } },
      (written) => written === 'network.switch-missing:A1',
    );
    assert.ok(edits);
    assert.deepEqual(approvalsOf(applyTextEdits(text, edits), 1), [
      { finding: 'devices.iso:SCSI 0:1', fix: 'eject-iso-on-move', choices: {} },
      { finding: 'network.switch-missing:Storage NIC', fix: 'map-switch', choices: { switch: 'Backup' } },
    ]);
  });

  it('approving twice in a row on a move that had none still gives one list', function () {
    const once = approve(text, 0, { finding: 'a', fix: 'x' });
    const twice = approve(once, 0, { finding: 'b', fix: 'y' });
    assert.deepEqual(
      approvalsOf(twice, 0)?.map((f) => f.finding),
      ['a', 'b'],
    );
  });

  it('works on the text newPlanText writes, and on a move whose "fixes" is not a list', function () {
    const saved = newPlanText({ name: 'p', moves: [{ vm: 'web01', source: 'HV01', destination: 'HV02' }] });
    assert.deepEqual(approvalsOf(approve(saved, 0, { finding: 'f', fix: 'g', choices: {} }), 0), [{ finding: 'f', fix: 'g', choices: {} }]);
    const broken = '{ "moves": [ { "vm": "web01", "destination": "HV02", "fixes": "none" } ] }';
    assert.deepEqual(approvalsOf(approve(broken, 0, { finding: 'f', fix: 'g' }), 0), [{ finding: 'f', fix: 'g', choices: {} }]);
  });

  it('no edit when the move is not in the text', function () {
    assert.equal(approveFixEdits(text, 5, { finding: 'a', fix: 'b' }), undefined);
    assert.equal(approveFixEdits('{ "moves": [ "web01" ] }', 0, { finding: 'a', fix: 'b' }), undefined);
    assert.equal(approveFixEdits('', 0, { finding: 'a', fix: 'b' }), undefined);
  });
});

describe('plan file: exportPlanScript and describeMove', function () {
  const result = (resolved: ResolvedMove, findings: Finding[] = []): PreflightResult => ({
    request: resolved.request,
    findings,
    ready: !findings.some((f) => f.severity === 'blocker'),
    checkedAt: '2026-11-26T07:00:00.000Z',
    roundTrips: {},
  });
  const delegation: Finding = {
    id: 'authentication.delegation',
    area: 'authentication',
    severity: 'blocker',
    title: 'HV01 may not delegate to HV02',
    cause: 'Kerberos.',
    evidence: [],
    // Only its id and title matter here: the plan keeps an approved fix by its id.
    fixes: [{ id: 'add-delegation', title: 'Allow delegation', description: '', destructive: true, appliesTo: 'ad' } as FixOption],
  };

  function checks(
    vmName = 'web01',
    name = 'Drain HV01',
    storagePath: string | null = 'D:\\Hyper-V\\web01',
  ): { input: ExportInput; moves: ResolvedMove[] } {
    const text = `{ "name": ${JSON.stringify(name)}, "moves": [
  { "vm": ${JSON.stringify(vmName)}, "destination": "HV02", "note": "web tier\\nfirst", "fixes": [ { "finding": "authentication.delegation", "fix": "add-delegation" } ] },
  { "vm": "sql01", "destination": "HV03" }
] }`;
    const file = parsePlan(text);
    assert.deepEqual(file.problems, []);
    const moves = [...resolvePlan(file, fleet(vmName)).moves];
    assert.equal(moves.length, 2);
    const [web, sql] = moves as [ResolvedMove, ResolvedMove];
    const webCheck: MoveCheck = {
      resolved: web,
      plan: { request: web.request, adapterSwitches: { 'Microsoft:ID\\A1': 'LAN1' }, ejectDvd: [] },
      result: { ...result(web, [delegation]), ...(storagePath !== null && { storagePath }) },
      pending: [{ approved: web.fixes[0], finding: delegation, option: delegation.fixes[0] }],
      blockers: [],
      problems: [],
    };
    const sqlCheck: MoveCheck = {
      resolved: sql,
      plan: { request: sql.request, adapterSwitches: {}, ejectDvd: [] },
      result: result(sql),
      pending: [],
      blockers: [],
      problems: [],
    };
    return {
      moves,
      input: {
        plan: file,
        fileName: 'drain.migration.json',
        // Given out of order: the script follows the plan's order.
        checks: [sqlCheck, webCheck],
        skipped: [{ vm: 'app01', why: 'already on HV02\nWrite-Host nope' }],
        fixScript: (check, approval) =>
          `Set-ADObject -Identity 'CN=HV01' # ${approval.option.id} for ${check.resolved.request.vmName.length}`,
        exportedAt: '2026-11-26T07:00:00.000Z',
      },
    };
  }

  it('one script: a header, what is left out, each move in try/catch in plan order with its approved fixes first, a results table at the end', function () {
    const { input } = checks();
    const script = exportPlanScript(input);
    for (const check of input.checks) {
      const request = { ...check.plan.request, ...(check.result.storagePath && { storagePath: check.result.storagePath }) };
      assert.ok(
        script.includes(planScript({ request, result: check.result, plan: { ...check.plan, request } }).trimEnd()),
        "each move is Copy as PowerShell's script, unchanged",
      );
    }
    assert.match(
      script,
      /Compare-VM -VM \$vm -DestinationHost 'HV02' -IncludeStorage -DestinationStoragePath 'D:\\Hyper-V\\web01' @hop\n/,
      'the folder the check resolved, as a literal',
    );
    assert.match(
      script,
      /-DestinationHost 'HV03' -IncludeStorage -DestinationStoragePath \(\(Get-VMHost -ComputerName 'HV03' @toDestination\)\.VirtualMachinePath\.TrimEnd\('\\', '\/'\) \+ '\\' \+ 'sql01'\)/,
      'asked of the host when the check did not say, joined as text (no local drive needed)',
    );
    const lines = script.split('\n');
    assert.equal(
      lines[0],
      "# Migration plan 'Drain HV01' (drain.migration.json), exported by Hyper-V Live Migration on 2026-11-26T07:00:00.000Z.",
    );
    assert.match(lines[1] ?? '', /ActiveDirectory module, for the approved AD fixes/);
    assert.ok(lines.includes('# Not in this script: app01: already on HV02 Write-Host nope'), 'the reason stays in its comment');
    assert.ok(!lines.some((l) => l.startsWith('Write-Host')));
    assert.ok(lines.includes('$planResults = [System.Collections.Generic.List[object]]::new()'));
    const web = lines.indexOf('# ---- Move 1 of 2: web01, HV01 -> HV02 (web tier first)');
    const sql = lines.indexOf('# ---- Move 2 of 2: sql01, HV01 -> HV03');
    assert.ok(web > 0 && sql > web, 'moves in the order of the plan');
    const first = lines.slice(web, sql);
    assert.equal(first[1], 'try {');
    const fix = first.findIndex((l) => l.includes("Set-ADObject -Identity 'CN=HV01' # add-delegation for 5"));
    const compare = first.findIndex((l) => /\$report = Compare-VM -VM \$vm -DestinationHost 'HV02'/.test(l));
    const move = first.findIndex((l) => l.trim() === 'Move-VM -CompatibilityReport $report');
    assert.ok(fix > 0 && compare > fix && move > compare, 'the approved fix, then Compare-VM, then Move-VM');
    assert.ok(
      first.some((l) => l.includes("Where-Object Id -eq 'Microsoft:ID\\A1' | Connect-VMNetworkAdapter")),
      'the mapping on the report',
    );
    assert.ok(
      first.includes("    $planResults.Add([pscustomobject]@{ VM = 'web01'; From = 'HV01'; To = 'HV02'; Result = 'Moved'; Detail = '' })"),
    );
    assert.ok(first.includes('} catch {'));
    assert.ok(
      first.includes(
        `    $planResults.Add([pscustomobject]@{ VM = 'web01'; From = 'HV01'; To = 'HV02'; Result = 'Failed'; Detail = "$_" })`,
      ),
    );
    assert.equal(lines.filter((l) => l === '} catch {').length, 2, 'each move in its try/catch');
    assert.equal(lines.at(-2), '$planResults | Format-Table -AutoSize -Wrap');
  });

  it('without AD fixes, asks only for the Hyper-V module; an unnamed plan has no name in the header', function () {
    const { input } = checks();
    const file = parsePlan('{ "moves": [] }');
    const script = exportPlanScript({ ...input, plan: file, checks: input.checks.filter((c) => c.pending.length === 0) });
    assert.match(script, /^# Migration plan \(drain\.migration\.json\), exported/);
    assert.match(script, /\n# Runs against Hyper-V with the Hyper-V PowerShell module\.\n/);
  });

  it('a hostile VM or plan name stays a single-quoted literal, quotes doubled, and comments stay one line', function () {
    const name = `${HOSTILE}\nWrite-Host owned`;
    const { input } = checks(name, `it's\nWrite-Host owned`, null);
    const script = exportPlanScript(input);
    const quoted = `'${name.replace(/['‘’]/g, (q) => q + q)}'`;
    assert.ok(script.includes(`VM = ${quoted}; From = 'HV01'`), 'the results row names the VM as one literal');
    const folder = `'${name
      .replace(/[\\/:*?"<>|]/g, '_')
      .replace(/[^\u0020-\uffff]/g, '_')
      .replace(/['‘’]/g, (q) => q + q)}'`;
    assert.ok(
      script.includes(`+ '\\' + ${folder})`),
      'the folder named after the VM, control characters as _ as the check names it, is one literal',
    );
    const code = script.split('\n').filter((l) => l.includes('Remove-Item') && !l.slice(0, l.indexOf('Remove-Item')).includes('#'));
    assert.ok(code.length >= 3, 'the name is in the code (results rows, folder, message)');
    for (const line of code) assert.match(line, /x''; Remove-Item -Recurse C[:_][\\_] ; ''\$\(whoami\)/, 'each quote of the name doubled');
    assert.ok(script.startsWith("# Migration plan 'it's Write-Host owned' (drain.migration.json)"), 'the plan name in a one-line comment');
  });

  it('describeMove: the VM, where from and to, the HA workflow and the note on one line', function () {
    const { moves } = checks();
    assert.equal(describeMove(moves[0]), 'web01: HV01 → HV02 — web tier first');
    assert.equal(describeMove(moves[1]), 'sql01: HV01 → HV03');
    const erp = { ...moves[1], move: { ...moves[1].move, ha: true } };
    assert.equal(describeMove(erp), 'sql01: HV01 → HV03 (HA workflow)');
  });
});
