// The fixes the preflight engine offers, applied in place. A host/vm/ad fix runs one fixed script
// (scripts/fix*.ps1) with its values in $Params; its preview is that script's body with each $Params value
// shown as a PowerShell literal, so "Show PowerShell" is exactly what runs (less the credential plumbing).
// A plan fix changes nothing now: it returns the move plan with the choice made, and its preview is the
// PowerShell the move script runs on Compare-VM's report.
import * as l10n from '@vscode/l10n';
import { psLiteral } from '../hyperv/migrationScript';
import { defineScript } from '../powershell/script';
import type { CallOptions, Credential, PowerShellError, PowerShellRunner, Script } from '../powershell/types';
import { planPowerShell } from './compareVm';
import fixAddMigrationNetworkText from './scripts/fixAddMigrationNetwork.ps1';
import fixAnyProtocolText from './scripts/fixAnyProtocol.ps1';
import fixCreateExternalSwitchText from './scripts/fixCreateExternalSwitch.ps1';
import fixCreateSwitchText from './scripts/fixCreateSwitch.ps1';
import fixDelegationText from './scripts/fixDelegation.ps1';
import fixEjectIsoText from './scripts/fixEjectIso.ps1';
import fixEnableMigrationText from './scripts/fixEnableMigration.ps1';
import fixKerberosText from './scripts/fixKerberos.ps1';
import fixProcessorCompatibilityText from './scripts/fixProcessorCompatibility.ps1';
import fixRemovePlannedVmText from './scripts/fixRemovePlannedVm.ps1';
import fixUseAnyNetworkText from './scripts/fixUseAnyNetwork.ps1';
import type { FixArgument, FixOption, FixOutcome, Fixer, FixRequest, MigrationRequest, MovePlan } from './types';

type FixParams = Readonly<Record<string, FixArgument>>;

const fixScript = (name: string, text: string): Script<FixParams, null> => defineScript<FixParams, null>(name, text, () => null);

/** Every fix script, by name: each begins with its credential plumbing, then `# ---- fix ----`, then what it does. */
export const fixScripts = {
  createSwitch: fixScript('fixCreateSwitch', fixCreateSwitchText),
  createExternalSwitch: fixScript('fixCreateExternalSwitch', fixCreateExternalSwitchText),
  processorCompatibility: fixScript('fixProcessorCompatibility', fixProcessorCompatibilityText),
  ejectIso: fixScript('fixEjectIso', fixEjectIsoText),
  enableMigration: fixScript('fixEnableMigration', fixEnableMigrationText),
  useAnyNetwork: fixScript('fixUseAnyNetwork', fixUseAnyNetworkText),
  addMigrationNetwork: fixScript('fixAddMigrationNetwork', fixAddMigrationNetworkText),
  kerberos: fixScript('fixKerberos', fixKerberosText),
  delegation: fixScript('fixDelegation', fixDelegationText),
  anyProtocol: fixScript('fixAnyProtocol', fixAnyProtocolText),
  removePlannedVm: fixScript('fixRemovePlannedVm', fixRemovePlannedVmText),
} as const;

const MARKER = '# ---- fix ----';
/** Where a fix's body ends when cleanup follows it (a CIM session closed in `finally`). */
const END_MARKER = '# ---- end of fix ----';

function literal(value: FixArgument): string {
  if (value === null) return '$null';
  if (typeof value === 'boolean') return value ? '$true' : '$false';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return psLiteral(value);
  return `@(${value.map((item) => psLiteral(item)).join(', ')})`;
}

/** The body of a fix script as it runs, each `$Params.Name` shown as the literal of its value. */
export function renderFix(text: string, params: FixParams): string {
  const at = text.indexOf(MARKER);
  if (at < 0) throw new Error('A fix script shows what it does after its "# ---- fix ----" line.');
  const end = text.indexOf(END_MARKER, at);
  return text
    .slice(at + MARKER.length, end < 0 ? undefined : end)
    .trim()
    .replace(/ @(remote|ad)\b/g, '')
    .replace(/ @cim\b/g, ' -ComputerName $Params.Host')
    .replace(/\$Params\.(\w+)/g, (_, name: string) => {
      if (!Object.prototype.hasOwnProperty.call(params, name))
        throw new Error(`The fix script reads $Params.${name}, which the fix does not set.`);
      return literal(params[name] ?? null);
    });
}

/**
 * What an AD change writes, one line per value, for the confirmation shown before it: the computer account,
 * the attribute, and each entry added to msDS-AllowedToDelegateTo; "use any authentication protocol" too.
 */
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

/** What a fix of a finding writes to AD (fixDelegation.ps1 also allows any protocol); none for a fix elsewhere. */
export function fixWrites(option: FixOption): string[] {
  const account = typeof option.args?.account === 'string' ? option.args.account : '';
  const entries = Array.isArray(option.args?.entries) ? (option.args.entries as readonly string[]) : [];
  if (option.id === 'add-delegation') return adWrites(account, entries, true);
  if (option.id === 'allow-any-protocol') return adWrites(account, [], true);
  return [];
}

/** Why a fix cannot be made as asked (a choice missing or not offered, the finding not offering it). */
class FixInputError extends Error {}

