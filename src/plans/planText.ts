// Writing plans: a new plan's text (Save as Plan), the edit that records an approved fix in a move, and
// the whole plan as one standalone PowerShell script (Export). The plan file is only ever changed by
// these edits, when the admin asks for them.
import { applyEdits, modify, parseTree, findNodeAtLocation, type Edit, type FormattingOptions } from 'jsonc-parser';
import { oneLine, psLiteral } from '../hyperv/migrationScript';
import { planScript } from './planScript';
import type { MoveCheck } from './checkPlan';
import type { PlanFile, PlanOrder } from './planFile';
import type { ResolvedMove } from './resolve';

export interface NewMove {
  readonly vm: string;
  readonly source: string;
  readonly destination: string;
  readonly storagePath?: string;
  readonly ha?: boolean;
  readonly note?: string;
  /** Approved fixes, e.g. the switch placement chose for an adapter. */
  readonly fixes?: readonly { readonly finding: string; readonly fix: string; readonly choices?: Readonly<Record<string, string>> }[];
}

export interface NewPlan {
  readonly name: string;
  /** A comment line above the plan, e.g. how it was made. */
  readonly comment?: string;
  readonly order?: PlanOrder;
  readonly concurrency?: number;
  readonly moves: readonly NewMove[];
}

const FORMAT: FormattingOptions = { insertSpaces: true, tabSize: 2, eol: '\n' };

/** A new plan file's text: a comment, then the plan as indented JSON (one property per line). */
export function newPlanText(plan: NewPlan): string {
  const body = {
    name: plan.name,
    order: plan.order ?? 'longest-first',
    ...(plan.concurrency !== undefined && { concurrency: plan.concurrency }),
    moves: plan.moves.map((move) => ({
      vm: move.vm,
      source: move.source,
      destination: move.destination,
      ...(move.storagePath !== undefined && { storagePath: move.storagePath }),
      ...(move.ha && { ha: true }),
      ...(move.note !== undefined && { note: move.note }),
      ...(move.fixes && move.fixes.length > 0 && { fixes: move.fixes }),
    })),
  };
  const comment = (plan.comment ?? 'A migration plan: Check Plan shows what stands in the way; Run Plan moves the VMs.').replace(
    /[\r\n\u2028\u2029]+/g,
    ' ',
  );
  return `// ${comment}\n${JSON.stringify(body, null, 2)}\n`;
}

export interface TextEdit {
  readonly offset: number;
  readonly length: number;
  readonly content: string;
}

/**
 * The edits that record an approved fix in move `index` (replacing an approval of the same finding: one
 * whose finding reads the same, or that `sameFinding` says is the same, e.g. its adapter by Hyper-V's Id),
 * or undefined when the move is not in the text.
 */
export function approveFixEdits(
  text: string,
  index: number,
  approval: { readonly finding: string; readonly fix: string; readonly choices?: Readonly<Record<string, string>> },
  sameFinding: (written: string) => boolean = (written) => written === approval.finding,
): TextEdit[] | undefined {
  const root = parseTree(text, [], { allowTrailingComma: true });
  if (!root) return undefined;
  const move = findNodeAtLocation(root, ['moves', index]);
  if (!move || move.type !== 'object') return undefined;
  const value = {
    finding: approval.finding,
    fix: approval.fix,
    ...(approval.choices && Object.keys(approval.choices).length > 0 && { choices: approval.choices }),
  };
  const fixes = findNodeAtLocation(root, ['moves', index, 'fixes']);
  let edits: Edit[];
  if (!fixes || fixes.type !== 'array') {
    edits = modify(text, ['moves', index, 'fixes'], [value], { formattingOptions: FORMAT });
  } else {
    const existing = (fixes.children ?? []).findIndex((child) => {
      const written: unknown = findNodeAtLocation(child, ['finding'])?.value;
      return typeof written === 'string' && sameFinding(written);
    });
    edits =
      existing >= 0
        ? modify(text, ['moves', index, 'fixes', existing], value, { formattingOptions: FORMAT })
        : modify(text, ['moves', index, 'fixes', -1], value, { formattingOptions: FORMAT, isArrayInsertion: true });
  }
  return edits.map((edit) => ({ offset: edit.offset, length: edit.length, content: edit.content }));
}

