// A plan names a VM's network adapter as the admin sees it, on the default lab through real pwsh: the fleet's
// inventory reads each adapter's Hyper-V Id, the same Id the check keys its finding by, so the name written
// in the plan and the Id older plans wrote resolve to one adapter, and the approved mapping is made on it.
import * as assert from 'node:assert/strict';
import { readFleet, type HostReading } from '../../src/hyperv/inventory';
import { createFixer } from '../../src/migration/fixes';
import { createPreflightEngine } from '../../src/migration/preflight';
import type { Fixer, PreflightEngine } from '../../src/migration/types';
import { checkMove, type MoveCheck } from '../../src/plans/checkPlan';
import { parsePlan } from '../../src/plans/planFile';
import { planFindingId, resolvePlan, type ResolvedMove } from '../../src/plans/resolve';
import { createLab, type Lab } from '../support/labFixture';

describe('plan names of adapters on the default lab', function () {
  this.timeout(180_000);
  let lab: Lab;
  let engine: PreflightEngine;
  let fixer: Fixer;
  let fleet: HostReading[];

  /** sql01 to HV02, with one approval written as given. */
  const resolve = (finding?: string): ResolvedMove => {
    const fixes = finding ? [{ finding, fix: 'map-switch', choices: { switch: 'LAN1' } }] : [];
    const file = parsePlan(JSON.stringify({ moves: [{ vm: 'sql01', destination: 'HV02', fixes }] }));
    assert.deepEqual(file.problems, []);
    const resolved = resolvePlan(file, fleet);
    assert.deepEqual(resolved.problems, [], 'the move and its approval resolve');
    const [move] = resolved.moves;
    assert.ok(move);
    return move;
  };
  const check = (move: ResolvedMove): Promise<MoveCheck> => checkMove(move, engine, fixer);

  before(async function () {
    lab = await createLab();
    engine = createPreflightEngine(lab.pool, { credentialFor: () => ({ userName: 'CONTOSO\\admin', password: 'not logged' }) });
    fixer = createFixer(lab.pool);
    await lab.run('reset', 'param($Params)\n$null = Reset-HyperVLab');
    const hosts = await lab.run<string[]>('hosts', 'param($Params)\n@(Get-HyperVLabHost | ForEach-Object Name)');
    fleet = await readFleet(
      lab.pool,
      hosts.map((name) => ({ name })),
    );
  });

  after(async function () {
    await lab?.dispose();
  });

  it("writes the Storage adapter's name for the check's finding; the name and the old Id each get sql01's mapping made on that adapter", async function () {
    const adapters = await lab.run<{ id: string; name: string; switchName: string }[]>(
      'adapters',
      'param($Params)\n@(Get-VMNetworkAdapter -VMName sql01 -ComputerName HV01 | ForEach-Object { [pscustomobject]@{ id = [string]$_.Id; name = $_.Name; switchName = $_.SwitchName } })',
    );
    const storage = adapters.find((a) => a.switchName === 'Storage');
    assert.ok(storage, JSON.stringify(adapters));

    const bare = resolve();
    assert.deepEqual(
      bare.vm.adapters.map((a) => [a.id, a.name]),
      adapters.map((a) => [a.id, a.name]),
      "the inventory reads each adapter's Id and name as Get-VMNetworkAdapter shows them",
    );
    const blocked = await check(bare);
    const finding = blocked.result.findings.find((f) => f.id.startsWith('network.switch-missing:'));
    assert.equal(finding?.id, `network.switch-missing:${storage.id}`, "the check keys the finding by the adapter's Id");

    const written = planFindingId(finding.id, bare.vm);
    assert.equal(written, `network.switch-missing:${storage.name}`, 'the plan names the adapter as the admin sees it');

    for (const spelling of [written, finding.id]) {
      const move = resolve(spelling);
      assert.deepEqual(
        move.fixes.map((f) => f.findingId),
        [finding.id],
        `${spelling} resolves to the adapter the check found`,
      );
      const checked = await check(move);
      assert.deepEqual(checked.plan.adapterSwitches, { [storage.id]: 'LAN1' }, `${spelling}: the mapping is made on that adapter`);
      assert.deepEqual(checked.blockers, [], `${spelling}: nothing blocks sql01 once mapped`);
    }
  });
});
