// A plan's moves resolved on the fleet as read: which VM each names, where it is now, whether its
// destination is a host. Each thing that stops a move is a problem at the text to change, never a throw.
import * as assert from 'node:assert/strict';
import { decodeHostInventory, type HostReading } from '../../../src/hyperv/inventory';
import type { MaintenanceEntry } from '../../../src/migration/maintenance';
import { parsePlan, type Span } from '../../../src/plans/planFile';
import { planFindingId, resolvePlan, type ResolvedPlan } from '../../../src/plans/resolve';
import { hostJson, vmJson } from '../../support/inventoryData';

const at = (text: string, span: Span): string => text.slice(span.offset, span.offset + span.length);

function reading(name: string, vms: Record<string, unknown>[], host: Record<string, unknown> = {}): HostReading {
  return { name, ok: true, inventory: decodeHostInventory({ host: hostJson(name, host), vms }) };
}

function unreadable(name: string): HostReading {
  return {
    name,
    ok: false,
    error: { kind: 'hostUnreachable', message: `WinRM cannot complete the operation on '${name}'.`, target: name },
  };
}

const ID = (n: number): string => `11111111-2222-3333-4444-${String(n).padStart(12, '0')}`;

/** HV01: web01, sql01; HV02: app01; HV05: erp01 (a cluster role); HV03 empty. */
function fleet(): HostReading[] {
  return [
    reading('HV01', [
      vmJson('web01', 'HV01', { id: ID(1) }),
      vmJson('sql01', 'HV01', {
        id: ID(2),
        disks: [{ path: 'D:\\Hyper-V\\sql01.vhdx', diskNumber: null, controller: 'SCSI 0:0', fileSize: 1, size: 2 }],
      }),
    ]),
    reading('HV02', [vmJson('app01', 'HV02', { id: ID(3) })]),
    reading('HV03', []),
    reading('HV05', [vmJson('erp01', 'HV05', { id: ID(5), isClustered: true })], { cluster: 'CL1' }),
  ];
}

function plan(...moves: string[]): string {
  return `{\n  "moves": [\n    ${moves.join(',\n    ')}\n  ]\n}\n`;
}

function resolve(text: string, readings: HostReading[] = fleet()): ResolvedPlan {
  const file = parsePlan(text);
  assert.deepEqual(file.problems, [], 'the plan itself is whole');
  return resolvePlan(file, readings);
}

