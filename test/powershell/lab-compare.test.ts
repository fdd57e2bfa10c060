// Compare-VM on the lab, through the session layer and real pwsh: Microsoft's documented
// Compare-VM -> fix the Source -> Compare-VM -> Move-VM flow, and every default-lab situation
// reported with its MessageId and the object to fix.

import * as assert from 'node:assert/strict';
import { createLab, type Lab } from '../support/labFixture';

interface Finding {
  MessageId: number;
  Message: string;
  SourceType: string;
}

interface Report {
  VmName: string;
  VmComputerName: string;
  OperationType: string;
  Destination: string;
  Findings: Finding[];
}

/** Compare-VM by name, answered as plain facts (the report's objects are live PowerShell objects). */
const COMPARE = `param($Params)
$arguments = @{ Name = $Params.name; ComputerName = $Params.source; DestinationHost = $Params.destination }
if ($Params.storage) { $arguments.IncludeStorage = $true }
if ($Params.storagePath) { $arguments.DestinationStoragePath = $Params.storagePath }
$report = Compare-VM @arguments
[pscustomobject]@{
    VmName         = $report.VM.Name
    VmComputerName = $report.VM.ComputerName
    OperationType  = [string] $report.OperationType
    Destination    = $report.Destination
    Findings       = @(foreach ($i in $report.Incompatibilities) {
        [pscustomobject]@{ MessageId = $i.MessageId; Message = $i.Message; SourceType = $i.Source.PSObject.TypeNames[0] }
    })
}`;

const HV = 'Microsoft.HyperV.PowerShell.';

