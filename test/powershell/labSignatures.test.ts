// Every parameter of the lab's Hyper-V cmdlets exists in the real Hyper-V module (the signatures
// file), with a compatible type, in parameter sets the real cmdlet has; so do those of the PowerShell
// remoting cmdlets the lab simulates (Invoke-Command, New-PSSession, Get-PSSession, Remove-PSSession).

import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLab, REPO_ROOT, type Lab } from '../support/labFixture';

interface SignatureParameter {
  type: string;
  aliases?: string[];
  sets: { set: string; mandatory?: boolean; position?: number; pipeline?: boolean }[];
}
interface Signatures {
  cmdlets: Record<string, { parameterSets: string[]; parameters: Record<string, SignatureParameter> }>;
  enums: Record<string, Record<string, number>>;
}
interface LabParameter {
  Name: string;
  Type: string;
  PSTypeName: string | null;
  ValidValues: string[];
  Aliases: string[];
  Sets: string[];
}
interface LabCommand {
  Name: string;
  Parameters: LabParameter[];
}

const SIGNATURES = join(REPO_ROOT, 'test', 'fixtures', 'hyperv-module-signatures.json');
const COMMON = new Set([
  'Verbose',
  'Debug',
  'ErrorAction',
  'WarningAction',
  'InformationAction',
  'ProgressAction',
  'ErrorVariable',
  'WarningVariable',
  'InformationVariable',
  'OutVariable',
  'OutBuffer',
  'PipelineVariable',
  'WhatIf',
  'Confirm',
]);
const PRIMITIVES: Record<string, string> = {
  'System.String': 'string',
  'System.Boolean': 'bool',
  'System.UInt32': 'uint32',
  'System.Int32': 'int',
  'System.Int64': 'long',
  'System.Guid': 'guid',
  'System.Management.Automation.SwitchParameter': 'switch',
  'System.Management.Automation.PSCredential': 'pscredential',
  'System.Management.Automation.PSObject': 'psobject',
  'System.Collections.Hashtable': 'hashtable',
};

/** Why the lab parameter's type is not compatible with the real one, or null when it is. */
function typeProblem(lab: LabParameter, real: string, enums: Signatures['enums']): string | null {
  // .NET writes Nullable<Guid> as System.Nullable`1[[System.Guid, System.Private.CoreLib, ...]].
  const type = lab.Type.replace(/^System\.Nullable`1\[\[([^,\]]+),[^\]]*\]\]/, 'System.Nullable`1[$1]');
  const array = type.endsWith('[]');
  const nullable = /^System\.Nullable`1\[(.+)\]$/.exec(type.replace(/\[\]$/, ''));
  const base = nullable ? nullable[1] : type.replace(/\[\]$/, '');
  const realArray = real.endsWith('[]');
  const realNullable = /^System\.Nullable\[(.+)\]$/.exec(real.replace(/\[\]$/, ''));
  const realBase = realNullable ? realNullable[1] : real.replace(/\[\]$/, '');
  if (array !== realArray) return `array ${lab.Type} vs ${real}`;
  if (enums[realBase]) {
    if (base !== 'System.String') return `enum ${real} must be a string with a ValidateSet, not ${lab.Type}`;
    const unknown = lab.ValidValues.filter((v) => !(v in enums[realBase]));
    if (lab.ValidValues.length === 0 || unknown.length > 0) return `ValidateSet ${JSON.stringify(lab.ValidValues)} vs enum ${realBase}`;
    return null;
  }
  if (Boolean(nullable) !== Boolean(realNullable)) return `nullable ${lab.Type} vs ${real}`;
  if (PRIMITIVES[base] === realBase.toLowerCase()) return null;
  if (PRIMITIVES[base] === 'psobject' && lab.PSTypeName) {
    return lab.PSTypeName.endsWith(`.${realBase}`) ? null : `PSTypeName ${lab.PSTypeName} vs ${real}`;
  }
  // The real .NET type itself (ScriptBlock, PSSessionOption, AuthenticationMechanism of the remoting cmdlets).
  if (base.toLowerCase().endsWith(`.${realBase.toLowerCase()}`)) return null;
  return `${lab.Type} vs ${real}`;
}

describe('lab: cmdlet parameters match the real Hyper-V module', function () {
  let lab: Lab;
  let commands: LabCommand[];
  const signatures = JSON.parse(readFileSync(SIGNATURES, 'utf8')) as Signatures;

  before(async function () {
    lab = await createLab({ size: 1 });
    commands = await lab.run<LabCommand[]>(
      'lab-parameters',
      `param($Params)
@(Get-Command -Module HyperVLab -CommandType Function | ForEach-Object {
    $command = $_
    [pscustomobject]@{
        Name = $command.Name
        Parameters = @($command.Parameters.Values | ForEach-Object {
            $attributes = $_.Attributes
            [pscustomobject]@{
                Name = $_.Name
                Type = $_.ParameterType.FullName
                PSTypeName = @($attributes | Where-Object { $_ -is [System.Management.Automation.PSTypeNameAttribute] } | ForEach-Object PSTypeName) | Select-Object -First 1
                ValidValues = @($attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | ForEach-Object ValidValues)
                Aliases = @($_.Aliases)
                Sets = @($_.ParameterSets.Keys)
            }
        })
    }
})`,
    );
  });

  after(async function () {
    await lab?.dispose();
  });

  it('covers every Hyper-V cmdlet the lab simulates', function () {
    const hyperV = commands.filter((c) => signatures.cmdlets[c.Name]).map((c) => c.Name);
    for (const name of [
      'Get-VM',
      'Start-VM',
      'Stop-VM',
      'Get-VMHost',
      'Set-VMHost',
      'Enable-VMMigration',
      'Get-VMMigrationNetwork',
      'Add-VMMigrationNetwork',
      'Get-VMSwitch',
      'New-VMSwitch',
      'Get-VMNetworkAdapter',
      'Connect-VMNetworkAdapter',
      'Disconnect-VMNetworkAdapter',
      'Get-VMProcessor',
      'Set-VMProcessor',
      'Get-VMHardDiskDrive',
      'Get-VHD',
      'Get-VMDvdDrive',
      'Set-VMDvdDrive',
      'Get-VMSnapshot',
      'Get-VMHostSupportedVersion',
      'Get-VMSecurity',
    ]) {
      assert.ok(hyperV.includes(name), `${name} is exported by the lab`);
    }
  });

  it('every parameter of a lab Hyper-V cmdlet exists in the real cmdlet, with a compatible type and real parameter sets', function () {
    const problems: string[] = [];
    for (const command of commands) {
      const real = signatures.cmdlets[command.Name];
      if (!real) continue;
      for (const parameter of command.Parameters) {
        if (COMMON.has(parameter.Name)) continue;
        const signature = real.parameters[parameter.Name];
        if (!signature) {
          problems.push(`${command.Name} -${parameter.Name}: not a parameter of the real cmdlet`);
          continue;
        }
        const problem = typeProblem(parameter, signature.type, signatures.enums);
        if (problem) problems.push(`${command.Name} -${parameter.Name}: ${problem}`);
        for (const alias of parameter.Aliases) {
          if (!(signature.aliases ?? []).includes(alias)) problems.push(`${command.Name} -${parameter.Name}: alias ${alias} is not real`);
        }
        const realSets = new Set([...real.parameterSets, '__AllParameterSets']);
        for (const set of parameter.Sets) {
          if (!realSets.has(set)) problems.push(`${command.Name} -${parameter.Name}: parameter set ${set} is not real`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });
});
