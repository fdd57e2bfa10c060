// The fixes the preflight engine offers, applied in place. A host/vm/ad fix runs one fix script (fixScript.ts) with
// its values in $Params; its preview is built from the same parts, each value shown as a PowerShell literal, so
// "Show PowerShell" is exactly what runs (less the credential plumbing): the block a host fix runs in the host's
// persistent session (Invoke-OnHost) is shown, the very same text, in the Invoke-Command an admin runs.
// A plan fix changes nothing now: it returns the move plan with the choice made, and its preview is the
// PowerShell the move script runs on Compare-VM's report.
import * as l10n from '@vscode/l10n';
import { formatList } from '../hyperv/format';
import { hostKey } from '../hyperv/hostName';
import type { CallOptions, Credential, PowerShellError, PowerShellRunner } from '../powershell/types';
import { planPowerShell } from './compareVm';
import { AD_CREDENTIAL, inSession, inSessionFix, onHostFix, param, type FixParams, type FixScript } from './fixScript';
import fixAddMigrationNetworkText from './scripts/fixAddMigrationNetwork.ps1';
import fixCreateExternalSwitchText from './scripts/fixCreateExternalSwitch.ps1';
import fixCreateSwitchText from './scripts/fixCreateSwitch.ps1';
import fixEjectIsoText from './scripts/fixEjectIso.ps1';
import fixEnableMigrationText from './scripts/fixEnableMigration.ps1';
import fixKerberosText from './scripts/fixKerberos.ps1';
import fixProcessorCompatibilityText from './scripts/fixProcessorCompatibility.ps1';
import fixRemovePlannedVmText from './scripts/fixRemovePlannedVm.ps1';
import fixUseAnyNetworkText from './scripts/fixUseAnyNetwork.ps1';
import type { FixId, FixOption, FixOptionOf, FixOutcome, Fixer, FixRequest, MigrationRequest, MovePlan } from './types';

/** Every fix script, by name: a block run on a host (its file in scripts/), or AD commands run in the admin's session. */
export const fixScripts = {
  createSwitch: onHostFix('fixCreateSwitch', fixCreateSwitchText, { host: 'Host', args: ['SwitchName', 'SwitchType'] }),
  createExternalSwitch: onHostFix('fixCreateExternalSwitch', fixCreateExternalSwitchText, {
    host: 'Host',
    args: ['SwitchName', 'NetAdapter'],
  }),
  processorCompatibility: onHostFix('fixProcessorCompatibility', fixProcessorCompatibilityText, { host: 'Host', args: ['VmId'] }),
  ejectIso: onHostFix('fixEjectIso', fixEjectIsoText, {
    host: 'Host',
    args: ['VmId', 'ControllerType', 'ControllerNumber', 'ControllerLocation'],
  }),
  enableMigration: onHostFix('fixEnableMigration', fixEnableMigrationText, { host: 'Host' }),
  useAnyNetwork: onHostFix('fixUseAnyNetwork', fixUseAnyNetworkText, { host: 'Host' }),
  addMigrationNetwork: onHostFix('fixAddMigrationNetwork', fixAddMigrationNetworkText, { host: 'Host', args: ['Subnet'] }),
  kerberos: onHostFix('fixKerberos', fixKerberosText, { host: { each: 'Hosts' } }),
  delegation: inSessionFix(
    'fixDelegation',
    [
      "Adds the constrained-delegation entries the source's AD computer account lacks for this destination, and",
      '"use any authentication protocol" (needed since Windows Server 2016).',
    ],
    inSession`Get-ADComputer -Identity ${param('Account')}${AD_CREDENTIAL} | Set-ADObject -Add @{ 'msDS-AllowedToDelegateTo' = [string[]]${param('Entries')} }${AD_CREDENTIAL}
Get-ADComputer -Identity ${param('Account')}${AD_CREDENTIAL} | Set-ADAccountControl -TrustedToAuthForDelegation $true${AD_CREDENTIAL}
# Takes effect after AD replication and a new Kerberos ticket on the source host: klist purge -li 0x3e7 there, or a reboot.`,
  ),
  anyProtocol: inSessionFix(
    'fixAnyProtocol',
    ['Turns on "use any authentication protocol" for the source\'s constrained delegation.'],
    inSession`Get-ADComputer -Identity ${param('Account')}${AD_CREDENTIAL} | Set-ADAccountControl -TrustedToAuthForDelegation $true${AD_CREDENTIAL}
# Takes effect after AD replication and a new Kerberos ticket on the source host: klist purge -li 0x3e7 there, or a reboot.`,
  ),
  removePlannedVm: onHostFix('fixRemovePlannedVm', fixRemovePlannedVmText, { host: 'Host', args: ['VmId'] }),
} as const;

