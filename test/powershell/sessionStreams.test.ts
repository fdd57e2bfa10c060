// Output on every stream, errors of every kind, modules and environment: each call ends with one
// typed result and the session keeps working.

import * as assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveExecutable } from '../../src/powershell/executable';
import { PowerShellPool } from '../../src/powershell/pool';
import { defineScript } from '../../src/powershell/script';
import type { PowerShellResult } from '../../src/powershell/types';
import everyStreamText from './fixtures/everyStream.ps1';
import { leftoverProcesses } from './fixtures/processes';
import testModuleText from './fixtures/TestModule.ps1';

const pid = defineScript<null, number>('test-pid', 'param($Params)\n$PID', (data) => data as number);

function failed<T>(result: PowerShellResult<T>): NonNullable<Extract<PowerShellResult<T>, { ok: false }>['error']> {
  assert.equal(result.ok, false, JSON.stringify(result));
  if (result.ok) throw new Error('unreachable');
  return result.error;
}

describe('PowerShell sessions: streams and errors', function () {
  let pool: PowerShellPool;
  let sessionPid: number;

  before(async () => {
    pool = new PowerShellPool({ size: 1 });
    const first = await pool.run(pid, null);
    assert.ok(first.ok, JSON.stringify(first));
    sessionPid = first.data;
  });

  afterEach(async () => {
    // The same session answers after every test: nothing broke or replaced it.
    assert.deepEqual(await pool.run(pid, null), { ok: true, data: sessionPid, warnings: [] });
  });

  after(async () => {
    await pool.dispose();
    assert.deepEqual(await leftoverProcesses(), []);
  });

  it('takes output on every stream without breaking: data from the pipeline, warnings and stderr as warnings', async () => {
    const pwsh = await resolveExecutable(undefined);
    const result = await pool.run(defineScript<{ pwsh?: string }, unknown>('test-every-stream', everyStreamText), { pwsh });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.data, 'the data');
    for (const text of ['warning text', 'console error text', 'host error line', 'non-terminating error text', 'native stderr text']) {
      assert.ok(result.warnings.includes(text), `${text} in ${JSON.stringify(result.warnings)}`);
    }
    for (const text of [
      'verbose text',
      'debug text',
      'information text',
      'host text',
      'progress activity',
      'console out text',
      'native stdout text',
    ]) {
      assert.equal(JSON.stringify(result).includes(text), false, `${text} leaked into ${JSON.stringify(result)}`);
    }
  });

  it('reports a terminating error as scriptError with PowerShell message, category, error id and exception type', async () => {
    const script = defineScript<null, unknown>(
      'test-write-error',
      "param($Params)\nWrite-Warning 'before the error'\nWrite-Error -Message 'The VM is in an invalid state.' -Category InvalidOperation -ErrorId 'VmState'\n'never'",
    );
    const result = await pool.run(script, null);
    const error = failed(result);
    assert.deepEqual(error, {
      kind: 'scriptError',
      message: 'The VM is in an invalid state.',
      category: 'InvalidOperation',
      errorId: 'VmState',
      exceptionType: 'Microsoft.PowerShell.Commands.WriteErrorException',
    });
    assert.deepEqual(result.warnings, ['before the error']);
  });

  it('turns a thrown exception and a failing .NET call into scriptError with the exception type', async () => {
    const thrown = failed(await pool.run(defineScript<null, unknown>('test-throw', "param($Params)\nthrow 'plain failure'"), null));
    assert.equal(thrown.kind, 'scriptError');
    assert.equal(thrown.message, 'plain failure');
    const dotnet = failed(
      await pool.run(defineScript<null, unknown>('test-dotnet', "param($Params)\n[IO.File]::ReadAllText('/no/such/file')"), null),
    );
    assert.equal(dotnet.kind, 'scriptError');
    assert.match(dotnet.exceptionType ?? '', /MethodInvocationException/);
    assert.match(dotnet.message, /no\/such\/file/);
  });

  it('reports a syntax error in a script as scriptError', async () => {
    const error = failed(await pool.run(defineScript<null, unknown>('test-syntax', 'param($Params)\nif ( {'), null));
    assert.equal(error.kind, 'scriptError');
    assert.equal(error.exceptionType, 'System.Management.Automation.ParseException');
    assert.equal(error.category, 'ParserError');
    assert.match(error.message, /Missing closing/);
  });

  it('reports a missing Hyper-V cmdlet as moduleMissing', async () => {
    const error = failed(await pool.run(defineScript<null, unknown>('test-get-vm', "param($Params)\nGet-VM -Name 'web01'"), null));
    assert.equal(error.kind, 'moduleMissing');
    assert.match(error.message, /Get-VM.*Hyper-V/);
  });

  it('reports the texts of unreachable hosts and refusals as hostUnreachable and accessDenied with the host', async () => {
    const script = defineScript<{ message: string; category: string }, unknown>(
      'test-raise',
      "param($Params)\nWrite-Error -Message $Params.message -Category $Params.category -TargetObject 'HV09'",
    );
    const unreachable = failed(
      await pool.run(script, {
        message: "The operation on computer 'HV09' failed: The WinRM client cannot process the request.",
        category: 'ConnectionError',
      }),
    );
    assert.equal(unreachable.kind, 'hostUnreachable');
    assert.equal(unreachable.target, 'HV09');
    const denied = failed(
      await pool.run(script, {
        message:
          "You do not have the required permission to complete this task. Contact the administrator of the authorization policy for the computer 'HV09'.",
        category: 'PermissionDenied',
      }),
    );
    assert.equal(denied.kind, 'accessDenied');
    assert.equal(denied.target, 'HV09');
  });

  it('answers protocolError when parse refuses the data, keeping the warnings', async () => {
    const script = defineScript<null, number>('test-parse', "param($Params)\nWrite-Warning 'w'\n'not a number'", (data) => {
      if (typeof data !== 'number') throw new Error(`expected a number, got ${JSON.stringify(data)}`);
      return data;
    });
    const result = await pool.run(script, null);
    const error = failed(result);
    assert.equal(error.kind, 'protocolError');
    assert.match(error.message, /test-parse.*expected a number/);
    assert.deepEqual(result.warnings, ['w']);
  });

  it('truncates past depth 12 with a warning instead of failing', async () => {
    const deep = defineScript<null, unknown>('test-deep', 'param($Params)\n$o = "leaf"; foreach ($i in 1..15) { $o = @{ d = $o } }; $o');
    const result = await pool.run(deep, null);
    assert.ok(result.ok, JSON.stringify(result));
    assert.ok(
      result.warnings.some((warning) => /depth/i.test(warning)),
      JSON.stringify(result.warnings),
    );
  });
});

