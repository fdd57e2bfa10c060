// Plan files in the editor: every open `*.migration.json` is read and resolved against the fleet as it
// changes (its problems in the Problems panel), checked on request (or on save), and its findings' fixes
// applied or approved from the lightbulb. Run Plan hands the checked moves to the fleet panel's queue.
// The file is changed only by an approval the admin asks for.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Fleet } from '../hyperv/fleet';
import type { HostReading } from '../hyperv/inventory';
import type { Finding, Fixer, FixOption, MigrationRequest, MovePlan, PreflightEngine } from '../migration/types';
import type { FleetPanel } from '../panel/fleetPanel';
import type { MigrationPanel } from '../panel/migrationPanel';
import { checkMoves, isChecked, type CheckOutcome, type MoveCheck } from '../plans/checkPlan';
import { estimatePlan, type PlanEstimate } from '../plans/estimate';
import { parsePlan, type PlanFile, type PlanProblem, type Span } from '../plans/planFile';
import { approveFixEdits, exportPlanScript, newPlanText, type NewPlan } from '../plans/planText';
import { planFindingId, readablePlan, resolvePlan, type ResolvedPlan } from '../plans/resolve';
import type { Logger } from '../powershell/types';
import type { MaintenanceMarks } from '../tree/maintenanceMarks';
import { UserError } from '../userError';
import { fingerprint } from './planFingerprint';
import { runPlan, type RunResult } from './planRun';

export type { RunResult } from './planRun';

export const PLAN_SUFFIX = '.migration.json';
export const DIAGNOSTIC_SOURCE = 'Hyper-V';

export function isPlanUri(uri: vscode.Uri): boolean {
  return uri.path.toLowerCase().endsWith(PLAN_SUFFIX);
}

/** The questions plans ask the admin. */
export interface PlanUi {
  /** Resolves true when the admin chose `action`. */
  confirm(message: string, detail: string, action: string): Promise<boolean>;
  /** One of `options`, or undefined when the admin dismissed the pick. */
  pick(title: string, options: readonly string[]): Promise<string | undefined>;
}

export const vscodePlanUi: PlanUi = {
  async confirm(message, detail, action) {
    return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
  },
  pick(title, options) {
    return Promise.resolve(vscode.window.showQuickPick([...options], { title, ignoreFocusOut: true }));
  },
};

export interface PlanControllerDeps {
  readonly fleet: Fleet;
  readonly engine: PreflightEngine;
  readonly fixer: Fixer;
  readonly fleetPanel: FleetPanel;
  readonly migrationPanel: MigrationPanel;
  readonly logger: Logger;
  /** The HA workflow's guarded script for a clustered VM's move, or why the workflow does not apply. */
  readonly haScript: (request: MigrationRequest, plan: MovePlan) => Promise<{ readonly script: string } | { readonly why: string }>;
  /** Hosts in maintenance: a move to one is a problem and does not run. */
  readonly marks?: MaintenanceMarks;
}

/** A plan as the editor sees it now: its text read, its moves resolved on the fleet. */
export interface PlanView {
  readonly uri: vscode.Uri;
  readonly version: number;
  readonly file: PlanFile;
  readonly resolved: ResolvedPlan;
  readonly fleet: readonly HostReading[];
}

interface Checked {
  readonly version: number;
  /** What the fleet said of the plan's VMs and hosts when they were checked. */
  readonly fingerprint: string;
  readonly outcomes: Map<number, CheckOutcome>;
}

