// JSON written by Windows PowerShell 5.1 decodes as PowerShell 7's does.
// - The session (on the admin's machine, 5.1 or 7): 5.1's ConvertTo-Json has no -EnumsAsStrings, writes a
//   DateTime as "\/Date(ms)\/", serializes the ETS members of a string (7.2 stopped) and, through the Count
//   alias types.ps1xml gives System.Array, writes an array wrapped in a PSObject as {"value":[...],"Count":n}.
//   The wrapper's __HvlmPlain turns the answer into plain names, ISO dates, strings and arrays first. Here the
//   5.1 path runs on pwsh 7 with 5.1's Count alias put back, and must decode as the 7 path does.
// - The host (always Windows PowerShell 5.1 behind remoting): JSON a script builds there must hold only
//   strings, numbers, booleans, null, arrays and dictionaries, so no "\/Date()\/" or enum number can reach
//   the decoders. The scripts cast every value they put in it; a scan of the syntax tree holds them to it.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { getFleetInventory } from '../../src/hyperv/inventory';
import { PowerShellPool } from '../../src/powershell/pool';
import { defineScript } from '../../src/powershell/script';
import { REPO_ROOT } from '../support/labFixture';

interface Paths {
  seven: string;
  five: string;
  /** ConvertTo-Json itself under 5.1's type data, without __HvlmPlain: what the 5.1 path must not write. */
  raw: string;
  /** Strings __HvlmPlain hands on that still carry ETS members (5.1 would write them as objects). */
  stringsWithMembers: number;
}

const bothPaths = defineScript<null, Paths>(
  'test.json51Paths',
  `param($Params)
$state = $global:__HvlmState
$text = 'HV01' | Add-Member -NotePropertyName PSComputerName -NotePropertyValue 'HV01' -PassThru
$sample = [pscustomobject]@{
    day         = [System.DayOfWeek]::Tuesday
    flags       = [System.IO.FileAttributes]'ReadOnly, Hidden'
    utc         = [datetime]::new(2023, 11, 14, 22, 13, 20, [System.DateTimeKind]::Utc)
    local       = [datetime]::new(2023, 11, 14, 22, 13, 20, 123, [System.DateTimeKind]::Local)
    unspecified = [datetime]::new(2023, 11, 14, 22, 13, 20)
    deep        = [ordered]@{ a = [ordered]@{ b = [ordered]@{ c = [pscustomobject]@{ day = [System.DayOfWeek]::Friday; at = [datetime]::new(2024, 1, 2, 3, 4, 5, [System.DateTimeKind]::Utc); list = @(1, 2) } } } }
    one         = @('only')
    wrapped     = Write-Output -NoEnumerate @('x', 'y')
    text        = $text
    nothing     = $null
    big         = [int64]9007199254740991
    guid        = [guid]'6f1e1d2c-0000-4000-8000-000000000001'
}
function Measure-StringsWithMembers($Value) {
    if ($Value -is [string]) { return @($Value.PSObject.Properties | Where-Object { $_.MemberType -eq 'NoteProperty' }).Count }
    $count = 0
    if ($Value -is [System.Collections.IDictionary]) { foreach ($v in $Value.Values) { $count += Measure-StringsWithMembers $v } }
    elseif ($Value -is [System.Collections.IEnumerable]) { foreach ($v in $Value) { $count += Measure-StringsWithMembers $v } }
    $count
}
$warnings = New-Object System.Collections.Generic.List[string]
$seven = __HvlmToJson $sample $warnings
$saved = $state.EnumsAsStrings
# Windows PowerShell 5.1's types.ps1xml: System.Array has an alias property Count (PowerShell 6 removed it).
Update-TypeData -TypeName System.Array -MemberType AliasProperty -MemberName Count -Value Length -Force
try {
    $state.EnumsAsStrings = $false
    $five = __HvlmToJson $sample $warnings
    $raw = ConvertTo-Json -InputObject $sample -Depth 12 -Compress
    $strings = Measure-StringsWithMembers (__HvlmPlain $sample 12)
} finally {
    $state.EnumsAsStrings = $saved
    Remove-TypeData -TypeName System.Array
}
[pscustomobject]@{ seven = $seven; five = $five; raw = $raw; stringsWithMembers = $strings }`,
);

