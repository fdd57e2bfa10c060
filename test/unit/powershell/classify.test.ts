import * as assert from 'node:assert/strict';
import { classifyError, isRawErrorFacts, type RawErrorFacts } from '../../../src/powershell/classify';

function facts(overrides: Partial<RawErrorFacts>): RawErrorFacts {
  return {
    message: 'Something failed.',
    category: 'NotSpecified',
    errorId: 'Microsoft.PowerShell.Commands.WriteErrorException',
    exceptionType: 'Microsoft.PowerShell.Commands.WriteErrorException',
    targetObject: null,
    chain: [],
    ...overrides,
  };
}

describe('PowerShell error classification', () => {
  it('reports a missing Hyper-V, AD or cluster cmdlet as moduleMissing, naming the module', () => {
    const cases: [string, RegExp][] = [
      ['Get-VM', /Hyper-V/],
      ['Get-VHD', /Hyper-V/],
      ['Get-ADComputer', /ActiveDirectory/],
      ['Get-ClusterNode', /FailoverClusters/],
    ];
    for (const [command, module] of cases) {
      const error = classifyError(
        facts({
          message: `The term '${command}' is not recognized as a name of a cmdlet, function, script file, or executable program.`,
          category: 'ObjectNotFound',
          errorId: 'CommandNotFoundException',
          exceptionType: 'System.Management.Automation.CommandNotFoundException',
          targetObject: command,
        }),
      );
      assert.equal(error.kind, 'moduleMissing', command);
      assert.match(error.message, module);
      assert.match(error.message, new RegExp(command));
      assert.equal(error.category, 'ObjectNotFound');
    }
  });

  it('keeps an unknown command that belongs to no such module a scriptError', () => {
    const error = classifyError(
      facts({
        message: "The term 'Get-Frobnicator' is not recognized as a name of a cmdlet.",
        errorId: 'CommandNotFoundException',
        exceptionType: 'System.Management.Automation.CommandNotFoundException',
      }),
    );
    assert.equal(error.kind, 'scriptError');
  });

  it('reports a module Import-Module cannot find as moduleMissing', () => {
    const error = classifyError(
      facts({
        message: "The specified module 'Hyper-V' was not loaded because no valid module file was found in any module directory.",
        category: 'ResourceUnavailable',
        errorId: 'Modules_ModuleNotFound,Microsoft.PowerShell.Commands.ImportModuleCommand',
        exceptionType: 'System.IO.FileNotFoundException',
      }),
    );
    assert.equal(error.kind, 'moduleMissing');
  });

  it('reports refusals as accessDenied: by category, exception type, text or HRESULT', () => {
    const variants: Partial<RawErrorFacts>[] = [
      { category: 'PermissionDenied' },
      {
        chain: [
          { type: 'System.UnauthorizedAccessException', message: 'Attempted to perform an unauthorized operation.', hresult: '80070005' },
        ],
      },
      { message: 'Connecting to remote server HV02 failed with the following error message : Access is denied.' },
      {
        message:
          "You do not have the required permission to complete this task. Contact the administrator of the authorization policy for the computer 'HV03'.",
      },
      { message: 'General access denied error (0x80070005).' },
      { chain: [{ type: 'System.Runtime.InteropServices.COMException', message: 'x', hresult: '80070005' }] },
    ];
    for (const variant of variants) {
      assert.equal(classifyError(facts(variant)).kind, 'accessDenied', JSON.stringify(variant));
    }
    assert.equal(classifyError(facts(variants[2])).target, 'HV02');
    assert.equal(classifyError(facts(variants[3])).target, 'HV03');
  });

  it("takes WinRM's Kerberos failure for want of a credential (a second hop) as accessDenied, not an unreachable host", () => {
    const message =
      "The operation on computer 'HV02' failed: WinRM cannot process the request. The following error with errorcode 0x8009030e occurred while using Kerberos authentication: A specified logon session does not exist. It may already have been terminated.";
    const error = classifyError(facts({ message, category: 'NotSpecified' }));
    assert.equal(error.kind, 'accessDenied');
    assert.equal(error.target, 'HV02');
    assert.equal(classifyError(facts({ message: 'No credentials are available in the security package' })).kind, 'accessDenied');
  });

  it('reports hosts that do not answer as hostUnreachable, with the computer named in the message', () => {
    const messages = [
      "The operation on computer 'HV09' failed: The WinRM client cannot process the request. If the authentication scheme is different from Kerberos...",
      'Connecting to remote server HV09 failed with the following error message : WinRM cannot complete the operation. Verify that the specified computer name is valid.',
      "The operation on computer 'HV09' failed: The RPC server is unavailable.",
      "The operation on computer 'HV09' failed: The computer name could not be resolved.",
      "The operation on computer 'HV09' failed: Failed to connect to the host.",
      "The operation on computer 'HV09' failed: The RPC server is unavailable. (Exception from HRESULT: 0x800706BA)",
      "The operation on computer 'HV09' failed: Unable to connect to the server.",
      '[HV09] Processing data from remote server HV09 failed with the following error message: The request for the Windows Remote Shell with ShellId 6C5B9D2E-1B9A-4C1E-9C5B-0B6E1F2A3B4C failed because the shell was not found on the server. Possible causes are: the specified ShellId is incorrect or the shell no longer exists on the server. Provide the correct ShellId or create a new shell and retry the operation.',
    ];
    for (const message of messages) {
      const error = classifyError(facts({ message, category: 'ConnectionError' }));
      assert.equal(error.kind, 'hostUnreachable', message);
      assert.equal(error.target, 'HV09', message);
      assert.equal(error.message, message);
    }
  });

  it('finds unreachable hosts by HRESULT and takes the target from TargetObject when the message names none', () => {
    const error = classifyError(
      facts({
        message: 'The operation failed.',
        targetObject: 'hv10.contoso.lab',
        chain: [{ type: 'System.Runtime.InteropServices.COMException', message: 'x', hresult: '800706ba' }],
      }),
    );
    assert.equal(error.kind, 'hostUnreachable');
    assert.equal(error.target, 'hv10.contoso.lab');
  });

  it('passes anything else through as scriptError with message, category, error id and exception type', () => {
    const error = classifyError(
      facts({
        message: "Hyper-V was unable to find a virtual machine with name 'nosuch'.",
        category: 'InvalidArgument',
        errorId: 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM',
        exceptionType: 'Microsoft.HyperV.PowerShell.VirtualizationException',
        targetObject: 'nosuch',
      }),
    );
    assert.deepEqual(error, {
      kind: 'scriptError',
      message: "Hyper-V was unable to find a virtual machine with name 'nosuch'.",
      category: 'InvalidArgument',
      errorId: 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM',
      exceptionType: 'Microsoft.HyperV.PowerShell.VirtualizationException',
    });
  });

  it('recognizes only well-formed error facts', () => {
    assert.equal(isRawErrorFacts(facts({})), true);
    assert.equal(isRawErrorFacts({ ...facts({}), chain: [{ type: 'x' }] }), false);
    assert.equal(isRawErrorFacts({ message: 'x' }), false);
    assert.equal(isRawErrorFacts(null), false);
  });
});
