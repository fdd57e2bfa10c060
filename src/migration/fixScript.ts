// A fix script and its preview, built from the same parts. A change on a host is a block (a block file in
// scripts/: its leading comment lines say what it does, the rest is the block) and the $Params values it is given:
// the script runs it in the host's persistent session,
//     Invoke-OnHost -ComputerName $Params.Host -Credential $Credential -ArgumentList $Params.A, ... -ScriptBlock { <block> }
// and the preview is the Invoke-Command an admin runs, around the very same block text:
//     Invoke-Command -ComputerName 'HV01' -ArgumentList 'a', ... -ScriptBlock { <block> }
// A change made from the admin's own session (AD, a cluster) is one text of commands with slots for its values
// (the `inSession` template): `$Params.Name` (and the AD credential, ` @ad`) where it runs, the value's literal
// (and nothing) in the preview. Values never go into the text that runs: only into a preview, as literals.
import { psLiteral } from '../hyperv/migrationScript';
import { defineScript } from '../powershell/script';
import type { Script } from '../powershell/types';
import readDelegationAccountText from './scripts/shared/readDelegationAccount.ps1';
import type { FixArgument } from './types';

export type FixParams = Readonly<Record<string, FixArgument>>;

/** A fix script: it runs with its values in $Params; `preview(params)` is the PowerShell an admin runs for the same change. */
export interface FixScript extends Script<FixParams, null> {
  /** What runs on the host, as the script and the preview both hold it (null: the change is made from the admin's session). */
  readonly block: string | null;
  preview(params: FixParams): string;
}

/** A value of $Params in an `inSession` text. */
interface Slot {
  readonly param: string;
}
/** Where the AD cmdlets take the host's stored credential (Get-ADArgument): ` @ad` where it runs, nothing in the preview. */
export const AD_CREDENTIAL = Object.freeze({ ad: true } as const);

type Piece = string | Slot | typeof AD_CREDENTIAL;

/** `$Params.<name>` in the script that runs, the literal of the value in the preview. */
export const param = (name: string): Slot => ({ param: name });

/** Commands run in the admin's own session, with slots for their values: e.g. inSession`Get-ADComputer -Identity ${param('Account')}${AD_CREDENTIAL}`. */
export function inSession(strings: TemplateStringsArray, ...slots: ReadonlyArray<Slot | typeof AD_CREDENTIAL>): readonly Piece[] {
  return strings.flatMap((text, i) => {
    const slot = slots[i];
    return slot ? [text, slot] : [text];
  });
}

/** What a block on a host is given: the host (or each host of a list) and its arguments, all from $Params. */
export interface HostCall {
  /** The $Params value naming the host; `{ each: 'Hosts' }`: the block runs on each host of that list in turn. */
  readonly host: string | { readonly each: string };
  /** The $Params values the block's param(...) takes, in its order. */
  readonly args?: readonly string[];
  /** Whether the call stops at a failed block of its own (-ErrorAction Stop) and its output is dropped ($null =). */
  readonly strict?: boolean;
  /** A one-line block written inside its braces on the call's line (else the block's lines go under the call). */
  readonly inline?: boolean;
}

/** A block file: its leading comment lines (what the fix does), then the block. */
function blockFile(name: string, text: string): { header: string[]; block: string } {
  const lines = text.trimEnd().split(/\r?\n/);
  const start = lines.findIndex((line) => !line.startsWith('#'));
  if (start < 1) throw new Error(`${name}: a block file starts with comment lines saying what it does, then the block.`);
  return { header: lines.slice(0, start), block: lines.slice(start).join('\n') };
}

function literal(value: FixArgument): string {
  if (value === null) return '$null';
  if (typeof value === 'boolean') return value ? '$true' : '$false';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return psLiteral(value);
  return `@(${value.map((item) => psLiteral(item)).join(', ')})`;
}

/** How a slot reads: `$Params.<name>` where the script runs (no params given), the value's literal in a preview. */
function valueOf(name: string, params: FixParams | undefined, script: string): string {
  if (!params) return `$Params.${name}`;
  if (!Object.prototype.hasOwnProperty.call(params, name))
    throw new Error(`The fix script ${script} reads $Params.${name}, which the fix does not set.`);
  return literal(params[name] ?? null);
}

/** A block in braces after -ScriptBlock: inline on the call's line, or each line on its own, indented under `indent`. */
function braces(block: string, inline: boolean, indent: string): string {
  if (inline) return `{ ${block} }`;
  const inner = block.split('\n').map((line) => (line ? `${indent}    ${line}` : line));
  return ['{', ...inner, `${indent}}`].join('\n');
}

/**
 * The call of a block on its host: with no params the one that runs (Invoke-OnHost in the host's session, values
 * from $Params), with params the preview (Invoke-Command, values as literals). The block text is the same in both.
 */
function hostCall(name: string, block: string, call: HostCall, params?: FixParams): string {
  const each = typeof call.host === 'object';
  const indent = each ? '    ' : '';
  const computer = typeof call.host === 'object' ? '$computer' : valueOf(call.host, params, name);
  const command = params ? `Invoke-Command -ComputerName ${computer}` : `Invoke-OnHost -ComputerName ${computer} -Credential $Credential`;
  const args = (call.args ?? []).map((arg) => valueOf(arg, params, name));
  const line = [
    call.strict ? '$null = ' : '',
    command,
    call.strict ? ' -ErrorAction Stop' : '',
    args.length > 0 ? ` -ArgumentList ${args.join(', ')}` : '',
    ` -ScriptBlock ${braces(block, call.inline === true, indent)}`,
  ].join('');
  if (typeof call.host === 'string') return line;
  return [`foreach ($computer in ${valueOf(call.host.each, params, name)}) {`, `${indent}${line}`, '}'].join('\n');
}

function sessionText(name: string, pieces: readonly Piece[], params?: FixParams): string {
  return pieces
    .map((piece) => {
      if (typeof piece === 'string') return piece;
      if ('param' in piece) return valueOf(piece.param, params, name);
      return params ? '' : ' @ad';
    })
    .join('');
}

/** The script that runs: its values in $Params, the credential of the host in $Credential. */
function scriptText(header: readonly string[], body: string, ad: boolean): string {
  return ['param($Params, $Credential)', ...header, ...(ad ? ['$ad = Get-ADArgument $Credential'] : []), body].join('\n');
}

/** A fix that runs `file`'s block on a host (see HostCall). */
export function onHostFix(name: string, file: string, call: HostCall): FixScript {
  const { header, block } = blockFile(name, file);
  if (call.inline && block.includes('\n')) throw new Error(`${name}: only a one-line block is written inline.`);
  const script = defineScript<FixParams, null>(name, scriptText(header, hostCall(name, block, call), false), () => null);
  return Object.freeze({ ...script, block, preview: (params: FixParams) => hostCall(name, block, call, params) });
}

/** A fix made from the admin's own session: `pieces` (an `inSession` text); with `AD_CREDENTIAL` in it, the AD cmdlets take the host's credential. */
export function inSessionFix(name: string, header: readonly string[], pieces: readonly Piece[]): FixScript {
  const ad = pieces.includes(AD_CREDENTIAL);
  const text = scriptText(
    header.map((line) => `# ${line}`),
    sessionText(name, pieces),
    ad,
  );
  const script = defineScript<FixParams, null>(name, text, () => null, ad ? [readDelegationAccountText] : []);
  return Object.freeze({ ...script, block: null, preview: (params: FixParams) => sessionText(name, pieces, params) });
}