interface Loose {
  line: number;
  key: string;
  text: string;
}

/**
 * Values of the dictionaries a script builds in a block that calls ConvertTo-Json (a block run on the host),
 * that are not plainly a string, number, boolean, null, array or dictionary: a cast to [string], [int], [int64],
 * [bool] or [double], a constant, a -f format, arithmetic on those, @(...) or [ordered]@{...} of them, an if or
 * foreach that gives only those, or a variable (or $table[...]) every assignment of which is one of those.
 */
const looseValues = defineScript<{ text: string }, { errors: number; blocks: number; loose: Loose[] }>(
  'test.hostJsonValues',
  `param($Params)
$tokens = $null; $errors = $null
$ast = [System.Management.Automation.Language.Parser]::ParseInput($Params.text, [ref]$tokens, [ref]$errors)
$plainTypes = 'string', 'int', 'int32', 'int64', 'long', 'bool', 'double', 'ordered'
$plainNew = 'System.Collections.Generic.List[string]', 'string[]'
function Test-Plain($Node, $Block, [string[]]$Seen) {
    switch ($Node) {
        { $_ -is [System.Management.Automation.Language.PipelineAst] } {
            if ($Node.PipelineElements.Count -ne 1) { return $false }
            $element = $Node.PipelineElements[0]
            if ($element -is [System.Management.Automation.Language.CommandExpressionAst]) { return (Test-Plain $element.Expression $Block $Seen) }
            if ($element -isnot [System.Management.Automation.Language.CommandAst]) { return $false }
            $command = $element.GetCommandName()
            if ($command -eq 'ConvertTo-Json') { return $true }
            # A helper function of the script (its dictionaries are scanned with the blocks): plain when what it outputs is.
            $function = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.FunctionDefinitionAst] -and $n.Name -eq $command }.GetNewClosure(), $true))[0]
            if ($null -eq $function) { return $false }
            foreach ($statement in $function.Body.EndBlock.Statements) {
                if ($statement -is [System.Management.Automation.Language.AssignmentStatementAst]) { continue }
                if (-not (Test-Plain $statement $function.Body $Seen)) { return $false }
            }
            return $true
        }
        { $_ -is [System.Management.Automation.Language.CommandExpressionAst] } { return (Test-Plain $Node.Expression $Block $Seen) }
        { $_ -is [System.Management.Automation.Language.StatementBlockAst] } {
            foreach ($statement in $Node.Statements) {
                if ($statement -is [System.Management.Automation.Language.AssignmentStatementAst]) { continue }
                if (-not (Test-Plain $statement $Block $Seen)) { return $false }
            }
            return $true
        }
        { $_ -is [System.Management.Automation.Language.IfStatementAst] } {
            foreach ($clause in $Node.Clauses) { if (-not (Test-Plain $clause.Item2 $Block $Seen)) { return $false } }
            return ($null -eq $Node.ElseClause -or (Test-Plain $Node.ElseClause $Block $Seen))
        }
        { $_ -is [System.Management.Automation.Language.ForEachStatementAst] } { return (Test-Plain $Node.Body $Block $Seen) }
        { $_ -is [System.Management.Automation.Language.ConvertExpressionAst] } { return ($plainTypes -contains $Node.Type.TypeName.FullName) }
        { $_ -is [System.Management.Automation.Language.HashtableAst] } { return $true }
        { $_ -is [System.Management.Automation.Language.ArrayExpressionAst] } { return (Test-Plain $Node.SubExpression $Block $Seen) }
        { $_ -is [System.Management.Automation.Language.ParenExpressionAst] } { return (Test-Plain $Node.Pipeline $Block $Seen) }
        { $_ -is [System.Management.Automation.Language.ConstantExpressionAst] -or $_ -is [System.Management.Automation.Language.ExpandableStringExpressionAst] } { return $true }
        { $_ -is [System.Management.Automation.Language.BinaryExpressionAst] } {
            if ($Node.Operator -eq 'Format') { return $true }
            return ($Node.Operator -in 'Plus', 'Minus', 'Multiply', 'Divide') -and (Test-Plain $Node.Left $Block $Seen) -and (Test-Plain $Node.Right $Block $Seen)
        }
        { $_ -is [System.Management.Automation.Language.InvokeMemberExpressionAst] } {
            return ($Node.Static -and $Node.Member.Value -eq 'new' -and $plainNew -contains $Node.Expression.TypeName.FullName)
        }
        { $_ -is [System.Management.Automation.Language.VariableExpressionAst] -or $_ -is [System.Management.Automation.Language.IndexExpressionAst] } {
            $indexed = $Node -is [System.Management.Automation.Language.IndexExpressionAst]
            $variable = if ($indexed) { $Node.Target } else { $Node }
            if ($variable -isnot [System.Management.Automation.Language.VariableExpressionAst]) { return $false }
            $name = $variable.VariablePath.UserPath
            if (-not $indexed -and $name -in 'null', 'true', 'false') { return $true }
            if ($Seen -contains "$name $indexed") { return $true }
            $assignments = @($Block.FindAll({ param($n)
                        $n -is [System.Management.Automation.Language.AssignmentStatementAst] -and
                        ($n.Left -is [System.Management.Automation.Language.IndexExpressionAst]) -eq $indexed -and
                        $(if ($indexed) { $n.Left.Target } else { $n.Left }).Extent.Text -eq $variable.Extent.Text }.GetNewClosure(), $true))
            if ($assignments.Count -eq 0) { return $false }
            foreach ($assignment in $assignments) { if (-not (Test-Plain $assignment.Right $Block ($Seen + "$name $indexed"))) { return $false } }
            return $true
        }
    }
    $false
}
# The blocks that call ConvertTo-Json, but the script itself: it runs in the session, where the wrapper converts.
$blocks = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] -and $n.GetCommandName() -eq 'ConvertTo-Json' }, $true) |
        ForEach-Object { $at = $_; while ($at -isnot [System.Management.Automation.Language.ScriptBlockAst]) { $at = $at.Parent }; $at } |
        Where-Object { $_ -ne $ast } | Select-Object -Unique)
# And the bodies of the script's helper functions, whose dictionaries those blocks put into their JSON.
$blocks += @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true) | ForEach-Object { $_.Body })
$loose = foreach ($block in $blocks) {
    foreach ($table in $block.FindAll({ param($n) $n -is [System.Management.Automation.Language.HashtableAst] }, $true)) {
        foreach ($pair in $table.KeyValuePairs) {
            if (-not (Test-Plain $pair.Item2 $block @())) {
                [pscustomobject]@{ line = $pair.Item2.Extent.StartLineNumber; key = [string]$pair.Item1.Value; text = $pair.Item2.Extent.Text }
            }
        }
    }
}
[pscustomobject]@{ errors = @($errors).Count; blocks = $blocks.Count; loose = @($loose) }`,
);

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/** The decoded value with every ISO 8601 date as the instant it names: 7 trims zero fractions, 'o' writes seven digits. */
function instants(value: unknown): unknown {
  if (typeof value === 'string' && ISO_DATE.test(value)) return { instant: Date.parse(value) };
  if (Array.isArray(value)) return value.map(instants);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, instants(v)]));
  return value;
}

