// A move with per-disk destinations (MigrationRequest.vhds), with fakes at the PowerShell boundary: the
// scripts get the disks in $Params; the checks count each file on the volume it goes to and refuse a list
// Hyper-V would refuse; the journal keeps the list; Copy as PowerShell and the HA workflow's move write
// Hyper-V's per-disk parameter set with the paths as literals.
import * as assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMoveExecutor } from '../../src/migration/executor';
import { prepareHaWorkflow, type HaState } from '../../src/migration/haWorkflow';
import { decodeEntry, MoveJournal } from '../../src/migration/journal';
import { createPreflightEngine } from '../../src/migration/preflight';
import type { MigrationRequest, MoveExecutor, MovePlan, PreflightEngine, PreflightResult } from '../../src/migration/types';
import { planScript } from '../../src/plans/planScript';
import { FakeRunner, ok } from '../support/fakeRunner';
import { destinationAnswer, GB, sourceAnswer, type Json } from '../support/preflightData';

const VM_ID = '4979d232-61dd-a188-8e86-5d7229e888cc';
const DATA = 'D:\\Hyper-V\\Virtual Hard Disks\\sql01-data.vhdx';
const LOG = 'D:\\Hyper-V\\Virtual Hard Disks\\sql01-log.vhdx';
const BASE: MigrationRequest = { vmId: VM_ID, vmName: 'sql01', source: 'HV01', destination: 'HV02' };
const SPLIT: MigrationRequest = {
  ...BASE,
  storagePath: 'D:\\VMs\\sql01',
  vhds: [
    { source: DATA, destination: 'D:\\SQL\\sql01-data.vhdx' },
    { source: LOG, destination: 'C:\\SQLLog\\sql01-log.vhdx' },
  ],
};

/** sql01 on HV01 (the session's host): a 612 GB data disk and a 300 GB log disk, Compare-VM with nothing to say. */
function source(storagePath: string, disks = [DATA, LOG]): Json {
  const sizes: Record<string, number> = { [DATA]: 612 * GB, [LOG]: 300 * GB };
  return sourceAnswer((data) => {
    data.host.isLocal = true;
    Object.assign(data.vm, {
      id: VM_ID,
      name: 'sql01',
      memoryStartup: 32 * GB,
      memoryAssigned: 32 * GB,
      adapters: [],
      disks: disks.map((path, i) => ({ controller: `SCSI 0:${i}`, path, diskNumber: null, bytes: sizes[path] ?? GB })),
      dvdDrives: [],
    });
    data.storagePath = storagePath;
  });
}

/** HV02: C: with 418 GB free, D: with 7 TB free. */
const destination = destinationAnswer((data) => {
  data.host.volumes = [
    { name: 'C:\\', freeSpace: 418 * GB, size: 480 * GB },
    { name: 'D:\\', freeSpace: 7000 * GB, size: 8192 * GB },
  ];
});

function engine(disks?: string[]): { fake: FakeRunner; preflight: PreflightEngine } {
  const fake = new FakeRunner()
    .answer('preflightSource', (params) =>
      ok(source((params as { StoragePath: string | null }).StoragePath ?? 'D:\\Hyper-V\\sql01', disks)),
    )
    .answer('preflightDestination', () => ok(destination));
  return { fake, preflight: createPreflightEngine(fake) };
}

const ids = (result: PreflightResult): string[] => result.findings.map((f) => f.id);