describe('lab: Compare-VM', function () {
  let lab: Lab;

  const compare = (name: string, source: string, destination: string, storagePath?: string): Promise<Report> =>
    lab.run<Report>('compare', COMPARE, { name, source, destination, storage: true, storagePath: storagePath ?? '' });

  const ids = (report: Report): number[] => report.Findings.map((f) => f.MessageId);

  before(async function () {
    lab = await createLab();
  });

  after(async function () {
    await lab?.dispose();
  });

  describe('every situation of the default lab', function () {
    it('web01 -> HV02 is clean', async function () {
      const report = await compare('web01', 'HV01', 'HV02', 'D:\\VMs');
      assert.deepEqual(report.Findings, []);
      assert.equal(report.VmName, 'web01');
      assert.equal(report.VmComputerName, 'HV02', "the report's VM is the planned VM Compare-VM staged on the destination");
      assert.equal(report.Destination, 'HV02');
      assert.equal(report.OperationType, 'MoveVirtualMachineAndStorage');
    });

    it('web01 -> HV03: processor vendor on the VMProcessor, switch LAN1 (33012) on the adapter', async function () {
      const report = await compare('web01', 'HV01', 'HV03');
      assert.deepEqual(ids(report), [24006, 33012]);
      assert.equal(report.Findings[0].SourceType, `${HV}VMProcessor`);
      assert.match(report.Findings[0].Message, /different manufacturer \(AMD\).*'HV01' \(Intel\)/);
      assert.equal(report.Findings[1].SourceType, `${HV}VMNetworkAdapter`);
      assert.equal(report.Findings[1].Message, "Could not find Ethernet switch 'LAN1'.");
    });

    it('sql01 -> HV02: only the Storage switch is missing', async function () {
      const report = await compare('sql01', 'HV01', 'HV02', 'D:\\VMs');
      assert.deepEqual(report.Findings, [
        { MessageId: 33012, Message: "Could not find Ethernet switch 'Storage'.", SourceType: `${HV}VMNetworkAdapter` },
      ]);
    });

    it('app02 -> HV01: processor-specific features (compatibility off, newest features in use)', async function () {
      const report = await compare('app02', 'HV02', 'HV01');
      assert.deepEqual(report.Findings, [
        {
          MessageId: 24008,
          Message: "Virtual machine 'app02' is using processor-specific features not supported on host 'HV01'.",
          SourceType: `${HV}VMProcessor`,
        },
      ]);
    });

    it('app02 -> HV01 is clean once processor compatibility is on (off, set, started again)', async function () {
      const report = await lab.run<Report>(
        'compat-fix',
        `param($Params)
Stop-VM -Name app02 -ComputerName HV02 -Force
Set-VMProcessor -VMName app02 -ComputerName HV02 -CompatibilityForMigrationEnabled $true
Start-VM -Name app02 -ComputerName HV02
$report = Compare-VM -Name app02 -ComputerName HV02 -DestinationHost HV01 -IncludeStorage
[pscustomobject]@{ Findings = @($report.Incompatibilities | ForEach-Object { [pscustomobject]@{ MessageId = $_.MessageId } }) }`,
      );
      assert.deepEqual(report.Findings, []);
    });

    it('build01: the ISO on local storage, on the DvdDrive', async function () {
      const report = await compare('build01', 'HV01', 'HV02');
      assert.deepEqual(ids(report), [20820]);
      assert.equal(report.Findings[0].SourceType, `${HV}DvdDrive`);
      assert.match(report.Findings[0].Message, /^The device at 'D:\\ISO\\en-us_windows_server_2022_x64_dvd\.iso' could not be opened\./);
      // An Off VM moves its configuration and storage only: no processor or memory findings.
      assert.equal(report.OperationType, 'MoveVirtualMachineAndStorage');
    });

    it('legacy04: migration is disabled on its host HV04 (the VMHost is the Source)', async function () {
      const report = await compare('legacy04', 'HV04', 'HV01');
      assert.deepEqual(ids(report), [21024]);
      assert.equal(report.Findings[0].SourceType, `${HV}VMHost`);
      assert.match(report.Findings[0].Message, /not enabled on host 'HV04'/);
    });

    it('a configuration version the destination does not support: web01 (10.0) to HV04 (up to 9.0)', async function () {
      const report = await compare('web01', 'HV01', 'HV04');
      assert.ok(ids(report).includes(14420), JSON.stringify(report.Findings));
      const version = report.Findings.find((f) => f.MessageId === 14420)!;
      assert.equal(version.SourceType, `${HV}VirtualMachine`);
      assert.match(version.Message, /configuration version 10\.0, which is not supported on host 'HV04'.*up to 9\.0/);
      // HV04 is also the oldest Intel and has migration off: each reason is its own finding.
      assert.ok(ids(report).includes(24008) && ids(report).includes(21024));
    });

    it('dc04: the pass-through disk, on its HardDiskDrive', async function () {
      const report = await compare('dc04', 'HV04', 'HV01');
      const passThrough = report.Findings.find((f) => f.MessageId === 20822);
      assert.ok(passThrough, JSON.stringify(report.Findings));
      assert.equal(passThrough.SourceType, `${HV}HardDiskDrive`);
      assert.match(passThrough.Message, /physical disk 2 of host 'HV04'.*pass-through/);
    });

    it('vault06: the vTPM key protector only HV06 can unwrap', async function () {
      const report = await compare('vault06', 'HV06', 'HV05');
      assert.deepEqual(ids(report), [20830]);
      assert.match(
        report.Findings[0].Message,
        /^The key protector for the virtual machine 'vault06' could not be unwrapped on host 'HV05'/,
      );
    });

    it('erp01: a cluster role cannot leave CL1; inside CL1 it can move', async function () {
      const outside = await compare('erp01', 'HV05', 'HV01');
      assert.deepEqual(ids(outside), [5016]);
      assert.match(
        outside.Findings[0].Message,
        /role 'erp01' of failover cluster 'CL1'.*not a possible owner of the group\. \(0x80071398\)$/,
      );
      const inside = await lab.run<Report>(
        'compare-vm-only',
        `param($Params)
$report = Compare-VM -Name erp01 -ComputerName HV05 -DestinationHost HV06
[pscustomobject]@{ OperationType = [string] $report.OperationType; Findings = @($report.Incompatibilities | ForEach-Object { [pscustomobject]@{ MessageId = $_.MessageId } }) }`,
      );
      assert.equal(inside.OperationType, 'MoveVirtualMachine');
      assert.deepEqual(inside.Findings, [], 'its disks are on the cluster shared volume');
    });

    it('storage that stays on the source is reported when -IncludeStorage is left out', async function () {
      const report = await lab.run<Report>(
        'compare-no-storage',
        `param($Params)
$report = Compare-VM -Name web01 -ComputerName HV01 -DestinationHost HV02
[pscustomobject]@{ OperationType = [string] $report.OperationType
    Findings = @($report.Incompatibilities | ForEach-Object { [pscustomobject]@{ MessageId = $_.MessageId; Message = $_.Message; SourceType = $_.Source.PSObject.TypeNames[0] } }) }`,
      );
      assert.equal(report.OperationType, 'MoveVirtualMachine');
      assert.deepEqual(ids(report), [20810]);
      assert.equal(report.Findings[0].SourceType, `${HV}HardDiskDrive`);
    });

    it('destination disk too small (sql01 to HV04) and a path on a volume the host lacks', async function () {
      const small = await compare('sql01', 'HV01', 'HV04');
      const disk = small.Findings.find((f) => f.MessageId === 20804);
      assert.ok(disk, JSON.stringify(small.Findings));
      assert.match(disk.Message, /not enough space on the disk 'D:\\' of host 'HV04'.*912 GB are needed.*\(0x80070070\)$/);
      const missing = await compare('web01', 'HV01', 'HV02', 'Q:\\VMs');
      assert.deepEqual(
        missing.Findings.map((f) => f.Message),
        ["Failed to create folder 'Q:\\VMs' on host 'HV02': The system cannot find the path specified. (0x80070003)"],
      );
    });

    it('destination memory too small', async function () {
      // No host of the default lab is short of memory: shrink HV02 inside the module (test set-up only).
      const report = await lab.run<Report>(
        'compare-memory',
        `param($Params)
& (Get-Module HyperVLab) { Update-LabState { param($s) ($s.hosts | Where-Object name -eq 'HV02').memoryCapacity = 24GB } | Out-Null }
$report = Compare-VM -Name sql01 -ComputerName HV01 -DestinationHost HV02 -IncludeStorage
& (Get-Module HyperVLab) { Update-LabState { param($s) ($s.hosts | Where-Object name -eq 'HV02').memoryCapacity = 512GB } | Out-Null }
[pscustomobject]@{ Findings = @($report.Incompatibilities | ForEach-Object { [pscustomobject]@{ MessageId = $_.MessageId; Message = $_.Message; SourceType = $_.Source.PSObject.TypeNames[0] } }) }`,
      );
      const memory = report.Findings.find((f) => f.MessageId === 3050);
      assert.ok(memory, JSON.stringify(report.Findings));
      assert.equal(memory.SourceType, `${HV}VirtualMachine`);
      assert.match(
        memory.Message,
        /^Not enough memory in the system to start the virtual machine 'sql01' with ram size 32768 megabytes on host 'HV02'/,
      );
    });

    it('an unreachable destination fails the comparison as an unreachable host', async function () {
      const result = await lab.attempt(
        'compare-unreachable',
        `param($Params)
Set-HyperVLabFault -ComputerName HV03 -Unreachable
try { Compare-VM -Name web01 -ComputerName HV01 -DestinationHost HV03 -IncludeStorage } finally { Set-HyperVLabFault -ComputerName HV03 -Clear }`,
      );
      assert.equal(result.ok, false);
      if (!result.ok) {
        assert.equal(result.error.kind, 'hostUnreachable');
        assert.match(result.error.message, /computer 'HV03'/);
      }
    });
  });

  describe('the report is a copy of the VM', function () {
    it("Microsoft's documented flow works verbatim: Compare-VM, fix the Source, Compare-VM, Move-VM", async function () {
      const outcome = await lab.run<{
        First: Finding[];
        ListedAfterFix: number;
        CopySwitch: string;
        LiveSwitches: string[];
        Second: Finding[];
        Vm: { ComputerName: string; Status: string; State: string; Switches: string[]; Disks: string[] };
        OnSource: number;
      }>(
        'documented-flow',
        `param($Params)
$null = Reset-HyperVLab
Set-HyperVLabTimeScale -TimeScale 1000000
$report = Compare-VM -Name sql01 -ComputerName HV01 -DestinationHost HV02 -IncludeStorage -DestinationStoragePath D:\\VMs
$first = @($report.Incompatibilities | ForEach-Object { [pscustomobject]@{ MessageId = $_.MessageId; Message = $_.Message; SourceType = $_.Source.PSObject.TypeNames[0] } })
$report.Incompatibilities[0].Source | Connect-VMNetworkAdapter -VMSwitch (Get-VMSwitch -ComputerName HV02 -Name LAN1)
$listed = @($report.Incompatibilities).Count
$copySwitch = $report.Incompatibilities[0].Source.SwitchName
$live = @(Get-VMNetworkAdapter -VMName sql01 -ComputerName HV01 | ForEach-Object { $_.SwitchName })
$report = Compare-VM -CompatibilityReport $report
$second = @($report.Incompatibilities | ForEach-Object { [pscustomobject]@{ MessageId = $_.MessageId } })
Move-VM -CompatibilityReport $report
$vm = Get-VM -Name sql01 -ComputerName HV02
[pscustomobject]@{
    First = $first; ListedAfterFix = $listed; CopySwitch = $copySwitch; LiveSwitches = $live; Second = $second
    Vm = [pscustomobject]@{ ComputerName = $vm.ComputerName; Status = $vm.Status; State = [string] $vm.State
        Switches = @($vm.NetworkAdapters | ForEach-Object { $_.SwitchName }); Disks = @($vm.HardDrives | ForEach-Object { $_.Path }) }
    OnSource = @(Get-VM -ComputerName HV01 | Where-Object Name -eq 'sql01').Count
}`,
      );
      assert.deepEqual(
        outcome.First.map((f) => f.MessageId),
        [33012],
      );
      assert.equal(outcome.ListedAfterFix, 1, 'the list does not shrink until Compare-VM runs again');
      assert.equal(outcome.CopySwitch, 'LAN1', 'the fix is on the report copy');
      assert.deepEqual(outcome.LiveSwitches, ['LAN1', 'Storage'], 'the VM itself is unchanged');
      assert.deepEqual(outcome.Second, []);
      assert.deepEqual(outcome.Vm, {
        ComputerName: 'HV02',
        Status: 'Operating normally',
        State: 'Running',
        Switches: ['LAN1', 'LAN1'],
        Disks: ['D:\\VMs\\sql01-data.vhdx', 'D:\\VMs\\sql01-log.vhdx'],
      });
      assert.equal(outcome.OnSource, 0);
    });

    it('Disconnect-VMNetworkAdapter and Set-VMDvdDrive on report objects fix the move, not the VM', async function () {
      const outcome = await lab.run<{ Rechecked: number[]; LiveIso: string; MovedIso: string | null; MovedHost: string }>(
        'copy-dvd',
        `param($Params)
$null = Reset-HyperVLab
Set-HyperVLabTimeScale -TimeScale 1000000
$report = Compare-VM -Name build01 -ComputerName HV01 -DestinationHost HV02 -IncludeStorage
$report.Incompatibilities[0].Source | Set-VMDvdDrive -Path $null
$report = Compare-VM -CompatibilityReport $report
$rechecked = @($report.Incompatibilities | ForEach-Object { $_.MessageId })
$liveIso = (Get-VMDvdDrive -VMName build01 -ComputerName HV01).Path
Move-VM -CompatibilityReport $report
[pscustomobject]@{ Rechecked = $rechecked; LiveIso = $liveIso; MovedIso = (Get-VMDvdDrive -VMName build01 -ComputerName HV02).Path
    MovedHost = (Get-VM -Name build01 -ComputerName HV02).ComputerName }`,
      );
      assert.deepEqual(outcome.Rechecked, []);
      assert.equal(outcome.LiveIso, 'D:\\ISO\\en-us_windows_server_2022_x64_dvd.iso', 'the real drive keeps its ISO until the move');
      assert.equal(outcome.MovedIso, null);
      assert.equal(outcome.MovedHost, 'HV02');
    });

    it('the form the extension writes (Compare-VM -VM $vm), with the adapter disconnected on the copy', async function () {
      const outcome = await lab.run<{ First: number[]; Second: number[]; Moved: (string | null)[] }>(
        'vm-disconnect',
        `param($Params)
$null = Reset-HyperVLab
Set-HyperVLabTimeScale -TimeScale 1000000
$vm = Get-VM -Name sql01 -ComputerName HV01
$report = Compare-VM -VM $vm -DestinationHost HV02 -IncludeStorage -DestinationStoragePath 'D:\\Hyper-V\\sql01'
$first = @($report.Incompatibilities | ForEach-Object { $_.MessageId })
$report.Incompatibilities[0].Source | Disconnect-VMNetworkAdapter
$report = Compare-VM -CompatibilityReport $report
$second = @($report.Incompatibilities | ForEach-Object { $_.MessageId })
Move-VM -CompatibilityReport $report
[pscustomobject]@{ First = $first; Second = $second
    Moved = @(Get-VMNetworkAdapter -VMName sql01 -ComputerName HV02 | ForEach-Object { $_.SwitchName }) }`,
      );
      assert.deepEqual(outcome.First, [33012]);
      assert.deepEqual(outcome.Second, []);
      assert.deepEqual(outcome.Moved, ['LAN1', null], 'the Storage adapter arrives disconnected');
    });
  });
});
