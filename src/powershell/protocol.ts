// What crosses the boundary to a PowerShell session: the lines written to its stdin and the envelope
// read back from its stdout. Only base64 (and a hex key) is ever placed into a command line.

import { createHash } from 'node:crypto';
import { classifyError, isRawErrorFacts } from './classify';
import type { Credential, PowerShellResult } from './types';
import wrapperText from './wrapper.ps1';

/** Starts the one stdout line that carries a call's answer; the base64 envelope follows it. */
export const ENVELOPE_MARKER = '@@HVLM-ENVELOPE@@';

const BASE64 = /^[A-Za-z0-9+/=]*$/;
const SCRIPT_KEY = /^[0-9a-f]{32}$/;
const ANSI_ESCAPE = new RegExp(String.raw`\u001b\[[0-9;?]*[ -/]*[@-~]`, 'g');
const SNIPPET_LENGTH = 400;

export function toBase64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** Identifies a script's text inside a session, which compiles each text once. */
export function scriptKey(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 32);
}

/**
 * The call's parameters and credentials as one base64 UTF-8 JSON string. Throws when params are not JSON.
 * `destinationCredential` is bound to a script's `$DestinationCredential` (only scripts that declare it get one).
 */
export function encodeCall(params: unknown, credential?: Credential, destinationCredential?: Credential): string {
  const call = {
    params: params === undefined ? null : params,
    credential: credential ? { userName: credential.userName, password: credential.password } : null,
    destinationCredential: destinationCredential ? { userName: destinationCredential.userName, password: destinationCredential.password } : null,
  };
  return toBase64(JSON.stringify(call));
}

function quoted(base64: string): string {
  if (!BASE64.test(base64)) {
    throw new Error('Only base64 may be placed into a PowerShell command.');
  }
  return `'${base64}'`;
}

/** The line that loads the wrapper into a fresh session and imports the modules. */
export function startLine(modules: readonly string[]): string {
  const options = toBase64(JSON.stringify({ marker: ENVELOPE_MARKER, modules }));
  return (
    `& ([ScriptBlock]::Create([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String(${quoted(toBase64(wrapperText))}))));` +
    ` __HvlmInitialize ${quoted(options)}`
  );
}

/** The line that runs one call: the script text is sent only while the session has not compiled it yet. */
export function invokeLine(key: string, text: string | undefined, call: string): string {
  if (!SCRIPT_KEY.test(key)) {
    throw new Error('A script key is 32 hex digits.');
  }
  return `__HvlmInvoke '${key}' ${quoted(text === undefined ? '' : toBase64(text))} ${quoted(call)}`;
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
    return protocolError('PowerShell\'s answer is not an envelope', stdout, stderr);
  }
  const own = 'warnings' in envelope && isStringArray(envelope.warnings) ? envelope.warnings : [];
  const warnings = [...own, ...stderrWarnings(stderr)];
  if (envelope.ok) {
    return { ok: true, data: 'data' in envelope ? envelope.data : null, warnings };
  }
  if (!('error' in envelope) || !isRawErrorFacts(envelope.error)) {
    return protocolError('PowerShell\'s error answer has no error', stdout, stderr);
  }
  return { ok: false, error: classifyError(envelope.error), warnings };
}