type Step =
  | {
      readonly kind: 'script';
      readonly script: Script<FixParams, null>;
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

function arg(option: FixOption, name: string): string {
  const value = option.args?.[name];
  if (typeof value !== 'string' || !value) throw new FixInputError(l10n.t('The fix "{0}" lacks its {1}; check again.', option.title, name));
  return value;
}

function listArg(option: FixOption, name: string): string[] {
  const value = option.args?.[name];
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

function emptyPlan(request: MigrationRequest, plan: MovePlan | undefined): MovePlan {
  return plan ?? { request, adapterSwitches: {}, ejectDvd: [] };
}

/** What applying the fix does: a script to run now, or the plan with the choice made. */
function stepFor(request: MigrationRequest, fix: FixRequest, plan: MovePlan | undefined): Step {
  const option = fix.finding.fixes.find((f) => f.id === fix.fixId);
  if (!option) throw new FixInputError(l10n.t('The finding "{0}" offers no fix {1}.', fix.finding.title, fix.fixId));
  const script = (s: Script<FixParams, null>, params: FixParams, host: string, done: string): Step => ({
    kind: 'script',
    script: s,
    params,
    host,
    done,
  });
  switch (option.id) {
    case 'map-switch': {
      const adapterId = arg(option, 'adapterId');
      const name = choice(option, fix, 'switch');
      const base = emptyPlan(request, plan);
      return {
        kind: 'plan',
        plan: { ...base, adapterSwitches: { ...base.adapterSwitches, [adapterId]: name } },
        change: { adapterSwitches: { [adapterId]: name }, ejectDvd: [] },
        done: l10n.t("On {0} the adapter will be connected to '{1}'.", request.destination, name),
      };
    }
    case 'disconnect-adapter': {
      const adapterId = arg(option, 'adapterId');
      const base = emptyPlan(request, plan);
      return {
        kind: 'plan',
        plan: { ...base, adapterSwitches: { ...base.adapterSwitches, [adapterId]: null } },
        change: { adapterSwitches: { [adapterId]: null }, ejectDvd: [] },
        done: l10n.t('The adapter will arrive on {0} disconnected.', request.destination),
      };
    }
    case 'eject-iso-on-move': {
      const controller = arg(option, 'controller');
      const base = emptyPlan(request, plan);
      return {
        kind: 'plan',
        plan: { ...base, ejectDvd: base.ejectDvd.includes(controller) ? base.ejectDvd : [...base.ejectDvd, controller] },
        change: { adapterSwitches: {}, ejectDvd: [controller] },
        done: l10n.t('The DVD drive {0} will arrive on {1} empty.', controller, request.destination),
      };
    }
    case 'create-switch': {
      const host = arg(option, 'host');
      const switchName = arg(option, 'switchName');
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
    }
    case 'enable-compatibility':
      return script(
        fixScripts.processorCompatibility,
        { VmId: request.vmId, Host: request.source },
        request.source,
        l10n.t(
          'Processor compatibility for migration is on for {0} (unless it was off, it was shut down and started again: it is running).',
          request.vmName,
        ),
      );
    case 'eject-iso': {
      const match = CONTROLLER.exec(arg(option, 'controller'));
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
    }
    case 'enable-migration': {
      const host = arg(option, 'host');
      return script(fixScripts.enableMigration, { Host: host }, host, l10n.t('Live migration is enabled on {0}.', host));
    }
    case 'use-any-network': {
      const host = arg(option, 'host');
      return script(fixScripts.useAnyNetwork, { Host: host }, host, l10n.t('{0} may now migrate over any network.', host));
    }
    case 'add-migration-network': {
      const host = arg(option, 'host');
      const subnet = choice(option, fix, 'subnet');
      return script(fixScripts.addMigrationNetwork, { Subnet: subnet, Host: host }, host, l10n.t('{0} migrates on {1} now.', host, subnet));
    }
    case 'use-kerberos': {
      const hosts = listArg(option, 'hosts');
      const [first = '', second = ''] = hosts;
      const done =
        hosts.length === 1
          ? l10n.t('{0} authenticates live migrations with Kerberos now.', first)
          : hosts.length === 2
            ? l10n.t('{0} and {1} authenticate live migrations with Kerberos now.', first, second)
            : l10n.t('{0} authenticate live migrations with Kerberos now.', hosts.join(', '));
      return script(fixScripts.kerberos, { Hosts: hosts }, first || request.source, done);
    }
    case 'add-delegation': {
      const account = arg(option, 'account');
      const entries = listArg(option, 'entries');
      return script(
        fixScripts.delegation,
        { Account: account, Entries: entries },
        arg(option, 'host'),
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
    }
    case 'allow-any-protocol': {
      const account = arg(option, 'account');
      return script(
        fixScripts.anyProtocol,
        { Account: account },
        arg(option, 'host'),
        l10n.t(
          '{0} may delegate with any authentication protocol now, after AD replication and a new Kerberos ticket (klist purge -li 0x3e7, or a reboot).',
          account,
        ),
      );
    }
    case 'remove-planned-vm': {
      const host = arg(option, 'host');
      return script(
        fixScripts.removePlannedVm,
        { VmId: request.vmId, Host: host },
        host,
        l10n.t('Removed the planned VM {0} left on {1}.', request.vmName, host),
      );
    }
    default:
      throw new FixInputError(l10n.t('There is no fix named {0}.', option.id));
  }
}

export interface FixerOptions {
  /** The credential for a host, when it needs one (the extension's SecretStorage); none by default. */
  readonly credentialFor?: (host: string) => Credential | undefined;
}

export function createFixer(runner: PowerShellRunner, options: FixerOptions = {}): Fixer {
  return {
    preview(request: MigrationRequest, fix: FixRequest, plan?: MovePlan): string {
      const step = stepFor(request, fix, plan);
      if (step.kind === 'script') return renderFix(step.script.text, step.params);
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
      const call: CallOptions = { signal, ...(credential && { credential }) };
      const result = await runner.run(step.script, step.params, call);
      if (!result.ok) return { ok: false, error: { ...result.error, target: result.error.target ?? step.host } };
      return { ok: true, ...(plan && { plan }), message: step.done };
    },
  };
}
