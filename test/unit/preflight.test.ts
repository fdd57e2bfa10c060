// The preflight engine with a fake at the PowerShell boundary: what it asks (two round trips per host, in
// parallel, the plan in the parameters) and how it judges answers no lab produces (an incompatibility
// nobody knows, a reworded one, a summary line, an unreachable source).
import * as assert from 'node:assert/strict';
import { createPreflightEngine } from '../../src/migration/preflight';
import type { MigrationRequest, PreflightResult } from '../../src/migration/types';
import type { PowerShellResult } from '../../src/powershell/types';
import { FakeRunner, ok } from './fakeRunner';
import { ADAPTER, destinationAnswer, GB, sourceAnswer, VM_ID, type Json } from './preflightData';

const REQUEST: MigrationRequest = { vmId: VM_ID, vmName: 'web01', source: 'HV01', destination: 'HV02' };

function incompatibility(messageId: number, message: string, type: string, sourceKey: string | null = null): Json {
  return { messageId, message, sourceType: `Microsoft.HyperV.PowerShell.${type}`, sourceKey };
}

function runner(
  source: Json | PowerShellResult<unknown> = sourceAnswer(),
  destination: Json | PowerShellResult<unknown> = destinationAnswer(),
): FakeRunner {
  const answer = (value: Json | PowerShellResult<unknown>) =>
    'ok' in value && typeof value.ok === 'boolean' ? (value as PowerShellResult<unknown>) : ok(value);
  return new FakeRunner().answer('preflightSource', () => answer(source)).answer('preflightDestination', () => answer(destination));
}

const ids = (result: PreflightResult) => result.findings.map((f) => f.id);