describe('PowerShell sessions: modules and environment', function () {
  let folder: string;

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'hvlm-module-'));
    await writeFile(join(folder, 'HvlmTest.psm1'), testModuleText);
  });

  after(async () => {
    await rm(folder, { recursive: true, force: true });
    assert.deepEqual(await leftoverProcesses(), []);
  });

  it('imports the given modules into each session and passes the extra environment', async () => {
    const pool = new PowerShellPool({ size: 2, modules: [join(folder, 'HvlmTest.psm1')], env: { HVLM_TEST_VALUE: 'the lab ✓' } });
    try {
      const greet = defineScript<{ name: string }, unknown>('test-greet', 'param($Params)\nGet-HvlmTestGreeting -Name $Params.name');
      const [a, b] = await Promise.all([pool.run(greet, { name: 'Ada' }), pool.run(greet, { name: 'Bob' })]);
      assert.deepEqual(a, { ok: true, data: 'Hello, Ada, from the lab ✓', warnings: [] });
      assert.deepEqual(b, { ok: true, data: 'Hello, Bob, from the lab ✓', warnings: [] });
    } finally {
      await pool.dispose();
    }
  });

  it('stops at an error a module function writes, as a real cmdlet would, so it reaches the caller typed', async () => {
    const pool = new PowerShellPool({ size: 1, modules: [join(folder, 'HvlmTest.psm1')] });
    try {
      const script = defineScript<null, unknown>('test-module-error', 'param($Params)\nGet-HvlmTestUnreachable -ComputerName HV09');
      const error = failed(await pool.run(script, null));
      assert.equal(error.kind, 'hostUnreachable');
      assert.equal(error.target, 'HV09');
      assert.equal(error.category, 'ConnectionError');
      const tolerant = defineScript<null, unknown>(
        'test-module-error-tolerated',
        'param($Params)\nGet-HvlmTestUnreachable -ComputerName HV09 -ErrorAction SilentlyContinue',
      );
      assert.deepEqual(await pool.run(tolerant, null), { ok: true, data: 'output after the error', warnings: [] });
    } finally {
      await pool.dispose();
    }
  });

  it('fails the call with moduleMissing when a module cannot be imported, and tries again on the next call', async () => {
    const path = join(folder, 'Later.psm1');
    const pool = new PowerShellPool({ size: 1, modules: [path] });
    try {
      const greet = defineScript<null, unknown>('test-later', 'param($Params)\nGet-HvlmTestGreeting -Name later');
      const error = failed(await pool.run(greet, null));
      assert.equal(error.kind, 'moduleMissing');
      assert.match(error.message, /Later\.psm1/);
      await writeFile(path, testModuleText);
      assert.deepEqual(await pool.run(greet, null), { ok: true, data: 'Hello, later, from ', warnings: [] });
    } finally {
      await pool.dispose();
    }
  });
});
