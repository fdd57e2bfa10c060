// Every script that runs on a host (Windows PowerShell 5.1 there) or in the session on the admin's machine
// (5.1 or 7) uses only what Windows PowerShell 5.1 has. PowerShell 7's own parser reads each script and the
// syntax tree is searched for what 5.1 lacks: syntax it cannot parse, and commands, parameters and variables it
// does not have. A 7-only command or parameter is allowed inside an `if` whose condition asks for it (names it,
// as `.Parameters.ContainsKey('DateKind')` or `$state.EnumsAsStrings` do) or reads $PSVersionTable.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as executor from '../../src/migration/executor';
import * as fixes from '../../src/migration/fixes';
import * as fleetConfig from '../../src/migration/fleetConfig';
import * as haWorkflow from '../../src/migration/haWorkflow';
import * as placement from '../../src/migration/placement';
import * as preflight from '../../src/migration/preflight';
import * as inventory from '../../src/hyperv/inventory';
import { PowerShellPool } from '../../src/powershell/pool';
import { defineScript } from '../../src/powershell/script';
import { REPO_ROOT } from '../support/labFixture';

interface Finding {
  rule: string;
  line: number;
  text: string;
}

interface Scan {
  errors: string[];
  findings: Finding[];
  guarded: Finding[];
}