describe('plan file: resolvePlan', function () {
  it('resolves a move to the VM the fleet has: its id, its host as source, the destination as the fleet spells it', function () {
    const text = plan(
      '{ "vm": "WEB01", "destination": "hv02.contoso.lab" }',
      '{ "vm": "sql01", "source": "hv01", "destination": "HV03", "storagePath": "E:\\\\VMs\\\\sql01", "vhds": [ { "source": "D:\\\\Hyper-V\\\\sql01.vhdx", "destination": "E:\\\\VMs\\\\sql01.vhdx" } ] }',
    );
    const resolved = resolve(text);
    assert.deepEqual(resolved.problems, []);
    assert.deepEqual(resolved.done, []);
    assert.deepEqual(
      resolved.moves.map((m) => m.request),
      [
        { vmId: ID(1), vmName: 'web01', source: 'HV01', destination: 'HV02' },
        {
          vmId: ID(2),
          vmName: 'sql01',
          source: 'HV01',
          destination: 'HV03',
          storagePath: 'E:\\VMs\\sql01',
          vhds: [{ source: 'D:\\Hyper-V\\sql01.vhdx', destination: 'E:\\VMs\\sql01.vhdx' }],
        },
      ],
    );
    assert.deepEqual(
      resolved.moves.map((m) => [m.move.index, m.vm.name, m.destination]),
      [
        [0, 'web01', 'HV02'],
        [1, 'sql01', 'HV03'],
      ],
    );
  });

  it("a VM no host has is an error on the move's vm line", function () {
    const text = plan('{ "vm": "web01", "destination": "HV02" }', '{ "vm": "web99", "destination": "HV02" }');
    const resolved = resolve(text);
    assert.deepEqual(
      resolved.moves.map((m) => m.vm.name),
      ['web01'],
    );
    assert.equal(resolved.problems.length, 1);
    const [problem] = resolved.problems;
    assert.deepEqual(
      { ...problem, span: at(text, problem.span) },
      {
        span: '"vm": "web99"',
        severity: 'error',
        message: "No VM 'web99' on any host of the fleet.",
        code: 'plan.unknown-vm',
        move: 1,
      },
    );
  });

  it('a VM not found while a host could not be read is only a warning that names the host', function () {
    const text = plan('{ "vm": "web07", "destination": "HV02" }');
    const resolved = resolve(text, [...fleet(), unreadable('HV04')]);
    assert.deepEqual(
      resolved.problems.map((p) => [p.code, p.severity, p.message]),
      [['plan.unknown-vm', 'warning', "No VM 'web07' on the hosts read (HV04 could not be read)."]],
    );
    assert.deepEqual(resolved.moves, []);
  });

  it('a destination that is no host of the fleet is an error on the destination value, listing the hosts', function () {
    const text = plan('{ "vm": "web01", "destination": "HV09" }');
    const resolved = resolve(text);
    assert.deepEqual(resolved.moves, []);
    const [problem] = resolved.problems;
    assert.equal(resolved.problems.length, 1);
    assert.equal(problem.code, 'plan.unknown-host');
    assert.equal(problem.severity, 'error');
    assert.equal(problem.message, "'HV09' is not one of the hosts (HV01, HV02, HV03 and HV05).");
    assert.equal(at(text, problem.span), '"HV09"');
    assert.match(resolvePlan(parsePlan(text), []).problems[0]?.message ?? '', /\(none configured\)/);
  });

  it('a source that is no host is an error on the source value', function () {
    const text = plan('{ "vm": "web01", "source": "HV42", "destination": "HV02" }');
    const problems = resolve(text).problems.filter((p) => p.code === 'plan.unknown-host');
    assert.equal(problems.length, 1);
    assert.equal(at(text, problems[0].span), '"HV42"');
  });

  it('a destination that could not be read: a warning with its error, and the move is not checked', function () {
    const text = plan('{ "vm": "web01", "destination": "HV04" }');
    const resolved = resolve(text, [...fleet(), unreadable('HV04')]);
    assert.deepEqual(resolved.moves, []);
    assert.deepEqual(
      resolved.problems.map((p) => [p.code, p.severity, at(text, p.span)]),
      [['plan.host-unreadable', 'warning', '"HV04"']],
    );
    assert.equal(
      resolved.problems[0].message,
      "HV04 could not be read, so this move cannot be checked: WinRM cannot complete the operation on 'HV04'.",
    );
  });

  it('two VMs of the same name: ambiguous without "source", resolved with it', function () {
    const readings = fleet();
    readings[2] = reading('HV03', [vmJson('web01', 'HV03', { id: ID(9) })]);
    const ambiguous = plan('{ "vm": "web01", "destination": "HV02" }');
    const first = resolve(ambiguous, readings);
    assert.deepEqual(first.moves, []);
    assert.deepEqual(
      first.problems.map((p) => [p.code, p.severity, at(ambiguous, p.span)]),
      [['plan.ambiguous-vm', 'error', '"vm": "web01"']],
    );
    assert.equal(first.problems[0].message, `Several VMs are named 'web01' (on HV01 and HV03): add "source" to say which.`);
    const sourced = resolve(plan('{ "vm": "web01", "source": "HV03", "destination": "HV02" }'), readings);
    assert.deepEqual(sourced.problems, []);
    assert.deepEqual(
      sourced.moves.map((m) => [m.vm.id, m.request.source]),
      [[ID(9), 'HV03']],
    );
    const elsewhere = resolve(plan('{ "vm": "web01", "source": "HV02", "destination": "HV05" }'), readings);
    assert.deepEqual(
      elsewhere.problems.map((p) => [p.code, p.severity, p.message]),
      [['plan.unknown-vm', 'error', "No VM 'web01' on HV02; VMs of that name are on HV01 and HV03."]],
    );
  });

  it('a VM that is no longer on the source named: a warning on the source, and the move starts where the VM is', function () {
    const text = plan('{ "vm": "app01", "source": "HV01", "destination": "HV03" }');
    const resolved = resolve(text);
    assert.deepEqual(
      resolved.problems.map((p) => [p.code, p.severity, at(text, p.span), p.message]),
      [['plan.source-changed', 'warning', '"HV01"', 'app01 is on HV02 now, not on HV01: the move starts from HV02.']],
    );
    assert.deepEqual(
      resolved.moves.map((m) => m.request.source),
      ['HV02'],
    );
  });

  it('the same VM twice: the second move is an error naming the first, and only the first runs', function () {
    const text = plan(
      '{ "vm": "web01", "destination": "HV02" }',
      '{ "vm": "sql01", "destination": "HV02" }',
      '{ "vm": "Web01", "destination": "HV03" }',
    );
    const resolved = resolve(text);
    assert.deepEqual(
      resolved.moves.map((m) => [m.vm.name, m.destination]),
      [
        ['web01', 'HV02'],
        ['sql01', 'HV02'],
      ],
    );
    assert.deepEqual(
      resolved.problems.map((p) => [p.code, p.severity, p.move, at(text, p.span), p.message]),
      [['plan.duplicate-vm', 'error', 2, '"vm": "Web01"', 'web01 is moved twice: move 1 moves it already.']],
    );
  });

  it('a clustered VM needs "ha": an error without it (not run), fine with it; "ha" on a VM outside a cluster is a warning', function () {
    const text = plan('{ "vm": "erp01", "destination": "HV06" }');
    const readings = [...fleet(), reading('HV06', [], { cluster: 'CL1' })];
    const without = resolve(text, readings);
    assert.deepEqual(without.moves, []);
    assert.deepEqual(
      without.problems.map((p) => [p.code, p.severity, at(text, p.span)]),
      [['plan.clustered', 'error', '"vm": "erp01"']],
    );
    assert.match(without.problems[0].message, /^erp01 is a role of a failover cluster: set "ha": true/);

    const withHa = resolve(plan('{ "vm": "erp01", "destination": "HV06", "ha": true }'), readings);
    assert.deepEqual(withHa.problems, []);
    assert.deepEqual(
      withHa.moves.map((m) => [m.vm.name, m.move.ha]),
      [['erp01', true]],
    );

    const notClustered = plan('{ "vm": "web01", "destination": "HV02", "ha": true }');
    const warned = resolve(notClustered, readings);
    assert.deepEqual(
      warned.problems.map((p) => [p.code, p.severity, at(notClustered, p.span)]),
      [['plan.not-clustered', 'warning', 'true']],
    );
    assert.deepEqual(
      warned.moves.map((m) => m.vm.name),
      ['web01'],
      'it moves as any VM',
    );
  });

  it('a VM already on its destination: nothing to move, an info, listed as done', function () {
    const text = plan('{ "vm": "app01", "destination": "hv02" }', '{ "vm": "web01", "destination": "HV02" }');
    const resolved = resolve(text);
    assert.deepEqual(
      resolved.moves.map((m) => m.vm.name),
      ['web01'],
    );
    assert.deepEqual(
      resolved.done.map((m) => m.vm.name),
      ['app01'],
    );
    assert.deepEqual(
      resolved.problems.map((p) => [p.code, p.severity, p.move, p.message]),
      [['plan.already-there', 'info', 0, 'app01 is on HV02 already: nothing to move.']],
    );
  });
});