/** The text with the edits made (for tests and for writing a file that is not open). */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  return applyEdits(text, [...edits]);
}

export interface ExportInput {
  readonly plan: PlanFile;
  /** The plan file's name, for the header. */
  readonly fileName: string;
  readonly checks: readonly MoveCheck[];
  /** Moves of the plan that cannot run (unresolved, or blocked), with why: listed as comments. */
  readonly skipped: readonly { readonly vm: string; readonly why: string }[];
  /** The exact script of an approved host/VM/AD fix (the fixer's preview). */
  readonly fixScript: (check: MoveCheck, approval: MoveCheck['pending'][number]) => string;
  /** The HA workflow's guarded script of each "ha" move (by move index): it runs instead of a plain move. */
  readonly haScripts?: ReadonlyMap<number, string>;
  readonly exportedAt: string;
}

/**
 * The plan as one PowerShell script that needs nothing but the Hyper-V module (and the ActiveDirectory
 * module for approved AD fixes): each move's approved fixes, then its Compare-VM report with the plan's
 * choices and Move-VM, one move after another. A move that fails is reported and the next one runs;
 * the script ends with a table of what happened.
 */
export function exportPlanScript(input: ExportInput): string {
  const moves = [...input.checks].sort((a, b) => a.resolved.move.index - b.resolved.move.index);
  const needsAd = moves.some((check) => check.pending.some((approval) => approval.option.appliesTo === 'ad'));
  const out = [
    oneLine(
      `# Migration plan ${input.plan.name ? `'${input.plan.name}' ` : ''}(${input.fileName}), exported by Hyper-V Live Migration on ${input.exportedAt}.`,
    ),
    '# Runs against Hyper-V with the Hyper-V PowerShell module' +
      (needsAd ? ' (and the ActiveDirectory module, for the approved AD fixes).' : '.'),
    '# The moves run one after another; a move that fails is reported and the next one runs.',
    ...input.skipped.map((s) => oneLine(`# Not in this script: ${s.vm}: ${s.why}`)),
    '',
    '$planResults = [System.Collections.Generic.List[object]]::new()',
  ];
  moves.forEach((check, i) => {
    const { request, move } = check.resolved;
    const row = (result: string, why: string) =>
      `$planResults.Add([pscustomobject]@{ VM = ${psLiteral(request.vmName)}; From = ${psLiteral(request.source)}; To = ${psLiteral(request.destination)}; Result = ${psLiteral(result)}; Detail = ${why} })`;
    out.push(
      '',
      oneLine(
        `# ---- Move ${i + 1} of ${moves.length}: ${request.vmName}, ${request.source} -> ${request.destination}${move.note ? ` (${move.note})` : ''}`,
      ),
      'try {',
      '    & {',
    );
    for (const approval of check.pending) {
      out.push(oneLine(`# Approved fix: ${approval.option.title} (for: ${approval.finding.title})`), input.fixScript(check, approval));
    }
    // The folder the check resolved (the destination's VirtualMachinePath\<vm>), as a literal: the script's own
    // Join-Path fallback needs the destination's drive on the machine that runs it.
    const storagePath = check.plan.request.storagePath ?? check.result.storagePath;
    const planned = storagePath === undefined ? check.plan.request : { ...check.plan.request, storagePath };
    const ha = input.haScripts?.get(move.index);
    if (ha !== undefined)
      out.push(
        '# The HA workflow: the role is removed, the VM moves, the role is added back (restored on the source cluster if the move fails).',
        ha.trimEnd(),
        '    }',
      );
    else out.push(planScript({ request: planned, result: check.result, plan: { ...check.plan, request: planned } }).trimEnd(), '    }');
    out.push(`    ${row('Moved', "''")}`, '} catch {', `    ${row('Failed', '"$_"')}`, '}');
  });
  out.push('', '$planResults | Format-Table -AutoSize -Wrap', '');
  return out.join('\n');
}

/** The moves of a check in a sentence each, for the Run Plan confirmation. */
export function describeMove(resolved: ResolvedMove): string {
  const { request, move } = resolved;
  return `${request.vmName}: ${request.source} → ${request.destination}${move.ha ? ' (HA workflow)' : ''}${move.note ? ` — ${oneLine(move.note)}` : ''}`;
}