/**
 * Delegation entries, every one of them, compactly enough for a modal: one line per service, its targets after it
 * (`cifs/ HV02, HV02.contoso.lab` stands for cifs/HV02 and cifs/HV02.contoso.lab).
 */
function entryLines(entries: readonly string[]): string[] {
  const byService = new Map<string, string[]>();
  for (const entry of entries) {
    const slash = entry.indexOf('/');
    const service = slash < 0 ? entry : entry.slice(0, slash + 1);
    const target = slash < 0 ? '' : entry.slice(slash + 1);
    byService.set(service, [...(byService.get(service) ?? []), target]);
  }
  return [...byService].map(([service, targets]) => `    ${service} ${targets.filter((t) => t).join(', ')}`.trimEnd());
}

/**
 * What an AD change writes, one line per value, for the confirmation shown before it: the computer account,
 * the attribute, and each entry added to msDS-AllowedToDelegateTo; "use any authentication protocol" too.
 */
export function adWrites(account: string, entries: readonly string[], anyProtocol: boolean): string[] {
  return [
    ...(entries.length > 0
      ? [l10n.t('{0} (computer account): msDS-AllowedToDelegateTo, add {1}:', account, entries.length), ...entryLines(entries)]
      : []),
    ...(anyProtocol
      ? [l10n.t('{0} (computer account): TrustedToAuthForDelegation = True ("use any authentication protocol")', account)]
      : []),
  ];
}

/** What a fix of a finding writes to AD (fixScripts.delegation also allows any protocol); none for a fix elsewhere. */
export function fixWrites(option: FixOption): string[] {
  if (option.id === 'add-delegation') return adWrites(option.args.account, option.args.entries, true);
  if (option.id === 'allow-any-protocol') return adWrites(option.args.account, [], true);
  return [];
}

/** Why a fix cannot be made as asked (a choice missing or not offered, the finding not offering it). */
class FixInputError extends Error {}

type Step =
  | {
      readonly kind: 'script';
      readonly script: FixScript;
      readonly params: FixParams;
      readonly host: string;
      readonly done: string;
    }
  | {
      readonly kind: 'plan';
      readonly plan: MovePlan;
      readonly change: Pick<MovePlan, 'adapterSwitches' | 'ejectDvd'>;
      readonly done: string;
    };

/**
 * An argument of the option as the fixer needs it. The option comes back from the panel or a plan, so its
 * arguments are checked here, whatever its type says.
 */
function text(option: FixOption, value: unknown, name: string): string {
  if (typeof value !== 'string' || !value) throw new FixInputError(l10n.t('The fix "{0}" lacks its {1}; check again.', option.title, name));
  return value;
}

function list(option: FixOption, value: unknown, name: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string')) {
    throw new FixInputError(l10n.t('The fix "{0}" lacks its {1}; check again.', option.title, name));
  }
  return [...(value as readonly string[])];
}

function choice(option: FixOption, fix: FixRequest, name: string): string {
  const offered = option.choices?.find((c) => c.name === name);
  const value = fix.choices?.[name];
  if (!offered) throw new FixInputError(l10n.t('The fix "{0}" has no choice named {1}.', option.title, name));
  if (value === undefined || !offered.options.includes(value)) {
    throw new FixInputError(l10n.t('Pick one of {0} for "{1}".', offered.options.join(', '), offered.label));
  }
  return value;
}

const CONTROLLER = /^(\w+) (\d+):(\d+)$/;

/** What a fix is applied with: the request, the admin's choices, and the move plan so far. */
interface FixInput {
  readonly request: MigrationRequest;
  readonly fix: FixRequest;
  readonly plan: MovePlan | undefined;
}

const script = (s: FixScript, params: FixParams, host: string, done: string): Step => ({
  kind: 'script',
  script: s,
  params,
  host,
  done,
});

