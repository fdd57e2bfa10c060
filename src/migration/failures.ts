// Hyper-V's failure messages, translated: what an admin meets when a live migration fails (HYPERV.md,
// "Failures admins actually meet", and the lab's Move-VM errors), as a cause and a fix in plain language.
// A message we do not recognize is kept verbatim with a generic cause: never dropped, never guessed at.

import * as l10n from '@vscode/l10n';
import type { FailureExplanation } from './types';

interface Row {
  /** Matched against the whole message (all its lines), case-insensitively. */
  readonly pattern: RegExp;
  /** `host` is the host the message names (`host 'HV02'`), or a phrase when it names none. */
  readonly cause: (host: string) => string;
  readonly fix: (host: string) => string;
}

function delegationFix(): string {
  return l10n.t(
    "Use Kerberos on both hosts (Set-VMHost -VirtualMachineMigrationAuthenticationType Kerberos) and, on the source host's AD computer account, allow delegation to 'Microsoft Virtual System Migration Service' and 'cifs' on the destination, by short name and FQDN, with \"use any authentication protocol\" (Set-ADAccountControl -TrustedToAuthForDelegation $true). The change takes effect after AD replication and a new Kerberos ticket on the source host (klist purge -li 0x3e7, or a reboot); then check the move again.",
  );
}

// Order matters: the first row that matches explains the message. Specific codes come before the wrappers
// that may carry them (an incompatibility list can quote any text).
const ROWS: readonly Row[] = [
  {
    pattern: /0x800704C7|operation was cancel+ed by the user/i,
    cause: () => l10n.t('The move was cancelled before it finished. Hyper-V rolled it back: the VM keeps running on its source host.'),
    fix: () => l10n.t('Nothing to repair. Start the move again when you are ready.'),
  },
  {
    pattern: /is not compatible with physical computer/i,
    cause: (host) =>
      l10n.t(
        "Hyper-V's own check (Compare-VM) still finds something that stops the move to {0}; each item is listed in the message.",
        host,
      ),
    fix: () => l10n.t('Check the move again: each item shows as a finding with its fix. Apply the fixes, then migrate.'),
  },
  {
    pattern: /0x8009030E|No credentials are available in the security package/i,
    cause: (host) =>
      l10n.t(
        'The source host could not authenticate to {0} for the migration: either CredSSP is used without a logon on the source host, or Kerberos constrained delegation to {0} is missing or set to "Kerberos only" instead of "use any authentication protocol".',
        host,
      ),
    fix: () => delegationFix(),
  },
  {
    pattern: /0x8009030D|credentials supplied to the package were not recognized/i,
    cause: (host) =>
      l10n.t(
        "Kerberos constrained delegation is not configured for the migration: the source host's AD account lacks an entry for 'cifs' or 'Microsoft Virtual System Migration Service' on {0} (short name and FQDN are both needed).",
        host,
      ),
    fix: () => delegationFix(),
  },
  {
    pattern: /0x80090322|target principal name is incorrect/i,
    cause: (host) =>
      l10n.t(
        "Kerberos reached a different machine than the one named {0}: the migration network or DNS points elsewhere, or the service principal names (SPNs) of the destination's computer account are wrong.",
        host,
      ),
    fix: (host) =>
      l10n.t(
        "Check that {0} resolves to the right address on the migration network (Get-VMMigrationNetwork, DNS), and that its computer account has the 'Microsoft Virtual System Migration Service' SPNs (setspn -L). Then check the move again.",
        host,
      ),
  },
  {
    pattern: /0x80070005|access denied/i,
    cause: (host) =>
      l10n.t(
        '{0} refused the migration (access denied): usually a missing service principal name or constrained delegation entry, sometimes an account without Hyper-V administrator rights on the destination.',
        capitalize(host),
      ),
    fix: () => l10n.t('{0} Make sure the account running the move is a Hyper-V administrator on both hosts.', delegationFix()),
  },
  {
    pattern: /0x8007274C|0x8007274D|0x80072746|failed to establish a connection with host|forcibly closed by the remote host/i,
    cause: (host) =>
      l10n.t(
        'The connection between the hosts for the migration failed ({0}): the live-migration port TCP 6600 is blocked, the migration network does not route between them, or the connection timed out or was reset during the move.',
        host,
      ),
    fix: (host) =>
      l10n.t(
        'Allow TCP 6600 between the hosts (Windows Firewall rule "Hyper-V (MIG-TCP-In)"), check that {0} is up and reachable on a migration network both hosts share (Get-VMMigrationNetwork), then start the move again.',
        host,
      ),
  },
  {
    pattern: /0x800705AA|0x8007000E|Insufficient system resources|Ran out of memory|Not enough memory/i,
    cause: (host) => l10n.t('{0} does not have enough free memory to run the VM.', capitalize(host)),
    fix: (host) =>
      l10n.t("Free memory on {0} (stop or move other VMs there), lower the VM's startup memory, or choose another destination.", host),
  },
  {
    pattern: /0xC03A0014|Attachment '.*' failed to open|device at '.*' could not be opened/i,
    cause: () => l10n.t("The VM's DVD drive holds an ISO file that the destination cannot open (it is a local file on the source host)."),
    fix: () => l10n.t('Eject the ISO (Set-VMDvdDrive -Path $null), or keep it on a share both hosts can read, then start the move again.'),
  },
  {
    pattern: /migration limit "?\d+"? was reached|event 21501/i,
    cause: (host) =>
      l10n.t(
        '{0} already runs as many live migrations as it allows (MaximumVirtualMachineMigrations / MaximumStorageMigrations).',
        capitalize(host),
      ),
    fix: () =>
      l10n.t(
        'Wait for a running migration to finish and start again, or queue the move; raise the limit with Set-VMHost if the network allows.',
      ),
  },
  {
    pattern: /key protector .*could not be unwrapped/i,
    cause: (host) =>
      l10n.t(
        'The VM has a virtual TPM whose key protector {0} cannot unwrap: the guardian that protects it is not on the destination.',
        host,
      ),
    fix: () =>
      l10n.t(
        "Import the VM's guardian (its UntrustedGuardian certificates, or the Host Guardian Service configuration) on the destination, or move the VM to a host that holds it.",
      ),
  },
  {
    pattern: /already being migrated/i,
    cause: () => l10n.t('The VM is already being moved by another migration.'),
    fix: () => l10n.t('Wait for that move to end (or cancel it), then start again.'),
  },
  {
    pattern: /0x80071398|highly available|not the owner of the group/i,
    cause: () => l10n.t('The VM is a role of a failover cluster: it cannot leave its cluster while it is highly available.'),
    fix: () =>
      l10n.t(
        'Move it within its cluster with Failover Cluster Manager, or remove the cluster role (HA off), move it, and add the role on the destination cluster.',
      ),
  },
  {
    pattern: /processor-specific features not supported/i,
    cause: (host) => l10n.t('The VM uses processor features that {0} does not have.', host),
    fix: () =>
      l10n.t(
        'Turn on processor compatibility (Set-VMProcessor -CompatibilityForMigrationEnabled $true): the VM must be off to change it, so it costs a shutdown.',
      ),
  },
  {
    pattern: /0x80070070|not enough space on the disk/i,
    cause: (host) => l10n.t("The destination storage path on {0} does not have room for the VM's disks and checkpoints.", host),
    fix: () => l10n.t('Choose another storage path or destination, or free space on that volume.'),
  },
  {
    pattern: /0x80070003|cannot find the path specified/i,
    cause: (host) => l10n.t('The destination storage path does not exist on {0} and could not be created.', host),
    fix: () => l10n.t('Choose a storage path on a volume the destination has, then start the move again.'),
  },
  {
    pattern: /WinRM cannot complete the operation|could not be resolved|RPC server is unavailable/i,
    cause: (host) =>
      l10n.t('{0} could not be reached for management (WinRM/DNS), so the move could not be started or followed.', capitalize(host)),
    fix: (host) => l10n.t('Check that {0} is up, resolves in DNS, and accepts WinRM from this machine; then start the move again.', host),
  },
];

