// Reading a plan file (*.migration.json, JSON with comments) as the editor does on every keystroke: the
// moves that are whole, and every problem at the place in the text the admin has to change. Never throws.
import * as assert from 'node:assert/strict';
import { parsePlan, type PlanFile, type PlanProblem, type Span } from '../../../src/plans/planFile';

const at = (text: string, span: Span): string => text.slice(span.offset, span.offset + span.length);
const codes = (plan: PlanFile): string[] => plan.problems.map((p) => p.code);
const only = (plan: PlanFile, code: string): PlanProblem => {
  const found = plan.problems.filter((p) => p.code === code);
  assert.equal(found.length, 1, `one ${code} among ${JSON.stringify(plan.problems)}`);
  return found[0];
};

const PLAN = `// Patch Tuesday: empty HV01
{
  "$schema": "./migration-plan.schema.json",
  "name": "Drain HV01",
  "order": "as-written",
  "concurrency": 2,
  /* the web tier first */
  "moves": [
    { "vm": "web01", "destination": "HV02" }, // clean
    {
      "vm": "sql01",
      "source": "HV01",
      "destination": "HV02",
      "storagePath": "D:\\\\VMs\\\\sql01",
      "note": "maintenance window 2",
      "fixes": [
        { "finding": "network.switch-missing:ADAPTER-1", "fix": "map-switch", "choices": { "switch": "LAN1" }, },
      ],
    },
    {
      "vm": "erp01",
      "destination": "HV06",
      "ha": true,
      "vhds": [ { "source": "C:\\\\ClusterStorage\\\\erp01.vhdx", "destination": "D:\\\\VMs\\\\erp01.vhdx" } ],
    },
  ],
}
`;

