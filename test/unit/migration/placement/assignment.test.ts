// Placement's rating and assignment, on what the checks said (no PowerShell involved): blockers exclude a
// host, warnings lower it, memory and disk are counted after the moves planned before (largest VM first),
// the admin's override wins when the host is ready and is refused with why otherwise; the plan's own
// choices (a switch of the same type, an ISO ejected on the move) are made only where a blocker offers them.

import * as assert from 'node:assert/strict';
import type { Vm } from '../../../../src/hyperv/model';
import {
  assign,
  autoPlan,
  estimateMs,
  withDestination,
  type Evaluation,
  type HostCapacity,
  type PlacementPlan,
  type Option,
  type PlacedVm,
} from '../../../../src/migration/placement';
import type { Finding, MovePlan, PreflightResult } from '../../../../src/migration/types';

const GB = 1024 ** 3;

const host = (name: string, memoryFreeGB: number, more: Partial<HostCapacity> = {}): HostCapacity => ({
  name,
  cpuVendor: 'GenuineIntel',
  memoryCapacity: 256 * GB,
  memoryFree: memoryFreeGB * GB,
  volumes: [{ name: 'D:\\', freeSpace: 1000 * GB, size: 2000 * GB }],
  virtualMachinePath: 'D:\\Hyper-V',
  switches: [{ name: 'LAN1', switchType: 'External' }],
  limits: { vm: 2, storage: 2 },
  linkSpeedBps: 10_000_000_000,
  ...more,
});

const vm = (n: number, name: string, memoryGB: number, diskGB: number, state = 'Running'): PlacedVm => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  name,
  source: 'HV01',
  state,
  clustered: false,
  memoryBytes: memoryGB * GB,
  diskBytes: diskGB * GB,
  checkpointBytes: 0,
  bytes: (memoryGB + diskGB) * GB,
  movesStorage: diskGB > 0,
});

const finding = (severity: Finding['severity'], title: string, more: Partial<Finding> = {}): Finding => ({
  id: title,
  area: 'other',
  severity,
  title,
  cause: '',
  evidence: [],
  fixes: [],
  ...more,
});

function checked(placed: PlacedVm, destination: string, findings: Finding[] = [], adapters = 1, switchesKept = adapters): Option {
  const request = { vmId: placed.id, vmName: placed.name, source: placed.source, destination, storagePath: `D:\\Hyper-V\\${placed.name}` };
  const plan: MovePlan = { request, adapterSwitches: {}, ejectDvd: [] };
  const result: PreflightResult = {
    request,
    findings,
    ready: !findings.some((f) => f.severity === 'blocker'),
    checkedAt: '',
    roundTrips: {},
  };
  return { host: destination, ruledOut: [], result, plan, choices: [], switchesKept, adapters };
}

const hosts = [host('HV01', 100), host('HV02', 200), host('HV03', 60)];

