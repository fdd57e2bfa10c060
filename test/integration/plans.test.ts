// Plan files (*.migration.json) inside real VS Code on the default lab: the contributed schema and the
// extension's own reading reject bad plans (and Run Plan refuses them); a plan of web01 → HV03 and
// sql01 → HV02 gets exactly the findings of those moves on the lines of their "vm"; a quick fix from
// the lightbulb applies a fix (or approves it in the plan) and the diagnostic clears after the re-check;
// completions list the lab's hosts and VMs; Run Plan moves the VMs; a drain saved as a plan reads back.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { PlanUi } from '../../src/editor/planController';
import { parsePlan } from '../../src/plans/planFile';
import { defineScript } from '../../src/powershell/script';
import { freshLab, until } from './helpers';

const EXTENSION_ID = 'hyperv-live-migration.hyperv-live-migration';

const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Hyper-V');
const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length - 1;

describe('Plan files (default lab)', function () {
  this.timeout(300_000);
  let api: ExtensionApi;
  let folder: vscode.Uri;
  const asked: { message: string; detail: string }[] = [];
  const picked: string[] = [];
  const ui: PlanUi = {
    confirm: (message, detail) => {
      asked.push({ message, detail });
      return Promise.resolve(true);
    },
    pick: (title, options) => {
      picked.push(title);
      return Promise.resolve(options[0]);
    },
  };
  let count = 0;

  /** Writes a plan into the workspace and opens it in an editor. */
  async function openPlan(text: string): Promise<vscode.TextDocument> {
    const uri = vscode.Uri.joinPath(folder, `test-${++count}.migration.json`);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    return document;
  }

  const vm = (name: string) => {
    const found = api.fleet.vms().find((v) => v.name === name);
    assert.ok(found, `no VM ${name}`);
    return found;
  };

  before(async () => {
    api = await vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID)!.activate();
    await api.recovered;
    await api.fleet.refresh();
    await freshLab(api);
    api.plans.ui = ui;
    const workspace = vscode.workspace.workspaceFolders?.[0];
    assert.ok(workspace, 'the tests open a workspace folder');
    folder = workspace.uri;
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('the schema and the extension reject a bad plan, and Run Plan refuses it', async () => {
    const text = [
      '{',
      '  "order": "random",',
      '  "moves": [',
      '    { "vm": 5, "destination": "HV02", "extra": true },',
      '    { "vm": "nosuchvm", "destination": "HV02" },',
      '    { "vm": "web01", "destination": "HV09" },',
      '    { "vm": "sql01", "destination": "HV02" },',
      '    { "vm": "sql01", "destination": "HV03" }',
      '  ]',
      '}',
      '',
    ].join('\n');
    const document = await openPlan(text);
    // VS Code's JSON language service, with the schema the extension contributes.
    const schema = await until('the schema diagnostics', () => {
      const found = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source !== 'Hyper-V');
      return found.length >= 3 && found;
    });
    const messages = schema.map((d) => `${d.range.start.line}: ${d.message}`).join('\n');
    assert.ok(
      schema.some((d) => d.range.start.line === 1 && /longest-first/.test(d.message)),
      messages,
    );
    assert.ok(
      schema.some((d) => d.range.start.line === 3 && /string/i.test(d.message)),
      messages,
    );
    assert.ok(
      schema.some((d) => d.range.start.line === 3 && /extra/.test(d.message)),
      messages,
    );

    // The extension's own reading: the same problems, and the names checked against the fleet.
    const problems = await until('the plan problems', () => ours(document.uri).length >= 6 && ours(document.uri));
    const at = (line: number) =>
      problems
        .filter((d) => d.range.start.line === line)
        .map(codeOf)
        .sort();
    assert.deepEqual(at(1), ['plan.type']);
    assert.deepEqual(at(3), ['plan.type', 'plan.unknown-property']);
    assert.deepEqual(at(4), ['plan.unknown-vm']);
    assert.deepEqual(at(5), ['plan.unknown-host']);
    assert.deepEqual(at(7), ['plan.duplicate-vm']);
    assert.equal(problems.find((d) => codeOf(d) === 'plan.unknown-vm')?.severity, vscode.DiagnosticSeverity.Error);

    const before = vm('sql01').host;
    await assert.rejects(api.plans.run(document.uri), /problems .*Nothing was run/);
    assert.equal(vm('sql01').host, before, 'nothing moved');
  });

  it('a malformed file is a problem, never an exception or a run', async () => {
    const document = await openPlan('{ "moves": [ { "vm": "web01", ');
    const problems = await until(
      'the syntax problem',
      () => ours(document.uri).some((d) => codeOf(d) === 'plan.syntax') && ours(document.uri),
    );
    assert.ok(problems.every((d) => d.severity === vscode.DiagnosticSeverity.Error));
    await assert.rejects(api.plans.run(document.uri), /Nothing was run|nothing to move/);
  });

  it('web01 → HV03 and sql01 → HV02: exactly the findings of each move, on the line of its "vm"', async () => {
    const text = [
      '// The maintenance window of the tests',
      '{',
      '  "name": "Test",',
      '  "moves": [',
      '    {',
      '      "vm": "web01",',
      '      "destination": "HV03", // a different vendor, no LAN1, no delegation',
      '    },',
      '    {',
      '      "vm": "sql01",',
      '      "destination": "HV02"',
      '    }',
      '  ]',
      '}',
      '',
    ].join('\n');
    const document = await openPlan(text);
    await until('the plan read', () => api.plans.view(document).resolved.moves.length === 2);
    assert.deepEqual(ours(document.uri).map(codeOf), [], 'nothing found before the check');
    await api.plans.check(document.uri);
    const found = ours(document.uri);
    const web01 = vm('web01').adapters[0];
    assert.ok(web01);
    const idOf = (d: vscode.Diagnostic) => api.plans.findingAt(document, d)?.finding.id ?? `not a finding: ${codeOf(d)}`;
    const lines = found.map((d) => `${d.range.start.line} ${idOf(d)} ${d.severity}`).sort();
    const sql01Storage = await storageAdapterId();
    const error = vscode.DiagnosticSeverity.Error;
    assert.deepEqual(
      lines,
      [
        `${lineOf(text, '"vm": "web01"')} authentication.delegation ${error}`,
        `${lineOf(text, '"vm": "web01"')} network.switch-missing:${web01Id()} ${error}`,
        `${lineOf(text, '"vm": "web01"')} processor.vendor ${error}`,
        `${lineOf(text, '"vm": "sql01"')} network.switch-missing:${sql01Storage} ${error}`,
      ].sort(),
    );
    const storage = found.find(
      (d) => codeOf(d).startsWith('network.switch-missing') && d.range.start.line === lineOf(text, '"vm": "sql01"'),
    );
    assert.match(storage?.message ?? '', /Switch 'Storage' does not exist on HV02/);

    // Editing the plan makes the findings stale: they clear.
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(2, 0), '  // edited\n');
    await vscode.workspace.applyEdit(edit);
    await until('stale findings cleared', () => ours(document.uri).length === 0);
    await document.save();
  });

  it('checks a plan when it is saved, with hyperv.plans.checkOnSave on (and not with it off)', async () => {
    const config = vscode.workspace.getConfiguration('hyperv');
    const document = await openPlan(['{', '  "moves": [', '    { "vm": "sql01", "destination": "HV02" }', '  ]', '}', ''].join('\n'));
    const touch = async () => {
      const edit = new vscode.WorkspaceEdit();
      edit.insert(document.uri, new vscode.Position(0, 0), ' ');
      await vscode.workspace.applyEdit(edit);
      await document.save();
    };
    await touch();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    assert.deepEqual(ours(document.uri).map(codeOf), [], 'off by default: saving checks nothing');
    await config.update('plans.checkOnSave', true, vscode.ConfigurationTarget.Global);
    try {
      await touch();
      const found = await until('the check on save', () => ours(document.uri).length > 0 && ours(document.uri));
      assert.deepEqual(found.map(codeOf), ['network.switch-missing']);
    } finally {
      await config.update('plans.checkOnSave', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  /** sql01's adapter on the Storage switch, as the lab has it. */
  async function storageAdapterId(): Promise<string> {
    const runner = await api.connection.runner();
    const read = await runner.run(
      defineScript<{ Name: string }, string>(
        'test.adapter',
        "param($Params)\n[string](Get-VM -Name $Params.Name -ComputerName HV01 | Get-VMNetworkAdapter | Where-Object SwitchName -eq 'Storage').Id",
        (d) => String(d),
      ),
      { Name: 'sql01' },
    );
    assert.ok(read.ok, JSON.stringify(read));
    return read.data;
  }

  function web01Id(): string {
    const finding = [...api.plans.outcomes(api.plans.view(vscode.window.activeTextEditor!.document)).values()]
      .flatMap((o) => ('result' in o ? o.result.findings : []))
      .find((f) => f.id.startsWith('network.switch-missing') && f.title.includes('LAN1'));
    assert.ok(finding, 'web01 has a missing switch finding');
    return finding.id.slice('network.switch-missing:'.length);
  }

  it('a quick fix from the lightbulb applies a fix; its diagnostic clears after the re-check', async () => {
    await freshLab(api);
    const text = ['{', '  "moves": [', '    { "vm": "sql01", "destination": "HV02" }', '  ]', '}', ''].join('\n');
    const document = await openPlan(text);
    await api.plans.check(document.uri);
    const diagnostic = ours(document.uri).find((d) => codeOf(d).startsWith('network.switch-missing'));
    assert.ok(diagnostic, 'sql01 → HV02 lacks the Storage switch');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      diagnostic.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Approve in the plan: Connect it to a switch of HV02 for the move'), titles.join(' | '));
    const create = actions.find((a) => /^Create switch 'Storage' on HV02.*\(apply now\)$/.test(a.title));
    assert.ok(create?.command, titles.join(' | '));
    const fixed = await vscode.commands.executeCommand<boolean>(create.command.command, ...((create.command.arguments ?? []) as unknown[]));
    assert.equal(fixed, true);
    assert.ok(
      picked.some((title) => /Create switch/.test(title)),
      'the switch type was asked',
    );
    assert.deepEqual(ours(document.uri).map(codeOf), [], 'the finding is gone after the re-check');
    const hv02 = api.fleet.host('HV02');
    assert.ok(hv02?.state === 'ok' && hv02.inventory.host.switches.some((s) => s.name === 'Storage'), 'HV02 has the switch now');
  });

  it('approving a fix records it in the plan; the re-check makes it on the move and the finding clears', async () => {
    await freshLab(api);
    const document = await openPlan(['{', '  "moves": [', '    { "vm": "sql01", "destination": "HV02" }', '  ]', '}', ''].join('\n'));
    await api.plans.check(document.uri);
    const diagnostic = ours(document.uri).find((d) => codeOf(d).startsWith('network.switch-missing'));
    assert.ok(diagnostic);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      diagnostic.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const approve = actions.find((a) => a.title === 'Approve in the plan: Connect it to a switch of HV02 for the move');
    assert.ok(approve?.command);
    assert.equal(
      await vscode.commands.executeCommand<boolean>(approve.command.command, ...((approve.command.arguments ?? []) as unknown[])),
      true,
    );
    const plan = parsePlan(document.getText());
    assert.deepEqual(plan.problems, []);
    assert.deepEqual(
      plan.moves[0]?.fixes.map((f) => [f.finding, f.fix, f.choices]),
      [['network.switch-missing:Storage Adapter', 'map-switch', { switch: 'LAN1' }]],
      'the plan names the adapter as the admin sees it, not by its Id',
    );
    assert.deepEqual(ours(document.uri).map(codeOf), []);
    await document.save();
  });

  it("completions list the lab hosts (not the VM's own) and its VMs", async () => {
    const text = ['{', '  "moves": [', '    { "vm": "web01", "destination": "" }', '  ]', '}', ''].join('\n');
    const document = await openPlan(text);
    const inside = document.positionAt(text.indexOf('"destination": ""') + '"destination": "'.length);
    const hosts = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, inside);
    const labels = hosts.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const host of ['HV02', 'HV03', 'HV04', 'HV05', 'HV06']) assert.ok(labels.includes(host), `${host} among ${labels.join(', ')}`);
    assert.ok(!labels.includes('HV01'), 'web01 is on HV01');
    const vmAt = document.positionAt(text.indexOf('"web01"') + 2);
    const vms = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, vmAt);
    const names = vms.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const name of ['web01', 'sql01', 'app02', 'build01']) assert.ok(names.includes(name), `${name} among ${names.join(', ')}`);

    const withFix = [
      '{',
      '  "moves": [',
      '    { "vm": "sql01", "destination": "HV02", "fixes": [ { "finding": "x", "fix": "map-switch", "choices": { "switch": "" } } ] }',
      '  ]',
      '}',
      '',
    ].join('\n');
    const second = await openPlan(withFix);
    const switchAt = second.positionAt(withFix.indexOf('"switch": ""') + '"switch": "'.length);
    const switches = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      second.uri,
      switchAt,
    );
    const offered = switches.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const name of ['LAN1', 'Backup']) assert.ok(offered.includes(name), `HV02's switch ${name} among ${offered.join(', ')}`);
    assert.ok(!offered.includes('Storage'), 'HV02 has no Storage switch');
  });

  it('Run Plan moves the VMs through the queue, with the approved switch mapping', async () => {
    await freshLab(api);
    const storage = await storageAdapterId();
    const text = JSON.stringify(
      {
        name: 'Run',
        order: 'as-written',
        concurrency: 1,
        moves: [
          { vm: 'web01', destination: 'HV02' },
          // Named by the adapter's Id, as plans were written before adapters had their names there: still runs.
          {
            vm: 'sql01',
            destination: 'HV02',
            fixes: [{ finding: `network.switch-missing:${storage}`, fix: 'map-switch', choices: { switch: 'LAN1' } }],
          },
        ],
      },
      null,
      2,
    );
    const document = await openPlan(text);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    const run = lenses.find((l) => l.command?.command === 'hyperv.plan.run');
    assert.match(run?.command?.title ?? '', /Run Plan: 2 moves, [\d.]+ GB/);
    assert.deepEqual(
      lenses.filter((l) => l.range.start.line === lineOf(text, '"vm": "sql01"') - 1).map((l) => l.command?.title.replace(/ \(.*\)$/, '')),
      ['Check', 'Migrate', 'Copy as PowerShell'],
    );
    asked.length = 0;
    const result = await api.plans.run(document.uri);
    assert.ok(result.ran, result.ran ? '' : result.why);
    assert.match(asked.at(-1)?.message ?? '', /^Run 2 moves of /);
    assert.deepEqual(result.summary.moved.map((r) => r.vmName).sort(), ['sql01', 'web01']);
    assert.equal(vm('web01').host, 'HV02');
    assert.equal(vm('sql01').host, 'HV02');
    assert.ok(!vm('sql01').adapters.some((a) => a.switchName === 'Storage'), 'no adapter left on Storage, which HV02 lacks');
    assert.ok(
      vm('sql01').adapters.every((a) => a.switchName === 'LAN1' || a.switchName === 'Backup'),
      'every adapter on a switch of HV02',
    );
    assert.equal(api.fleetPanel.state().drain?.kind, 'plan', 'the fleet panel showed the run');
  });

  it('a clustered VM: without "ha" the plan says to set it; with it, the check lets the role through and Export writes the HA workflow', async () => {
    await freshLab(api);
    const plain = await openPlan(['{', '  "moves": [', '    { "vm": "erp01", "destination": "HV01" }', '  ]', '}', ''].join('\n'));
    const clustered = await until('the clustered problem', () => ours(plain.uri).find((d) => codeOf(d) === 'plan.clustered'));
    assert.equal(clustered.severity, vscode.DiagnosticSeverity.Error);
    assert.match(clustered.message, /"ha": true/);

    const text = ['{', '  "moves": [', '    { "vm": "erp01", "destination": "HV01", "ha": true }', '  ]', '}', ''].join('\n');
    const document = await openPlan(text);
    await until('the plan read', () => api.plans.view(document).resolved.moves.length === 1);
    await api.plans.check(document.uri);
    const role = ours(document.uri).find((d) => codeOf(d) === 'cluster.role');
    assert.ok(
      role,
      ours(document.uri)
        .map((d) => `${codeOf(d)}: ${d.message}`)
        .join(' | '),
    );
    assert.equal(role.severity, vscode.DiagnosticSeverity.Information, 'the HA workflow takes care of the role');
    const script = await api.plans.script(document.uri);
    const remove = script.indexOf('Remove-ClusterGroup');
    const move = script.indexOf('Move-VM -CompatibilityReport');
    const add = script.indexOf('Add-ClusterVirtualMachineRole');
    assert.ok(remove > 0 && move > remove && add > move, 'role removed, VM moved, role added, in that order');
  });

  it("the walkthrough: the issues' eight steps (issue 15 added maintenance), each completed by a command the extension has or a context it sets, with an image from the UI", async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const manifest = extension.packageJSON as {
      contributes: { walkthroughs: { steps: { id: string; title: string; media: { image: string }; completionEvents: string[] }[] }[] };
    };
    const [walkthrough] = manifest.contributes.walkthroughs;
    assert.ok(walkthrough);
    assert.deepEqual(
      walkthrough.steps.map((s) => s.title),
      [
        'Open the lab',
        'Look at a host',
        'Check web01 → HV03',
        'Fix one',
        'Migrate sql01 → HV02',
        'Configure live migration for all hosts',
        'Save a drain of HV01 as a plan',
        'Put HV01 in maintenance and bring its VMs back',
      ],
    );
    const commands = new Set(await vscode.commands.getCommands(true));
    // The contexts the extension's bundle sets (executeCommand('setContext', key, true)).
    const bundle = Buffer.from(
      await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extension.extensionUri, 'dist', 'extension.js')),
    ).toString('utf8');
    const contexts = [...bundle.matchAll(/"setContext",\s*"(hyperv\.walkthrough\.\w+)"/g)].map((m) => m[1]);
    assert.equal(new Set(contexts).size, 3, `the walkthrough contexts set: ${contexts.join(', ')}`);
    for (const step of walkthrough.steps) {
      assert.ok(step.completionEvents.length > 0, `${step.id} completes on something`);
      for (const event of step.completionEvents) {
        const [kind, what] = event.split(/:(.*)/s);
        if (kind === 'onCommand') assert.ok(commands.has(what ?? ''), `${step.id}: ${what} is registered`);
        else if (kind === 'onContext') assert.ok(contexts.includes(what ?? ''), `${step.id}: ${what} is a context the extension sets`);
        else assert.equal(kind, 'onView', event);
      }
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(extension.extensionUri, step.media.image));
    }
  });

  it('a drain saved as a plan reads back as the drain: every placed VM to its host', async () => {
    await freshLab(api);
    const planned = await api.fleetPanel.drainHost('HV01');
    assert.ok(planned && planned.placements.length > 0);
    const uri = await api.plans.save(api.fleetPanel.planAsFile());
    assert.match(uri.path, /drain-hv01(-\d+)?\.migration\.json$/);
    const text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
    const plan = parsePlan(text);
    assert.deepEqual(plan.problems, []);
    assert.deepEqual(
      plan.moves.map((m) => [m.vm, m.source, m.destination]),
      planned.placements.map((p) => [p.vm.name, p.vm.source, p.destination]),
    );
    const script = await api.plans.script(uri);
    assert.match(script, /Move-VM -CompatibilityReport \$report/);
    assert.equal(script.match(/# ---- Move \d+ of/g)?.length, planned.placements.length);
  });
});