const SEVERITY: Record<PlanProblem['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

function rangeOf(document: vscode.TextDocument, span: Span): vscode.Range {
  return new vscode.Range(document.positionAt(span.offset), document.positionAt(span.offset + span.length));
}

function contains(span: Span, offset: number): boolean {
  return offset >= span.offset && offset <= span.offset + span.length;
}

export class PlanController implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('hyperv-plans');
  private readonly checked = new Map<string, Checked>();
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly emitter = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Fires when a plan's problems or the fleet changed (code lenses refresh). */
  readonly onDidChange = this.emitter.event;
  /** Replaceable, for tests. */
  ui: PlanUi = vscodePlanUi;

  constructor(private readonly deps: PlanControllerDeps) {
    this.subscriptions.push(
      this.diagnostics,
      this.emitter,
      vscode.workspace.onDidOpenTextDocument((document) => this.update(document)),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (!isPlanUri(event.document.uri) || event.contentChanges.length === 0) return;
        // What was checked was another text: its findings are stale.
        this.checked.delete(event.document.uri.toString());
        this.schedule(event.document);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (!isPlanUri(document.uri)) return;
        this.checked.delete(document.uri.toString());
        this.diagnostics.delete(document.uri);
      }),
      vscode.workspace.onDidSaveTextDocument((document) => {
        if (!isPlanUri(document.uri) || !vscode.workspace.getConfiguration('hyperv').get<boolean>('plans.checkOnSave', false)) return;
        this.check(document.uri).catch((error: unknown) =>
          this.deps.logger.error(`Check on save of ${document.uri.fsPath}: ${String(error)}`),
        );
      }),
    );
    const changed = () => {
      for (const document of vscode.workspace.textDocuments) this.update(document);
      this.emitter.fire();
    };
    for (const source of [deps.fleet, ...(deps.marks ? [deps.marks] : [])]) {
      const subscription = source.onDidChange(changed);
      this.subscriptions.push({ dispose: () => subscription.dispose() });
    }
    for (const document of vscode.workspace.textDocuments) this.update(document);
  }

  // ---- reading ---------------------------------------------------------------------------------------

  /** The plan as it reads now, against the fleet as last read. */
  view(document: vscode.TextDocument): PlanView {
    const file = parsePlan(document.getText());
    const fleet = this.deps.fleet.readings();
    return { uri: document.uri, version: document.version, file, resolved: resolvePlan(file, fleet, this.deps.marks?.all()), fleet };
  }

  /** The checks of the document that still hold (same text, same fleet), by move index. */
  outcomes(view: PlanView): Map<number, CheckOutcome> {
    const key = view.uri.toString();
    const checked = this.checked.get(key);
    if (!checked) return new Map();
    if (checked.version !== view.version || checked.fingerprint !== fingerprint(view)) {
      this.checked.delete(key);
      return new Map();
    }
    return checked.outcomes;
  }

  /** Every problem of the plan now: its text, its moves on the fleet, and the findings of the checks that still hold. */
  problems(view: PlanView): PlanProblem[] {
    return [...view.file.problems, ...view.resolved.problems, ...[...this.outcomes(view).values()].flatMap((outcome) => outcome.problems)];
  }

  estimate(view: PlanView): PlanEstimate {
    return estimatePlan(view.file, view.resolved.moves, view.fleet);
  }

  private schedule(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        this.update(document);
      }, 250),
    );
  }

  private update(document: vscode.TextDocument): void {
    if (!isPlanUri(document.uri) || document.isClosed) return;
    const view = this.view(document);
    // In Restricted Mode no host is read (src/trust.ts): the plan's own text is judged, not its hosts and VMs.
    const problems = vscode.workspace.isTrusted ? this.problems(view) : view.file.problems;
    this.diagnostics.set(
      document.uri,
      problems.map((problem) => {
        const diagnostic = new vscode.Diagnostic(rangeOf(document, problem.span), problem.message, SEVERITY[problem.severity]);
        diagnostic.source = DIAGNOSTIC_SOURCE;
        // The kind of finding (its id without the adapter or drive it names), short enough to leave the
        // message readable in the Problems panel; findingAt() finds the finding again.
        diagnostic.code = shortCode(problem.code);
        return diagnostic;
      }),
    );
    this.emitter.fire();
  }

  private async document(uri: vscode.Uri): Promise<vscode.TextDocument> {
    if (!isPlanUri(uri))
      throw new UserError(vscode.l10n.t('{0} is not a plan: plans are *{1} files.', path.basename(uri.path), PLAN_SUFFIX));
    return vscode.workspace.openTextDocument(uri);
  }

  // ---- checking --------------------------------------------------------------------------------------

  /** Check Plan (or one move): every resolved move through the preflight engine; the findings go to the Problems panel. */
  async check(uri: vscode.Uri, only?: number): Promise<CheckOutcome[]> {
    const document = await this.document(uri);
    const view = this.view(document);
    const moves = view.resolved.moves.filter((m) => only === undefined || m.move.index === only);
    if (moves.length === 0) {
      this.update(document);
      if (only !== undefined) throw new UserError(vscode.l10n.t('This move cannot be checked: see its problems.'));
      return [];
    }
    const outcomes = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: moves.length === 1 ? `Checking ${moves[0]?.request.vmName ?? ''}…` : `Checking ${moves.length} moves…`,
        cancellable: true,
      },
      (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return checkMoves(moves, this.deps.engine, this.deps.fixer, {
          concurrency: 4,
          signal: abort.signal,
          onProgress: (done, total) => progress.report({ message: `${done} of ${total}`, increment: 100 / total }),
        });
      },
    );
    if (document.version === view.version) {
      const key = uri.toString();
      const print = fingerprint(view);
      const kept = this.checked.get(key);
      const map = kept && kept.version === view.version && kept.fingerprint === print ? kept.outcomes : new Map<number, CheckOutcome>();
      for (const outcome of outcomes) map.set(outcome.resolved.move.index, outcome);
      this.checked.set(key, { version: view.version, fingerprint: print, outcomes: map });
    }
    this.update(document);
    const blocked = outcomes.filter((o) => !isChecked(o) || o.blockers.length > 0).length;
    this.deps.logger.info(`Check of ${path.basename(uri.path)}: ${outcomes.length} moves checked, ${blocked} blocked.`);
    return outcomes;
  }

  /** The check of one move that still holds, checking it when there is none. */
  private async checkOf(uri: vscode.Uri, index: number): Promise<MoveCheck> {
    const document = await this.document(uri);
    const held = this.outcomes(this.view(document)).get(index);
    const outcome = held ?? (await this.check(uri, index)).find((o) => o.resolved.move.index === index);
    if (!outcome) throw new UserError(vscode.l10n.t('This move cannot be checked: see its problems.'));
    if (!isChecked(outcome)) throw new UserError(outcome.error);
    return outcome;
  }

  /** The move and finding a diagnostic is about (for the lightbulb). */
  findingAt(
    document: vscode.TextDocument,
    diagnostic: vscode.Diagnostic,
    view = this.view(document),
  ): { index: number; finding: Finding; check: MoveCheck } | undefined {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) return undefined;
    const code = typeof diagnostic.code === 'object' ? String(diagnostic.code.value) : String(diagnostic.code ?? '');
    const offset = document.offsetAt(diagnostic.range.start);
    for (const outcome of this.outcomes(view).values()) {
      if (!isChecked(outcome) || !contains(outcome.resolved.move.span, offset)) continue;
      const finding = outcome.result.findings.find((f) => shortCode(f.id) === code && diagnostic.message.startsWith(f.title));
      if (finding) return { index: outcome.resolved.move.index, finding, check: outcome };
    }
    return undefined;
  }

  // ---- fixes -----------------------------------------------------------------------------------------

  private findFix(check: MoveCheck, findingId: string, fixId: string): { finding: Finding; option: FixOption } {
    const finding = check.result.findings.find((f) => f.id === findingId);
    if (!finding) throw new UserError(vscode.l10n.t('The latest check no longer finds this: check the plan again.'));
    const option = finding.fixes.find((f) => f.id === fixId);
    if (!option) throw new UserError(vscode.l10n.t('"{0}" has no fix {1}.', finding.title, fixId));
    return { finding, option };
  }

  /** The admin's choices for a fix (asked one by one; a single option is taken as it is). Undefined when dismissed. */
  private async choose(option: FixOption, given: Readonly<Record<string, string>> = {}): Promise<Record<string, string> | undefined> {
    const picked: Record<string, string> = {};
    for (const choice of option.choices ?? []) {
      const value =
        given[choice.name] ??
        (choice.options.length === 1 ? choice.options[0] : await this.ui.pick(`${option.title}: ${choice.label}`, choice.options));
      if (value === undefined) return undefined;
      if (!choice.options.includes(value))
        throw new UserError(vscode.l10n.t('{0}: choose one of {1}.', choice.label, choice.options.join(', ')));
      picked[choice.name] = value;
    }
    return picked;
  }

  /**
   * Applies a host, VM or AD fix now (a destructive one shows its script and asks first), then checks the
   * move again. Resolves whether the finding is gone; undefined when the admin declined.
   */
  async applyFix(
    uri: vscode.Uri,
    index: number,
    findingId: string,
    fixId: string,
    given?: Readonly<Record<string, string>>,
  ): Promise<boolean | undefined> {
    const check = await this.checkOf(uri, index);
    const { finding, option } = this.findFix(check, findingId, fixId);
    if (option.appliesTo === 'plan')
      throw new UserError(vscode.l10n.t('"{0}" is made on the move itself: approve it in the plan instead.', option.title));
    const choices = await this.choose(option, given);
    if (!choices) return undefined;
    const { request } = check.plan;
    const fix = { finding, fixId: option.id, choices };
    const script = this.deps.fixer.preview(request, fix, check.plan);
    if (
      option.destructive &&
      !(await this.ui.confirm(
        `${option.title}?`,
        vscode.l10n.t('{0}\n\nIt runs:\n{1}', option.description, script),
        vscode.l10n.t('Apply'),
      ))
    )
      return undefined;
    const outcome = await this.deps.fixer.apply(request, fix, check.plan);
    if (!outcome.ok) throw new UserError(`${option.title} failed: ${outcome.error.message}`);
    this.deps.logger.info(
      `Plan ${path.basename(uri.path)}: ${option.title} (${request.vmName} → ${request.destination}): ${outcome.message}`,
    );
    await this.deps.fleet.refresh([request.source, request.destination]);
    const again = await this.check(uri, index);
    const after = again.find((o) => o.resolved.move.index === index);
    return !!after && isChecked(after) && !after.result.findings.some((f) => f.id === findingId);
  }

  /** Records a fix as approved in the move (the admin's choices included), then checks the plan again. False when dismissed. */
  async approveFix(
    uri: vscode.Uri,
    index: number,
    findingId: string,
    fixId: string,
    given?: Readonly<Record<string, string>>,
  ): Promise<boolean> {
    const check = await this.checkOf(uri, index);
    const { option } = this.findFix(check, findingId, fixId);
    const choices = await this.choose(option, given);
    if (!choices) return false;
    const document = await this.document(uri);
    // The plan names the adapter as the admin sees it; an approval of the same finding in any spelling is replaced.
    const finding = planFindingId(findingId, check.resolved.vm);
    const same = (written: string) =>
      written === finding || check.resolved.fixes.some((f) => f.finding === written && f.findingId === findingId);
    const edits = approveFixEdits(document.getText(), index, { finding, fix: fixId, choices }, same);
    if (!edits) throw new UserError(vscode.l10n.t('The move is no longer in the plan: check the plan again.'));
    const edit = new vscode.WorkspaceEdit();
    for (const e of edits) edit.replace(uri, rangeOf(document, { offset: e.offset, length: e.length }), e.content);
    if (!(await vscode.workspace.applyEdit(edit))) throw new UserError(vscode.l10n.t('The plan could not be changed (is it read-only?).'));
    await this.check(uri);
    return true;
  }

  // ---- running and exporting -------------------------------------------------------------------------

  /** Refuses a plan with errors of its own (text, names): nothing runs from a broken plan. */
  async runnable(uri: vscode.Uri): Promise<{ document: vscode.TextDocument; view: PlanView }> {
    const document = await this.document(uri);
    const view = this.view(document);
    const errors = [...view.file.problems, ...view.resolved.problems].filter((p) => p.severity === 'error');
    this.update(document);
    if (errors.length > 0) {
      throw new UserError(
        errors.length === 1
          ? vscode.l10n.t('{0} has 1 problem (see the Problems panel): fix the plan first. Nothing was run.', path.basename(uri.path))
          : vscode.l10n.t(
              '{0} has {1} problems (see the Problems panel): fix the plan first. Nothing was run.',
              path.basename(uri.path),
              errors.length,
            ),
      );
    }
    if (view.resolved.moves.length === 0 && view.resolved.maintenance.length === 0)
      throw new UserError(vscode.l10n.t('{0} has nothing to move.', path.basename(uri.path)));
    return { document, view };
  }

  /**
   * Run Plan (planRun.ts): checks every move, applies the approved fixes (after asking), checks again, and runs
   * what can run through the fleet panel's queue and the HA workflow.
   */
  run(uri: vscode.Uri): Promise<RunResult> {
    return runPlan({ deps: this.deps, ui: this.ui, runnable: (u) => this.runnable(u), check: (u) => this.check(u) }, uri);
  }

  /** The plan (or one move) as one standalone PowerShell script, after checking it. */
  async script(uri: vscode.Uri, only?: number): Promise<string> {
    const { view } = await this.runnable(uri);
    const outcomes = await this.check(uri, only);
    const haScripts = new Map<number, string>();
    const notHa: { vm: string; why: string }[] = [];
    for (const check of outcomes.filter(isChecked).filter((c) => c.resolved.move.ha)) {
      const ha = await this.deps.haScript(check.plan.request, check.plan);
      if ('script' in ha) haScripts.set(check.resolved.move.index, ha.script);
      else notHa.push({ vm: check.resolved.request.vmName, why: ha.why });
    }
    const checks = outcomes.filter(isChecked).filter((c) => !c.resolved.move.ha || haScripts.has(c.resolved.move.index));
    const skipped = [
      ...notHa,
      ...outcomes.filter((o) => !isChecked(o)).map((o) => ({ vm: o.resolved.request.vmName, why: isChecked(o) ? '' : o.error })),
      ...(only === undefined ? view.resolved.done.map((d) => ({ vm: d.request.vmName, why: `already on ${d.vm.host}` })) : []),
      ...(only === undefined ? view.resolved.maintenance.map((host) => ({ vm: host, why: 'maintained one by one by Run Plan' })) : []),
    ];
    return exportPlanScript({
      plan: view.file,
      fileName: path.basename(uri.path),
      checks,
      skipped,
      fixScript: (check, approval) =>
        this.deps.fixer.preview(
          check.plan.request,
          { finding: approval.finding, fixId: approval.option.id, choices: approval.approved.choices },
          check.plan,
        ),
      haScripts,
      exportedAt: new Date().toISOString(),
    });
  }

  /** Migrate (a move's code lens): the migration panel on that VM and destination, with the plan's approved report fixes made. */
  async migrateMove(uri: vscode.Uri, index: number): Promise<void> {
    const document = await this.document(uri);
    const resolved = this.view(document).resolved.moves.find((m) => m.move.index === index);
    if (!resolved) throw new UserError(vscode.l10n.t('This move cannot run: see its problems.'));
    if (resolved.move.ha) {
      await this.deps.fleetPanel.moveClusteredVm(resolved.vm, resolved.destination);
      return;
    }
    this.deps.migrationPanel.show('migrate', [resolved.vm]);
    await this.deps.migrationPanel.choose(resolved.vm.id, resolved.destination);
    const result = this.deps.migrationPanel.session(resolved.vm.id).result();
    for (const approved of resolved.fixes) {
      const option = result?.findings.find((f) => f.id === approved.findingId)?.fixes.find((f) => f.id === approved.fix);
      if (option?.appliesTo === 'plan')
        await this.deps.migrationPanel.applyFix(resolved.vm.id, approved.findingId, approved.fix, approved.choices);
    }
  }

  /** Save as Plan: a new plan file in the workspace (never over an existing one), or an untitled one, opened. */
  async save(plan: NewPlan): Promise<vscode.Uri> {
    const text = newPlanText(readablePlan(plan, this.deps.fleet.readings()));
    const base =
      plan.name
        .replace(/[^A-Za-z0-9._-]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .toLowerCase() || 'plan';
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    let uri: vscode.Uri;
    if (folder && folder.scheme === 'file') {
      for (let n = 1; ; n++) {
        uri = vscode.Uri.joinPath(folder, `${base}${n === 1 ? '' : `-${n}`}${PLAN_SUFFIX}`);
        try {
          await vscode.workspace.fs.stat(uri);
        } catch {
          break;
        }
      }
      await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
      await vscode.window.showTextDocument(uri);
    } else {
      uri = vscode.Uri.from({ scheme: 'untitled', path: `${base}${PLAN_SUFFIX}` });
      const document = await vscode.workspace.openTextDocument(uri);
      const editor = await vscode.window.showTextDocument(document);
      await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), text));
    }
    this.deps.logger.info(`Saved the plan '${plan.name}' (${plan.moves.length} moves) as ${uri.toString()}`);
    return uri;
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

/** A finding's kind: its id without what it names after the colon (e.g. `network.switch-missing`). */
export function shortCode(code: string): string {
  const colon = code.indexOf(':');
  return colon < 0 ? code : code.slice(0, colon);
}
