import * as assert from 'node:assert/strict';
import {
  ENVELOPE_MARKER,
  encodeCall,
  invokeText,
  readAnswer,
  scriptKey,
  startLine,
  stderrWarnings,
} from '../../../src/powershell/protocol';
import { defineScript } from '../../../src/powershell/script';

const HOSTILE = [
  'it\'s "quoted"',
  '`backtick` $(New-Item /tmp/pwned) ${env:PATH} @{a=1}; Remove-Item -Recurse / # comment',
  'line one\nline two\r\n\ttab',
  "'; exit; '",
  '日本語 Ελληνικά العربية 👩🏽‍💻',
  'x'.repeat(10_000),
];

function envelope(value: unknown): string {
  return ENVELOPE_MARKER + Buffer.from(JSON.stringify(value), 'utf8').toString('base64');
}

describe('PowerShell protocol', () => {
  it('puts nothing but base64, a hex key and a length into the line PowerShell parses; the values follow as data lines', () => {
    for (const value of HOSTILE) {
      const script = defineScript('echo', `param($Params)\n# ${value}\n$Params`);
      const [line, ...data] = invokeText(
        scriptKey(script.text),
        script.text,
        encodeCall({ value, list: [value] }, { userName: value, password: value }),
      ).split('\n');
      const parsed = /^__HvlmInvoke '[0-9a-f]{32}' '[A-Za-z0-9+/=]+' (\d+)$/.exec(line);
      assert.ok(parsed, line);
      assert.equal(data.length, 3);
      assert.equal(data[0].length, Number(parsed[1]));
      assert.match(data[0], /^#[A-Za-z0-9+/=]+$/);
      assert.match(data[1], /^#(?:[0-9a-f]{4})+$/);
      assert.equal(data[2], '#');
    }
  });

  it('encodes params and user names as one UTF-8 JSON object, and each password apart as hex of its UTF-16 code units', () => {
    for (const value of HOSTILE) {
      const [call, password, destination] = encodeCall(
        { value },
        { userName: 'CONTOSO\\admin', password: value },
        { userName: 'B', password: 'b' },
      ).split('\n');
      const decoded: unknown = JSON.parse(Buffer.from(call.slice(1), 'base64').toString('utf8'));
      assert.deepEqual(decoded, {
        params: { value },
        credential: { userName: 'CONTOSO\\admin' },
        destinationCredential: { userName: 'B' },
      });
      assert.equal(Buffer.from(password.slice(1), 'hex').swap16().toString('utf16le'), value);
      assert.equal(destination, '#0062');
    }
    const [call, ...passwords] = encodeCall(undefined).split('\n');
    assert.deepEqual(JSON.parse(Buffer.from(call.slice(1), 'base64').toString('utf8')), {
      params: null,
      credential: null,
      destinationCredential: null,
    });
    assert.deepEqual(passwords, ['#', '#']);
    assert.throws(() => encodeCall({ big: 1n }));
  });

  it('sends the script text only while the session has not compiled it, and only data lines after the call line', () => {
    const key = scriptKey('param($Params)');
    assert.equal(invokeText(key, undefined, '#e30=\n#\n#'), `__HvlmInvoke '${key}' '' 5\n#e30=\n#\n#`);
    assert.throws(() => invokeText("x' ; evil", undefined, '#e30=\n#\n#'));
    assert.throws(() => invokeText(key, undefined, "#e30=' ; evil\n#\n#"));
    assert.throws(() => invokeText(key, undefined, '#e30=\n#\nRemove-Item /'));
    assert.throws(() => invokeText(key, undefined, '#e30=\n#\n#\nRemove-Item /'));
    assert.equal(scriptKey('a'), scriptKey('a'));
    assert.notEqual(scriptKey('a'), scriptKey('b'));
  });

  it('starts a session with the wrapper and module paths as base64 only', () => {
    const line = startLine(["C:\\it's\\Lab.psd1", '/tmp/$(evil)/Lab.psd1']);
    const literals = [...line.matchAll(/'([^']*)'/g)].map((match) => match[1]);
    assert.equal(literals.length, 2);
    for (const literal of literals) assert.match(literal, /^[A-Za-z0-9+/=]+$/);
    const options: unknown = JSON.parse(Buffer.from(literals[1], 'base64').toString('utf8'));
    assert.deepEqual(options, { marker: ENVELOPE_MARKER, modules: ["C:\\it's\\Lab.psd1", '/tmp/$(evil)/Lab.psd1'] });
    assert.match(Buffer.from(literals[0], 'base64').toString('utf8'), /function global:__HvlmInvoke/);
  });

  it('reads the envelope among other output and adds stderr lines to its warnings', () => {
    const stdout = `noise before\n${envelope({ ok: true, data: { name: 'web01', n: [1] }, warnings: ['w1'] })}\n`;
    const result = readAnswer(stdout, '\u001b[31mWrite-Error: oops\u001b[0m\n\n  second  \n');
    assert.deepEqual(result, { ok: true, data: { name: 'web01', n: [1] }, warnings: ['w1', 'Write-Error: oops', 'second'] });
  });

  it('reads an envelope written right after output without a newline, and takes the last one', () => {
    const stdout = `partial${envelope({ ok: true, data: 1, warnings: [] })}\n${envelope({ ok: true, data: 2, warnings: [] })}`;
    assert.deepEqual(readAnswer(stdout, ''), { ok: true, data: 2, warnings: [] });
  });

  it('classifies an error envelope', () => {
    const result = readAnswer(
      envelope({
        ok: false,
        error: {
          message: "The operation on computer 'HV09' failed: The WinRM client cannot process the request.",
          category: 'ConnectionError',
          errorId: 'Unreachable',
          exceptionType: 'Microsoft.HyperV.PowerShell.VirtualizationException',
          targetObject: null,
          chain: [],
        },
        warnings: [],
      }),
      '',
    );
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.kind, 'hostUnreachable');
    assert.equal(!result.ok && result.error.target, 'HV09');
  });

  it('answers protocolError, with what PowerShell wrote, when there is no proper envelope', () => {
    const cases: [string, string][] = [
      ['', ''],
      ['plain text', 'ParserError: something'],
      [`${ENVELOPE_MARKER}bm90IGpzb24=`, ''],
      [envelope([1, 2]), ''],
      [envelope({ ok: false, error: { message: 'no facts' }, warnings: [] }), ''],
    ];
    for (const [stdout, stderr] of cases) {
      const result = readAnswer(stdout, stderr);
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.error.kind, 'protocolError', stdout);
    }
    const result = readAnswer('plain text', 'ParserError: something');
    assert.match(!result.ok ? result.error.message : '', /plain text.*ParserError: something/);
  });

  it('splits stderr into trimmed, non-empty lines without terminal escapes', () => {
    assert.deepEqual(stderrWarnings('\u001b[91ma\u001b[0m\r\n\r\n b \n'), ['a', 'b']);
  });

  it('defines scripts with an identity parse by default and refuses a nameless one', () => {
    const script = defineScript<{ a: number }, unknown>('get-thing', 'param($Params)');
    assert.deepEqual(script.parse({ x: 1 }), { x: 1 });
    assert.equal(defineScript('n', 't', (data) => String(data)).parse(5), '5');
    assert.throws(() => defineScript(' ', 'param($Params)'));
  });
});
