// The HA workflow as the fleet panel runs it, driven as its webview drives it (view() and the messages
// handle() takes), with the fake at the PowerShell boundary: every step shown with its script before
// anything runs, Show PowerShell, Start asked first (declined: nothing runs), and a VM the workflow does not
// apply to shown with why.
import * as assert from 'node:assert/strict';
import { HaJob } from '../../../../src/panel/fleet/haJob';
import { FakeRunner, ok } from '../../../support/fakeRunner';
import { fleetAnswer, hostJson, vmJson } from '../../../support/inventoryData';
import { fakeContext } from './fakeContext';

/** What haState.ps1 answers for erp01, a role of CL1 on HV05 (or a plain VM there). */
function haState(clustered: boolean): Record<string, unknown> {
  return {
    vm: { host: 'HV05', name: 'erp01', state: 'Running', status: 'Operating normally', isClustered: clustered },
    sourceCluster: clustered ? 'CL1' : null,
    destinationCluster: null,
    role: clustered ? { cluster: 'CL1', name: 'erp01', ownerNode: 'HV05', state: 'Online' } : null,
    destinationVmPath: 'D:\\Hyper-V',
    sharedVolumes: null,
    problems: [],
  };
}

async function setup(options: { clustered: boolean; confirm: boolean }) {
  const runner = new FakeRunner()
    .answer(
      'getFleetInventory',
      fleetAnswer((name) => ({
        host: hostJson(name),
        vms: name === 'HV05' ? [vmJson('erp01', 'HV05', { isClustered: options.clustered })] : [],
      })),
    )
    .answer('haState', () => ok(haState(options.clustered)));
  const { ctx, recorded, fleet } = fakeContext({ runner, hosts: ['HV05', 'HV01'], confirm: options.confirm });
  await fleet.refresh();
  const erp01 = fleet.vms().find((vm) => vm.name === 'erp01');
  assert.ok(erp01);
  return { runner, recorded, erp01, job: new HaJob(ctx) };
}

describe('fleet panel: the HA workflow', function () {
  it('shows every step with its script before anything runs; haShowScript opens them, haStart asks first and, declined, runs nothing', async function () {
    const { job, runner, recorded, erp01 } = await setup({ clustered: true, confirm: false });
    assert.equal(job.view(), null);
    const workflow = await job.prepare(erp01, 'HV01');
    assert.ok(workflow, job.view()?.message);
    assert.deepEqual(recorded.revealed, ['ha']);
    assert.equal(job.title(), 'Move a clustered VM: erp01');
    const view = job.view();
    assert.deepEqual([view?.phase, view?.sourceCluster, view?.destinationCluster], ['ready', 'CL1', null]);
    assert.deepEqual(
      view?.steps.map((s) => `${s.id}:${s.status}`),
      ['check:pending', 'remove-role:pending', 'move:pending', 'add-role:pending', 'restore-role:pending', 'verify:pending'],
    );

    await job.handle({ type: 'haShowScript' });
    assert.equal(recorded.scripts.length, 1);
    assert.match(recorded.scripts[0] ?? '', /Remove-ClusterGroup -Name 'erp01' -Cluster 'CL1'/);

    await job.handle({ type: 'haStart' });
    assert.deepEqual(
      recorded.confirmed.map((c) => c.message),
      ['Move erp01 out of cluster CL1 to HV01?'],
    );
    assert.match(recorded.confirmed[0]?.detail ?? '', /not highly available while it moves/);
    assert.equal(job.view()?.phase, 'ready', 'declined: nothing ran');
    assert.deepEqual(
      runner.calls.map((c) => c.script).filter((s) => s !== 'getFleetInventory'),
      ['haState'],
      'only the state was read',
    );
  });

  it('a VM that is not a cluster role: the view says why, and haStart and haCancel answer with it', async function () {
    const { job, recorded, erp01 } = await setup({ clustered: false, confirm: true });
    assert.equal(await job.prepare(erp01, 'HV01'), undefined);
    const view = job.view();
    assert.equal(view?.phase, 'unavailable');
    const why = view?.message ?? '';
    assert.ok(why.length > 0, 'it says why');
    await assert.rejects(
      () => job.handle({ type: 'haStart' }),
      (error: Error) => error.message === why,
    );
    await assert.rejects(
      () => job.handle({ type: 'haCancel' }),
      (error: Error) => error.message === why,
    );
    assert.deepEqual(recorded.confirmed, []);
  });
});
