// Authentication and constrained delegation: CredSSP or Kerberos, the second hop from the source to the
// destination, and the delegation entries a Kerberos move needs on the source's AD computer account.
import * as l10n from '@vscode/l10n';
import { adNameProblem } from '../../hyperv/hostName';
import type { Evidence } from '../types';
import { same, type CheckContext, type Findings } from './context';

const SERVICES = ['Microsoft Virtual System Migration Service', 'cifs'];

export function authentication(ctx: CheckContext, findings: Findings): void {
  const src = ctx.src;
  if (!src) return;
  const dst = ctx.dst;
  const credssp = [src.host, dst?.host].filter((h) => !!h && /credssp/i.test(h.authenticationType));
  const sourceCredssp = /credssp/i.test(src.host.authenticationType);
  if (credssp.length > 0) {
    const names = credssp.map((h) => h!.name);
    const [first = '', second = ''] = names;
    const both = names.length > 1;
    // The move starts on the source, in a PowerShell session there, which Microsoft counts as the sign-in
    // CredSSP needs ("a local console session, a Remote Desktop session, or a remote Windows PowerShell session").
    const cause = sourceCredssp
      ? l10n.t(
          '{0} uses CredSSP, which needs the move started by someone signed in on {0}: this extension starts it in a PowerShell session on {0}, which counts. Credential Guard (on by default in Windows Server 2025) breaks CredSSP, and moving back needs the same on {1}. Kerberos with constrained delegation is the setup Microsoft recommends.',
          src.host.name,
          ctx.destination,
        )
      : both
        ? l10n.t(
            '{0} and {1} use CredSSP while {2} uses Kerberos: the hosts should agree, or moves back to {2} need a sign-in on {0} and {1}.',
            first,
            second,
            src.host.name,
          )
        : l10n.t(
            '{0} uses CredSSP while {1} uses Kerberos: the hosts should agree, or moves back to {1} need a sign-in on {0}.',
            first,
            src.host.name,
          );
    findings.add({
      id: 'authentication.credssp',
      area: 'authentication',
      severity: 'warning',
      title: both
        ? l10n.t('{0} and {1} authenticate migrations with CredSSP', first, second)
        : l10n.t('{0} authenticates migrations with CredSSP', first),
      cause,
      evidence: credssp.map((h) => ({
        source: `Get-VMHost -ComputerName ${h!.name}`,
        detail: `VirtualMachineMigrationAuthenticationType: ${h!.authenticationType}`,
      })),
      fixes: [
        {
          id: 'use-kerberos',
          title: both ? l10n.t('Switch {0} and {1} to Kerberos', first, second) : l10n.t('Switch {0} to Kerberos', first),
          description: both
            ? l10n.t(
                "Runs Set-VMHost -VirtualMachineMigrationAuthenticationType Kerberos on {0} and {1}. Kerberos needs constrained delegation from the source's AD account to the destination (checked below).",
                first,
                second,
              )
            : l10n.t(
                "Runs Set-VMHost -VirtualMachineMigrationAuthenticationType Kerberos on {0}. Kerberos needs constrained delegation from the source's AD account to the destination (checked below).",
                first,
              ),
          destructive: false,
          appliesTo: 'host',
          args: { hosts: names },
        },
      ],
    });
  }
  // The report flow runs on the source, and its connection to the destination is a second hop: with no
  // credential handed on, it has none of the admin's (learn.microsoft.com, "Making the second hop"), unless
  // delegation was set up for it. The compare's own answer tells: refused, it is this (since Windows Server 2016 the
  // Hyper-V cmdlets reach another host over WinRM, whose Kerberos failure for want of a credential classify.ts also
  // takes as accessDenied).
  const refused =
    src.compareError &&
    (src.compareError.kind === 'accessDenied' || /required permission|access is denied/i.test(src.compareError.message));
  if (refused && !ctx.handsOnCredential && !src.host.isLocal) {
    findings.add({
      id: 'authentication.second-hop',
      area: 'authentication',
      severity: 'blocker',
      title: l10n.t('{0} cannot reach {1} on your behalf', src.host.name, ctx.destination),
      cause: l10n.t(
        'Compare-VM and Move-VM -CompatibilityReport run on {0} itself (the report cmdlets have no -ComputerName), and from there {1} is a second hop, which a remoting session has no credentials for. Store a credential for {1} (Hyper-V: Set Credentials…): the check and the move pass it on as -DestinationCredential.',
        src.host.name,
        ctx.destination,
      ),
      evidence: [{ source: `Compare-VM on ${src.host.name}`, detail: src.compareError?.message ?? '' }],
      fixes: [],
    });
  }
  // Delegation is what Kerberos needs; a CredSSP move does not use it.
  if (sourceCredssp) return;
  if (!src.account) {
    const error = src.accountError;
    findings.add({
      id: 'authentication.unverified',
      area: 'authentication',
      severity: 'warning',
      title: l10n.t('Delegation of {0} could not be read', src.host.name),
      cause:
        error?.kind === 'moduleMissing'
          ? l10n.t(
              "Reading {0}'s AD account needs the ActiveDirectory PowerShell module (RSAT) where this extension runs. Without it, missing delegation shows only when the move fails (0x8009030D or 0x8009030E).",
              src.host.name,
            )
          : l10n.t(
              "{0}'s AD computer account could not be read, so its constrained delegation to {1} is unknown; if it is missing, the move fails with 0x8009030D or 0x8009030E.",
              src.host.name,
              ctx.destination,
            ),
      evidence: [{ source: `Get-ADComputer ${src.host.name}`, detail: error?.message ?? l10n.t('no answer') }],
      fixes: [],
    });
    return;
  }
  const account = src.account;
  // The accounts are found by the configured names and confirmed by AD's dNSHostName; the destination's
  // entries are its names as AD has them, never a name a host gives itself, never guessed. A destination
  // that could not be read at all has its own finding already.
  if (!dst) return;
  const sourceProblem = adNameProblem(ctx.request.source, account);
  const target = dst.account;
  const targetProblem = target ? adNameProblem(ctx.request.destination, target) : undefined;
  if (sourceProblem || targetProblem || !target) {
    const problem =
      sourceProblem ??
      targetProblem ??
      l10n.t("{0}'s AD computer account could not be read: {1}", ctx.request.destination, dst.accountError?.message ?? l10n.t('no answer'));
    findings.add({
      id: 'authentication.ad-name',
      area: 'authentication',
      severity: 'warning',
      title: l10n.t('Delegation from {0} to {1} cannot be checked', ctx.request.source, ctx.request.destination),
      cause: l10n.t(
        "{0} The delegation entries are made for the hosts' names as AD has their computers, so they are neither checked nor changed; if they are missing, a Kerberos move fails with 0x8009030D or 0x8009030E.",
        problem,
      ),
      evidence: [
        { source: `Get-ADComputer for ${ctx.request.source}`, detail: `${account.name}, dNSHostName ${account.dnsHostName || '(none)'}` },
        {
          source: `Get-ADComputer for ${ctx.request.destination}`,
          detail: target
            ? `${target.name}, dNSHostName ${target.dnsHostName || '(none)'}`
            : (dst.accountError?.message ?? l10n.t('not read')),
        },
      ],
      fixes: [],
    });
    return;
  }
  const destShort = target.name;
  const names = [target.name, target.dnsHostName].filter((n, i, all) => n && all.findIndex((m) => same(m, n)) === i);
  const required = SERVICES.flatMap((service) => names.map((name) => `${service}/${name}`));
  const missing = required.filter((entry) => !account.allowedToDelegateTo.some((have) => same(have, entry)));
  const listed: Evidence = {
    source: `Get-ADComputer ${account.name} -Properties msDS-AllowedToDelegateTo, TrustedToAuthForDelegation`,
    detail: `msDS-AllowedToDelegateTo: ${account.allowedToDelegateTo.length ? account.allowedToDelegateTo.join('; ') : '(none)'}; TrustedToAuthForDelegation: ${account.trustedToAuthForDelegation}`,
  };
  if (missing.length > 0) {
    findings.add({
      id: 'authentication.delegation',
      area: 'authentication',
      severity: 'blocker',
      title: l10n.t('{0} may not delegate to {1} ({2} of {3} entries missing)', src.host.name, destShort, missing.length, required.length),
      cause: l10n.t(
        'A Kerberos live migration started from here needs {0}\'s AD account to delegate both the migration service and cifs to {1}, by short name and FQDN; without them Move-VM fails with "The credentials supplied to the package were not recognized (0x8009030D)". Delegation is one-way: moving back needs {1}\'s own entries.',
        src.host.name,
        destShort,
      ),
      evidence: [listed, { source: l10n.t('missing entries'), detail: missing.join('; ') }],
      fixes: [
        {
          id: 'add-delegation',
          title: l10n.t('Add the {0} delegation entries to {1}', missing.length, account.name),
          description: account.trustedToAuthForDelegation
            ? l10n.t(
                "Changes {0}'s AD computer account: adds {1} to msDS-AllowedToDelegateTo. AD must replicate the change, and {2} needs a new Kerberos ticket (klist purge -li 0x3e7 on {2}, or a reboot) before it takes effect.",
                account.name,
                missing.join(', '),
                src.host.name,
              )
            : l10n.t(
                'Changes {0}\'s AD computer account: adds {1} to msDS-AllowedToDelegateTo and turns on "use any authentication protocol". AD must replicate the change, and {2} needs a new Kerberos ticket (klist purge -li 0x3e7 on {2}, or a reboot) before it takes effect.',
                account.name,
                missing.join(', '),
                src.host.name,
              ),
          destructive: true,
          appliesTo: 'ad',
          args: { account: account.name, entries: missing, host: src.host.name },
        },
      ],
    });
  }
  if (!account.trustedToAuthForDelegation) {
    findings.add({
      id: 'authentication.any-protocol',
      area: 'authentication',
      severity: 'blocker',
      title: l10n.t('{0}\'s delegation is "Kerberos only"', account.name),
      cause: l10n.t(
        'Since Windows Server 2016 a live migration needs "use any authentication protocol" (TrustedToAuthForDelegation) on the source\'s AD account; with Kerberos only, Move-VM fails with "No credentials are available in the security package (0x8009030E)".',
      ),
      evidence: [listed],
      fixes: [
        {
          id: 'allow-any-protocol',
          title: l10n.t('Let {0} delegate with any authentication protocol', account.name),
          description: l10n.t(
            "Changes {0}'s AD computer account: Set-ADAccountControl -TrustedToAuthForDelegation $true. AD must replicate the change, and {1} needs a new Kerberos ticket (klist purge -li 0x3e7 on {1}, or a reboot) before it takes effect.",
            account.name,
            src.host.name,
          ),
          destructive: true,
          appliesTo: 'ad',
          args: { account: account.name, host: src.host.name },
        },
      ],
    });
  }
}