describe('plan file: approved fixes name the adapter or drive as the admin sees it', function () {
  const WEB = ID(1);
  const adapter = (n: number, name: string) => ({
    id: `Microsoft:${WEB.toUpperCase()}\\AA000000-0000-0000-0000-00000000000${n}`,
    name,
    switchName: 'LAN1',
    macAddress: `00155D00000${n}`,
  });
  const adapters = [adapter(1, 'Network Adapter'), adapter(2, 'Network Adapter'), adapter(3, 'Storage NIC')];
  const readings = (): HostReading[] => [reading('HV01', [vmJson('web01', 'HV01', { id: WEB, adapters })]), reading('HV02', [])];
  const withFix = (...findings: string[]) =>
    plan(
      `{ "vm": "web01", "destination": "HV02", "fixes": [ ${findings.map((f) => `{ "finding": ${JSON.stringify(f)}, "fix": "map-switch", "choices": { "switch": "LAN1" } }`).join(', ')} ] }`,
    );

  it("an adapter by its name, by '<name> #<n>' among several of that name, or by Hyper-V's Id (older plans): each resolves to the adapter's Id the check uses", function () {
    const text = withFix(
      'network.switch-missing:Storage NIC',
      `network.switch-missing:${adapters[2].id}`,
      'network.switch-missing:network adapter #2',
      `network.switch-missing:${adapters[1].id.toLowerCase()}`,
    );
    const resolved = resolve(text, readings());
    assert.deepEqual(resolved.problems, []);
    assert.deepEqual(
      resolved.moves[0]?.fixes.map((f) => [f.finding, f.findingId]),
      [
        ['network.switch-missing:Storage NIC', `network.switch-missing:${adapters[2].id}`],
        [`network.switch-missing:${adapters[2].id}`, `network.switch-missing:${adapters[2].id}`],
        ['network.switch-missing:network adapter #2', `network.switch-missing:${adapters[1].id}`],
        [`network.switch-missing:${adapters[1].id.toLowerCase()}`, `network.switch-missing:${adapters[1].id}`],
      ],
    );
  });

  it('a drive by its controller, in any case and spacing, is the check\'s "SCSI 0:1"; other findings keep their id', function () {
    const text = plan(
      '{ "vm": "web01", "destination": "HV02", "fixes": [ { "finding": "devices.iso:scsi 0 : 1", "fix": "eject-iso-on-move" }, { "finding": "authentication.delegation", "fix": "add-delegation" } ] }',
    );
    const resolved = resolve(text, readings());
    assert.deepEqual(resolved.problems, []);
    assert.deepEqual(
      resolved.moves[0]?.fixes.map((f) => f.findingId),
      ['devices.iso:SCSI 0:1', 'authentication.delegation'],
    );
  });

  it('a name several adapters share is an error on the fix naming how to say which; an adapter the VM lacks is a warning listing its adapters', function () {
    const text = withFix(
      'network.switch-missing:Network Adapter',
      'network.switch-missing:Backup NIC',
      'network.switch-missing:Network Adapter #3',
      'network.switch-missing:Microsoft:0\\GONE',
    );
    const resolved = resolve(text, readings());
    assert.deepEqual(
      resolved.problems.map((p) => [p.code, p.severity, (JSON.parse(at(text, p.span)) as { finding: string }).finding, p.message]),
      [
        [
          'plan.ambiguous-adapter',
          'error',
          'network.switch-missing:Network Adapter',
          "web01 has several adapters named 'Network Adapter': say which, as 'Network Adapter #1' and 'Network Adapter #2'.",
        ],
        [
          'plan.unknown-adapter',
          'warning',
          'network.switch-missing:Backup NIC',
          "web01 has no network adapter 'Backup NIC' (its adapters: 'Network Adapter #1', 'Network Adapter #2' and 'Storage NIC'): this approval applies to nothing.",
        ],
        [
          'plan.unknown-adapter',
          'warning',
          'network.switch-missing:Network Adapter #3',
          "web01 has no network adapter 'Network Adapter #3' (its adapters: 'Network Adapter #1', 'Network Adapter #2' and 'Storage NIC'): this approval applies to nothing.",
        ],
        [
          'plan.unknown-adapter',
          'warning',
          'network.switch-missing:Microsoft:0\\GONE',
          "web01 has no network adapter with Id Microsoft:0\\GONE (its adapters: 'Network Adapter #1', 'Network Adapter #2' and 'Storage NIC'): this approval applies to nothing.",
        ],
      ],
    );
  });

  it("planFindingId writes the check's adapter Id as the adapter's name (with #<n> when shared), which resolves back to the same Id", function () {
    const vm = readings()[0];
    assert.ok(vm?.ok);
    const [web01] = vm.inventory.vms;
    assert.ok(web01);
    const written = adapters.map((a) => planFindingId(`network.switch-missing:${a.id}`, web01));
    assert.deepEqual(written, [
      'network.switch-missing:Network Adapter #1',
      'network.switch-missing:Network Adapter #2',
      'network.switch-missing:Storage NIC',
    ]);
    assert.deepEqual(
      resolve(withFix(...written), readings()).moves[0]?.fixes.map((f) => f.findingId),
      adapters.map((a) => `network.switch-missing:${a.id}`),
    );
    assert.equal(
      planFindingId('network.switch-missing:Microsoft:0\\GONE', web01),
      'network.switch-missing:Microsoft:0\\GONE',
      'an adapter it does not know stays as it is',
    );
    assert.equal(planFindingId('devices.iso:SCSI 0:1', web01), 'devices.iso:SCSI 0:1');
  });
});