describe('per-disk destinations: preflight (fake PowerShell)', function () {
  it('sends the disks to the source script as -Vhds takes them, and none when everything goes to one folder', async function () {
    const { fake, preflight } = engine();
    await preflight.check(SPLIT);
    await preflight.check({ ...BASE, storagePath: 'D:\\VMs\\sql01' });
    const sent = fake.calls.filter((c) => c.script === 'preflightSource').map((c) => (c.params as { Vhds: unknown }).Vhds);
    assert.deepEqual(sent, [
      [
        { SourceFilePath: DATA, DestinationFilePath: 'D:\\SQL\\sql01-data.vhdx' },
        { SourceFilePath: LOG, DestinationFilePath: 'C:\\SQLLog\\sql01-log.vhdx' },
      ],
      null,
    ]);
  });

  it('counts each disk on the volume it goes to: the log fits on C: beside data on D:, but not both on C:', async function () {
    const { preflight } = engine();
    const split = await preflight.check(SPLIT);
    assert.deepEqual(ids(split), [], 'data (612 GB) on D:, log (300 GB) on C: (418 GB free)');
    assert.equal(split.ready, true);

    const oneFolder = await preflight.check({ ...BASE, storagePath: 'C:\\VMs\\sql01' });
    assert.deepEqual(ids(oneFolder), ['storage.space'], 'the same 912 GB in one folder on C: do not fit');

    const bothOnC = await preflight.check({
      ...SPLIT,
      vhds: [
        { source: DATA, destination: 'C:\\SQL\\sql01-data.vhdx' },
        { source: LOG, destination: 'C:\\SQLLog\\sql01-log.vhdx' },
      ],
    });
    assert.deepEqual(ids(bothOnC), ['storage.space']);
    const space = bothOnC.findings[0];
    assert.equal(space.severity, 'blocker');
    assert.equal(space.title, 'Not enough space on HV02 C:\\ (912 GB needed, 418 GB free)', 'the configuration on D: is not counted on C:');
    assert.match(space.cause, /counted on the destination volume it goes to/);
    assert.ok(
      space.evidence.some((e) => e.detail.includes(`${LOG} → C:\\SQLLog\\sql01-log.vhdx`)),
      JSON.stringify(space.evidence),
    );
  });

  it("a listed path that is none of the VM's disks is a blocker that names the disks it has", async function () {
    const { preflight } = engine();
    const wrong = 'D:\\Hyper-V\\Virtual Hard Disks\\sql01-temp.vhdx';
    const result = await preflight.check({ ...SPLIT, vhds: [...SPLIT.vhds!, { source: wrong, destination: 'D:\\SQL\\sql01-temp.vhdx' }] });
    assert.equal(result.ready, false);
    const finding = result.findings.find((f) => f.id === `storage.vhd-unknown:${wrong.toUpperCase()}`);
    assert.ok(finding, ids(result).join(', '));
    assert.equal(finding.severity, 'blocker');
    assert.equal(finding.title, `'${wrong}' is not a virtual disk of sql01`);
    assert.match(finding.cause, /sql01 has no virtual disk at that path on HV01, so Hyper-V refuses the whole move/);
    assert.deepEqual(finding.evidence, [{ source: 'Get-VMHardDiskDrive (sql01 on HV01)', detail: `SCSI 0:0: ${DATA}; SCSI 0:1: ${LOG}` }]);
    const differentCase = await preflight.check({ ...SPLIT, vhds: SPLIT.vhds!.map((v) => ({ ...v, source: v.source.toLowerCase() })) });
    assert.deepEqual(ids(differentCase), [], 'paths are compared without regard to case, as Hyper-V does');
  });

  it('a local disk left out of the list stays on the source, where the destination cannot reach it; one on a share may stay', async function () {
    const { preflight } = engine();
    const result = await preflight.check({ ...SPLIT, vhds: [SPLIT.vhds![0]] });
    assert.deepEqual(ids(result), ['storage.vhd-unreachable:SCSI 0:1']);
    assert.equal(result.findings[0].severity, 'blocker');
    assert.match(result.findings[0].title, /sql01-log\.vhdx' \(SCSI 0:1\) stays where HV02 cannot reach it/);
    assert.match(result.findings[0].cause, /this one is not listed: Hyper-V leaves it where it is/);

    const share = '\\\\filer\\vms\\sql01-log.vhdx';
    const onShare = await engine([DATA, share]).preflight.check({ ...SPLIT, vhds: [SPLIT.vhds![0]] });
    assert.deepEqual(ids(onShare), []);
  });

  it('a destination on no volume, and one file for two disks, are blockers', async function () {
    const { preflight } = engine();
    const noVolume = await preflight.check({ ...SPLIT, vhds: [SPLIT.vhds![0], { source: LOG, destination: 'Q:\\Log\\sql01-log.vhdx' }] });
    assert.deepEqual(ids(noVolume), ['storage.path']);
    assert.equal(noVolume.findings[0].title, "'Q:\\Log\\sql01-log.vhdx' cannot be created on HV02");

    const [first, second] = ['D:\\A\\sql01.vhdx', 'D:\\B\\sql01.vhdx'];
    const same = 'D:\\SQL\\sql01.vhdx';
    const twice = await engine([first, second]).preflight.check({
      ...SPLIT,
      vhds: [first, second].map((disk) => ({ source: disk, destination: same })),
    });
    assert.deepEqual(ids(twice), [`storage.vhd-conflict:${same.toUpperCase()}`]);
    assert.equal(twice.findings[0].title, `'${same}' is the destination of more than one disk`);
  });

  it('a disk sent to a file of another name is a blocker that names the disk and the file name to keep; a change of case is no rename', async function () {
    const { preflight } = engine();
    const renamed = 'D:\\SQL\\data.vhdx';
    const result = await preflight.check({
      ...SPLIT,
      vhds: [
        { source: DATA, destination: renamed },
        { source: LOG, destination: 'C:\\SQLLog\\SQL01-LOG.VHDX' },
      ],
    });
    assert.equal(result.ready, false);
    assert.deepEqual(ids(result), [`storage.vhd-renamed:${DATA.toUpperCase()}`]);
    const finding = result.findings[0];
    assert.equal(finding.severity, 'blocker');
    assert.equal(finding.title, `'${DATA}' would become a file of another name, 'data.vhdx'`);
    assert.match(finding.cause, /Hyper-V moves a virtual disk only to a file of the same name .*so it refuses the whole move/);
    assert.ok(
      finding.cause.endsWith("Keep the file name 'sql01-data.vhdx' and choose only the folder: 'D:\\SQL\\sql01-data.vhdx'."),
      finding.cause,
    );
    assert.deepEqual(finding.evidence, [{ source: "the move's destination of each disk", detail: `${DATA} → ${renamed}` }]);
  });
});

describe('per-disk destinations: the move, the journal and the scripts', function () {
  const plan: MovePlan = { request: SPLIT, adapterSwitches: {}, ejectDvd: [] };
  let journalDir: string;
  let executor: MoveExecutor | undefined;

  beforeEach(async function () {
    journalDir = await mkdtemp(join(tmpdir(), 'hyperv-vhds-'));
  });

  afterEach(async function () {
    executor?.dispose();
    await rm(journalDir, { recursive: true, force: true });
  });

  it('the start script gets the disks, and the journal gives back the same move', async function () {
    const fake = new FakeRunner()
      .answer('moveStart', () => ({ ok: false, error: { kind: 'scriptError', message: 'refused' }, warnings: [] }))
      .answer('jobStatus', () =>
        ok({ jobs: [], located: { host: 'HV01', state: 'Running', status: 'Operating normally' }, lookupProblems: [] }),
      );
    executor = createMoveExecutor({ runner: fake, journalDir, pollIntervalMs: 10 });
    const handle = await executor.start(plan);
    await handle.done;
    assert.deepEqual((fake.calls.find((c) => c.script === 'moveStart')?.params as { vhds: unknown }).vhds, [
      { SourceFilePath: DATA, DestinationFilePath: 'D:\\SQL\\sql01-data.vhdx' },
      { SourceFilePath: LOG, DestinationFilePath: 'C:\\SQLLog\\sql01-log.vhdx' },
    ]);
    const journaled = await new MoveJournal(journalDir).list();
    assert.deepEqual(
      journaled.map((e) => e.record.plan.request),
      [SPLIT],
    );
  });

  it('the journal refuses a disk entry without its destination', function () {
    const text = (vhds: unknown) =>
      JSON.stringify({
        record: {
          id: 'move-1',
          plan: { request: { ...BASE, vhds }, adapterSwitches: {}, ejectDvd: [] },
          startedAt: '2025-01-01T00:00:00.000Z',
          progress: { phase: 'starting', percent: 0, bytesTotal: 0, bytesMoved: 0, throughput: 0, elapsedMs: 0, etaMs: null },
        },
        jobId: null,
        priorJobIds: [],
      });
    assert.deepEqual(decodeEntry(text(SPLIT.vhds)).record.plan.request.vhds, SPLIT.vhds);
    assert.equal(decodeEntry(text(undefined)).record.plan.request.vhds, undefined);
    assert.throws(() => decodeEntry(text([{ source: DATA }])), /vhds\[0\]\.destination/);
  });

  it('Copy as PowerShell: the per-disk parameter set (no -IncludeStorage), every path a literal', function () {
    const hostile = "D:\\VMs\\it's $(Remove-Item C:\\) `n.vhdx";
    const script = planScript({ request: { ...SPLIT, vhds: [SPLIT.vhds![0], { source: LOG, destination: hostile }] } });
    const compare = script
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.startsWith('$report = Compare-VM'));
    assert.equal(
      compare,
      "$report = Compare-VM -VM $vm -DestinationHost 'HV02' -VirtualMachinePath 'D:\\VMs\\sql01' -SnapshotFilePath 'D:\\VMs\\sql01' -SmartPagingFilePath 'D:\\VMs\\sql01' " +
        `-Vhds @(@{ SourceFilePath = '${DATA}'; DestinationFilePath = 'D:\\SQL\\sql01-data.vhdx' }, @{ SourceFilePath = '${LOG}'; DestinationFilePath = 'D:\\VMs\\it''s $(Remove-Item C:\\) \`n.vhdx' }) @hop`,
    );
    const single = planScript({ request: { ...BASE, storagePath: 'D:\\VMs\\sql01' } });
    assert.match(single, /-DestinationHost 'HV02' -IncludeStorage -DestinationStoragePath 'D:\\VMs\\sql01' @hop\n/);
  });

  it("the HA workflow's move step and preview use the same parameter set", async function () {
    const state: HaState = {
      vm: { host: 'HV01', name: 'sql01', state: 'Running', status: 'Operating normally', isClustered: true },
      sourceCluster: 'CL1',
      destinationCluster: null,
      role: { cluster: 'CL1', name: 'sql01', ownerNode: 'HV01', state: 'Online' },
      destinationVmPath: 'D:\\Hyper-V',
      sharedVolumes: null,
      problems: [],
    };
    const runner = new FakeRunner().answer('haState', () => ok(state));
    const prepared = await prepareHaWorkflow(
      { runner, executor: createMoveExecutor({ runner, journalDir }), preflight: engine().preflight, journalDir },
      SPLIT,
    );
    assert.ok(prepared.ok, prepared.ok ? '' : prepared.message);
    const move = prepared.workflow.snapshot().steps.find((s) => s.id === 'move')?.script ?? '';
    const expected =
      "-DestinationHost 'HV02' -VirtualMachinePath 'D:\\VMs\\sql01' -SnapshotFilePath 'D:\\VMs\\sql01' -SmartPagingFilePath 'D:\\VMs\\sql01' " +
      `-Vhds @(@{ SourceFilePath = '${DATA}'; DestinationFilePath = 'D:\\SQL\\sql01-data.vhdx' }, @{ SourceFilePath = '${LOG}'; DestinationFilePath = 'C:\\SQLLog\\sql01-log.vhdx' }) @hop\n`;
    assert.ok(move.includes(expected), move);
    assert.ok(!move.includes('-IncludeStorage'), move);
    assert.ok(prepared.workflow.preview().includes(expected));
  });
});