/** What Windows PowerShell 5.1 lacks, found in a script's syntax tree; `guarded` lists the 7-only uses an `if` asks for. */
const scan = defineScript<{ text: string }, Scan>(
  'test.winps51Scan',
  `param($Params)
$tokens = $null; $errors = $null
$ast = [System.Management.Automation.Language.Parser]::ParseInput($Params.text, [ref]$tokens, [ref]$errors)
$findings = [System.Collections.Generic.List[object]]::new()
$guarded = [System.Collections.Generic.List[object]]::new()
function Get-Nodes([type]$Type) { $ast.FindAll({ param($n) $n -is $Type }.GetNewClosure(), $true) }
function New-Finding([string]$Rule, $Extent) {
    [pscustomobject]@{ rule = $Rule; line = $Extent.StartLineNumber; text = ($Extent.Text -split '\\r?\\n')[0].Trim() }
}
# An if clause whose condition names the feature (or reads $PSVersionTable) guards its body.
function Test-Guarded($Node, [string]$Word) {
    for ($at = $Node; $null -ne $at.Parent; $at = $at.Parent) {
        $if = $at.Parent
        if ($if -isnot [System.Management.Automation.Language.IfStatementAst]) { continue }
        foreach ($clause in $if.Clauses) {
            if ($clause.Item2 -ne $at) { continue }
            $names = $clause.Item1.FindAll({ param($n)
                    ($n -is [System.Management.Automation.Language.StringConstantExpressionAst] -and $n.Value -eq $Word) -or
                    ($n -is [System.Management.Automation.Language.VariableExpressionAst] -and $n.VariablePath.UserPath -eq 'PSVersionTable') }.GetNewClosure(), $true)
            if (@($names).Count -gt 0) { return $true }
        }
    }
    $false
}
function Add-Use([string]$Rule, [string]$Word, $Node) {
    $finding = New-Finding $Rule $Node.Extent
    if (Test-Guarded $Node $Word) { $guarded.Add($finding) } else { $findings.Add($finding) }
}

# Syntax 5.1 cannot parse: no guard helps.
foreach ($n in Get-Nodes ([System.Management.Automation.Language.TernaryExpressionAst])) { $findings.Add((New-Finding 'ternary ?:' $n.Extent)) }
foreach ($n in Get-Nodes ([System.Management.Automation.Language.BinaryExpressionAst])) {
    if ($n.Operator -eq 'QuestionQuestion') { $findings.Add((New-Finding 'null-coalescing ??' $n.Extent)) }
}
foreach ($n in Get-Nodes ([System.Management.Automation.Language.AssignmentStatementAst])) {
    if ($n.Operator -eq 'QuestionQuestionEquals') { $findings.Add((New-Finding 'null-coalescing assignment ??=' $n.Extent)) }
}
foreach ($n in Get-Nodes ([System.Management.Automation.Language.MemberExpressionAst])) {
    if ($n.NullConditional) { $findings.Add((New-Finding 'null-conditional member ?.' $n.Extent)) }
}
foreach ($n in Get-Nodes ([System.Management.Automation.Language.IndexExpressionAst])) {
    if ($n.NullConditional) { $findings.Add((New-Finding 'null-conditional index ?[]' $n.Extent)) }
}
foreach ($n in Get-Nodes ([System.Management.Automation.Language.PipelineChainAst])) { $findings.Add((New-Finding 'pipeline chain && ||' $n.Extent)) }
foreach ($n in Get-Nodes ([System.Management.Automation.Language.ScriptBlockAst])) {
    if ($null -ne $n.CleanBlock) { $findings.Add((New-Finding 'clean block' $n.CleanBlock.Extent)) }
}
# Parsed by 5.1 but read differently: \`u{...} is the letter u there, 1u or 0b1 a command name.
foreach ($token in $tokens) {
    if ($token.Kind -in 'StringExpandable', 'HereStringExpandable' -and $token.Text -match '\`u\\{') { $findings.Add((New-Finding 'unicode escape \`u{}' $token.Extent)) }
    if ($token.Kind -eq 'Number' -and $token.Text -match '^(0b[01]+|[0-9.e]+(u|ul|us|uy|y|s|n))(kb|mb|gb|tb|pb)?$') { $findings.Add((New-Finding 'numeric literal suffix' $token.Extent)) }
}

# Commands, parameters and variables 5.1 does not have: allowed behind a guard.
$commands = 'Start-ThreadJob', 'Join-String', 'Get-Error', 'Test-Json', 'Get-Uptime'
$parameters = @{
    'ForEach-Object'   = 'Parallel', 'ThrottleLimit', 'TimeoutSeconds', 'AsJob'
    'ConvertFrom-Json' = 'AsHashtable', 'Depth', 'DateKind', 'NoEnumerate'
    'ConvertTo-Json'   = 'EnumsAsStrings', 'AsArray', 'EscapeHandling'
    'Get-Content'      = @('AsByteStream')
    'Set-Content'      = @('AsByteStream')
    'Add-Content'      = @('AsByteStream')
}
$aliases = @{ '%' = 'ForEach-Object'; 'foreach' = 'ForEach-Object'; 'gc' = 'Get-Content'; 'cat' = 'Get-Content'; 'type' = 'Get-Content'; 'sc' = 'Set-Content'; 'ac' = 'Add-Content' }
# The keys of hashtables assigned to a variable, for splatting.
$splats = @{}
foreach ($n in Get-Nodes ([System.Management.Automation.Language.AssignmentStatementAst])) {
    $left = $n.Left
    if ($left -is [System.Management.Automation.Language.VariableExpressionAst]) {
        foreach ($table in $n.Right.FindAll({ param($t) $t -is [System.Management.Automation.Language.HashtableAst] }, $true)) {
            foreach ($pair in $table.KeyValuePairs) { $splats[$left.VariablePath.UserPath] = @($splats[$left.VariablePath.UserPath]) + [string]$pair.Item1.Value }
        }
    } elseif ($left -is [System.Management.Automation.Language.MemberExpressionAst] -and $left.Expression -is [System.Management.Automation.Language.VariableExpressionAst]) {
        $splats[$left.Expression.VariablePath.UserPath] = @($splats[$left.Expression.VariablePath.UserPath]) + [string]$left.Member.Value
    }
}
# A parameter as PowerShell binds it: its name, an alias or an unambiguous prefix of one.
function Resolve-Parameter([string]$Command, [string]$Given) {
    $known = (Get-Command $Command).Parameters.Values
    $exact = @($known | Where-Object { $_.Name -eq $Given -or $_.Aliases -contains $Given })
    if ($exact.Count -gt 0) { return $exact[0].Name }
    $prefixed = @($known | Where-Object { $_.Name -like "$Given*" })
    if ($prefixed.Count -eq 1) { return $prefixed[0].Name }
    $null
}
foreach ($n in Get-Nodes ([System.Management.Automation.Language.CommandAst])) {
    $name = [string]$n.GetCommandName()
    if ($aliases.ContainsKey($name)) { $name = $aliases[$name] }
    if ($commands -contains $name) { Add-Use "command $name" $name $n }
    if (-not $parameters.ContainsKey($name)) { continue }
    $given = @($n.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] } | ForEach-Object ParameterName)
    foreach ($splat in @($n.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.VariableExpressionAst] -and $_.Splatted })) {
        $given += @($splats[$splat.VariablePath.UserPath] | Where-Object { $_ })
    }
    foreach ($parameter in $given) {
        $resolved = Resolve-Parameter $name $parameter
        if ($parameters[$name] -contains $resolved) { Add-Use "parameter $name -$resolved" $resolved $n }
    }
}
foreach ($n in Get-Nodes ([System.Management.Automation.Language.VariableExpressionAst])) {
    if ($n.VariablePath.UserPath -eq 'PSStyle') { Add-Use 'variable $PSStyle' 'PSStyle' $n }
}
[pscustomobject]@{ errors = @($errors | ForEach-Object { [string]$_ }); findings = $findings.ToArray(); guarded = $guarded.ToArray() }`,
);