describe('plan file: hosts in maintenance', function () {
  const entry = (host: string, state: MaintenanceEntry['state']): MaintenanceEntry => ({
    host,
    since: '2026-12-05T15:14:09.000Z',
    by: 'CONTOSO\\alice',
    state,
    origins: [],
  });

  it('a move to a host in maintenance is an error on its destination, saying since when and by whom, and does not run', function () {
    const text = plan('{ "vm": "web01", "destination": "hv03" }', '{ "vm": "sql01", "destination": "HV02" }');
    const resolved = resolvePlan(parsePlan(text), fleet(), [entry('HV03', 'in-maintenance')]);
    assert.deepEqual(
      resolved.problems.map((p) => [p.code, p.severity, p.move, at(text, p.span)]),
      [['plan.host-in-maintenance', 'error', 0, '"hv03"']],
    );
    assert.equal(
      resolved.problems[0]?.message,
      'HV03 is in maintenance (since 2026-12-05 15:14 UTC, by CONTOSO\\alice): no VM is placed on it until it leaves maintenance.',
    );
    assert.deepEqual(
      resolved.moves.map((m) => m.vm.name),
      ['sql01'],
    );
  });

  it('a host entering maintenance takes no VM either, nor one whose VMs are going back (until its mark is gone)', function () {
    const text = plan('{ "vm": "web01", "destination": "HV03" }');
    for (const state of ['entering', 'exiting'] as const) {
      const resolved = resolvePlan(parsePlan(text), fleet(), [entry('HV03', state)]);
      assert.deepEqual(
        resolved.problems.map((p) => p.code),
        ['plan.host-in-maintenance'],
        state,
      );
      assert.deepEqual(resolved.moves, [], state);
    }
  });

  it('"maintenance" names hosts of the fleet (as the fleet spells them); an unknown one is an error on its name, listing the hosts', function () {
    const text = '{ "maintenance": ["hv01", "HV09", "HV02"] }';
    const resolved = resolvePlan(parsePlan(text), fleet());
    assert.deepEqual(resolved.maintenance, ['HV01', 'HV02']);
    assert.deepEqual(
      resolved.problems.map((p) => [p.code, p.severity, at(text, p.span), p.message]),
      [['plan.unknown-host', 'error', '"HV09"', "'HV09' is not one of the hosts (HV01, HV02, HV03 and HV05)."]],
    );
  });
});