describe('placement', function () {
  it('rates each host with lines that make the score; blockers exclude, warnings lower', function () {
    const web = vm(1, 'web01', 4, 20);
    const evaluation: Evaluation = {
      vm: web,
      options: [
        checked(web, 'HV02', [finding('warning', 'HV02 already runs 2 live migrations')]),
        checked(web, 'HV03'),
        checked(web, 'HV04', [
          finding('blocker', 'Live migration is turned off on HV04', {
            fixes: [
              {
                id: 'enable-migration',
                title: 'Enable live migration on HV04',
                description: '',
                destructive: false,
                appliesTo: 'host',
                args: { host: 'HV04' },
              },
            ],
          }),
        ]),
        {
          host: 'HV05',
          ruledOut: ['Processor: HV05 is AMD, HV01 is Intel; a running VM cannot move between vendors (it can move while off).'],
          choices: [],
          switchesKept: 0,
          adapters: 1,
        },
      ],
    };
    const { placements, unmovable } = assign([evaluation], [...hosts, host('HV04', 200), host('HV05', 200)], {});
    assert.deepEqual(unmovable, []);
    const [placement] = placements;
    assert.ok(placement);
    assert.deepEqual(
      placement.candidates.map((c) => [c.host, c.ready]),
      [
        ['HV02', true],
        ['HV03', true],
        ['HV04', false],
        ['HV05', false],
      ],
    );
    const [hv02, hv03, hv04, hv05] = placement.candidates;
    for (const c of [hv02, hv03])
      assert.equal(
        c?.lines.reduce((sum, line) => sum + line.points, 0),
        c?.score,
      );
    assert.ok((hv02?.score ?? 0) > (hv03?.score ?? 0), 'more free memory outweighs one warning here');
    assert.deepEqual(hv02?.lines.at(-1), { text: 'Checks: 1 warning: HV02 already runs 2 live migrations', points: 5 });
    assert.deepEqual(hv03?.lines.at(-1), { text: 'Checks: ready, no warnings', points: 10 });
    assert.deepEqual(
      hv02?.lines.map((l) => l.text.split(':')[0]),
      ['Memory', 'Disk D', 'Processor', 'Network', 'Checks'],
    );
    assert.deepEqual(hv04?.blockers, ['Live migration is turned off on HV04 (fix: Enable live migration on HV04)']);
    assert.equal(hv04?.score, 0);
    assert.match(hv05?.blockers[0] ?? '', /HV05 is AMD/);
    assert.equal(placement.destination, 'HV02');
    assert.equal(placement.chosen.plan.request.destination, 'HV02');
  });

  it('counts memory and disk after the moves planned before, placing the largest VM first', function () {
    const big = vm(1, 'sql01', 150, 500);
    const next = vm(2, 'sql02', 120, 100);
    const off = vm(3, 'build01', 0, 50, 'Off');
    const evaluations = [next, off, big].map((v): Evaluation => ({ vm: v, options: [checked(v, 'HV02'), checked(v, 'HV03')] }));
    const { placements, unmovable } = assign(
      evaluations,
      [host('HV02', 200), host('HV03', 130, { volumes: [{ name: 'D:\\', freeSpace: 120 * GB, size: 500 * GB }] })],
      {},
    );
    assert.deepEqual(
      placements.map((p) => [p.vm.name, p.destination]),
      [
        ['sql02', 'HV03'],
        ['build01', 'HV02'],
        ['sql01', 'HV02'],
      ],
      'placed largest first (sql01 takes HV02), listed in the order given',
    );
    const sql02 = placements.find((p) => p.vm.name === 'sql02');
    assert.deepEqual(sql02?.candidates.find((c) => c.host === 'HV02')?.blockers, [
      'Not enough memory on HV02 after the planned moves: 50 GB free, sql02 needs 120 GB.',
    ]);
    const build01 = placements.find((p) => p.vm.name === 'build01');
    assert.deepEqual(build01?.candidates.find((c) => c.host === 'HV03')?.blockers, [
      "Not enough space on D:\\ of HV03 after the planned moves for 50 GB of build01's files.",
    ]);
    assert.match(
      build01?.chosen.lines[0]?.text ?? '',
      /^Memory: build01 is off, it takes none now; 50 GB of 256 GB free after the planned moves$/,
    );
    assert.deepEqual(unmovable, []);
  });

  it("lists a VM no host can take with each host's reason, and honours the admin's override only onto a ready host", function () {
    const a = vm(1, 'app01', 8, 40);
    const b = vm(2, 'dc04', 4, 20);
    const evaluations: Evaluation[] = [
      { vm: a, options: [checked(a, 'HV02'), checked(a, 'HV03')] },
      {
        vm: b,
        options: [
          checked(b, 'HV02', [finding('blocker', "Pass-through disk 'SCSI 0:1'")]),
          {
            host: 'HV03',
            ruledOut: ['HV03 could not be read: WinRM cannot complete the operation.'],
            choices: [],
            switchesKept: 0,
            adapters: 1,
          },
        ],
      },
    ];
    const { placements, unmovable } = assign(evaluations, hosts, {});
    assert.deepEqual(
      placements.map((p) => [p.vm.name, p.destination]),
      [['app01', 'HV02']],
    );
    assert.deepEqual(
      unmovable.map((u) => u.why),
      ["No host can take dc04. HV02: Pass-through disk 'SCSI 0:1'; HV03: HV03 could not be read: WinRM cannot complete the operation."],
    );

    const plan: PlacementPlan = { placements, unmovable, hosts, evaluations, overrides: {}, plannedAt: '', checks: 3 };
    const moved = withDestination(plan, a.id, 'hv03');
    assert.deepEqual(
      moved.placements.map((p) => [p.vm.name, p.destination, p.overridden]),
      [['app01', 'HV03', true]],
    );
    assert.deepEqual(moved.overrides, { [a.id]: 'HV03' });
    assert.throws(() => withDestination(plan, b.id, 'HV02'), /^Error: HV02 cannot take dc04: Pass-through disk 'SCSI 0:1'$/);
    assert.throws(() => withDestination(plan, a.id, 'HV09'), /HV09 was not considered for app01/);
  });

  it("makes the plan's own choices only where a blocker offers them: a switch of the same type no other adapter uses, an ISO ejected on the move", function () {
    const request = { vmId: '00000000-0000-4000-8000-000000000001', vmName: 'sql01', source: 'HV01', destination: 'HV02' };
    const empty: MovePlan = { request, adapterSwitches: {}, ejectDvd: [] };
    const inventoryVm = {
      adapters: [
        { name: 'Network Adapter', switchName: 'LAN1', macAddress: '' },
        { name: 'Storage NIC', switchName: 'Storage', macAddress: '' },
      ],
    } as unknown as Vm;
    const source = host('HV01', 100, {
      switches: [
        { name: 'LAN1', switchType: 'External' },
        { name: 'Storage', switchType: 'External' },
      ],
    });
    const destination = host('HV02', 100, {
      switches: [
        { name: 'Internal1', switchType: 'Internal' },
        { name: 'LAN1', switchType: 'External' },
        { name: 'Backup', switchType: 'External' },
      ],
    });
    const switchMissing = finding('blocker', "Switch 'Storage' does not exist on HV02", {
      fixes: [
        {
          id: 'map-switch',
          title: '',
          description: '',
          destructive: false,
          appliesTo: 'plan',
          choices: [{ name: 'switch', label: '', options: ['Internal1', 'LAN1', 'Backup'] }],
          args: { adapterId: 'Microsoft:X\\Y' },
        },
        {
          id: 'create-switch',
          title: '',
          description: '',
          destructive: false,
          appliesTo: 'host',
          args: { host: 'HV02', switchName: 'Storage' },
        },
      ],
    });
    const iso = finding('blocker', 'ISO attached', {
      fixes: [
        { id: 'eject-iso-on-move', title: '', description: '', destructive: false, appliesTo: 'plan', args: { controller: 'SCSI 0:1' } },
      ],
    });
    const auto = autoPlan([switchMissing, iso, finding('warning', 'something')], empty, inventoryVm, source, destination);
    assert.deepEqual(auto?.plan.adapterSwitches, { 'Microsoft:X\\Y': 'Backup' });
    assert.deepEqual(auto?.plan.ejectDvd, ['SCSI 0:1']);
    assert.deepEqual(auto?.choices, [
      "Adapter 'Storage NIC' on 'Storage' (not on HV02) is connected to 'Backup', External like 'Storage' on the moved VM.",
      'The ISO in SCSI 0:1 is ejected on the moved VM only.',
    ]);
    assert.equal(
      autoPlan([switchMissing, finding('blocker', 'Live migration is turned off on HV04')], empty, inventoryVm, source, destination),
      undefined,
      'a blocker without a plan choice: nothing is chosen',
    );
    assert.equal(autoPlan([finding('warning', 'x')], empty, inventoryVm, source, destination), undefined, 'nothing to choose');
  });

  it('counts files sent to a cluster shared volume on that volume, not on the C:\\ it is mounted in', function () {
    const csv = { name: 'C:\\ClusterStorage\\Volume1\\', freeSpace: 1000 * GB, size: 4096 * GB };
    const node = host('HV06', 200, {
      volumes: [{ name: 'C:\\', freeSpace: 30 * GB, size: 480 * GB }, csv],
      virtualMachinePath: 'C:\\ClusterStorage\\Volume1',
    });
    const onCsv = (option: Option): Option => ({
      ...option,
      plan: { ...option.plan!, request: { ...option.plan!.request, storagePath: 'C:\\ClusterStorage\\Volume1\\erp01' } },
    });
    const [erp01, erp02] = [vm(1, 'erp01', 8, 100), vm(2, 'erp02', 4, 50)];
    const { placements, unmovable } = assign(
      [erp01, erp02].map((v): Evaluation => ({ vm: v, options: [onCsv(checked(v, 'HV06'))] })),
      [node],
      {},
    );
    assert.deepEqual(unmovable, [], '150 GB fit on the CSV though C:\\ has 30 GB free');
    const second = placements.find((p) => p.vm.name === 'erp02')?.candidates[0];
    assert.deepEqual(
      second?.lines.find((l) => l.text.startsWith('Disk')),
      {
        text: 'Disk C:\\ClusterStorage\\Volume1\\: 850 GB of 4 TB free after the planned moves',
        points: Math.round((20 * 850) / 4096),
      },
      "erp01's 100 GB are counted on the CSV before erp02's 50 GB",
    );
  });

  it('estimates a move as the lab and Hyper-V time it: a second, then the bytes over the slower link', function () {
    assert.equal(estimateMs(10 * GB, 10_000_000_000, 1_000_000_000), Math.round(1000 + (10 * GB * 8 * 1000) / 1e9));
    assert.equal(estimateMs(0, null), 1000);
    assert.equal(estimateMs(GB, null, null), Math.round(1000 + (GB * 8 * 1000) / 1e10), 'an unknown link is taken as 10 Gbit/s');
  });
});
