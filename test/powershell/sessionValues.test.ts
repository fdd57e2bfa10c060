// Values cross into PowerShell and back byte-exact and are never executed.

import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PowerShellPool } from '../../src/powershell/pool';
import { defineScript } from '../../src/powershell/script';
import type { Logger } from '../../src/powershell/types';
import credentialText from './fixtures/credential.ps1';
import { leftoverProcesses } from './fixtures/processes';
import roundtripText from './fixtures/roundtrip.ps1';

interface Seen {
  value: string;
  length: number;
  sha256: string;
  interpolated: string;
  replaced: string;
  type: string;
}

const roundtrip = defineScript<{ values: string[] }, Seen[]>('test-roundtrip', roundtripText, (data) => data as Seen[]);
const echo = defineScript<unknown, unknown>('test-echo', 'param($Params)\n, $Params');

function hostileValues(trap: string): string[] {
  const file = (n: number): string => join(trap, `pwned-${n}`).replace(/\\/g, '/');
  return [
    `it's`,
    `say "hi"`,
    `'"'"'`,
    '`n`t`0 back`ticks`',
    `$(New-Item -ItemType File -Path '${file(1)}')`,
    `"$(New-Item -ItemType File -Path '${file(2)}')"`,
    `'; New-Item -ItemType File -Path '${file(3)}'; '`,
    `"; New-Item -ItemType File -Path "${file(4)}"; "`,
    `\`$(New-Item -ItemType File -Path '${file(5)}')`,
    `@{ a = $(New-Item -ItemType File -Path '${file(6)}') }`,
    `${'$'}{env:PATH} $env:HOME $PID $null $true`,
    'a; b; c',
    '# not a comment',
    '<# not a block #> comment',
    'line one\nline two\r\nline three\rfour',
    '\ttab\u0000nul\u001bescape\u007fdel',
    '@{} @() [ScriptBlock]::Create("x") & | > < 2>&1',
    '2024-01-02T03:04:05Z',
    '{"json":"inside","n":[1]}',
    '',
    ' ',
    'x'.repeat(10_000),
    'Ünïcödé — “smart” ‘quotes’ «guillemets» ‑',
    '日本語のテキスト 中文 한국어',
    'Ελληνικά Кириллица עברית العربية हिन्दी ไทย',
    '😀 👩🏽‍💻 🇩🇪 🏳️‍🌈 \u{1F9D1}\u200D\u{1F680}',
    '日本語'.repeat(3334),
  ];
}

function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

