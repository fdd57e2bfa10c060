// A credential reaches PowerShell as data read from standard input, never inside a line that PowerShell
// parses: script block logging, transcription and AMSI record the text PowerShell parses, so neither the
// password nor any encoding of it may be part of that text.

import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveExecutable } from '../../src/powershell/executable';
import { PowerShellPool } from '../../src/powershell/pool';
import { encodeCall, scriptKey } from '../../src/powershell/protocol';
import { defineScript } from '../../src/powershell/script';
import { PowerShellSession, type CallOutcome } from '../../src/powershell/session';
import type { Credential } from '../../src/powershell/types';
import { leftoverProcesses } from './fixtures/processes';

const PASSWORD = `Pä$$'"\`;w0rd 🔑 ${'$'}(whoami) #secret`;
const DESTINATION_PASSWORD = 'Ziel-Kennwort_42!';
const credential: Credential = { userName: 'CONTOSO\\admin', password: PASSWORD };
const destinationCredential: Credential = { userName: 'CONTOSO\\mover', password: DESTINATION_PASSWORD };

interface Received {
  userName: string;
  sha256: string;
  destinationUserName: string;
  destinationSha256: string;
}

/** Answers what the script was given, the passwords only as hashes (an answer never carries a secret). */
const CREDENTIALS_TEXT = `param($Params, $Credential, $DestinationCredential)
$sha = [System.Security.Cryptography.SHA256]::Create()
function Get-Hash($Given) {
    if ($null -eq $Given) { return $null }
    $bytes = [Text.Encoding]::UTF8.GetBytes($Given.GetNetworkCredential().Password)
    -join ($sha.ComputeHash($bytes) | ForEach-Object { $_.ToString('x2') })
}
[pscustomobject]@{
    userName            = $Credential.UserName
    sha256              = Get-Hash $Credential
    destinationUserName = $DestinationCredential.UserName
    destinationSha256   = Get-Hash $DestinationCredential
}`;
const credentials = defineScript<{ round: number }, Received>('test-credentials', CREDENTIALS_TEXT, (data) => data as Received);

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const EXPECTED: Received = {
  userName: credential.userName,
  sha256: sha256(PASSWORD),
  destinationUserName: destinationCredential.userName,
  destinationSha256: sha256(DESTINATION_PASSWORD),
};

/** Every form in which a password could be written down: itself, as a JSON string, base64 of its UTF-8 or UTF-16, hex of either. */
function forms(password: string): string[] {
  const utf8 = Buffer.from(password, 'utf8');
  const utf16 = Buffer.from(password, 'utf16le');
  const utf16be = Buffer.from(utf16).swap16();
  return [
    password,
    JSON.stringify(password).slice(1, -1),
    utf8.toString('base64'),
    utf16.toString('base64'),
    utf8.toString('hex'),
    utf16.toString('hex'),
    utf16be.toString('hex'),
  ];
}

/**
 * The forms of the passwords found in `text`, also inside any base64 run of it once decoded (the base64 of a
 * JSON object that holds a password does not contain the password's own base64).
 */
function leaks(text: string): string[] {
  const found = new Set<string>();
  const decodedRuns = [...text.matchAll(/[A-Za-z0-9+/]{16,}={0,2}/g)].map((run) => Buffer.from(run[0], 'base64').toString('utf8'));
  for (const password of [PASSWORD, DESTINATION_PASSWORD]) {
    for (const form of forms(password)) {
      if (text.toLowerCase().includes(form.toLowerCase())) found.add(`"${form}" as written`);
      if (decodedRuns.some((decoded) => decoded.includes(form))) found.add(`"${form}" inside base64`);
    }
  }
  return [...found];
}

const CALL_LINE = /^__HvlmInvoke '[0-9a-f]{32}' '[A-Za-z0-9+/=]*' (\d+)$/;
const DATA_LINES = 3;

/**
 * Splits what was written to a session's stdin into the lines PowerShell parses and the lines the wrapper
 * reads as data. A call line, `__HvlmInvoke '<key>' '<script>' <length>`, is followed by exactly three
 * data lines, each starting with `#`, the first as long as the call line says; every other line is parsed.
 */
function splitInput(written: string): { parsed: string[]; data: string[] } {
  const lines = written.split(/\r?\n/);
  const parsed: string[] = [];
  const data: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    parsed.push(line);
    const call = CALL_LINE.exec(line);
    if (!call) continue;
    const following = lines.slice(index + 1, index + 1 + DATA_LINES);
    assert.equal(following.length, DATA_LINES, 'a call line is followed by its data lines');
    assert.equal(following[0].length, Number(call[1]), 'the call line gives the length of the data line that follows it');
    for (const item of following) assert.match(item, /^#/, 'a data line is a comment, should PowerShell ever parse it');
    data.push(...following);
    index += DATA_LINES;
  }
  return { parsed, data };
}