/** A plan fix: the plan with `change` made (the request's empty plan when there is none yet). */
function planStep({ request, plan }: FixInput, change: Pick<MovePlan, 'adapterSwitches' | 'ejectDvd'>, done: string): Step {
  const base = plan ?? { request, adapterSwitches: {}, ejectDvd: [] };
  const ejectDvd = [...base.ejectDvd, ...change.ejectDvd.filter((controller) => !base.ejectDvd.includes(controller))];
  return {
    kind: 'plan',
    plan: { ...base, adapterSwitches: { ...base.adapterSwitches, ...change.adapterSwitches }, ejectDvd },
    change,
    done,
  };
}

type Handler<K extends FixId> = (option: FixOptionOf<K>, input: FixInput) => Step;

/** What applying each fix does: a script to run now, or the plan with the choice made. */
const HANDLERS: { readonly [K in FixId]: Handler<K> } = {
  'map-switch': (option, input) => {
    const adapterId = text(option, option.args?.adapterId, 'adapterId');
    const name = choice(option, input.fix, 'switch');
    return planStep(
      input,
      { adapterSwitches: { [adapterId]: name }, ejectDvd: [] },
      l10n.t("On {0} the adapter will be connected to '{1}'.", input.request.destination, name),
    );
  },
  'disconnect-adapter': (option, input) => {
    const adapterId = text(option, option.args?.adapterId, 'adapterId');
    return planStep(
      input,
      { adapterSwitches: { [adapterId]: null }, ejectDvd: [] },
      l10n.t('The adapter will arrive on {0} disconnected.', input.request.destination),
    );
  },
  'eject-iso-on-move': (option, input) => {
    const controller = text(option, option.args?.controller, 'controller');
    return planStep(
      input,
      { adapterSwitches: {}, ejectDvd: [controller] },
      l10n.t('The DVD drive {0} will arrive on {1} empty.', controller, input.request.destination),
    );
  },
  'create-switch': (option, { fix }) => {
    const host = text(option, option.args?.host, 'host');
    const switchName = text(option, option.args?.switchName, 'switchName');
    const type = choice(option, fix, 'switchType');
    if (type === 'External') {
      const netAdapter = choice(option, fix, 'netAdapter');
      return script(
        fixScripts.createExternalSwitch,
        { SwitchName: switchName, NetAdapter: netAdapter, Host: host },
        host,
        l10n.t("Created the External switch '{0}' on {1}.", switchName, host),
      );
    }
    return script(
      fixScripts.createSwitch,
      { SwitchName: switchName, SwitchType: type, Host: host },
      host,
      l10n.t("Created the {0} switch '{1}' on {2}.", type, switchName, host),
    );
  },
  'enable-compatibility': (_option, { request }) =>
    script(
      fixScripts.processorCompatibility,
      { VmId: request.vmId, Host: request.source },
      request.source,
      l10n.t(
        'Processor compatibility for migration is on for {0} (unless it was off, it was shut down and started again: it is running).',
        request.vmName,
      ),
    ),
  'eject-iso': (option, { request }) => {
    const match = CONTROLLER.exec(text(option, option.args?.controller, 'controller'));
    if (!match) throw new FixInputError(l10n.t('The fix "{0}" names no DVD drive; check again.', option.title));
    const [, type, number, location] = match;
    return script(
      fixScripts.ejectIso,
      {
        VmId: request.vmId,
        Host: request.source,
        ControllerType: type ?? '',
        ControllerNumber: Number(number),
        ControllerLocation: Number(location),
      },
      request.source,
      l10n.t('Ejected the ISO from {0}.', request.vmName),
    );
  },
  'enable-migration': (option) => {
    const host = text(option, option.args?.host, 'host');
    return script(fixScripts.enableMigration, { Host: host }, host, l10n.t('Live migration is enabled on {0}.', host));
  },
  'use-any-network': (option) => {
    const host = text(option, option.args?.host, 'host');
    return script(fixScripts.useAnyNetwork, { Host: host }, host, l10n.t('{0} may now migrate over any network.', host));
  },
  'add-migration-network': (option, { fix }) => {
    const host = text(option, option.args?.host, 'host');
    const subnet = choice(option, fix, 'subnet');
    return script(fixScripts.addMigrationNetwork, { Subnet: subnet, Host: host }, host, l10n.t('{0} migrates on {1} now.', host, subnet));
  },
  'use-kerberos': (option, { request }) => {
    const hosts = list(option, option.args?.hosts, 'hosts');
    const [first = ''] = hosts;
    const done =
      hosts.length === 1
        ? l10n.t('{0} authenticates live migrations with Kerberos now.', first)
        : l10n.t('{0} authenticate live migrations with Kerberos now.', formatList(hosts));
    return script(fixScripts.kerberos, { Hosts: hosts }, first || request.source, done);
  },
  'add-delegation': (option) => {
    const account = text(option, option.args?.account, 'account');
    const entries = list(option, option.args?.entries, 'entries');
    return script(
      fixScripts.delegation,
      { Account: account, Entries: entries },
      text(option, option.args?.host, 'host'),
      entries.length === 1
        ? l10n.t(
            'Added 1 delegation entry to {0}. It takes effect after AD replication and a new Kerberos ticket on {0} (klist purge -li 0x3e7, or a reboot).',
            account,
          )
        : l10n.t(
            'Added {0} delegation entries to {1}. They take effect after AD replication and a new Kerberos ticket on {1} (klist purge -li 0x3e7, or a reboot).',
            entries.length,
            account,
          ),
    );
  },
  'allow-any-protocol': (option) => {
    const account = text(option, option.args?.account, 'account');
    return script(
      fixScripts.anyProtocol,
      { Account: account },
      text(option, option.args?.host, 'host'),
      l10n.t(
        '{0} may delegate with any authentication protocol now, after AD replication and a new Kerberos ticket (klist purge -li 0x3e7, or a reboot).',
        account,
      ),
    );
  },
  'remove-planned-vm': (option, { request }) => {
    const host = text(option, option.args?.host, 'host');
    return script(
      fixScripts.removePlannedVm,
      { VmId: request.vmId, Host: host },
      host,
      l10n.t('Removed the planned VM {0} left on {1}.', request.vmName, host),
    );
  },
};