const SCRIPT_DIRS = [join(REPO_ROOT, 'src', 'migration', 'scripts'), join(REPO_ROOT, 'src', 'hyperv', 'scripts')];
const WRAPPER = join(REPO_ROOT, 'src', 'powershell', 'wrapper.ps1');
const HOST_SESSION = join(REPO_ROOT, 'src', 'powershell', 'hostSession.ps1');

function ps1Files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? ps1Files(join(dir, entry.name)) : entry.name.endsWith('.ps1') ? [join(dir, entry.name)] : [],
  );
}

function isScript(value: unknown): value is { name: string; text: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { text?: unknown }).text === 'string' &&
    typeof (value as { parse?: unknown }).parse === 'function'
  );
}

/** The Script objects a module exports, directly or in an exported table, as they run (helpers put in). */
function exportedScripts(modules: readonly object[]): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (value: unknown, depth: number): void => {
    if (isScript(value)) found.set(`${value.name} (as defined)`, value.text);
    else if (depth > 0 && typeof value === 'object' && value !== null) for (const inner of Object.values(value)) visit(inner, depth - 1);
  };
  for (const module of modules) visit(module, 2);
  return found;
}

/** Every script: each .ps1 file on disk (shared helpers and the session wrapper included) and each exported Script's text. */
function allScripts(): Map<string, string> {
  const scripts = new Map<string, string>();
  for (const file of [...SCRIPT_DIRS.flatMap(ps1Files), WRAPPER, HOST_SESSION])
    scripts.set(relative(REPO_ROOT, file), readFileSync(file, 'utf8'));
  for (const [name, text] of exportedScripts([preflight, placement, executor, fleetConfig, haWorkflow, fixes, inventory]))
    scripts.set(name, text);
  return scripts;
}

function report(name: string, findings: readonly Finding[]): string {
  return findings.map((f) => `${name}:${f.line} ${f.rule}: ${f.text}`).join('\n');
}

