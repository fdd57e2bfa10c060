// The migration panel's controller on the default lab, inside real VS Code: destinations with their
// readiness, the checklist of sql01 → HV02 with its switch blocker, the plan fix that clears it, the
// script of the whole plan, the move with the status bar and the tree, a cancel and a failure.
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { resetLab } from '../../src/hyperv/lab';
import type { Vm } from '../../src/hyperv/model';
import { createMoveExecutor } from '../../src/migration/executor';
import { createFixer } from '../../src/migration/fixes';
import { createPreflightEngine } from '../../src/migration/preflight';
import { MigrationPanel } from '../../src/panel/migrationPanel';
import { planScript } from '../../src/plans/planScript';
import type { MigrationSection } from '../../src/panel/protocol';
import { defineScript } from '../../src/powershell/script';
import type { TreeNode } from '../../src/tree/nodes';
import { timeScale, until } from './helpers';

const EXTENSION_ID = 'hyperv-live-migration.hyperv-live-migration';

const fault = defineScript<{ Host: string; Percent: number }, unknown>(
  'test.failMove',
  'param($Params)\nif ($Params.Percent -gt 0) { Set-HyperVLabFault -ComputerName $Params.Host -FailMoveAtPercent $Params.Percent } else { Set-HyperVLabFault -ComputerName $Params.Host -Clear }',
  (d) => d,
);
interface Parsed {
  readonly errors: string[];
  readonly commands: string[];
  readonly expandable: number;
}
/** PowerShell's own parser: syntax errors, the commands a script calls, and any string that would expand. */
const parse = defineScript<{ Text: string }, Parsed>(
  'test.parse',
  `param($Params)
$tokens = $null; $errors = $null
$ast = [System.Management.Automation.Language.Parser]::ParseInput($Params.Text, [ref]$tokens, [ref]$errors)
[pscustomobject]@{
    errors = @($errors | ForEach-Object { $_.Message })
    commands = @($ast.FindAll({ $args[0] -is [System.Management.Automation.Language.CommandAst] }, $true) | ForEach-Object { $_.GetCommandName() })
    expandable = @($ast.FindAll({ $args[0] -is [System.Management.Automation.Language.ExpandableStringExpressionAst] }, $true)).Count
}`,
  (d) => d as Parsed,
);

