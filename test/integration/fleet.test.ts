// The fleet operations panel inside real VS Code on the default lab: Configure Live Migration of every host
// shows exactly the gaps the lab was built with and, once applied, every pair ready as a re-read proves;
// Drain Host on HV01 through the command and the extension's panel (with an override) ends with its VMs
// elsewhere, and HV04's unmovable VMs are explained before anything starts; erp01 → HV01 through the HA
// workflow ends on HV01.
// Moves run at a fast lab time scale, through the extension's one executor.
import * as assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { MaintenanceStore } from '../../src/migration/maintenance';
import { FleetPanel, type FleetPanelDeps, type FleetUi } from '../../src/panel/fleetPanel';
import { parseFromFleetWebview, type MatrixCell } from '../../src/panel/fleetProtocol';
import type { PowerShellRunner } from '../../src/powershell/types';
import type { TreeNode } from '../../src/tree/nodes';
import { freshLab, until } from './helpers';

const EXTENSION_ID = 'hyperv-live-migration.hyperv-live-migration';
const HOSTS = ['HV01', 'HV02', 'HV03', 'HV04', 'HV05', 'HV06'];

/** What the default lab was built with (Templates/Default.ps1), as the matrix cell says it. */
function expectedLabel(source: string, destination: string): string {
  const hv04 = source === 'HV04' || destination === 'HV04' ? ['migration off', 'no network', 'CredSSP'] : [];
  const delegated: Record<string, string[]> = { HV01: ['HV02'], HV02: ['HV01', 'HV03'], HV05: ['HV01', 'HV06'], HV06: ['HV01', 'HV05'] };
  const delegation = (delegated[source] ?? []).includes(destination) ? [] : ['delegation'];
  const anyProtocol = ['HV01', 'HV05', 'HV06'].includes(source) ? [] : ['any protocol'];
  const words = [...hv04, ...delegation, ...anyProtocol];
  return words.length === 0 ? 'ready' : words.join(' · ');
}