describe('preflight engine (fake PowerShell)', function () {
  it('asks each host once, both in parallel, and reports the round trips it made', async function () {
    const fake = new FakeRunner();
    const started: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    fake.answer('preflightSource', async () => {
      started.push('source');
      await gate;
      return ok(sourceAnswer());
    });
    fake.answer('preflightDestination', async () => {
      started.push('destination');
      await gate;
      return ok(destinationAnswer());
    });
    const pending = createPreflightEngine(fake).check(REQUEST);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(started.sort(), ['destination', 'source'], 'the destination is asked while the source still answers');
    release();
    const result = await pending;
    assert.deepEqual(result.roundTrips, { HV01: 1, HV02: 1 });
    const perHost = new Map<string, number>();
    for (const call of fake.calls) {
      const params = call.params as { Source?: string; Destination: string };
      const host = call.script === 'preflightSource' ? params.Source! : params.Destination;
      perHost.set(host, (perHost.get(host) ?? 0) + 1);
    }
    assert.deepEqual(Object.fromEntries(perHost), { HV01: 1, HV02: 1 });
    assert.ok([...perHost.values()].every((n) => n <= 2));
    assert.equal(result.ready, true);
    assert.deepEqual(result.findings, []);
  });

  it('shows an incompatibility it does not recognize verbatim, as a blocker in "other"', async function () {
    const message = 'The virtual machine uses a feature this build of Hyper-V cannot migrate yet.';
    const result = await createPreflightEngine(
      runner(sourceAnswer((d) => (d.compare.incompatibilities = [incompatibility(40050, message, 'VMFloppyDiskDrive')]))),
    ).check(REQUEST);
    assert.equal(result.findings.length, 1);
    const finding = result.findings[0];
    assert.equal(finding.id, 'other.compare-vm:40050:VMFloppyDiskDrive:');
    assert.equal(finding.area, 'other');
    assert.equal(finding.severity, 'blocker');
    assert.equal(finding.title, message);
    assert.deepEqual(finding.compareVm, { messageId: 40050, message, sourceType: 'Microsoft.HyperV.PowerShell.VMFloppyDiskDrive' });
    assert.ok(finding.evidence.some((e) => e.detail === `40050: ${message}`));
    assert.equal(result.ready, false);
  });

  it('recognizes an incompatibility by its Source type and message, or by its MessageId when reworded; not by the message alone', async function () {
    const reworded = await createPreflightEngine(
      runner(
        sourceAnswer(
          (d) =>
            (d.compare.incompatibilities = [
              incompatibility(33012, "Impossible de trouver le commutateur Ethernet 'LAN1'.", 'VMNetworkAdapter', ADAPTER),
            ]),
        ),
        destinationAnswer((d) => (d.host.switches = [{ name: 'Backup', switchType: 'External' }])),
      ),
    ).check(REQUEST);
    assert.deepEqual(ids(reworded), [`network.switch-missing:${ADAPTER}`], 'our finding and the localized 33012 are one');
    assert.equal(reworded.findings[0].evidence.filter((e) => e.source.startsWith('Compare-VM')).length, 1);
    assert.ok(reworded.findings[0].evidence.some((e) => e.source === 'Get-VMSwitch -ComputerName HV02'));

    const otherId = await createPreflightEngine(
      runner(
        sourceAnswer(
          (d) =>
            (d.compare.incompatibilities = [incompatibility(1, "Could not find Ethernet switch 'LAN1'.", 'VMNetworkAdapter', ADAPTER)]),
        ),
      ),
    ).check(REQUEST);
    assert.deepEqual(ids(otherId), [`network.switch-missing:${ADAPTER}`], 'the message on the adapter is enough');

    const wrongSource = await createPreflightEngine(
      runner(
        sourceAnswer(
          (d) => (d.compare.incompatibilities = [incompatibility(7, "Could not find Ethernet switch 'LAN1'.", 'VirtualMachine')]),
        ),
      ),
    ).check(REQUEST);
    assert.deepEqual(ids(wrongSource), ['other.compare-vm:7:VirtualMachine:']);
  });

  it("keeps Hyper-V's summary line: a blocker when it is all there is, an info beside the reasons it sums up", async function () {
    const summary = incompatibility(
      21014,
      "The virtual machine 'web01' is not compatible with physical computer 'HV02'.",
      'VirtualMachine',
    );
    const alone = await createPreflightEngine(runner(sourceAnswer((d) => (d.compare.incompatibilities = [summary])))).check(REQUEST);
    assert.deepEqual(
      alone.findings.map((f) => [f.area, f.severity]),
      [['other', 'blocker']],
    );
    const withReason = await createPreflightEngine(
      runner(
        sourceAnswer(
          (d) =>
            (d.compare.incompatibilities = [
              summary,
              incompatibility(
                24008,
                "Virtual machine 'web01' is using processor-specific features not supported on host 'HV02'.",
                'VMProcessor',
              ),
            ]),
        ),
      ),
    ).check(REQUEST);
    assert.deepEqual(
      withReason.findings.map((f) => [f.id, f.severity]),
      [
        ['processor.features', 'blocker'],
        ['other.compare-vm:21014:VirtualMachine:', 'info'],
      ],
    );
  });

  it('turns an unreachable source into a finding, and still checks the destination', async function () {
    const unreachable: PowerShellResult<unknown> = {
      ok: false,
      error: {
        kind: 'hostUnreachable',
        message: "The operation on computer 'HV01' failed: WinRM cannot complete the operation.",
        target: 'HV01',
      },
      warnings: [],
    };
    const result = await createPreflightEngine(runner(unreachable, destinationAnswer())).check(REQUEST);
    assert.deepEqual(ids(result), ['hosts.unreachable:HV01']);
    assert.match(result.findings[0].cause, /source host HV01 could not be reached/);
    assert.equal(result.ready, false);
    assert.equal(result.storagePath, undefined);
  });

  it("sends the plan's choices and leaves out the ISO the plan ejects", async function () {
    const fake = runner(sourceAnswer((d) => (d.vm.dvdDrives = [{ controller: 'SCSI 0:1', path: 'D:\\ISO\\setup.iso' }])));
    const plan = { request: REQUEST, adapterSwitches: { [ADAPTER]: 'Backup' }, ejectDvd: ['SCSI 0:1'] };
    const result = await createPreflightEngine(fake).check(REQUEST, { plan });
    assert.deepEqual(result.findings, []);
    const params = fake.calls.find((c) => c.script === 'preflightSource')?.params;
    assert.deepEqual(params, {
      VmId: VM_ID,
      Source: 'HV01',
      Destination: 'HV02',
      StoragePath: null,
      Vhds: null,
      AdapterSwitches: [{ AdapterId: ADAPTER, SwitchName: 'Backup' }],
      EjectDvd: ['SCSI 0:1'],
    });
    const without = await createPreflightEngine(
      runner(sourceAnswer((d) => (d.vm.dvdDrives = [{ controller: 'SCSI 0:1', path: 'D:\\ISO\\setup.iso' }]))),
    ).check(REQUEST);
    assert.deepEqual(ids(without), ['devices.iso:SCSI 0:1']);
  });

  it('gives each host its credential', async function () {
    const fake = runner();
    const credentials = { HV01: { userName: 'CONTOSO\\a', password: 'p1' }, HV02: { userName: 'CONTOSO\\b', password: 'p2' } };
    await createPreflightEngine(fake, { credentialFor: (host) => credentials[host as 'HV01' | 'HV02'] }).check(REQUEST);
    assert.deepEqual(fake.calls.map((c) => [c.script, c.options?.credential?.userName]).sort(), [
      ['preflightDestination', 'CONTOSO\\b'],
      ['preflightSource', 'CONTOSO\\a'],
    ]);
  });

  it('rejects when cancelled, and asks nothing for a destination that is the source', async function () {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(createPreflightEngine(runner()).check(REQUEST, { signal: controller.signal }), { name: 'AbortError' });
    const fake = runner();
    const same = await createPreflightEngine(fake).check({ ...REQUEST, destination: 'hv01.contoso.lab' });
    assert.deepEqual(ids(same), ['hosts.same']);
    assert.equal(fake.calls.length, 0);
  });

  it('warns that a move will wait when a host is at its migration limit', async function () {
    const result = await createPreflightEngine(
      runner(
        sourceAnswer((d) => (d.jobs = [{ vmId: 'AAAA', destinationHost: 'HV03', jobType: 306 }])),
        destinationAnswer((d) => {
          d.host.maximumVmMigrations = 1;
          d.jobs = [];
        }),
      ),
    ).check(REQUEST);
    assert.deepEqual(ids(result), [], 'HV01 runs one of two; HV02 runs none');
    const full = await createPreflightEngine(
      runner(
        sourceAnswer((d) => (d.jobs = [{ vmId: 'AAAA', destinationHost: 'HV02', jobType: 305 }])),
        destinationAnswer((d) => (d.host.maximumVmMigrations = 1)),
      ),
    ).check(REQUEST);
    assert.deepEqual(
      full.findings.map((f) => [f.id, f.severity]),
      [['migration.concurrency:HV02', 'warning']],
    );
    assert.equal(full.ready, true, 'a warning: the move waits for a slot');
  });

  it('CredSSP is a warning (the move starts in a session on the source); started elsewhere with no credential to hand on, the second hop blocks', async function () {
    const credssp = (isLocal: boolean) =>
      createPreflightEngine(
        runner(
          sourceAnswer((d) => {
            d.host.authenticationType = 'CredSSP';
            d.host.isLocal = isLocal;
          }),
        ),
      ).check(REQUEST);
    const local = await credssp(true);
    assert.deepEqual(
      local.findings.map((f) => [f.id, f.severity]),
      [['authentication.credssp', 'warning']],
    );
    const remote = await credssp(false);
    assert.deepEqual(
      remote.findings.map((f) => [f.id, f.severity]),
      [['authentication.credssp', 'warning']],
      'a compare that worked made its hop',
    );
  });

  it('a compare refused on the source with no credential handed on is the second hop: a blocker saying to store one', async function () {
    const refused = (d: Json & { host: Json }) => {
      d.host.isLocal = false;
      d.compare = null;
      d.compareError = {
        message:
          "You do not have the required permission to complete this task. Contact the administrator of the authorization policy for the computer 'HV02'.",
        category: 'PermissionDenied',
        errorId: 'AccessDenied',
        exceptionType: 'System.UnauthorizedAccessException',
        targetObject: 'HV02',
        chain: [],
      };
    };
    const without = await createPreflightEngine(runner(sourceAnswer(refused))).check(REQUEST);
    const hop = without.findings.find((f) => f.id === 'authentication.second-hop');
    assert.equal(hop?.severity, 'blocker', without.findings.map((f) => f.id).join(', '));
    assert.match(hop.cause, /Set Credentials.*-DestinationCredential/);
    const handedOn = await createPreflightEngine(runner(sourceAnswer(refused)), {
      credentialFor: () => ({ userName: 'CONTOSO\\admin', password: 'x' }),
    }).check(REQUEST);
    assert.ok(
      !handedOn.findings.some((f) => f.id === 'authentication.second-hop'),
      'with a credential handed on, a refusal is something else',
    );
  });

  it('tells a planned VM the destination held before the check (info, no blocker) and a staged one it could not remove (warning)', async function () {
    const result = await createPreflightEngine(
      runner(sourceAnswer((d) => ((d.plannedBefore = { id: VM_ID, name: 'web01' }), (d.cleanupProblem = 'Access is denied.')))),
    ).check(REQUEST);
    assert.deepEqual(
      result.findings.map((f) => [f.id, f.severity]),
      [
        ['leftovers.staged-vm', 'warning'],
        ['leftovers.planned-vm', 'info'],
      ],
    );
    assert.equal(result.ready, true);
    assert.deepEqual(result.findings[1].fixes, []);
  });

  it('reports virtual Fibre Channel (blocking when the SAN is missing), assigned devices and a missing module', async function () {
    const devices = (sans: string[] | null) =>
      createPreflightEngine(
        runner(
          sourceAnswer((d) => {
            d.vm.fibreChannel = [{ name: 'Fibre Channel Adapter', sanName: 'SAN-A' }];
            d.vm.assignedDevices = [{ name: 'NVIDIA T4', instanceId: 'PCIP\\VEN_10DE&DEV_1EB8' }];
          }),
          destinationAnswer((d) => (d.host.sans = sans)),
        ),
      ).check(REQUEST);
    const missing = await devices(['SAN-B']);
    assert.deepEqual(
      missing.findings.map((f) => [f.id, f.severity]),
      [
        ['devices.assigned:PCIP\\VEN_10DE&DEV_1EB8', 'blocker'],
        ['devices.fibre-channel:Fibre Channel Adapter', 'blocker'],
      ],
    );
    const unknown = await devices(null);
    assert.equal(
      unknown.findings.find((f) => f.id.startsWith('devices.fibre-channel'))?.severity,
      'warning',
      'SANs not listed: a warning to check',
    );
    const noModule: PowerShellResult<unknown> = {
      ok: false,
      error: { kind: 'moduleMissing', message: 'Get-VMHost is not available: the Hyper-V PowerShell module is not installed here.' },
      warnings: [],
    };
    const result = await createPreflightEngine(runner(sourceAnswer(), noModule)).check(REQUEST);
    assert.deepEqual(ids(result), ['hosts.module-missing:HV02']);
    assert.equal(result.findings[0].evidence[0]?.detail, noModule.error.message);
  });

  it('offers an External switch on a free physical adapter of the destination, asking first', async function () {
    const result = await createPreflightEngine(
      runner(
        sourceAnswer(),
        destinationAnswer((d) => {
          d.host.switches = [{ name: 'Backup', switchType: 'Internal' }];
          d.host.freeNetAdapters = ['Intel(R) Ethernet Controller X710 #3'];
        }),
      ),
    ).check(REQUEST);
    const create = result.findings[0].fixes.find((f) => f.id === 'create-switch');
    assert.deepEqual(create?.choices, [
      { name: 'switchType', label: 'Switch type', options: ['Private', 'Internal', 'External'] },
      { name: 'netAdapter', label: 'Physical adapter (External)', options: ['Intel(R) Ethernet Controller X710 #3'] },
    ]);
    assert.equal(create?.destructive, true);
    assert.deepEqual(create?.args, { host: 'HV02', switchName: 'LAN1' });
  });

  it('checks destination memory and disk against what the VM needs', async function () {
    const result = await createPreflightEngine(
      runner(
        sourceAnswer((d) => (d.vm.checkpoints = [{ name: 'before patch', bytes: 2 * GB }])),
        destinationAnswer((d) => {
          d.host.memoryFree = 1 * GB;
          d.host.volumes = [{ name: 'D:\\', freeSpace: 15 * GB, size: 100 * GB }];
        }),
      ),
    ).check(REQUEST);
    assert.deepEqual(ids(result), ['storage.space', 'memory.insufficient']);
    assert.equal(result.findings[0].title, 'Not enough space on HV02 D:\\ (16 GB needed, 15 GB free)');
    assert.equal(result.findings[1].title, 'HV02 has 1 GB free; web01 needs 2 GB');
    const noVolume = await createPreflightEngine(runner(sourceAnswer((d) => (d.storagePath = 'Q:\\VMs\\web01')))).check(REQUEST);
    assert.deepEqual(ids(noVolume), ['storage.path']);
  });
});
