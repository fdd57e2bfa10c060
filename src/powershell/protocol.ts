// What crosses the boundary to a PowerShell session: the lines written to its stdin and the envelope
// read back from its stdout. Only base64, a hex key and a number are ever placed into a line PowerShell
// parses; a call's parameters and credentials follow it on stdin as data lines that the wrapper reads
// itself (script block logging, transcription and AMSI record what PowerShell parses, never those).

import { createHash } from 'node:crypto';
import { classifyError, isRawErrorFacts } from './classify';
import type { Credential, PowerShellResult } from './types';
import hostSessionText from './hostSession.ps1';
import wrapperText from './wrapper.ps1';

/** Starts the one stdout line that carries a call's answer; the base64 envelope follows it. */
export const ENVELOPE_MARKER = '@@HVLM-ENVELOPE@@';

const BASE64 = /^[A-Za-z0-9+/=]*$/;
const SCRIPT_KEY = /^[0-9a-f]{32}$/;
/** A call's data lines, as encodeCall writes them: each a comment, should PowerShell ever parse one. */
const CALL_DATA = /^(#[A-Za-z0-9+/=]*)\n#(?:[0-9a-f]{4})*\n#(?:[0-9a-f]{4})*$/;
const ANSI_ESCAPE = new RegExp(String.raw`\u001b\[[0-9;?]*[ -/]*[@-~]`, 'g');
const SNIPPET_LENGTH = 400;

export function toBase64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** Identifies a script's text inside a session, which compiles each text once. */
export function scriptKey(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 32);
}

/** A password as 4 hex digits per UTF-16 code unit: the wrapper turns it into a SecureString digit by digit. */
function secretHex(password: string | undefined): string {
  let hex = '';
  for (let index = 0; index < (password?.length ?? 0); index++) {
    hex += (password as string).charCodeAt(index).toString(16).padStart(4, '0');
  }
  return hex;
}

/**
 * The data lines of a call: `#` and the base64 UTF-8 JSON of the parameters and user names, then one line per
 * credential password (`#` and its hex, `#` alone without one). Throws when params are not JSON.
 * `destinationCredential` is bound to a script's `$DestinationCredential` (only scripts that declare it get one).
 */
export function encodeCall(params: unknown, credential?: Credential, destinationCredential?: Credential): string {
  const call = {
    params: params === undefined ? null : params,
    credential: credential ? { userName: credential.userName } : null,
    destinationCredential: destinationCredential ? { userName: destinationCredential.userName } : null,
  };
  return [
    `#${toBase64(JSON.stringify(call))}`,
    `#${secretHex(credential?.password)}`,
    `#${secretHex(destinationCredential?.password)}`,
  ].join('\n');
}

function quoted(base64: string): string {
  if (!BASE64.test(base64)) {
    throw new Error('Only base64 may be placed into a PowerShell command.');
  }
  return `'${base64}'`;
}

/** What a session is started with besides its modules. */
export interface StartSettings {
  /** Remoting sessions to hosts unused this long are closed (hostSession.ps1); default 600. */
  readonly hostSessionIdleSeconds?: number;
}

/** The line that loads the wrapper and the host sessions (hostSession.ps1) into a fresh session and imports the modules. */
export function startLine(modules: readonly string[], settings: StartSettings = {}): string {
  const options = toBase64(JSON.stringify({ marker: ENVELOPE_MARKER, modules, ...settings }));
  const text = `${wrapperText}\n${hostSessionText}`;
  return (
    `& ([ScriptBlock]::Create([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String(${quoted(toBase64(text))}))));` +
    ` __HvlmInitialize ${quoted(options)}`
  );
}

/**
 * What runs one call: the line PowerShell parses, `__HvlmInvoke '<key>' '<script>' <length>`, then the call's
 * data lines (encodeCall), which the wrapper reads from stdin before anything else, the first `<length>` long.
 * The script text is sent only while the session has not compiled it yet.
 */
export function invokeText(key: string, text: string | undefined, call: string): string {
  if (!SCRIPT_KEY.test(key)) {
    throw new Error('A script key is 32 hex digits.');
  }
  const data = CALL_DATA.exec(call);
  if (!data) {
    throw new Error("A call's data are the lines encodeCall writes.");
  }
  return `__HvlmInvoke '${key}' ${quoted(text === undefined ? '' : toBase64(text))} ${data[1].length}\n${call}`;
}

function snippet(text: string): string {
  const clean = text.replace(ANSI_ESCAPE, '').trim();
  return clean.length > SNIPPET_LENGTH ? `${clean.slice(0, SNIPPET_LENGTH)}…` : clean;
}

/** Lines PowerShell wrote to stderr, as warnings (they never fail a call by themselves). */
export function stderrWarnings(stderr: string): string[] {
  return stderr
    .replace(ANSI_ESCAPE, '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

function protocolError(message: string, stdout: string, stderr: string): PowerShellResult<unknown> {
  const details = [stdout && `stdout: ${snippet(stdout)}`, stderr && `stderr: ${snippet(stderr)}`].filter(Boolean);
  return {
    ok: false,
    error: { kind: 'protocolError', message: details.length ? `${message} (${details.join('; ')})` : message },
    warnings: [],
  };
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/**
 * Reads the answer of one call from what the session wrote. Anything else on stdout (a script's
 * `[Console]::WriteLine`, a native tool) is ignored; stderr lines become warnings.
 */
export function readAnswer(stdout: string, stderr: string): PowerShellResult<unknown> {
  const at = stdout.lastIndexOf(ENVELOPE_MARKER);
  if (at < 0) {
    return protocolError('PowerShell gave no answer', stdout, stderr);
  }
  const encoded = /^[A-Za-z0-9+/=]*/.exec(stdout.slice(at + ENVELOPE_MARKER.length))?.[0] ?? '';
  let envelope: unknown;
  try {
    envelope = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
  } catch (error) {
    return protocolError(`PowerShell's answer is not JSON: ${(error as Error).message}`, stdout, stderr);
  }
  if (typeof envelope !== 'object' || envelope === null || !('ok' in envelope) || typeof envelope.ok !== 'boolean') {
    return protocolError("PowerShell's answer is not an envelope", stdout, stderr);
  }
  const own = 'warnings' in envelope && isStringArray(envelope.warnings) ? envelope.warnings : [];
  const warnings = [...own, ...stderrWarnings(stderr)];
  if (envelope.ok) {
    return { ok: true, data: 'data' in envelope ? envelope.data : null, warnings };
  }
  if (!('error' in envelope) || !isRawErrorFacts(envelope.error)) {
    return protocolError("PowerShell's error answer has no error", stdout, stderr);
  }
  return { ok: false, error: classifyError(envelope.error), warnings };
}