describe('PowerShell sessions: secrets', function () {
  let folder: string;

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'hvlm-secrets-'));
  });

  after(async () => {
    await rm(folder, { recursive: true, force: true });
    assert.deepEqual(await leftoverProcesses(), []);
  });

  // Set-PSDebug -Trace cannot be used here: it writes each line it runs to stdout, node-powershell's delimiters included,
  // which breaks the framing of the answers.
  it('keeps the passwords out of a transcript, the history of the session and the log, and the scripts still get them', async () => {
    const transcript = join(folder, 'transcript.txt');
    const record = defineScript<{ path: string }, unknown>(
      'test-record',
      'param($Params)\n$null = Start-Transcript -LiteralPath $Params.path',
    );
    const stop = defineScript<null, string[]>(
      'test-stop-recording',
      'param($Params)\n$null = Stop-Transcript\n@(Get-History | ForEach-Object { $_.CommandLine })',
      (data) => data as string[],
    );
    const logged: string[] = [];
    const log = (message: string): void => void logged.push(message);
    const pool = new PowerShellPool({ size: 1, logger: { trace: log, debug: log, info: log, warn: log, error: log } });
    try {
      const started = await pool.run(record, { path: transcript });
      assert.ok(started.ok, JSON.stringify(started));
      for (let round = 0; round < 3; round++) {
        const result = await pool.run(credentials, { round }, { credential, destinationCredential });
        assert.deepEqual(result, { ok: true, data: EXPECTED, warnings: [] });
      }
      const stopped = await pool.run(stop, null);
      assert.ok(stopped.ok, JSON.stringify(stopped));
      const recorded = await readFile(transcript, 'utf8');
      // The records are real: they hold the call lines PowerShell parsed.
      assert.match(recorded, /PS>__HvlmInvoke '[0-9a-f]{32}'/);
      assert.ok(
        stopped.data.some((line) => line.startsWith('__HvlmInvoke ')),
        stopped.data.join('\n'),
      );
      assert.deepEqual(leaks(recorded), [], 'the transcript');
      assert.deepEqual(leaks(stopped.data.join('\n')), [], 'the history');
      assert.ok(
        logged.some((line) => line.includes('test-credentials') && line.includes('with a credential')),
        logged.join('\n'),
      );
      assert.deepEqual(leaks(logged.join('\n')), [], 'the log');
    } finally {
      await pool.dispose();
    }
  });

  it('writes the passwords to stdin only on the lines the wrapper reads as data, never on a line PowerShell parses', async () => {
    const executable = await resolveExecutable(undefined);
    assert.ok(executable, 'pwsh is installed');
    const session = new PowerShellSession({ executable, env: {}, modules: [] });
    // Every byte node-powershell writes to the child's stdin goes through its write().
    type Writable = { write: (chunk: unknown, ...rest: unknown[]) => boolean };
    const stdin = (session as unknown as { child: { stdin: Writable } }).child.stdin;
    const chunks: string[] = [];
    const write = stdin.write.bind(stdin);
    stdin.write = (chunk, ...rest) => {
      chunks.push(Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk));
      return write(chunk, ...rest);
    };
    const answered = (outcome: CallOutcome): unknown => {
      assert.equal(outcome.kind, 'answered', JSON.stringify(outcome));
      return outcome.kind === 'answered' ? outcome.result : undefined;
    };
    const history = defineScript('test-history', 'param($Params)\n@(Get-History | ForEach-Object { $_.CommandLine })');
    try {
      assert.ok((answered(await session.initialize()) as { ok: boolean }).ok);
      // The first call sends the script text, the next ones only its key; one call has no destination credential.
      for (const destination of [destinationCredential, destinationCredential, undefined]) {
        const result = answered(
          await session.call(scriptKey(credentials.text), credentials.text, encodeCall({ round: 1 }, credential, destination)),
        );
        const expected = destination ? EXPECTED : { ...EXPECTED, destinationUserName: null, destinationSha256: null };
        assert.deepEqual(result, { ok: true, data: expected, warnings: [] });
      }
      // A script that does not compile fails before it runs: its call's data lines are read all the same.
      const broken = defineScript('test-broken', 'param($Params, $Credential)\n$x = (');
      const failed = answered(
        await session.call(scriptKey(broken.text), broken.text, encodeCall({}, credential, destinationCredential)),
      ) as { ok: boolean };
      assert.equal(failed.ok, false, JSON.stringify(failed));
      assert.deepEqual(leaks(JSON.stringify(failed)), [], 'the error answer');
      const parsedHistory = answered(await session.call(scriptKey(history.text), history.text, encodeCall(null))) as {
        ok: true;
        data: string[];
      };

      const { parsed, data } = splitInput(chunks.join(''));
      assert.deepEqual(leaks(parsed.join('\n')), [], 'a line PowerShell parses');
      // The data lines do carry the passwords (so the check above looked at the right stream) ...
      assert.equal(data.length, 5 * DATA_LINES);
      assert.ok(leaks(data.join('\n')).length > 0, 'the data lines carry the passwords');
      // ... and PowerShell ran none of them: its history holds the call lines, never a data line.
      assert.ok(parsedHistory.ok);
      assert.ok(
        parsedHistory.data.some((line) => CALL_LINE.test(line)),
        parsedHistory.data.join('\n'),
      );
      for (const line of data) assert.equal(parsedHistory.data.includes(line), false, `PowerShell ran the data line ${line.slice(0, 20)}…`);
      assert.deepEqual(leaks(parsedHistory.data.join('\n')), []);
    } finally {
      await session.kill();
    }
  });
});
