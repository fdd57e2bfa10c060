// Hyper-V's failure messages translated into cause and fix: one case per row of HYPERV.md's failure table
// and of the lab's Move-VM errors; unknown messages stay verbatim.

import * as assert from 'node:assert/strict';
import { explainFailure } from '../../../src/migration/failures';

const PREFIX =
  "Virtual machine migration operation for 'web01' failed at migration source 'HV01'. (Virtual machine ID 8A1C7E43-0B7E-4C77-9F3A-1E0B5D6A7C21)\r\n";

interface Row {
  readonly name: string;
  readonly message: string;
  readonly cause: RegExp;
  readonly fix: RegExp;
}

const rows: readonly Row[] = [
  {
    name: '0x8009030E: CredSSP without logon, or delegation missing / Kerberos only',
    message: `${PREFIX}The Virtual Machine Management Service failed to establish a connection for a Virtual Machine migration with host 'HV02': No credentials are available in the security package (0x8009030E).`,
    cause: /could not authenticate to HV02.*CredSSP.*"Kerberos only"/,
    fix: /Kerberos on both hosts.*cifs.*TrustedToAuthForDelegation.*klist purge/,
  },
  {
    name: '0x8009030D: delegation for cifs and the migration service not configured',
    message: `${PREFIX}The Virtual Machine Management Service failed to establish a connection for a Virtual Machine migration with host 'HV03': The credentials supplied to the package were not recognized (0x8009030D).`,
    cause: /lacks an entry for 'cifs' or 'Microsoft Virtual System Migration Service' on HV03/,
    fix: /msDS|allow delegation to 'Microsoft Virtual System Migration Service' and 'cifs'/,
  },
  {
    name: '0x80070005: access denied (SPN or delegation)',
    message: `${PREFIX}The Virtual Machine Management Service failed to establish a connection for a Virtual Machine migration with host 'HV02': General access denied error (0x80070005).`,
    cause: /^HV02 refused the migration \(access denied\).*service principal name/,
    fix: /Hyper-V administrator on both hosts/,
  },
  {
    name: '0x8007274C: connection timed out',
    message: `${PREFIX}The Virtual Machine Management Service failed to establish a connection with host 'HV02': A connection attempt failed because the connected party did not properly respond after a period of time. (0x8007274C)`,
    cause: /TCP 6600 is blocked/,
    fix: /Allow TCP 6600.*check that HV02 is up/,
  },
  {
    name: '0x8007274D: connection refused',
    message:
      "Failed to establish a connection with host 'HV04': No connection could be made because the target machine actively refused it. (0x8007274D)",
    cause: /TCP 6600/,
    fix: /HV04/,
  },
  {
    name: '0x80072746: connection reset (the lab fault default)',
    message: `${PREFIX}An existing connection was forcibly closed by the remote host. (0x80072746)`,
    cause: /timed out or was reset/,
    fix: /TCP 6600/,
  },
  {
    name: '0x80090322: wrong migration network or SPN',
    message: `${PREFIX}The Virtual Machine Management Service failed to authenticate the connection for a Virtual Machine migration with host 'HV02': The target principal name is incorrect. (0x80090322).`,
    cause: /migration network or DNS points elsewhere.*SPN/,
    fix: /HV02 resolves to the right address/,
  },
  {
    name: '0x800705AA: destination memory (partition)',
    message: 'Failed to create partition: Insufficient system resources exist to complete the requested service. (0x800705AA)',
    cause: /does not have enough free memory/,
    fix: /Free memory on the destination host/,
  },
  {
    name: '0x8007000E: destination memory',
    message: "'sql01' failed to start. (Virtual machine ID X)\r\nRan out of memory (0x8007000E).",
    cause: /enough free memory/,
    fix: /another destination/,
  },
  {
    name: '0xC03A0014: ISO attached',
    message:
      "Attachment 'D:\\ISO\\en-us_windows_server_2022_x64_dvd.iso' failed to open because of error: 'The system cannot find the file specified.' (0xC03A0014).",
    cause: /holds an ISO file/,
    fix: /Set-VMDvdDrive -Path \$null/,
  },
  {
    name: 'migration limit (event 21501)',
    message: `${PREFIX}The virtual machine migration limit "2" was reached on host 'HV01'; the migration was rejected (event 21501). Wait for a migration to finish and try again.`,
    cause: /^HV01 already runs as many live migrations as it allows/,
    fix: /queue the move/,
  },
  {
    name: 'storage migration limit',
    message: `${PREFIX}The storage migration limit "2" was reached on host 'HV02'; the migration was rejected (event 21501).`,
    cause: /MaximumStorageMigrations/,
    fix: /Wait for a running migration/,
  },
  {
    name: 'vTPM key protector',
    message:
      "The key protector for the virtual machine 'vault06' could not be unwrapped on host 'HV05': the guardian 'HV06 UntrustedGuardian' is not present.",
    cause: /virtual TPM whose key protector HV05 cannot unwrap/,
    fix: /guardian/,
  },
  {
    name: 'cancelled (0x800704C7)',
    message: `${PREFIX}The operation was canceled by the user. (0x800704C7)`,
    cause: /cancelled before it finished.*keeps running on its source host/,
    fix: /Nothing to repair/,
  },
  {
    name: 'incompatible (Compare-VM still finds something)',
    message:
      "Virtual machine migration operation for 'sql01' failed at migration destination 'HV02'. (Virtual machine ID X)\r\n" +
      "The virtual machine 'sql01' is not compatible with physical computer 'HV02'. (Virtual machine ID X)\r\nCould not find Ethernet switch 'Storage'.",
    cause: /Compare-VM.*to HV02/,
    fix: /Check the move again/,
  },
  {
    name: 'already being migrated',
    message: `${PREFIX}The operation cannot be performed while the object is in its current state: the virtual machine is already being migrated.`,
    cause: /already being moved/,
    fix: /Wait for that move to end/,
  },
  {
    name: 'clustered VM (0x80071398)',
    message:
      "Virtual machine 'erp01' is highly available: it is the role 'erp01' of failover cluster 'CL1', and host 'HV01' is not a node of that cluster. The operation failed because either the specified cluster node is not the owner of the group, or the node is not a possible owner of the group. (0x80071398)",
    cause: /role of a failover cluster/,
    fix: /remove the cluster role/,
  },
  {
    name: 'processor features',
    message: "Virtual machine 'app02' is using processor-specific features not supported on host 'HV01'.",
    cause: /processor features that HV01 does not have/,
    fix: /CompatibilityForMigrationEnabled.*shutdown/,
  },
  {
    name: 'destination disk full (0x80070070)',
    message: "There is not enough space on the disk 'D:\\' of host 'HV04' to hold the virtual machine's files. (0x80070070)",
    cause: /on HV04 does not have room/,
    fix: /another storage path/,
  },
  {
    name: 'destination path (0x80070003)',
    message: "Failed to create folder 'Q:\\VMs' on host 'HV02': The system cannot find the path specified. (0x80070003)",
    cause: /does not exist on HV02/,
    fix: /Choose a storage path/,
  },
  {
    name: 'host unreachable (WinRM)',
    message:
      "The operation on computer 'HV03' failed: WinRM cannot complete the operation. Verify that the specified computer name is valid, that the computer is accessible over the network.",
    cause: /could not be reached for management/,
    fix: /accepts WinRM/,
  },
];

describe('explainFailure', function () {
  for (const row of rows) {
    it(row.name, function () {
      const explained = explainFailure(row.message);
      assert.equal(explained.message, row.message, 'the message is kept verbatim');
      assert.match(explained.cause, row.cause);
      assert.match(explained.fix, row.fix);
    });
  }

  it('an unknown message is kept verbatim with a generic cause and where to look', function () {
    const message = 'Something nobody has seen before (0x8BADF00D).';
    const explained = explainFailure(message);
    assert.equal(explained.message, message);
    assert.match(explained.cause, /does not recognize; its message is shown exactly as Hyper-V wrote it/);
    assert.match(explained.fix, /Hyper-V-VMMS/);
  });

  it('the hex code alone is enough, whatever the wording around it', function () {
    assert.match(explainFailure('Fehler beim Herstellen einer Verbindung (0x8009030e)').cause, /could not authenticate/);
  });
});