describe('PowerShell sessions: values', function () {
  let pool: PowerShellPool;
  let trap: string;
  const logged: string[] = [];
  const logger: Logger = {
    trace: (m) => logged.push(m),
    debug: (m) => logged.push(m),
    info: (m) => logged.push(m),
    warn: (m) => logged.push(m),
    error: (m) => logged.push(m),
  };

  before(async () => {
    trap = await mkdtemp(join(tmpdir(), 'hvlm-trap-'));
    pool = new PowerShellPool({ size: 2, logger });
  });

  after(async () => {
    await pool.dispose();
    await rm(trap, { recursive: true, force: true });
    assert.deepEqual(await leftoverProcesses(), []);
  });

  it('round-trips a corpus of hostile values byte-exact and executes none of them', async () => {
    const values = hostileValues(trap);
    const result = await pool.run(roundtrip, { values });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.data.length, values.length);
    result.data.forEach((seen, index) => {
      const value = values[index];
      const label = `value #${index}`;
      assert.equal(seen.value, value, label);
      assert.equal(seen.length, value.length, label);
      assert.equal(seen.sha256, sha256(value), label);
      assert.equal(seen.interpolated, `<${value}>`, label);
      assert.equal(seen.replaced, `>${value}`, label);
      assert.equal(seen.type, 'System.String', label);
    });
    assert.deepEqual(await readdir(trap), [], 'a value was executed');
  });

  it('round-trips structured values: nesting, numbers, booleans, nulls, empty and one-item arrays', async () => {
    const value = {
      name: 'web01',
      count: 3,
      big: 9007199254740991,
      negative: -42,
      fraction: 0.1,
      yes: true,
      no: false,
      nothing: null,
      empty: [],
      one: ['only'],
      nested: { deeper: { list: [1, 'two', { three: 3 }], emptyObject: {} } },
      matrix: [[1, 2], [3]],
    };
    const result = await pool.run(echo, value);
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(result.data, value);
  });

  it('answers an array for @(...) even with one item or none, and the object itself otherwise', async () => {
    const list = defineScript<number, unknown>('test-list', 'param($Params)\n@(1..$Params)');
    const returned = defineScript<number, unknown>(
      'test-return-list',
      'param($Params)\nif ($true) { }\nreturn @(1..$Params | Where-Object { $_ -gt 1 })',
    );
    const single = defineScript<number, unknown>('test-single', 'param($Params)\n[pscustomobject]@{ n = $Params }');
    const several = defineScript<null, unknown>('test-several', "param($Params)\n'a'\n'b'");
    const nothing = defineScript<null, unknown>('test-nothing', 'param($Params)\n$null = 1');
    assert.deepEqual(await pool.run(list, 1), { ok: true, data: [1], warnings: [] });
    assert.deepEqual(await pool.run(list, 3), { ok: true, data: [1, 2, 3], warnings: [] });
    assert.deepEqual(await pool.run(returned, 1), { ok: true, data: [], warnings: [] });
    assert.deepEqual(await pool.run(single, 7), { ok: true, data: { n: 7 }, warnings: [] });
    assert.deepEqual(await pool.run(several, null), { ok: true, data: ['a', 'b'], warnings: [] });
    assert.deepEqual(await pool.run(nothing, null), { ok: true, data: null, warnings: [] });
  });

  it('sends enums by name, and the Windows PowerShell 5.1 helper gives the same names', async () => {
    const enums = defineScript<null, unknown>(
      'test-enums',
      [
        'param($Params)',
        '$value = [pscustomobject]@{ Day = [DayOfWeek]::Monday; Access = [System.IO.FileAccess]::ReadWrite; List = @([DayOfWeek]::Friday); N = 5; S = "s" }',
        '[pscustomobject]@{ Native = $value; Helper = (__HvlmPlain $value 12) }',
      ].join('\n'),
    );
    const result = await pool.run(enums, null);
    assert.ok(result.ok, JSON.stringify(result));
    const expected = { Day: 'Monday', Access: 'ReadWrite', List: ['Friday'], N: 5, S: 's' };
    assert.deepEqual(result.data, { Native: expected, Helper: expected });
  });

  it('hands a credential to the script as a PSCredential, never on a command line or in the log', async () => {
    const password = `pä$$'"\`;w0rd 🔑 ${'$'}(whoami)`;
    const credential = { userName: 'CONTOSO\\admin', password };
    const script = defineScript<
      { label: string; password: string },
      { type: string; userName: string; password: string; pid: number; label: string }
    >(
      'test-credential',
      credentialText,
      (data) => data as { type: string; userName: string; password: string; pid: number; label: string },
    );
    const result = await pool.run(script, { label: 'first', password: 'params-secret' }, { credential });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.data.type, 'System.Management.Automation.PSCredential');
    assert.equal(result.data.userName, 'CONTOSO\\admin');
    assert.equal(result.data.password, password);
    assert.equal(result.data.label, 'first');
    const commandLine = await readFile(`/proc/${result.data.pid}/cmdline`, 'utf8').catch(() => '');
    assert.ok(commandLine.includes('-NoProfile'), 'the session is running');
    for (const secret of [password, Buffer.from(password).toString('base64')]) {
      assert.equal(commandLine.includes(secret), false);
    }
    assert.ok(
      logged.some((line) => line.includes('test-credential')),
      'the call was logged',
    );
    for (const line of logged) {
      assert.equal(line.includes(password), false, line);
      assert.equal(line.includes('params-secret'), false, line);
    }
  });

  it('does not pass a credential to a script that was given none (an advanced script binds strictly)', async () => {
    const strict = defineScript<string, unknown>('test-strict', '[CmdletBinding()]\nparam($Params)\n"got $Params"');
    assert.deepEqual(await pool.run(strict, 'x'), { ok: true, data: 'got x', warnings: [] });
  });
});
