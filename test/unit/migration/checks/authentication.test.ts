// Authentication: CredSSP and the second hop from the source to the destination.
import * as assert from 'node:assert/strict';
import { createPreflightEngine } from '../../../../src/migration/preflight';
import { sourceAnswer, type Json } from '../../../support/preflightData';
import { REQUEST, runner } from './fixtures';

/** A source answer whose Compare-VM failed on a remote source with `error` (the source's error facts). */
function compareFailed(error: Json) {
  return (d: Json & { host: Json }) => {
    d.host.isLocal = false;
    d.compare = null;
    d.compareError = { ...error, chain: [] };
  };
}

describe('checks: authentication (fake PowerShell)', function () {
  it('CredSSP is a warning (the move starts in a session on the source); started elsewhere with no credential to hand on, the second hop blocks', async function () {
    const credssp = (isLocal: boolean) =>
      createPreflightEngine(
        runner(
          sourceAnswer((d) => {
            d.host.authenticationType = 'CredSSP';
            d.host.isLocal = isLocal;
          }),
        ),
      ).check(REQUEST);
    const local = await credssp(true);
    assert.deepEqual(
      local.findings.map((f) => [f.id, f.severity]),
      [['authentication.credssp', 'warning']],
    );
    const remote = await credssp(false);
    assert.deepEqual(
      remote.findings.map((f) => [f.id, f.severity]),
      [['authentication.credssp', 'warning']],
      'a compare that worked made its hop',
    );
  });

  it('a compare refused on the source with no credential handed on is the second hop: a blocker saying to store one', async function () {
    const refused = compareFailed({
      message:
        "You do not have the required permission to complete this task. Contact the administrator of the authorization policy for the computer 'HV02'.",
      category: 'PermissionDenied',
      errorId: 'AccessDenied',
      exceptionType: 'System.UnauthorizedAccessException',
      targetObject: 'HV02',
    });
    const without = await createPreflightEngine(runner(sourceAnswer(refused))).check(REQUEST);
    const hop = without.findings.find((f) => f.id === 'authentication.second-hop');
    assert.equal(hop?.severity, 'blocker', without.findings.map((f) => f.id).join(', '));
    assert.match(hop.cause, /Set Credentials.*-DestinationCredential/);
    const handedOn = await createPreflightEngine(runner(sourceAnswer(refused)), {
      credentialFor: () => ({ userName: 'CONTOSO\\admin', password: 'x' }),
    }).check(REQUEST);
    assert.ok(
      !handedOn.findings.some((f) => f.id === 'authentication.second-hop'),
      'with a credential handed on, a refusal is something else',
    );
  });

  it("a compare whose hop failed in WinRM's Kerberos authentication (no credential to pass on) is the second hop too, not an unreachable host", async function () {
    const kerberos = compareFailed({
      message:
        "The operation on computer 'HV02' failed: WinRM cannot process the request. The following error with errorcode 0x8009030e occurred while using Kerberos authentication: A specified logon session does not exist. It may already have been terminated.",
      category: 'NotSpecified',
      errorId: 'Unspecified',
      exceptionType: 'Microsoft.HyperV.PowerShell.VirtualizationException',
      targetObject: null,
    });
    const result = await createPreflightEngine(runner(sourceAnswer(kerberos))).check(REQUEST);
    const hop = result.findings.find((f) => f.id === 'authentication.second-hop');
    assert.equal(hop?.severity, 'blocker', result.findings.map((f) => f.id).join(', '));
    assert.match(hop.evidence[0]?.detail ?? '', /0x8009030e/);
  });
});