/** The handler of the option's id, given that option (TypeScript cannot pair a union's id with its handler by itself). */
function handle(option: FixOption, input: FixInput): Step {
  return (HANDLERS[option.id] as (option: FixOption, input: FixInput) => Step)(option, input);
}

/** What applying the fix does: a script to run now, or the plan with the choice made. */
function stepFor(request: MigrationRequest, fix: FixRequest, plan: MovePlan | undefined): Step {
  const option = fix.finding.fixes.find((f) => f.id === fix.fixId);
  if (!option) throw new FixInputError(l10n.t('The finding "{0}" offers no fix {1}.', fix.finding.title, fix.fixId));
  if (!Object.prototype.hasOwnProperty.call(HANDLERS, option.id)) throw new FixInputError(l10n.t('There is no fix named {0}.', option.id));
  return handle(option, { request, fix, plan });
}

export interface FixerOptions {
  /** The credential for a host, when it needs one (the extension's SecretStorage); none by default. */
  readonly credentialFor?: (host: string) => Credential | undefined;
}

export function createFixer(runner: PowerShellRunner, options: FixerOptions = {}): Fixer {
  return {
    preview(request: MigrationRequest, fix: FixRequest, plan?: MovePlan): string {
      const step = stepFor(request, fix, plan);
      if (step.kind === 'script') return step.script.preview(step.params);
      return [
        `# On Compare-VM's report ($report), before Move-VM -CompatibilityReport $report:`,
        ...planPowerShell(step.change, request.destination),
      ].join('\n');
    },

    async apply(request: MigrationRequest, fix: FixRequest, plan: MovePlan | undefined, signal?: AbortSignal): Promise<FixOutcome> {
      let step: Step;
      try {
        step = stepFor(request, fix, plan);
      } catch (error) {
        if (!(error instanceof FixInputError)) throw error;
        const refused: PowerShellError = { kind: 'scriptError', message: error.message };
        return { ok: false, error: refused };
      }
      if (step.kind === 'plan') return { ok: true, plan: step.plan, message: step.done };
      const credential = options.credentialFor?.(step.host);
      // affinity: the pool session that has the host's remoting session open (hostSession.ps1) takes the call.
      const call: CallOptions = { signal, affinity: hostKey(step.host), ...(credential && { credential }) };
      const result = await runner.run(step.script, step.params, call);
      if (!result.ok) return { ok: false, error: { ...result.error, target: result.error.target ?? step.host } };
      return { ok: true, ...(plan && { plan }), message: step.done };
    },
  };
}