describe('plan file: parsePlan', function () {
  it('reads a whole plan with comments and trailing commas: no problem, every move and its properties', function () {
    const plan = parsePlan(PLAN);
    assert.deepEqual(plan.problems, []);
    assert.equal(plan.name, 'Drain HV01');
    assert.equal(plan.order, 'as-written');
    assert.equal(plan.concurrency, 2);
    assert.equal(at(PLAN, plan.movesKey), '"moves"');
    assert.deepEqual(
      plan.moves.map((m) => [m.index, m.vm, m.source, m.destination, m.ha]),
      [
        [0, 'web01', undefined, 'HV02', false],
        [1, 'sql01', 'HV01', 'HV02', false],
        [2, 'erp01', undefined, 'HV06', true],
      ],
    );
    const [web, sql, erp] = plan.moves;
    assert.equal(at(PLAN, web.anchor), '"vm": "web01"');
    assert.equal(at(PLAN, web.span), '{ "vm": "web01", "destination": "HV02" }');
    assert.equal(at(PLAN, web.values.destination!), '"HV02"');
    assert.equal(sql.storagePath, 'D:\\VMs\\sql01');
    assert.equal(sql.note, 'maintenance window 2');
    assert.equal(at(PLAN, sql.anchor), '"vm": "sql01"');
    assert.ok(at(PLAN, sql.span).startsWith('{\n      "vm": "sql01"') && at(PLAN, sql.span).endsWith('}'), at(PLAN, sql.span));
    assert.deepEqual(
      sql.fixes.map((f) => ({ finding: f.finding, fix: f.fix, choices: f.choices })),
      [{ finding: 'network.switch-missing:ADAPTER-1', fix: 'map-switch', choices: { switch: 'LAN1' } }],
    );
    assert.match(at(PLAN, sql.fixes[0].span), /^\{ "finding": "network\.switch-missing:ADAPTER-1".*\}$/);
    assert.deepEqual(erp.vhds, [{ source: 'C:\\ClusterStorage\\erp01.vhdx', destination: 'D:\\VMs\\erp01.vhdx' }]);
    assert.equal(at(PLAN, erp.values.ha!), 'true');
  });

  it('defaults: longest-first, no concurrency, no name; an empty list of moves is no problem', function () {
    const plan = parsePlan('{ "moves": [] }');
    assert.deepEqual(plan.problems, []);
    assert.equal(plan.order, 'longest-first');
    assert.equal(plan.concurrency, undefined);
    assert.equal(plan.name, undefined);
    assert.deepEqual(plan.moves, []);
  });

  it('never throws on text that is not a plan: empty, not JSON, an array, a number', function () {
    for (const text of ['', '   ', '{', 'not json at all', '[1, 2]', '42', '{ "moves": [ { "vm": "web01", ', '\u0000\uffff']) {
      const plan = parsePlan(text);
      assert.deepEqual(plan.moves, [], text);
      assert.ok(plan.problems.length > 0, `a problem for ${JSON.stringify(text)}`);
      for (const problem of plan.problems) {
        assert.equal(problem.severity, 'error');
        assert.ok(problem.span.offset >= 0 && problem.span.offset <= text.length, JSON.stringify(problem));
      }
    }
    assert.match(only(parsePlan('[1, 2]'), 'plan.type').message, /A plan is a JSON object/);
  });

  it('points a syntax error at where the JSON breaks, and keeps the moves it could read', function () {
    const text = '{ "moves": [ { "vm": "web01", "destination": "HV02" } ] "name": "x" }';
    const plan = parsePlan(text);
    const syntax = plan.problems.filter((p) => p.code === 'plan.syntax');
    assert.ok(syntax.length > 0, JSON.stringify(plan.problems));
    assert.match(syntax[0].message, /^The plan is not valid JSON here: comma expected\.$/);
    assert.equal(at(text, syntax[0].span), '"name"');
    assert.deepEqual(
      plan.moves.map((m) => m.vm),
      ['web01'],
    );
  });

  it('a move without "vm" or "destination" is left out, with a problem saying what to add', function () {
    const text = '{ "moves": [ { "destination": "HV02" }, { "vm": "web01" }, { "vm": "app01", "destination": "HV03" } ] }';
    const plan = parsePlan(text);
    assert.deepEqual(
      plan.moves.map((m) => [m.index, m.vm]),
      [[2, 'app01']],
    );
    const noVm = plan.problems.find((p) => p.move === 0)!;
    assert.equal(noVm.code, 'plan.missing');
    assert.match(noVm.message, /no "vm": name the VM to move/);
    assert.equal(at(text, noVm.span), '{ "destination": "HV02" }');
    const noDestination = plan.problems.find((p) => p.move === 1)!;
    assert.match(noDestination.message, /no "destination": name the host/);
    assert.equal(at(text, noDestination.span), '"vm"', 'on the move\'s "vm" key');
  });

  it('values of the wrong type or empty are errors on the value itself', function () {
    const text = `{
  "order": "random",
  "concurrency": 0,
  "name": 7,
  "moves": [
    { "vm": "", "destination": "HV02" },
    { "vm": "web01", "destination": 2 },
    { "vm": "web02", "destination": "HV02", "ha": "yes", "note": 5, "fixes": {}, "vhds": "D:" },
    "sql01"
  ]
}`;
    const plan = parsePlan(text);
    const where = plan.problems.map((p) => [p.code, at(text, p.span), p.move ?? null]);
    assert.deepEqual(where, [
      ['plan.type', '7', null],
      ['plan.type', '"random"', null],
      ['plan.type', '0', null],
      ['plan.empty', '""', 0],
      ['plan.type', '2', 1],
      ['plan.type', '5', 2],
      ['plan.type', '"yes"', 2],
      ['plan.type', '"D:"', 2],
      ['plan.type', '{}', 2],
      ['plan.type', '"sql01"', 3],
    ]);
    assert.ok(plan.problems.every((p) => p.severity === 'error'));
    assert.equal(plan.problems[0].message, '"name" must be a string.');
    assert.match(plan.problems[1].message, /"order" is one of: "longest-first", "as-written"/);
    assert.match(plan.problems[2].message, /"concurrency" is a whole number from 1 to 64/);
    assert.equal(plan.problems[3].message, '"vm" is empty.');
    assert.equal(plan.problems[4].message, '"destination" must be a string.');
    assert.equal(plan.problems[6].message, '"ha" must be true or false.');
    assert.equal(plan.order, 'longest-first', 'a wrong order falls back to the default');
    assert.equal(plan.concurrency, undefined);
    assert.deepEqual(
      plan.moves.map((m) => [m.vm, m.ha, m.note, m.fixes.length]),
      [['web02', false, undefined, 0]],
      'a move with a bad optional value is kept',
    );
  });

  it('concurrency: whole numbers from 1 to 64 only', function () {
    const concurrency = (value: string) => parsePlan(`{ "concurrency": ${value}, "moves": [] }`);
    assert.equal(concurrency('1').concurrency, 1);
    assert.equal(concurrency('64').concurrency, 64);
    for (const bad of ['65', '1.5', '-1', '"2"', 'null']) {
      const plan = concurrency(bad);
      assert.equal(plan.concurrency, undefined, bad);
      assert.deepEqual(codes(plan), ['plan.type'], bad);
    }
  });

  it('unknown properties are named with the ones expected, at their key, in the plan, a move, a fix and a disk', function () {
    const text = `{
  "nmae": "typo",
  "moves": [ { "vm": "web01", "destination": "HV02", "dest": "HV03",
    "fixes": [ { "finding": "f", "fix": "x", "choice": {} } ],
    "vhds": [ { "source": "a", "destination": "D:/a", "size": 1 } ] } ]
}`;
    const plan = parsePlan(text);
    assert.deepEqual(
      plan.problems.map((p) => [p.code, at(text, p.span), p.move ?? null]),
      [
        ['plan.unknown-property', '"nmae"', null],
        ['plan.unknown-property', '"dest"', 0],
        ['plan.unknown-property', '"size"', 0],
        ['plan.unknown-property', '"choice"', 0],
      ],
    );
    assert.equal(
      plan.problems[0].message,
      "Unknown property 'nmae' in the plan (expected one of: $schema, name, order, concurrency, moves, maintenance).",
    );
    assert.match(
      plan.problems[1].message,
      /^Unknown property 'dest' in a move \(expected one of: vm, source, destination, storagePath, vhds, ha, note, fixes\)\.$/,
    );
    assert.equal(plan.moves.length, 1, 'an unknown property does not drop the move');
  });

  it('a plan without "moves" says how to write them, on its first key; "moves" of the wrong type on the value', function () {
    const text = '{ "name": "x" }';
    const missing = only(parsePlan(text), 'plan.missing');
    assert.match(missing.message, /The plan has no "moves"/);
    assert.equal(at(text, missing.span), '"name"');
    const wrong = '{ "moves": { "vm": "web01" } }';
    const problem = only(parsePlan(wrong), 'plan.type');
    assert.equal(problem.message, '"moves" must be a list of moves.');
    assert.equal(at(wrong, problem.span), '{ "vm": "web01" }');
  });

  it('approved fixes: one without "finding" or "fix" is a problem and left out; choices must be strings', function () {
    const text = `{ "moves": [ { "vm": "web01", "destination": "HV02", "fixes": [
  { "fix": "map-switch" },
  "map-switch",
  { "finding": "a", "fix": "b", "choices": { "switch": 1, "other": "LAN1" } },
  { "finding": "c", "fix": "d", "choices": "LAN1" }
] } ] }`;
    const plan = parsePlan(text);
    assert.deepEqual(
      plan.problems.map((p) => [p.code, at(text, p.span)]),
      [
        ['plan.missing', '{ "fix": "map-switch" }'],
        ['plan.type', '"map-switch"'],
        ['plan.type', '1'],
        ['plan.type', '"LAN1"'],
      ],
    );
    assert.equal(plan.problems[2].message, 'Choice "switch" must be a string.');
    assert.deepEqual(
      plan.moves[0].fixes.map((f) => [f.finding, f.fix, f.choices]),
      [
        ['a', 'b', { other: 'LAN1' }],
        ['c', 'd', {}],
      ],
    );
  });

  it('a disk without "source" or "destination" is a problem on that disk, the others kept', function () {
    const text =
      '{ "moves": [ { "vm": "sql01", "destination": "HV02", "vhds": [ { "source": "C:\\\\a.vhdx" }, { "source": "C:\\\\b.vhdx", "destination": "D:\\\\b.vhdx" }, 3 ] } ] }';
    const plan = parsePlan(text);
    assert.deepEqual(
      plan.problems.map((p) => [p.code, at(text, p.span)]),
      [
        ['plan.missing', '{ "source": "C:\\\\a.vhdx" }'],
        ['plan.type', '3'],
      ],
    );
    assert.equal(plan.problems[0].message, 'A disk needs "source" and "destination".');
    assert.deepEqual(plan.moves[0].vhds, [{ source: 'C:\\b.vhdx', destination: 'D:\\b.vhdx' }]);
  });

  it('a disk sent to a file of another name is a problem on its destination, naming the file to keep; the disk is kept', function () {
    const text =
      '{ "moves": [ { "vm": "sql01", "destination": "HV02", "vhds": [ { "source": "C:\\\\VMs\\\\data.vhdx", "destination": "D:\\\\SQL\\\\sql01-data.vhdx" }, { "source": "C:\\\\VMs\\\\log.vhdx", "destination": "E:\\\\Log\\\\LOG.VHDX" } ] } ] }';
    const plan = parsePlan(text);
    assert.deepEqual(
      plan.problems.map((p) => [p.code, p.severity, at(text, p.span), p.move ?? null]),
      [['plan.vhd-renamed', 'error', '"D:\\\\SQL\\\\sql01-data.vhdx"', 0]],
      'the log keeps its name (case aside), the data disk does not',
    );
    assert.equal(
      plan.problems[0].message,
      "Hyper-V moves a disk only to a file of the same name: keep 'data.vhdx' and choose only the folder, e.g. 'D:\\SQL\\data.vhdx'.",
    );
    assert.equal(plan.moves[0].vhds?.length, 2);
  });

  it("reads what an approval's finding names: an adapter by its name or (older plans) Hyper-V's Id, a drive by its controller", function () {
    const approvals = [
      'network.switch-missing:Storage NIC',
      'network.switch-missing:Network Adapter #2',
      'network.switch-missing:Microsoft:5F4E1D2C-0000-0000-0000-000000000001\\\\AA000000-0000-0000-0000-000000000001',
      'devices.iso:ide 1 : 0',
      'authentication.delegation',
    ];
    const text = `{ "moves": [ { "vm": "web01", "destination": "HV02", "fixes": [ ${approvals.map((f) => `{ "finding": "${f}", "fix": "x" }`).join(', ')} ] } ] }`;
    const plan = parsePlan(text);
    assert.deepEqual(plan.problems, []);
    assert.deepEqual(
      plan.moves[0].fixes.map((f) => f.subject),
      [
        { kind: 'adapter', name: 'Storage NIC' },
        { kind: 'adapter', name: 'Network Adapter #2' },
        { kind: 'adapter-id', id: 'Microsoft:5F4E1D2C-0000-0000-0000-000000000001\\AA000000-0000-0000-0000-000000000001' },
        { kind: 'drive', controller: 'IDE 1:0' },
        undefined,
      ],
    );
  });

  it('a drive not named by its controller is an error on the finding, saying how to name it; the approval is left out', function () {
    const text =
      '{ "moves": [ { "vm": "web01", "destination": "HV02", "fixes": [ { "finding": "devices.iso:the DVD", "fix": "eject-iso-on-move" } ] } ] }';
    const plan = parsePlan(text);
    const problem = only(plan, 'plan.drive');
    assert.equal(at(text, problem.span), '"devices.iso:the DVD"');
    assert.equal(
      problem.message,
      'Name the drive by its controller, as Get-VMHardDiskDrive and Get-VMDvdDrive show it: e.g. "devices.iso:SCSI 0:1" (type, number:location).',
    );
    assert.deepEqual(plan.moves[0].fixes, []);
  });

  it('spans stay right in text with CRLF line ends and characters outside ASCII', function () {
    const text = '// Über-Plan\r\n{\r\n  "moves": [\r\n    { "vm": "wéb01 ☃", "destination": "HV02" }\r\n  ]\r\n}\r\n';
    const plan = parsePlan(text);
    assert.deepEqual(plan.problems, []);
    assert.equal(plan.moves[0].vm, 'wéb01 ☃');
    assert.equal(at(text, plan.moves[0].anchor), '"vm": "wéb01 ☃"');
  });
});