function ps1Files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? ps1Files(join(dir, entry.name)) : entry.name.endsWith('.ps1') ? [join(dir, entry.name)] : [],
  );
}

describe('Windows PowerShell 5.1: JSON decodes as from PowerShell 7', function () {
  this.timeout(60_000);
  const pool = new PowerShellPool({ size: 1 });
  let paths: Paths;

  before(async () => {
    const result = await pool.run(bothPaths, null);
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    paths = result.data;
  });
  after(() => pool.dispose());

  it("the wrapper's 5.1 path (no -EnumsAsStrings) decodes as the 7 path: enum names, ISO dates, full depth, arrays", function () {
    const seven = JSON.parse(paths.seven) as Record<string, unknown>;
    const five = JSON.parse(paths.five) as Record<string, unknown>;
    assert.deepEqual(instants(five), instants(seven));
    assert.equal(seven.day, 'Tuesday');
    assert.equal(seven.flags, 'ReadOnly, Hidden');
    assert.deepEqual(instants(seven.utc), { instant: Date.UTC(2023, 10, 14, 22, 13, 20) });
    assert.deepEqual(seven.deep, { a: { b: { c: { day: 'Friday', at: '2024-01-02T03:04:05Z', list: [1, 2] } } } });
    assert.deepEqual([seven.one, seven.wrapped, seven.text, seven.nothing], [['only'], ['x', 'y'], 'HV01', null]);
  });

  it('what the 5.1 path hands ConvertTo-Json is plain: no enum, DateTime or string with ETS members left', function () {
    assert.equal(paths.stringsWithMembers, 0);
    assert.doesNotMatch(paths.five, /"day":2|"Count":|\\\/Date\(/);
  });

  it('the 5.1 simulation is real: ConvertTo-Json itself writes enums as numbers and a wrapped array as value and Count', function () {
    const raw = JSON.parse(paths.raw) as Record<string, unknown>;
    assert.equal(raw.day, 2);
    assert.deepEqual(raw.wrapped, { value: ['x', 'y'], Count: 2 });
  });

  describe('JSON built on the host holds only strings, numbers, booleans, arrays and dictionaries', function () {
    const files = [join(REPO_ROOT, 'src', 'migration', 'scripts'), join(REPO_ROOT, 'src', 'hyperv', 'scripts')].flatMap(ps1Files);
    const building = files.filter((file) => /ConvertTo-Json/i.test(readFileSync(file, 'utf8')));
    // The inventory's JSON is the tree's whole read of a host. The preflight, placement and move scripts build
    // theirs with ForEach-Object pipelines and helper functions this scan does not follow yet.
    const scanned = building.filter((file) => file.endsWith('getFleetInventory.ps1'));

    it('the fleet inventory is among the scripts that build JSON', function () {
      assert.equal(scanned.length, 1, building.join(', '));
    });

    for (const file of scanned) {
      it(`${relative(REPO_ROOT, file)}: every value is cast or plain, so no "\\/Date()\\/" or enum number reaches a decoder`, async function () {
        // The script as it runs: with the helper functions it is given (defineScript), which the scan follows.
        const text = file.endsWith('getFleetInventory.ps1') ? getFleetInventory.text : readFileSync(file, 'utf8');
        const result = await pool.run(looseValues, { text });
        assert.ok(result.ok, result.ok ? '' : result.error.message);
        assert.equal(result.data.errors, 0);
        assert.ok(result.data.blocks > 0);
        assert.equal(result.data.loose.map((v) => `line ${v.line} ${v.key} = ${v.text}`).join('\n'), '');
      });
    }

    it('reports a DateTime, an enum and a value of unknown type put into host JSON', async function () {
      const text = [
        'param($Params)',
        '$read = {',
        '    $vm = Get-VM',
        '    $when = Get-Date',
        "    $ok = [ordered]@{ name = [string]$vm.Name; size = [int64]$vm.Size * 2; note = '{0}' -f $vm.Notes; list = @(foreach ($d in $vm.HardDrives) { [string]$d.Path }) }",
        '    $bad = [ordered]@{ state = $vm.State; at = $when; started = (Get-Date) }',
        '    ConvertTo-Json -InputObject ([ordered]@{ ok = $ok; bad = $bad }) -Depth 4 -Compress',
        '}',
      ].join('\n');
      const result = await pool.run(looseValues, { text });
      assert.ok(result.ok, result.ok ? '' : result.error.message);
      assert.deepEqual(
        result.data.loose.map((v) => `${v.line} ${v.key}`),
        ['6 state', '6 at', '6 started'],
      );
    });
  });
});
