// Check Plan on resolved moves, with the preflight engine and the fixer faked at their interfaces: the
// approved report fixes (switch mapping) are made on the move and the move checked again; approved host,
// VM and AD fixes wait for Run Plan; approvals that no longer fit are problems; a check that cannot run
// is a problem on its move and the other moves are still checked.
import * as assert from 'node:assert/strict';
import { decodeHostInventory, type HostReading } from '../../../src/hyperv/inventory';
import type {
  Finding,
  FixOption,
  FixOutcome,
  FixRequest,
  Fixer,
  MigrationRequest,
  MovePlan,
  PreflightEngine,
  PreflightResult,
} from '../../../src/migration/types';
import { checkMove, checkMoves, HA_FINDING, isChecked, type MoveCheck } from '../../../src/plans/checkPlan';
import { parsePlan, type Span } from '../../../src/plans/planFile';
import { resolvePlan, type ResolvedMove } from '../../../src/plans/resolve';
import { hostJson, vmJson } from '../../support/inventoryData';

const at = (text: string, span: Span): string => text.slice(span.offset, span.offset + span.length);
const ADAPTER = 'Microsoft:WEB01\\ADAPTER-1';
const SWITCH = `network.switch-missing:${ADAPTER}`;

const option = (id: string, appliesTo: FixOption['appliesTo'], more: Partial<FixOption> = {}): FixOption =>
  ({
    id,
    title: `Fix ${id}`,
    description: id,
    destructive: false,
    appliesTo,
    ...more,
  }) as FixOption;

const switchMissing: Finding = {
  id: SWITCH,
  area: 'network',
  severity: 'blocker',
  title: "Switch 'Storage' does not exist on HV02",
  cause: 'The adapter would lose its network.',
  evidence: [],
  fixes: [
    option('map-switch', 'plan', { choices: [{ name: 'switch', label: 'Switch', options: ['LAN1', 'Backup'] }] }),
    option('disconnect-adapter', 'plan'),
    option('create-switch', 'host'),
  ],
};
const delegation: Finding = {
  id: 'authentication.delegation',
  area: 'authentication',
  severity: 'blocker',
  title: 'HV01 may not delegate to HV02',
  cause: 'Kerberos needs constrained delegation.',
  evidence: [],
  fixes: [option('add-delegation', 'ad', { destructive: true })],
};
const processor: Finding = {
  id: 'processor.features',
  area: 'processor',
  severity: 'warning',
  title: 'Processor features differ',
  cause: 'Turn on compatibility.',
  evidence: [],
  fixes: [],
};
const note: Finding = {
  id: 'memory.note',
  area: 'memory',
  severity: 'info',
  title: 'Memory is fine',
  cause: 'Plenty left.',
  evidence: [],
  fixes: [],
};
const clusterRole: Finding = {
  id: HA_FINDING,
  area: 'cluster',
  severity: 'blocker',
  title: 'erp01 is a cluster role',
  cause: 'Move it with the cluster.',
  evidence: [],
  fixes: [],
};

/** The engine: findings by VM name, the switch finding gone once the plan maps the adapter. */
class FakeEngine implements PreflightEngine {
  readonly calls: { request: MigrationRequest; plan?: MovePlan }[] = [];
  running = 0;
  peak = 0;
  constructor(
    private readonly findings: Record<string, readonly Finding[]>,
    private readonly failFor: readonly string[] = [],
  ) {}

  async check(request: MigrationRequest, options: { plan?: MovePlan; signal?: AbortSignal } = {}): Promise<PreflightResult> {
    this.calls.push({ request, ...(options.plan && { plan: options.plan }) });
    this.running++;
    this.peak = Math.max(this.peak, this.running);
    try {
      await new Promise((resolve) => setImmediate(resolve));
      options.signal?.throwIfAborted();
      if (this.failFor.includes(request.vmName)) throw new Error(`The session to ${request.source} ended.`);
      const mapped = options.plan?.adapterSwitches ?? {};
      const findings = (this.findings[request.vmName] ?? []).filter((f) => !Object.keys(mapped).some((id) => f.id.endsWith(`:${id}`)));
      return {
        request,
        findings,
        ready: !findings.some((f) => f.severity === 'blocker'),
        checkedAt: '2026-11-26T07:00:00.000Z',
        roundTrips: {},
      };
    } finally {
      this.running--;
    }
  }
}

