// The preflight, fix and move scripts call the real Hyper-V module's cmdlets with parameters it has: each script
// is parsed by PowerShell's own parser, and every parameter given to a Hyper-V cmdlet (named, or through a
// splatted hashtable) is checked against the signatures file. The lab runs them; real hosts must too.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { moveStartScript } from '../../src/migration/executor';
import { fixScripts } from '../../src/migration/fixes';
import { placementFacts } from '../../src/migration/placement';
import { preflightDestination, preflightSource } from '../../src/migration/preflight';
import { PowerShellPool } from '../../src/powershell/pool';
import { defineScript } from '../../src/powershell/script';
import { REPO_ROOT } from '../support/labFixture';

interface Signatures {
  cmdlets: Record<string, { parameters: Record<string, { aliases?: string[] }> }>;
}

interface Call {
  command: string;
  parameters: string[];
}

const SIGNATURES = join(REPO_ROOT, 'test', 'fixtures', 'hyperv-module-signatures.json');
const SCRIPTS = join(REPO_ROOT, 'src', 'migration', 'scripts');
const COMMON = new Set(['ErrorAction', 'ErrorVariable', 'WarningAction', 'Verbose', 'Debug', 'WhatIf', 'Confirm']);

/** Each command of a script with the parameters it is given, splatted hashtables' keys included. */
const calls = defineScript<{ text: string }, { errors: number; calls: Call[] }>(
  'test.scriptCalls',
  `param($Params)
$tokens = $null; $errors = $null
$ast = [System.Management.Automation.Language.Parser]::ParseInput($Params.text, [ref]$tokens, [ref]$errors)
$keys = @{}
foreach ($assignment in $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.AssignmentStatementAst] }, $true)) {
    $left = $assignment.Left
    if ($left -is [System.Management.Automation.Language.ConvertExpressionAst]) { $left = $left.Child }
    if ($left -is [System.Management.Automation.Language.VariableExpressionAst]) {
        $name = $left.VariablePath.UserPath
        foreach ($table in $assignment.Right.FindAll({ param($n) $n -is [System.Management.Automation.Language.HashtableAst] }, $true)) {
            foreach ($pair in $table.KeyValuePairs) { $keys[$name] = @($keys[$name]) + [string]$pair.Item1.Value }
        }
    } elseif ($left -is [System.Management.Automation.Language.MemberExpressionAst] -and $left.Expression -is [System.Management.Automation.Language.VariableExpressionAst]) {
        $name = $left.Expression.VariablePath.UserPath
        $keys[$name] = @($keys[$name]) + [string]$left.Member.Value
    }
}
[pscustomobject]@{
    errors = $errors.Count
    calls  = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true) | ForEach-Object {
        $parameters = @($_.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] } | ForEach-Object ParameterName)
        foreach ($splat in @($_.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.VariableExpressionAst] -and $_.Splatted })) {
            $parameters += @($keys[$splat.VariablePath.UserPath] | Where-Object { $_ })
        }
        [pscustomobject]@{ command = [string]$_.GetCommandName(); parameters = $parameters }
    })
}`,
);

describe('preflight, fix and move scripts against the real Hyper-V module', function () {
  this.timeout(60_000);
  const pool = new PowerShellPool({ size: 1 });
  const signatures = JSON.parse(readFileSync(SIGNATURES, 'utf8')) as Signatures;
  const files = readdirSync(SCRIPTS).filter((name) => /^(preflight|fix).*\.ps1$/.test(name));

  after(() => pool.dispose());

  // The fix scripts as they run: a fix file is the block a fix runs on its host, wrapped by fixScript.ts; the AD
  // fixes have no file (their commands are written in fixes.ts).
  const fixTexts = new Map<string, string>(Object.values(fixScripts).map((script) => [`${script.name}.ps1`, script.text]));

  it('covers every preflight and fix script', function () {
    assert.ok(files.includes('preflightSource.ps1') && files.includes('preflightDestination.ps1'));
    const fixFiles = files.filter((name) => name.startsWith('fix'));
    assert.deepEqual(
      fixFiles.filter((name) => !fixTexts.has(name)),
      [],
      'every fix file is the block of a fix script',
    );
    assert.ok(fixTexts.size >= 10, [...fixTexts.keys()].join(', '));
  });

  // The scripts as they run: with the shared helpers defineScript puts in (and the move's own scripts too).
  const defined = new Map<string, string>([
    ['preflightSource.ps1', preflightSource.text],
    ['preflightDestination.ps1', preflightDestination.text],
    ['placementFacts.ps1', placementFacts.text],
    ['moveStart.ps1', moveStartScript.text],
    ...fixTexts,
  ]);

  it('checks the preflight source script with its shared helper in it', function () {
    assert.match(preflightSource.text, /^param\(\$Params, \$Credential, \$DestinationCredential\)\nfunction Get-CompareArguments/);
  });

  for (const file of new Set([...files, ...fixTexts.keys(), 'placementFacts.ps1', 'moveStart.ps1'])) {
    it(`${file}: parses, and gives Hyper-V cmdlets only parameters they have`, async function () {
      const text = defined.get(file) ?? readFileSync(join(SCRIPTS, file), 'utf8');
      assert.ok(text.startsWith('param($Params'), 'values come only through $Params');
      const result = await pool.run(calls, { text });
      assert.ok(result.ok, result.ok ? '' : result.error.message);
      assert.equal(result.data.errors, 0);
      const hyperV = result.data.calls.filter((call) => signatures.cmdlets[call.command]);
      if (!/^fix(Delegation|AnyProtocol|RemovePlannedVm)/.test(file)) {
        assert.ok(hyperV.length > 0, 'it calls the Hyper-V module');
      }
      for (const call of hyperV) {
        const known = signatures.cmdlets[call.command].parameters;
        const names = new Set(Object.entries(known).flatMap(([name, p]) => [name, ...(p.aliases ?? [])].map((n) => n.toLowerCase())));
        for (const parameter of call.parameters) {
          if (COMMON.has(parameter)) continue;
          assert.ok(names.has(parameter.toLowerCase()), `${call.command} has no parameter -${parameter}`);
        }
      }
    });
  }
});