describe('Migration panel (default lab)', function () {
  this.timeout(180_000);
  let api: ExtensionApi;

  /** The VM as the fleet has it; waits while the fleet is being read again. */
  const vm = (name: string): Promise<Vm> => until(`${name} in the fleet`, () => api.fleet.vms().find((v) => v.name === name), 30_000);
  const section = (vmId: string): MigrationSection => {
    const found = api.panel.state().sections.find((s) => s.vm.id === vmId);
    assert.ok(found, 'the VM has no section in the panel');
    return found;
  };
  const label = (n: TreeNode) => {
    const l = n.getTreeItem().label;
    return typeof l === 'string' ? l : (l?.label ?? '');
  };
  const vmsUnder = (host: string) => {
    const node = api.tree.all().find((n) => label(n) === host);
    assert.ok(node, `no host ${host} in the tree`);
    return api.tree.getChildren(node).map(label);
  };
  const lab = async <P>(script: ReturnType<typeof defineScript<P, unknown>>, params: P) => {
    const result = await (await api.connection.runner()).run(script, params);
    assert.ok(result.ok, JSON.stringify(result));
  };

  before(async () => {
    api = await vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID)!.activate();
    await api.recovered;
    await api.fleet.refresh();
    await lab(timeScale, { Scale: 2000 });
  });

  after(async () => {
    // Leave the default lab as the other suites expect it.
    const runner = await api.connection.runner();
    await runner.run(fault, { Host: 'HV02', Percent: 0 });
    const reset = await resetLab(runner);
    assert.ok(reset.ok, JSON.stringify(reset));
    api.connection.forgetLabHosts();
    await api.fleet.refresh();
  });

  it('checks every other host as a destination for sql01 at once', async () => {
    const sql01 = await vm('sql01');
    const [session] = api.panel.show('migrate', [sql01]);
    assert.ok(session);
    await api.panel.checkDestinations(sql01.id);
    const destinations = section(sql01.id).destinations;
    assert.deepEqual(
      destinations.map((d) => d.host),
      ['HV01', 'HV02', 'HV03', 'HV04', 'HV05', 'HV06'],
    );
    const of = (host: string) => destinations.find((d) => d.host === host)!;
    assert.equal(of('HV01').readiness, 'source');
    assert.equal(of('HV02').readiness, 'blocked');
    assert.match(of('HV02').summary, /^\d+ blockers?$/);
    assert.equal(of('HV04').readiness, 'blocked', 'HV04 has live migration off');
    for (const d of destinations) assert.notEqual(d.readiness, 'checking');
    assert.equal(api.panel.state().title, 'Migrate: sql01');
  });

  it('shows the Storage switch blocker of sql01 → HV02 with its fixes', async () => {
    const sql01 = await vm('sql01');
    await api.panel.choose(sql01.id, 'HV02');
    const s = section(sql01.id);
    assert.equal(s.destination, 'HV02');
    assert.equal(s.check?.status, 'done');
    const network = s.check?.groups.find((g) => g.area === 'network');
    const blocker = network?.rows.find((r) => r.severity === 'blocker');
    assert.ok(blocker, `no network blocker in ${JSON.stringify(s.check?.groups)}`);
    assert.match(blocker.title, /Storage/);
    assert.ok(blocker.evidence.length > 0, 'the finding shows what was read where');
    const map = blocker.fixes.find((f) => f.appliesTo === 'plan' && f.choices.some((c) => c.options.includes('LAN1')));
    assert.ok(map, `no plan fix mapping to LAN1 among ${blocker.fixes.map((f) => f.id).join(', ')}`);
    assert.equal(s.migrate.enabled, false);
    assert.match(s.migrate.reason, /blocker/);
    assert.deepEqual(
      s.check?.groups.map((g) => g.area).slice(0, 4),
      ['hosts', 'migration', 'authentication', 'processor'],
      'the checklist is grouped by area, in order',
    );
  });

  it('opens the exact PowerShell of a fix in an editor', async () => {
    const sql01 = await vm('sql01');
    const blocker = section(sql01.id)
      .check!.groups.find((g) => g.area === 'network')!
      .rows.find((r) => r.severity === 'blocker')!;
    const fix = blocker.fixes.find((f) => f.appliesTo === 'plan')!;
    const choice = fix.choices[0];
    const script = await api.panel.showFixScript(sql01.id, blocker.id, fix.id, { [choice.name]: 'LAN1' });
    assert.match(script, /LAN1/);
    assert.equal(vscode.window.activeTextEditor?.document.getText(), script);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('refuses a fix the checklist does not offer', async () => {
    const sql01 = await vm('sql01');
    await assert.rejects(api.panel.applyFix(sql01.id, 'network.invented', 'map-switch', {}), /not in the latest check/);
    const blocker = section(sql01.id)
      .check!.groups.find((g) => g.area === 'network')!
      .rows.find((r) => r.severity === 'blocker')!;
    const fix = blocker.fixes.find((f) => f.appliesTo === 'plan')!;
    await assert.rejects(api.panel.applyFix(sql01.id, blocker.id, fix.id, { [fix.choices[0].name]: 'NoSuchSwitch' }), /choose one of/);
  });

  it('maps the adapter to LAN1: the plan says so, the finding turns green, Migrate is enabled', async () => {
    const sql01 = await vm('sql01');
    const blocker = section(sql01.id)
      .check!.groups.find((g) => g.area === 'network')!
      .rows.find((r) => r.severity === 'blocker')!;
    const fix = blocker.fixes.find((f) => f.appliesTo === 'plan')!;
    await api.panel.applyFix(sql01.id, blocker.id, fix.id, { [fix.choices[0].name]: 'LAN1' });
    const s = section(sql01.id);
    const row = s.check!.groups.find((g) => g.area === 'network')!.rows.find((r) => r.id === blocker.id);
    assert.equal(row?.severity, 'passed', `still: ${JSON.stringify(row)}`);
    assert.equal(row?.status?.kind, 'fixed');
    assert.ok(
      s.plan.some((line) => /LAN1/.test(line)),
      `plan: ${s.plan.join('; ')}`,
    );
    assert.equal(s.check?.blockers, 0);
    assert.equal(s.migrate.enabled, true, s.migrate.reason);
  });

  it('copies the whole plan as PowerShell that PowerShell parses, with nothing that expands', async () => {
    const sql01 = await vm('sql01');
    const script = await api.panel.copyScript(sql01.id);
    assert.equal(await vscode.env.clipboard.readText(), script);
    assert.match(script, /^# Checks/m);
    const result = await (await api.connection.runner()).run(parse, { Text: script });
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(result.data.errors, []);
    for (const command of ['Get-VM', 'Compare-VM', 'Connect-VMNetworkAdapter', 'Get-VMSwitch', 'Move-VM']) {
      assert.ok(result.data.commands.includes(command), `${command} missing from ${result.data.commands.join(', ')}`);
    }
    assert.equal(result.data.expandable, 0, 'every value is a single-quoted literal');
  });

  it('keeps hostile names inert in the plan script', async () => {
    const evil = "x'; Remove-Item -Recurse C:\\ # $(Stop-Computer) `\n\u2019; Stop-Computer; '";
    const request = { vmId: '00000000-0000-0000-0000-000000000001', vmName: evil, source: 'HV01', destination: 'HV02' };
    const script = planScript({
      request,
      destinationVmPath: 'D:\\Hyper-V',
      plan: { request, adapterSwitches: { [evil]: evil, other: null }, ejectDvd: [evil] },
      applied: [],
    });
    const result = await (await api.connection.runner()).run(parse, { Text: script });
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(result.data.errors, []);
    const unexpected = result.data.commands.filter(
      (c) =>
        ![
          'New-PSSession',
          'Invoke-Command',
          'Remove-PSSession',
          'Get-VM',
          'Compare-VM',
          'Where-Object',
          'Connect-VMNetworkAdapter',
          'Get-VMSwitch',
          'Disconnect-VMNetworkAdapter',
          'Set-VMDvdDrive',
          'Format-Table',
          'Move-VM',
        ].includes(c),
    );
    assert.deepEqual(unexpected, [], 'no name became a command');
    assert.equal(result.data.expandable, 0);
  });

  it('asks before a destructive fix and applies it only when the admin agrees', async () => {
    // A panel of its own whose modal answers are scripted: first "no", then "Apply".
    const answers = [false, true];
    const asked: string[] = [];
    const ui = {
      confirm: (message: string, detail: string) => {
        asked.push(`${message}\n${detail}`);
        return Promise.resolve(answers.shift() ?? false);
      },
    };
    const runner = await api.connection.runner();
    const core = { engine: createPreflightEngine(runner), fixer: createFixer(runner), executor: api.executor };
    const own = new MigrationPanel(vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri, api.fleet, () => true, api.logger, core, ui);
    try {
      const sql01 = await vm('sql01');
      own.show('check', [sql01]);
      await own.choose(sql01.id, 'HV02');
      const sectionOf = () => own.state().sections[0];
      const blocker = sectionOf()
        .check!.groups.find((g) => g.area === 'network')!
        .rows.find((r) => r.severity === 'blocker')!;
      const disconnect = blocker.fixes.find((f) => f.destructive && f.appliesTo === 'plan');
      assert.ok(disconnect, `no destructive plan fix among ${blocker.fixes.map((f) => f.id).join(', ')}`);
      await own.applyFix(sql01.id, blocker.id, disconnect.id);
      assert.equal(asked.length, 1, 'the admin was asked');
      assert.ok(asked[0].includes(disconnect.description), 'the question names the cost');
      assert.deepEqual(sectionOf().plan, [], 'declined: the plan is unchanged');
      assert.equal(sectionOf().check!.blockers, 1);
      await own.applyFix(sql01.id, blocker.id, disconnect.id);
      assert.equal(asked.length, 2);
      const row = sectionOf()
        .check!.groups.find((g) => g.area === 'network')!
        .rows.find((r) => r.id === blocker.id);
      assert.equal(row?.severity, 'passed');
      assert.ok(
        sectionOf().plan.some((line) => /disconnect/i.test(line)),
        sectionOf().plan.join('; '),
      );
    } finally {
      own.dispose();
    }
  });

  it('migrates sql01 with live progress and the status bar; the tree shows it under HV02', async () => {
    const sql01 = await vm('sql01');
    const handle = await api.panel.migrate(sql01.id);
    assert.ok(api.statusBar.running().includes('sql01'), 'the status bar counts the move');
    assert.ok(api.executor.running().includes(handle));
    await assert.rejects(api.panel.migrate(sql01.id), /moving/, 'a second move of the same VM is refused');
    const record = await handle.done;
    assert.equal(record.outcome?.phase, 'succeeded', JSON.stringify(record.outcome));
    const done = await until('the panel to show the success', () => section(sql01.id).move?.outcome);
    assert.equal(done.phase, 'succeeded');
    assert.match(done.headline, /HV02/);
    await until('the fleet to show sql01 on HV02', () => api.fleet.vms().find((v) => v.name === 'sql01')?.host === 'HV02');
    assert.ok(vmsUnder('HV02').includes('sql01'));
    assert.ok(!vmsUnder('HV01').includes('sql01'));
    assert.equal(section(sql01.id).vm.host, 'HV02');
    assert.ok(
      api.panel.state().moves.some((m) => m.vmName === 'sql01' && m.outcome?.phase === 'succeeded'),
      'Show Migrations lists it',
    );
  });

  it('cancels a move of web01 to HV02: web01 stays on HV01', async () => {
    await lab(timeScale, { Scale: 1 });
    const web01 = await vm('web01');
    api.panel.show('migrate', [web01]);
    await api.panel.choose(web01.id, 'HV02');
    assert.equal(section(web01.id).migrate.enabled, true, section(web01.id).migrate.reason);
    const handle = await api.panel.migrate(web01.id);
    await until('the move to report progress', () => section(web01.id).move?.running && section(web01.id).move!.percent > 0);
    const node = () => api.tree.all().find((n) => label(n) === 'web01');
    await until('the tree to show web01 migrating', () => /^Migrating/.test(String(node()?.getTreeItem().description)), 30_000);
    await api.panel.cancel(handle.record().id);
    const record = await handle.done;
    assert.equal(record.outcome?.phase, 'cancelled');
    const outcome = await until('the panel to show the cancel', () => section(web01.id).move?.outcome);
    assert.match(outcome.vmFoundOn ?? '', /web01 is running on HV01/);
    await until('the fleet to read web01 again', () => api.fleet.vms().find((v) => v.name === 'web01')?.status === 'Operating normally');
    assert.ok(vmsUnder('HV01').includes('web01'));
  });

  it('explains a move that fails at 40 % and finds web01 running on HV01; Retry is offered', async () => {
    await lab(timeScale, { Scale: 20 });
    await lab(fault, { Host: 'HV02', Percent: 40 });
    const web01 = await vm('web01');
    await api.panel.choose(web01.id, 'HV02');
    const handle = await api.panel.migrate(web01.id);
    const record = await handle.done;
    assert.equal(record.outcome?.phase, 'failed');
    const outcome = await until('the panel to show the failure', () => section(web01.id).move?.outcome);
    assert.ok(outcome.failure, 'the failure is explained');
    assert.ok(outcome.failure.cause.length > 0 && outcome.failure.fix.length > 0);
    assert.match(outcome.failure.message, /0x80072746|forcibly closed/);
    assert.match(outcome.vmFoundOn ?? '', /web01 is running on HV01/);
    await lab(fault, { Host: 'HV02', Percent: 0 });
    await until('the re-check after the failure', () => section(web01.id).check?.status === 'done' && section(web01.id).migrate.enabled);
  });

  it('shows a move re-attached after a reload in Show Migrations', async () => {
    // Window A starts a move; window B (a new executor on the same journal, as after a reload) re-attaches.
    await lab(timeScale, { Scale: 1 });
    const runner = await api.connection.runner();
    const journalDir = mkdtempSync(join(process.env.HYPERV_TEST_TMP ?? tmpdir(), 'journal-'));
    const before = createMoveExecutor({ runner, journalDir });
    const after = createMoveExecutor({ runner, journalDir });
    const core = { engine: createPreflightEngine(runner), fixer: createFixer(runner), executor: after };
    const reloaded = new MigrationPanel(
      vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri,
      api.fleet,
      () => true,
      api.logger,
      core,
    );
    const web01 = await vm('web01');
    const handle = await before.start({
      request: { vmId: web01.id, vmName: 'web01', source: 'HV01', destination: 'HV02' },
      adapterSwitches: {},
      ejectDvd: [],
    });
    try {
      // After a reload the journal knows the host's job: the move runs there.
      await until('the move to run on HV01', () => handle.record().progress.phase === 'moving');
      await reloaded.recover();
      reloaded.show('moves');
      const state = reloaded.state();
      assert.equal(state.title, 'Migrations');
      const move = state.moves.find((m) => m.id === handle.record().id);
      assert.ok(move, `not re-attached: ${JSON.stringify(state.moves)}`);
      assert.equal(move.running, true);
      assert.equal(move.vmName, 'web01');
      await reloaded.cancel(move.id);
      await until('the re-attached move to end', () => reloaded.state().moves.find((m) => m.id === move.id)?.outcome);
      assert.equal((await handle.done).outcome?.phase, 'cancelled');
    } finally {
      reloaded.dispose();
      before.dispose();
      after.dispose();
    }
  });

  it('gives each of several VMs its own section and destinations', async () => {
    const [web01, build01] = [await vm('web01'), await vm('build01')];
    api.panel.show('migrate', [web01, build01]);
    assert.equal(api.panel.state().title, 'Migrate: web01, build01');
    await until("both VMs' destinations to be checked", () =>
      api.panel.state().sections.every((s) => s.destinations.every((d) => d.readiness !== 'checking')),
    );
    const sections = api.panel.state().sections;
    assert.deepEqual(
      sections.map((s) => s.vm.name),
      ['web01', 'build01'],
    );
    assert.equal(sections[0].destinations.find((d) => d.host === 'HV02')?.readiness, 'ready', 'web01 → HV02 is clean');
    await api.panel.choose(web01.id, 'HV02');
    await api.panel.choose(build01.id, 'HV05');
    assert.equal(section(web01.id).destination, 'HV02', 'each VM keeps its own destination');
    assert.equal(section(build01.id).destination, 'HV05');
    assert.ok(
      section(build01.id).check?.groups.some((g) => g.rows.some((r) => /iso/i.test(r.title + r.cause))),
      'build01 shows its ISO',
    );
    const node = api.tree.all().find((n) => label(n) === 'web01');
    const script = await vscode.commands.executeCommand<string>('hyperv.vm.copyMigrationScript', node);
    assert.match(script, /Move-VM -CompatibilityReport/);
    assert.match(script, /-DestinationHost 'HV02'/, 'Copy Migration as PowerShell takes the destination chosen in the panel');
    assert.equal(await vscode.env.clipboard.readText(), script);
  });
});