/** The fixer: plan fixes map the adapter in the plan; anything else would change the fleet (recorded, never expected here). */
class FakeFixer implements Fixer {
  readonly applied: FixRequest[] = [];
  constructor(private readonly refuse = false) {}

  preview(): string {
    return '# preview';
  }

  async apply(request: MigrationRequest, fix: FixRequest, plan: MovePlan | undefined): Promise<FixOutcome> {
    this.applied.push(fix);
    await Promise.resolve();
    if (this.refuse) return { ok: false, error: { kind: 'scriptError', message: "No switch 'LAN9' on HV02." } };
    const base = plan ?? { request, adapterSwitches: {}, ejectDvd: [] };
    const target = fix.fixId === 'disconnect-adapter' ? null : (fix.choices?.switch ?? 'LAN1');
    return { ok: true, plan: { ...base, adapterSwitches: { ...base.adapterSwitches, [ADAPTER]: target } }, message: 'mapped' };
  }
}

function fleet(): HostReading[] {
  const read = (name: string, vms: Record<string, unknown>[], host: Record<string, unknown> = {}): HostReading => ({
    name,
    ok: true,
    inventory: decodeHostInventory({ host: hostJson(name, host), vms }),
  });
  return [
    read('HV01', [
      vmJson('web01', 'HV01', {
        id: 'id-web01',
        adapters: [{ id: ADAPTER, name: 'Storage NIC', switchName: 'Storage', macAddress: '00155D000001' }],
      }),
      vmJson('sql01', 'HV01', { id: 'id-sql01' }),
      vmJson('app01', 'HV01', { id: 'id-app01' }),
    ]),
    read('HV02', []),
    read('HV05', [vmJson('erp01', 'HV05', { id: 'id-erp01', isClustered: true })], { cluster: 'CL1' }),
    read('HV06', [], { cluster: 'CL1' }),
  ];
}

function movesOf(text: string): ResolvedMove[] {
  const file = parsePlan(text);
  assert.deepEqual(file.problems, []);
  const resolved = resolvePlan(file, fleet());
  assert.deepEqual(resolved.problems, []);
  return [...resolved.moves];
}

function oneMove(fixes = '', vm = 'web01', more = ''): { text: string; move: ResolvedMove } {
  const text = `{ "moves": [\n  { "vm": "${vm}", "destination": "${vm === 'erp01' ? 'HV06' : 'HV02'}"${more}${fixes ? `,\n    "fixes": [\n${fixes}\n    ]` : ''} }\n] }`;
  const [move] = movesOf(text);
  assert.ok(move);
  return { text, move };
}

const summary = (check: MoveCheck, text: string) => check.problems.map((p) => [p.code, p.severity, at(text, p.span)]);

