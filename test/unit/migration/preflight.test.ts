// The preflight engine with a fake at the PowerShell boundary: what it asks (two round trips per host, in
// parallel, the plan in the parameters, each host's credential), cancelling, and a destination that is the
// source. What it finds is in the tests of the checks (checks/*.test.ts).
import * as assert from 'node:assert/strict';
import { createPreflightEngine } from '../../../src/migration/preflight';
import { FakeRunner, ok } from '../../support/fakeRunner';
import { ADAPTER, destinationAnswer, sourceAnswer, VM_ID } from '../../support/preflightData';
import { ids, REQUEST, runner } from './checks/fixtures';

describe('preflight engine (fake PowerShell)', function () {
  it("asks the destination first, opens the source's session meanwhile, then asks the source once, and reports the round trips", async function () {
    const fake = new FakeRunner();
    const started: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    fake.answer('preflightSource', () => {
      started.push('source');
      return ok(sourceAnswer());
    });
    fake.answer('preflightDestination', async () => {
      started.push('destination');
      await gate;
      return ok(destinationAnswer());
    });
    fake.answer('openHostSessions', (params) => {
      started.push(`open ${(params as { hosts: string[] }).hosts.join()}`);
      return ok(1);
    });
    const pending = createPreflightEngine(fake).check(REQUEST);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(started.sort(), ['destination', 'open HV01'], "the source's session opens while the destination answers");
    release();
    const result = await pending;
    assert.deepEqual(started.sort(), ['destination', 'open HV01', 'source']);
    assert.deepEqual(result.roundTrips, { HV01: 1, HV02: 1 });
    const perHost = new Map<string, number>();
    for (const call of fake.calls.filter((c) => c.script !== 'openHostSessions')) {
      const params = call.params as { Source?: string; Destination: string };
      const host = call.script === 'preflightSource' ? params.Source! : params.Destination;
      perHost.set(host, (perHost.get(host) ?? 0) + 1);
    }
    assert.deepEqual(Object.fromEntries(perHost), { HV01: 1, HV02: 1 });
    assert.ok([...perHost.values()].every((n) => n <= 2));
    assert.equal(result.ready, true);
    assert.deepEqual(result.findings, []);
  });

  it("opens a source's session once for the checks that follow soon after (placement checks one source against every host)", async function () {
    const fake = runner();
    const engine = createPreflightEngine(fake);
    await engine.check(REQUEST);
    await engine.check({ ...REQUEST, destination: 'HV03' });
    assert.deepEqual(
      fake.calls.map((c) => c.script),
      ['openHostSessions', 'preflightDestination', 'preflightSource', 'preflightDestination', 'preflightSource'],
    );
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
      DestinationVmPath: 'D:\\Hyper-V',
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
      ['openHostSessions', 'CONTOSO\\a'],
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
});