describe('Fleet operations panel (default lab)', function () {
  this.timeout(300_000);
  let api: ExtensionApi;
  /** A second panel on the extension's fleet and executor whose confirmations are answered here, and recorded. */
  let panel: FleetPanel;
  let deps: FleetPanelDeps;
  const asked: { message: string; detail: string; answer: boolean }[] = [];
  let answer = true;
  const ui: FleetUi = {
    confirm: (message, detail) => {
      asked.push({ message, detail, answer });
      return Promise.resolve(answer);
    },
  };

  const label = (n: TreeNode) => {
    const l = n.getTreeItem().label;
    return typeof l === 'string' ? l : (l?.label ?? '');
  };
  const hostOf = (vm: string) => api.fleet.vms().find((v) => v.name === vm)?.host;

  before(async () => {
    api = await vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID)!.activate();
    await api.recovered;
    await api.fleet.refresh(); // makes the lab file when this suite runs first
    await freshLab(api);
    const runner: PowerShellRunner = {
      run: async (script, params, options) => (await api.connection.runner()).run(script, params, options),
      dispose: async () => {},
    };
    deps = {
      fleet: api.fleet,
      runner,
      executor: api.executor,
      isLab: () => true,
      logger: api.logger,
      // As the extension's own panel gets them: the connection's credentials (in lab mode, the lab's admin).
      credential: (host) => api.connection.credential(host),
      haJournalDir: join(tmpdir(), `hyperv-fleet-ha-${process.pid}`),
      drainJournalDir: join(tmpdir(), `hyperv-fleet-drains-${process.pid}`),
      maintenance: new MaintenanceStore(join(tmpdir(), `hyperv-fleet-maintenance-${process.pid}`)),
    };
    panel = new FleetPanel(vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri, deps, ui);
  });

  after(async () => {
    panel?.dispose();
    // Leave the default lab as the other suites expect it.
    await freshLab(api);
  });

  it("Configure Live Migration of every host: the matrix shows exactly the lab's gaps; applied, a re-read shows every pair ready", async () => {
    await panel.configure(HOSTS);
    const before = panel.state().configure;
    assert.ok(before, 'the configure view is shown');
    assert.equal(panel.state().active, 'configure');
    assert.equal(before.pairs, 30);
    const labels = (cells: readonly MatrixCell[]) => Object.fromEntries(cells.map((c) => [`${c.source}→${c.destination}`, c.label]));
    const expected = Object.fromEntries(HOSTS.flatMap((s) => HOSTS.filter((d) => d !== s).map((d) => [`${s}→${d}`, expectedLabel(s, d)])));
    assert.deepEqual(labels(before.cells), expected);
    assert.deepEqual(
      before.cells.filter((c) => c.status === 'ready').map((c) => `${c.source}→${c.destination}`),
      ['HV01→HV02', 'HV05→HV01', 'HV05→HV06', 'HV06→HV01', 'HV06→HV05'],
    );
    assert.equal(before.readyPairs, 5);
    // Each missing cell says why in full (the tooltip and the detail).
    const hv01ToHv03 = before.cells.find((c) => c.source === 'HV01' && c.destination === 'HV03');
    assert.match(
      hv01ToHv03?.gaps.join(' ') ?? '',
      /HV01 lacks Microsoft Virtual System Migration Service\/HV03, .*cifs\/HV03\.contoso\.lab/,
    );
    const hv04 = before.hostRows.find((h) => h.name === 'HV04');
    assert.deepEqual([hv04?.migrationEnabled, hv04?.networks, hv04?.authentication, hv04?.kerberos], [false, 'none', 'CredSSP', false]);
    const hv01 = before.hostRows.find((h) => h.name === 'HV01');
    assert.deepEqual(
      [hv01?.migrationEnabled, hv01?.networks, hv01?.limits, hv01?.anyProtocol],
      [true, '10.10.1.0/24', '2 live · 2 storage', true],
    );

    // The smallest plan: what, where, why; AD changes marked; the notes say replication and a new ticket.
    assert.deepEqual(
      before.changes.map((c) => c.id),
      [
        'enable-migration:HV04',
        'add-migration-network:HV04',
        'use-kerberos:HV04',
        'add-delegation:HV01',
        'add-delegation:HV02',
        'allow-any-protocol:HV02',
        'add-delegation:HV03',
        'allow-any-protocol:HV03',
        'add-delegation:HV04',
        'allow-any-protocol:HV04',
        'add-delegation:HV05',
        'add-delegation:HV06',
      ],
    );
    for (const c of before.changes) {
      assert.equal(c.ad, c.id.startsWith('add-delegation') || c.id.startsWith('allow-any-protocol'), c.id);
      assert.ok(c.why.length > 0 && c.script.length > 0, c.id);
    }
    assert.match(before.notes.join(' '), /replicated.*Kerberos ticket.*klist purge -li 0x3e7/);
    const script = panel.configurationScript();
    assert.match(script, /Get-ADComputer -Identity 'HV02' \| Set-ADObject -Add/);
    assert.match(script, /Invoke-Command -ComputerName 'HV04' -ScriptBlock \{\n {4}Enable-VMMigration\n\}/);

    // Declined: nothing changes.
    answer = false;
    assert.equal(await panel.applyConfiguration(), undefined);
    assert.equal(panel.state().configure?.readyPairs, 5);
    answer = true;
    const applied = await panel.applyConfiguration();
    assert.ok(applied?.ok, JSON.stringify(applied?.results.filter((r) => r.status !== 'applied')));
    const confirmation = asked.at(-1);
    assert.match(confirmation?.message ?? '', /^Apply 12 changes/);
    assert.match(confirmation?.detail ?? '', /In Active Directory/);
    for (const c of before.changes.filter((c) => c.ad))
      assert.ok(confirmation?.detail.includes(c.title), `the confirmation lists "${c.title}"`);
    assert.match(confirmation?.detail ?? '', /replicated.*Kerberos ticket/);

    const after = panel.state().configure;
    assert.ok(after);
    assert.notEqual(after.readAt, before.readAt, 'the hosts were read again');
    assert.deepEqual(
      after.cells.filter((c) => c.status !== 'ready').map((c) => `${c.source}→${c.destination}: ${c.gaps.join('; ')}`),
      [],
    );
    assert.equal(after.allReady, true);
    assert.equal(after.readyPairs, 30);
    assert.deepEqual(after.changes, [], 'nothing left to change');
    assert.match(after.applied?.text ?? '', /^12 of 12 changes applied\. Read again: 30 of 30 pairs ready \(5 before\)\.$/);
    assert.ok(after.applied?.changes.every((c) => c.result?.status === 'applied'));
    assert.deepEqual(after.refreshHosts, HOSTS, 'every host whose AD account changed needs a new ticket');

    const tickets = await panel.refreshTickets();
    assert.deepEqual(
      tickets,
      HOSTS.map((host) => ({ host, ok: true })),
    );
    assert.deepEqual(
      panel.state().configure?.tickets?.map((t) => t.ok),
      HOSTS.map(() => true),
    );
  });

  it("Drain Host on HV01 (the command, the extension's panel): a plan with ratings and the admin's override, then the moves; its VMs end elsewhere and the tree shows it", async () => {
    // The fleet as configured above: every pair ready, so HV01's VMs have more than one host to go to.
    // The extension's nodes (its bundle's classes): found by their stable id.
    const node = api.tree.all().find((n) => n.id === 'host:hv01');
    assert.ok(node, 'HV01 is in the tree');
    await vscode.commands.executeCommand('hyperv.host.drain', node);
    const fleetPanel = api.fleetPanel;
    const plan = fleetPanel.state().drain;
    assert.ok(plan, 'the drain view is shown');
    assert.equal(fleetPanel.state().active, 'drain');
    assert.equal(plan.phase, 'planned', plan.error);
    assert.deepEqual(
      plan.placements.map((p) => p.vmName),
      ['web01', 'sql01', 'build01'],
    );
    assert.deepEqual(plan.unmovable, []);
    for (const p of plan.placements) {
      assert.deepEqual(
        p.candidates.map((c) => c.host).sort(),
        ['HV02', 'HV03', 'HV04', 'HV05', 'HV06'],
        `${p.vmName} is rated on every other host`,
      );
      const chosen = p.candidates.find((c) => c.host === p.destination);
      assert.ok(chosen?.ready && chosen.score > 0 && chosen.lines.length > 0, `${p.vmName}: the chosen host's rating says why`);
      for (const other of p.candidates.filter((c) => !c.ready))
        assert.ok(other.blockers.length > 0, `${p.vmName}: ${other.host} says why not`);
    }
    assert.match(
      plan.placements
        .find((p) => p.vmName === 'web01')
        ?.candidates.find((c) => c.host === 'HV03')
        ?.blockers.join(' ') ?? '',
      /HV03 is AMD, HV01 is Intel/,
    );
    // The admin's override: a host that cannot take the VM is refused with why; a ready one is taken.
    const web01 = plan.placements.find((p) => p.vmName === 'web01')!;
    assert.throws(() => fleetPanel.overrideDestination(web01.vmId, 'HV03'), /HV03 cannot take web01/);
    assert.match(fleetPanel.state().drain?.notice ?? '', /HV03 cannot take web01/);
    const other = web01.candidates.find((c) => c.ready && c.host !== web01.destination);
    assert.ok(other, `web01 has a second ready host: ${JSON.stringify(web01.candidates.map((c) => [c.host, c.ready, c.blockers]))}`);
    fleetPanel.overrideDestination(web01.vmId, other.host);
    const overridden = fleetPanel.state().drain?.placements.find((p) => p.vmName === 'web01');
    assert.deepEqual([overridden?.destination, overridden?.overridden], [other.host, true]);
    assert.equal(fleetPanel.state().drain?.notice, undefined);

    const destinations = Object.fromEntries((fleetPanel.state().drain?.placements ?? []).map((p) => [p.vmName, p.destination]));
    assert.equal(destinations.web01, other.host);
    fleetPanel.startDrain();
    await until('the queue rows', () => fleetPanel.state().drain?.rows.length === 3);
    const summary = await fleetPanel.whenDrained();
    const view = fleetPanel.state().drain;
    assert.equal(view?.phase, 'ended');
    assert.match(view?.summary?.text ?? '', /^3 of 3 VMs moved in \d+ s\.$/);
    assert.deepEqual(
      view?.rows.map((r) => r.state),
      ['succeeded', 'succeeded', 'succeeded'],
    );
    assert.equal(summary.moved.length, 3);
    for (const [vm, destination] of Object.entries(destinations)) assert.equal(hostOf(vm), destination, `${vm} is on ${destination}`);
    const hv01 = api.tree.all().find((n) => n.id === 'host:hv01');
    assert.ok(hv01);
    assert.deepEqual(api.tree.getChildren(hv01).map(label), [], 'the tree shows HV01 empty');
  });

  it('Drain Host on HV04: its VMs can go nowhere, and the plan says why for each before anything starts', async () => {
    await freshLab(api);
    const plan = await api.fleetPanel.drainHost('HV04');
    assert.ok(plan);
    const view = api.fleetPanel.state().drain;
    assert.deepEqual(view?.placements, []);
    assert.deepEqual(view?.unmovable.map((u) => u.vmName).sort(), ['dc04', 'legacy04']);
    for (const u of view?.unmovable ?? []) {
      assert.match(u.why, /^No host can take/);
      assert.match(u.why, /Live migration is turned off on HV04/);
      assert.equal(u.candidates.length, 5);
    }
    assert.throws(() => api.fleetPanel.startDrain(), /Nothing can move/);
  });

  it('acts only on well-formed messages from its webview', () => {
    assert.deepEqual(parseFromFleetWebview({ type: 'drainOverride', vmId: 'a-b', host: 'HV02' }), {
      type: 'drainOverride',
      vmId: 'a-b',
      host: 'HV02',
    });
    assert.deepEqual(
      parseFromFleetWebview({ type: 'configureApply', script: 'Remove-Item C:\\' }),
      { type: 'configureApply' },
      'extra fields are dropped',
    );
    assert.deepEqual(parseFromFleetWebview({ type: 'show', job: 'ha' }), { type: 'show', job: 'ha' });
    for (const bad of [
      null,
      'ready',
      42,
      { type: 'eval' },
      { type: 'drainOverride', vmId: 'a-b' },
      { type: 'drainOverride', vmId: 'a-b', host: 'H'.repeat(300) },
      { type: 'drainOverride', vmId: 7, host: 'HV02' },
      { type: 'show', job: 'shell' },
    ]) {
      assert.equal(parseFromFleetWebview(bad), undefined, JSON.stringify(bad));
    }
  });

  it('erp01 → HV01 through the HA workflow: every step shown with its script, confirmed, and erp01 ends on HV01', async () => {
    const erp01 = await until('erp01 in the fleet', () => api.fleet.vms().find((v) => v.name === 'erp01'));
    assert.equal(erp01.host, 'HV05');
    const workflow = await panel.moveClusteredVm(erp01, 'HV01');
    assert.ok(workflow, panel.state().ha?.message);
    const ready = panel.state().ha;
    assert.equal(ready?.phase, 'ready');
    assert.equal(ready?.sourceCluster, 'CL1');
    assert.equal(ready?.destinationCluster, null);
    assert.deepEqual(
      ready?.steps.map((s) => `${s.id}:${s.status}`),
      ['check:pending', 'remove-role:pending', 'move:pending', 'add-role:pending', 'restore-role:pending', 'verify:pending'],
    );
    assert.match(ready?.steps.find((s) => s.id === 'remove-role')?.script ?? '', /Remove-ClusterGroup -Name 'erp01' -Cluster 'CL1'/);

    answer = false;
    assert.equal(await panel.startHa(), undefined);
    assert.equal(panel.state().ha?.phase, 'ready', 'declined: nothing ran');
    answer = true;
    const end = await panel.startHa();
    assert.match(asked.at(-1)?.detail ?? '', /not highly available while it moves/);
    assert.equal(end?.phase, 'succeeded', end?.summary);
    const done = panel.state().ha;
    assert.equal(done?.phase, 'succeeded');
    assert.deepEqual(
      done?.steps.map((s) => `${s.id}:${s.status}`),
      ['check:succeeded', 'remove-role:succeeded', 'move:succeeded', 'add-role:skipped', 'restore-role:skipped', 'verify:succeeded'],
    );
    assert.match(done?.message ?? '', /erp01 moved from HV05 to HV01/);
    assert.equal(hostOf('erp01'), 'HV01', 'the fleet shows erp01 on HV01');
  });

  it("VS Code reloaded with erp01's role removed: the next extension host's panel finishes the workflow as activation does — erp01 a CL1 role on HV05 again", async () => {
    await freshLab(api);
    const erp01 = await until('erp01 on HV05', () => api.fleet.vms().find((v) => v.name === 'erp01' && v.host === 'HV05'));
    const first = new FleetPanel(vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri, deps, ui);
    assert.ok(await first.moveClusteredVm(erp01, 'HV01'), first.state().ha?.message);
    // The reload: the panel (and its workflow) go away once the role is removed, before the move starts.
    const gone = new Promise<void>((resolve) =>
      first.onDidChange(() => {
        if (!first.state().ha?.steps.some((s) => s.id === 'remove-role' && s.status === 'succeeded')) return;
        first.dispose();
        resolve();
      }),
    );
    answer = true;
    void first.startHa();
    await gone;
    await api.fleet.refresh();
    assert.equal(api.fleet.vms().find((v) => v.name === 'erp01')?.isClustered, false, 'HA was off when the panel went away');

    const next = new FleetPanel(vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri, deps, ui);
    try {
      const [end] = await next.resumeHa();
      assert.equal(end?.phase, 'failed', end?.summary);
      assert.match(
        end?.summary ?? '',
        /^VS Code was reloaded while the HA workflow of erp01 ran: it was picked up from its journal\. erp01 was not moved\. HA is restored: erp01 is a role of CL1 again, and it is running on HV05\.$/,
      );
      assert.equal(next.state().ha?.phase, 'failed', 'the panel shows the workflow picked up');
      const after = api.fleet.vms().find((v) => v.name === 'erp01');
      assert.deepEqual([after?.host, after?.isClustered], ['HV05', true], 'the fleet, read again, shows erp01 a clustered VM on HV05');
    } finally {
      next.dispose();
    }
  });
});