describe('plan file: checkMove', function () {
  it("shows each finding on the move's vm line with its severity; blockers stop the move", async function () {
    const engine = new FakeEngine({ web01: [switchMissing, processor, note] });
    const { text, move } = oneMove();
    const check = await checkMove(move, engine, new FakeFixer());
    assert.deepEqual(summary(check, text), [
      [SWITCH, 'error', '"vm": "web01"'],
      ['processor.features', 'warning', '"vm": "web01"'],
      ['memory.note', 'info', '"vm": "web01"'],
    ]);
    assert.equal(check.problems[0]?.message, "Switch 'Storage' does not exist on HV02. The adapter would lose its network.");
    assert.ok(check.problems.every((p) => p.move === 0));
    assert.deepEqual(
      check.blockers.map((f) => f.id),
      [SWITCH],
    );
    assert.deepEqual(check.pending, []);
    assert.equal(engine.calls.length, 1, 'checked once: nothing approved');
    assert.deepEqual(check.plan, { request: move.request, adapterSwitches: {}, ejectDvd: [] });
  });

  it("makes an approved switch mapping on the move with the plan's choice and checks again: ready", async function () {
    const engine = new FakeEngine({ web01: [switchMissing, processor] });
    const fixer = new FakeFixer();
    const { text, move } = oneMove(
      `      { "finding": "${SWITCH.replace(/\\/g, '\\\\')}", "fix": "map-switch", "choices": { "switch": "Backup" } }`,
    );
    const check = await checkMove(move, engine, fixer);
    assert.deepEqual(
      fixer.applied.map((f) => [f.finding.id, f.fixId, f.choices]),
      [[SWITCH, 'map-switch', { switch: 'Backup' }]],
    );
    assert.equal(engine.calls.length, 2);
    assert.deepEqual(engine.calls[1]?.plan?.adapterSwitches, { [ADAPTER]: 'Backup' }, 'checked again with the mapping');
    assert.deepEqual(check.plan.adapterSwitches, { [ADAPTER]: 'Backup' });
    assert.deepEqual(
      check.result.findings.map((f) => f.id),
      ['processor.features'],
    );
    assert.deepEqual(check.blockers, []);
    assert.deepEqual(
      summary(check, text),
      [['processor.features', 'warning', '"vm": "web01"']],
      'no word about the approval made: it did what it should',
    );
  });

  it("an approval naming the adapter as the admin sees it ('Storage NIC') is made on the finding the check keys by the adapter's Id", async function () {
    const engine = new FakeEngine({ web01: [switchMissing] });
    const fixer = new FakeFixer();
    const { text, move } = oneMove(
      '      { "finding": "network.switch-missing:Storage NIC", "fix": "map-switch", "choices": { "switch": "Backup" } }',
    );
    const check = await checkMove(move, engine, fixer);
    assert.deepEqual(
      fixer.applied.map((f) => [f.finding.id, f.fixId, f.choices]),
      [[SWITCH, 'map-switch', { switch: 'Backup' }]],
    );
    assert.deepEqual(check.plan.adapterSwitches, { [ADAPTER]: 'Backup' });
    assert.deepEqual(check.blockers, []);
    assert.deepEqual(summary(check, text), []);
  });

  it('keeps an approved AD fix for Run Plan: pending, an info naming it, not a blocker, and nothing applied now', async function () {
    const engine = new FakeEngine({ web01: [delegation] });
    const fixer = new FakeFixer();
    const { text, move } = oneMove('      { "finding": "authentication.delegation", "fix": "add-delegation" }');
    const check = await checkMove(move, engine, fixer);
    assert.deepEqual(fixer.applied, [], 'an AD change is not made by a check');
    assert.equal(engine.calls.length, 1);
    assert.deepEqual(
      check.pending.map((p) => [p.finding.id, p.option.id, p.approved.fix]),
      [['authentication.delegation', 'add-delegation', 'add-delegation']],
    );
    assert.deepEqual(check.blockers, []);
    assert.deepEqual(summary(check, text), [['authentication.delegation', 'info', '"vm": "web01"']]);
    assert.equal(
      check.problems[0]?.message,
      'HV01 may not delegate to HV02 — approved fix: Fix add-delegation (Run Plan applies it before the move). Kerberos needs constrained delegation.',
    );
  });

  it('an approval naming a fix the finding does not offer is an error on the approval; the finding still blocks', async function () {
    const engine = new FakeEngine({ web01: [switchMissing, processor] });
    const fixer = new FakeFixer();
    const approval = '{ "finding": "processor.features", "fix": "enable-compatibility" }';
    const mapping = `{ "finding": "${SWITCH.replace(/\\/g, '\\\\')}", "fix": "map-swtich" }`;
    const { text, move } = oneMove(`      ${approval},\n      ${mapping}`);
    const check = await checkMove(move, engine, fixer);
    assert.deepEqual(fixer.applied, []);
    assert.deepEqual(
      check.blockers.map((f) => f.id),
      [SWITCH],
    );
    const unknown = check.problems.filter((p) => p.code === 'plan.unknown-fix');
    assert.deepEqual(
      unknown.map((p) => [p.severity, at(text, p.span), p.message]),
      [
        ['error', approval, "Finding 'processor.features' has no fix 'enable-compatibility' (it has no fix)."],
        ['error', mapping, `Finding '${SWITCH}' has no fix 'map-swtich' (its fixes: map-switch, disconnect-adapter, create-switch).`],
      ],
    );
  });

  it('an approval for a finding the check no longer finds is an info on the approval', async function () {
    const engine = new FakeEngine({ web01: [] });
    const approval = '{ "finding": "authentication.delegation", "fix": "add-delegation" }';
    const { text, move } = oneMove(`      ${approval}`);
    const check = await checkMove(move, engine, new FakeFixer());
    assert.deepEqual(summary(check, text), [['plan.fix-resolved', 'info', approval]]);
    assert.match(
      check.problems[0]?.message ?? '',
      /^The approved fix 'add-delegation' is for finding 'authentication\.delegation', which the check no longer finds/,
    );
  });

  it('a report fix the fixer cannot make is an error on the approval; the finding still blocks', async function () {
    const engine = new FakeEngine({ web01: [switchMissing] });
    const approval = `{ "finding": "${SWITCH.replace(/\\/g, '\\\\')}", "fix": "map-switch", "choices": { "switch": "LAN9" } }`;
    const { text, move } = oneMove(`      ${approval}`);
    const check = await checkMove(move, engine, new FakeFixer(true));
    assert.equal(engine.calls.length, 1, 'nothing made, nothing to check again');
    assert.deepEqual(summary(check, text), [
      ['plan.fix-failed', 'error', approval],
      [SWITCH, 'error', '"vm": "web01"'],
    ]);
    assert.equal(check.problems[0]?.message, "The approved fix 'Fix map-switch' could not be made on the move: No switch 'LAN9' on HV02.");
    assert.deepEqual(
      check.blockers.map((f) => f.id),
      [SWITCH],
    );
  });

  it('with "ha", the cluster role is the workflow\'s to handle: an info, not a blocker', async function () {
    const engine = new FakeEngine({ erp01: [clusterRole] });
    const { text, move } = oneMove('', 'erp01', ', "ha": true');
    const check = await checkMove(move, engine, new FakeFixer());
    assert.deepEqual(check.blockers, []);
    assert.deepEqual(summary(check, text), [[HA_FINDING, 'info', '"vm": "erp01"']]);
    assert.match(check.problems[0]?.message ?? '', /the HA workflow removes the role before the move and adds it back after/);
  });
});