describe('Windows PowerShell 5.1: scripts use nothing PowerShell 7 alone has', function () {
  this.timeout(120_000);
  const pool = new PowerShellPool({ size: 1 });
  const scripts = allScripts();

  after(() => pool.dispose());

  async function scanText(text: string): Promise<Scan> {
    const result = await pool.run(scan, { text });
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    return result.data;
  }

  it('covers every script file, the shared helpers, the wrapper and the scripts as defined with their helpers', function () {
    const names = [...scripts.keys()];
    for (const expected of [
      'src/powershell/wrapper.ps1',
      'src/powershell/hostSession.ps1',
      'src/hyperv/scripts/getFleetInventory.ps1',
      'src/migration/scripts/shared/compareArguments.ps1',
      'src/migration/scripts/moveStart.ps1',
    ]) {
      assert.ok(names.includes(expected), expected);
    }
    for (const defined of ['preflightSource', 'placementFacts', 'moveStart', 'configRead', 'fixKerberos']) {
      assert.ok(names.includes(`${defined} (as defined)`), defined);
    }
    assert.ok(names.length >= 40, names.join(', '));
  });

  it('every script parses and has no 7-only syntax, command, parameter or variable outside a guard', async function () {
    const problems: string[] = [];
    for (const [name, text] of scripts) {
      const result = await scanText(text);
      problems.push(...result.errors.map((error) => `${name}: does not parse: ${error}`));
      if (result.findings.length > 0) problems.push(report(name, result.findings));
    }
    assert.equal(problems.join('\n'), '');
  });

  it("the wrapper's 7-only parameters are the guarded ones: -DateKind and -EnumsAsStrings", async function () {
    const result = await scanText(readFileSync(WRAPPER, 'utf8'));
    assert.deepEqual(result.guarded.map((f) => f.rule).sort(), [
      'parameter ConvertFrom-Json -DateKind',
      'parameter ConvertTo-Json -EnumsAsStrings',
    ]);
  });

  // One small bad script per rule: the scanner reports each, on its line.
  const bad: ReadonlyArray<readonly [string, string]> = [
    ['ternary ?:', '$a = $true ? 1 : 2'],
    ['null-coalescing ??', '$a = $b ?? 1'],
    ['null-coalescing assignment ??=', '$a ??= 1'],
    ['null-conditional member ?.', '$a = ${b}?.Name'],
    ['null-conditional member ?.', '$a = ${b}?.GetType()'],
    ['null-conditional index ?[]', '$a = ${b}?[0]'],
    ['pipeline chain && ||', 'Get-Item . && Get-Item .'],
    ['pipeline chain && ||', 'Get-Item . || Get-Item .'],
    ['clean block', 'function f { process { 1 } clean { 2 } }'],
    ['unicode escape `u{}', '$a = "`u{2713}"'],
    ['numeric literal suffix', '$a = 1u'],
    ['numeric literal suffix', '$a = 0b101'],
    ['parameter ForEach-Object -Parallel', '1..2 | ForEach-Object -Parallel { $_ }'],
    ['parameter ForEach-Object -Parallel', '1..2 | % -Para { $_ }'],
    ['parameter ConvertFrom-Json -AsHashtable', "'{}' | ConvertFrom-Json -AsHashtable"],
    ['parameter ConvertFrom-Json -AsHashtable', "$p = @{ AsHashtable = $true }; '{}' | ConvertFrom-Json @p"],
    ['parameter ConvertFrom-Json -Depth', "'{}' | ConvertFrom-Json -Depth 5"],
    ['parameter ConvertFrom-Json -DateKind', "'{}' | ConvertFrom-Json -DateKind String"],
    ['parameter ConvertFrom-Json -NoEnumerate', "'[]' | ConvertFrom-Json -NoEnumerate"],
    ['parameter ConvertTo-Json -EnumsAsStrings', 'ConvertTo-Json -InputObject 1 -EnumsAsStrings'],
    ['parameter ConvertTo-Json -AsArray', 'ConvertTo-Json -InputObject 1 -AsArray'],
    ['parameter Get-Content -AsByteStream', 'Get-Content -Path x -AsByteStream'],
    ['parameter Set-Content -AsByteStream', 'Set-Content -Path x -Value 1 -AsByteStream'],
    ['command Start-ThreadJob', 'Start-ThreadJob { 1 }'],
    ['command Join-String', "1, 2 | Join-String -Separator ','"],
    ['command Get-Error', 'Get-Error'],
    ['command Test-Json', "Test-Json -Json '{}'"],
    ['variable $PSStyle', '$a = $PSStyle.Reset'],
    // A guard that asks for something else, or the else branch of one that asks for it, does not count.
    [
      'parameter ConvertTo-Json -EnumsAsStrings',
      "if ($cmd.Parameters.ContainsKey('AsArray')) { ConvertTo-Json -InputObject 1 -EnumsAsStrings }",
    ],
    ['parameter ConvertFrom-Json -DateKind', "if ($state.DateKind) { 1 } else { '{}' | ConvertFrom-Json -DateKind String }"],
  ];
  for (const [rule, code] of bad) {
    it(`reports ${rule}: ${code}`, async function () {
      const result = await scanText(`param($Params)\n${code}\n`);
      assert.deepEqual(result.errors, []);
      assert.ok(
        result.findings.some((f) => f.rule === rule && f.line === 2),
        `expected "${rule}" on line 2, got: ${report('bad', result.findings) || 'nothing'}`,
      );
    });
  }

  it('lets through what 5.1 has and 7-only parameters behind a guard', async function () {
    const result = await scanText(
      [
        'param($Params)',
        '$map = [ordered]@{ a = 1 }; $list = [System.Collections.Generic.List[string]]::new()',
        '$text = \'a ?? b ?. c && d\'; $x = "$($map.a) ?"',
        "if ((Get-Command ConvertTo-Json).Parameters.ContainsKey('EnumsAsStrings')) { ConvertTo-Json -InputObject 1 -EnumsAsStrings }",
        "if ($PSVersionTable.PSVersion.Major -ge 7) { '{}' | ConvertFrom-Json -AsHashtable } elseif ($state.DateKind) { '{}' | ConvertFrom-Json -DateKind String }",
        'ConvertTo-Json -InputObject $map -Depth 4 -Compress; 1..2 | ForEach-Object { $_ }; Get-Content -Path x -Encoding Byte',
      ].join('\n'),
    );
    assert.deepEqual(result.errors, []);
    assert.equal(report('good', result.findings), '');
    assert.equal(result.guarded.length, 3);
  });
});