/**
 * A failure the executor words itself (executor/jobReading.ts interpret), in the display language: it names the
 * case, as no pattern can know its words. `noJob`: the start was cut short and the source lists no job of it.
 */
export type OwnFailure = 'noJob';

const OWN_FAILURES: { readonly [K in OwnFailure]: Omit<Row, 'pattern'> } = {
  noJob: {
    cause: () =>
      l10n.t(
        'The source host never listed a migration job for this move, so Hyper-V did not start it; the message says what cut the start short.',
      ),
    fix: () => l10n.t('Nothing to repair: the VM was not moved. Start the move again.'),
  },
};

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The host a failure names: `... with host 'HV02'`, `... on host 'HV01'`, `... physical computer 'HV02'`. */
function namedHost(message: string): string | undefined {
  return /(?:host|physical computer) '([^']+)'/i.exec(message)?.[1];
}

/**
 * Hyper-V's failure message as cause and fix (HYPERV.md's failure table); the message itself is kept verbatim. A
 * failure the executor words itself (`own`) is explained as such when no Hyper-V or PowerShell words in it say more.
 */
export function explainFailure(message: string, own?: OwnFailure): FailureExplanation {
  const row = ROWS.find((r) => r.pattern.test(message)) ?? (own && OWN_FAILURES[own]);
  if (!row) {
    return {
      message,
      cause: l10n.t(
        'Hyper-V reported a failure this extension does not recognize; its message is shown exactly as Hyper-V wrote it. The VM stays on its source host when a live migration fails.',
      ),
      fix: l10n.t(
        'Look for the event at the same time in the Hyper-V-VMMS Admin log (Microsoft-Windows-Hyper-V-VMMS-Admin) on both hosts, then check the move again.',
      ),
    };
  }
  const named = namedHost(message) ?? l10n.t('the destination host');
  return { message, cause: row.cause(named), fix: row.fix(named) };
}