describe('plan file: checkMoves', function () {
  const text = `{ "moves": [
  { "vm": "web01", "destination": "HV02" },
  { "vm": "sql01", "destination": "HV02" },
  { "vm": "app01", "destination": "HV02" }
] }`;

  it('checks every move, at most `concurrency` at a time, results in the order of the moves, with progress', async function () {
    const engine = new FakeEngine({ web01: [], sql01: [switchMissing], app01: [processor] });
    const progress: [number, number][] = [];
    const outcomes = await checkMoves(movesOf(text), engine, new FakeFixer(), {
      concurrency: 2,
      onProgress: (done, total) => progress.push([done, total]),
    });
    assert.deepEqual(
      outcomes.map((o) => [o.resolved.request.vmName, isChecked(o)]),
      [
        ['web01', true],
        ['sql01', true],
        ['app01', true],
      ],
    );
    assert.deepEqual(
      outcomes.map((o) => (isChecked(o) ? o.blockers.length : -1)),
      [0, 1, 0],
    );
    assert.equal(engine.peak, 2);
    assert.deepEqual(progress, [
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
  });

  it("a check that throws is a failure on its move's line; the other moves are still checked", async function () {
    const engine = new FakeEngine({ web01: [], app01: [] }, ['sql01']);
    const outcomes = await checkMoves(movesOf(text), engine, new FakeFixer(), { concurrency: 1 });
    assert.deepEqual(
      outcomes.map((o) => isChecked(o)),
      [true, false, true],
    );
    const failed = outcomes[1];
    assert.ok(failed && !isChecked(failed));
    assert.equal(failed.error, 'The check of sql01 could not run: The session to HV01 ended.');
    assert.deepEqual(
      failed.problems.map((p) => [p.code, p.severity, p.move, at(text, p.span)]),
      [['plan.check-failed', 'error', 1, '"vm": "sql01"']],
    );
    assert.equal(engine.peak, 1);
  });

  it('a cancelled check rejects instead of reporting every move as failed', async function () {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      checkMoves(movesOf(text), new FakeEngine({}), new FakeFixer(), { signal: controller.signal }),
      (error: Error) => error.name === 'AbortError',
    );
  });

  it('no moves: no checks, no outcomes', async function () {
    const engine = new FakeEngine({});
    assert.deepEqual(await checkMoves([], engine, new FakeFixer()), []);
    assert.equal(engine.calls.length, 0);
  });
});