describe('plan file: "maintenance", the hosts to maintain one by one', function () {
  it('reads the hosts in the order written, each with its place; a plan of maintenance only needs no "moves"', function () {
    const text = '{ "name": "Patch Tuesday", "maintenance": ["HV01", "hv02.contoso.lab"] }';
    const plan = parsePlan(text);
    assert.deepEqual(plan.problems, []);
    assert.deepEqual(
      plan.maintenance.map((m) => [m.host, at(text, m.span)]),
      [
        ['HV01', '"HV01"'],
        ['hv02.contoso.lab', '"hv02.contoso.lab"'],
      ],
    );
    assert.deepEqual(plan.moves, []);
    assert.equal(at(text, plan.movesKey), '"maintenance"', "Run Plan's code lens goes on the maintenance key");
  });

  it("a host named twice (in any case, with DNS's trailing dot) is an error on the second; it is maintained once", function () {
    const text = '{ "moves": [], "maintenance": ["HV01", "HV02", "hv01."] }';
    const plan = parsePlan(text);
    const problem = only(plan, 'plan.duplicate-host');
    assert.equal(at(text, problem.span), '"hv01."');
    assert.equal(problem.severity, 'error');
    assert.equal(problem.message, 'hv01. is in "maintenance" twice: each host is maintained once.');
    assert.deepEqual(
      plan.maintenance.map((m) => m.host),
      ['HV01', 'HV02'],
    );
  });

  it('a value that is not a list of host names says what is expected, where it is', function () {
    const notList = '{ "maintenance": "HV01" }';
    const problem = only(parsePlan(notList), 'plan.type');
    assert.equal(at(notList, problem.span), '"HV01"');
    assert.equal(problem.message, '"maintenance" must be a list of host names, e.g. "maintenance": ["HV01", "HV02"].');

    const text = '{ "maintenance": [1, "  ", "HV03"] }';
    const plan = parsePlan(text);
    assert.deepEqual(
      plan.problems.map((p) => [p.code, at(text, p.span), p.message]),
      [
        ['plan.type', '1', 'A host of "maintenance" must be a string.'],
        ['plan.empty', '"  "', 'A host of "maintenance" is empty.'],
      ],
    );
    assert.deepEqual(
      plan.maintenance.map((m) => m.host),
      ['HV03'],
    );
  });

  it('a plan with neither "moves" nor "maintenance" still says it has no moves', function () {
    assert.deepEqual(codes(parsePlan('{ "name": "empty" }')), ['plan.missing']);
  });
});
