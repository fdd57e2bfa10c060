# The default lab (issue 3): domain contoso.lab, HV01..HV06, cluster CL1 of HV05+HV06, and the VMs
# whose situations the docs, tests and demos rely on:
#   web01 -> HV02 clean; web01 -> HV03 vendor + switch + delegation; sql01 -> HV02 needs the Storage
#   switch; app02 -> HV01 needs processor compatibility; build01 needs its ISO ejected; legacy04 is
#   version 8.0 on a 2019 host; dc04 has a pass-through disk; erp01 is clustered (HA workflow);
#   vault06 has a vTPM whose guardian only HV06 holds; build01 has one checkpoint.
# Delegation is per AD account, as in AD: HV02's "use any authentication protocol" is off, so its
# entries (for HV01 and HV03) are present but only usable with Kerberos-only delegation.

$domain = 'contoso.lab'
$state = New-LabStateRecord -Template 'Default' -Domain $domain
$dn = $state.domain.distinguishedName

$state.hosts = @(
    New-LabHostRecord -Name 'HV01' -Domain $domain -Processor 'IntelMid' -MemoryGB 256 -Switches 'LAN1', 'Storage'
    New-LabHostRecord -Name 'HV02' -Domain $domain -Processor 'IntelNewest' -MemoryGB 512 -DataVolumeGB 8192 -Switches 'LAN1', 'Backup'
    New-LabHostRecord -Name 'HV03' -Domain $domain -Processor 'AmdMid' -MemoryGB 256 -Switches 'LAN-Prod'
    New-LabHostRecord -Name 'HV04' -Domain $domain -Os 'WS2019' -Processor 'IntelOld' -MemoryGB 128 -DataVolumeGB 1024 `
        -DataVolumeOtherUsedGB 900 -MigrationEnabled $false -AuthenticationType 'CredSSP' -MigrationSubnet $null -LinkSpeedBps 1000000000
    New-LabHostRecord -Name 'HV05' -Domain $domain -Processor 'IntelMid' -MemoryGB 384
    New-LabHostRecord -Name 'HV06' -Domain $domain -Processor 'IntelMid' -MemoryGB 384 -KeyProtectorGuardians 'HV06 UntrustedGuardian'
)
$levels = @{}
foreach ($h in $state.hosts) { $levels[$h.name] = $h.processor.featureLevel }

$vhd = 'D:\Hyper-V\Virtual Hard Disks'
$state.vms = @(
    New-LabVmRecord -Name 'web01' -HostName 'HV01' -MemoryGB 2 -ProcessorCount 2 -FeatureLevelInUse $levels.HV01 -MacSeed 0x0101 `
        -HardDrives @(New-LabDiskRecord -Path "$vhd\web01.vhdx" -SizeGB 40 -FileSizeGB 14)
    New-LabVmRecord -Name 'sql01' -HostName 'HV01' -MemoryGB 32 -ProcessorCount 8 -FeatureLevelInUse $levels.HV01 -MacSeed 0x0102 `
        -Adapters 'LAN1', 'Storage' -HardDrives @(
            New-LabDiskRecord -Path "$vhd\sql01-data.vhdx" -SizeGB 1024 -FileSizeGB 612 -ControllerLocation 0
            New-LabDiskRecord -Path "$vhd\sql01-log.vhdx" -SizeGB 300 -FileSizeGB 300 -VhdType 'Fixed' -ControllerLocation 1
        )
    New-LabVmRecord -Name 'build01' -HostName 'HV01' -State 'Off' -MemoryGB 4 -ProcessorCount 4 -MacSeed 0x0103 `
        -IsoPath 'D:\ISO\en-us_windows_server_2022_x64_dvd.iso'
    New-LabVmRecord -Name 'app02' -HostName 'HV02' -MemoryGB 8 -ProcessorCount 4 -FeatureLevelInUse $levels.HV02 -MacSeed 0x0201
    New-LabVmRecord -Name 'legacy04' -HostName 'HV04' -Generation 1 -Version '8.0' -MemoryGB 4 -FeatureLevelInUse $levels.HV04 -MacSeed 0x0401
    New-LabVmRecord -Name 'dc04' -HostName 'HV04' -Version '9.0' -MemoryGB 4 -FeatureLevelInUse $levels.HV04 -MacSeed 0x0402 -HardDrives @(
        New-LabDiskRecord -Path "$vhd\dc04.vhdx" -SizeGB 80 -FileSizeGB 22
        New-LabPassThroughDiskRecord -DiskNumber 2 -SizeGB 200
    )
    New-LabVmRecord -Name 'erp01' -HostName 'HV05' -MemoryGB 16 -ProcessorCount 4 -FeatureLevelInUse $levels.HV05 -MacSeed 0x0501 `
        -VmRoot 'C:\ClusterStorage\Volume1' -VhdRoot 'C:\ClusterStorage\Volume1\erp01'
    New-LabVmRecord -Name 'vault06' -HostName 'HV06' -MemoryGB 4 -FeatureLevelInUse $levels.HV06 -MacSeed 0x0601 -Tpm $true `
        -Guardian 'HV06 UntrustedGuardian'
)

$build = $state.vms | Where-Object { $_.name -eq 'build01' }
$build.snapshots = @([ordered]@{
        id = New-LabGuid -Seed 'snapshot:build01/clean install'; name = 'clean install'; snapshotType = 'Standard'
        creationTime = '2025-03-02T10:00:00.000Z'; parentSnapshotId = $null; fileSize = 6 * $script:GB
    })

$cluster = New-LabClusterRecord -Name 'CL1' -Domain $domain -Nodes 'HV05', 'HV06'
$erp = $state.vms | Where-Object { $_.name -eq 'erp01' }
$cluster.groups += New-LabClusterGroupRecord -ClusterName 'CL1' -Vm $erp
$state.clusters = @($cluster)
foreach ($node in 'HV05', 'HV06')
{
    $h = $state.hosts | Where-Object { $_.name -eq $node }
    $h.volumes += [ordered]@{ path = 'C:\ClusterStorage\Volume1\'; size = 4096 * $script:GB; otherUsed = 300 * $script:GB }
}

$state.adComputers = @(
    New-LabAdComputerRecord -Name 'HV01' -Domain $domain -DomainDn $dn -Rid 1101 -DelegateTo 'HV02' -AnyProtocol $true
    New-LabAdComputerRecord -Name 'HV02' -Domain $domain -DomainDn $dn -Rid 1102 -DelegateTo 'HV01', 'HV03' -AnyProtocol $false
    New-LabAdComputerRecord -Name 'HV03' -Domain $domain -DomainDn $dn -Rid 1103
    New-LabAdComputerRecord -Name 'HV04' -Domain $domain -DomainDn $dn -Rid 1104
    New-LabAdComputerRecord -Name 'HV05' -Domain $domain -DomainDn $dn -Rid 1105 -DelegateTo 'HV01', 'HV06' -AnyProtocol $true
    New-LabAdComputerRecord -Name 'HV06' -Domain $domain -DomainDn $dn -Rid 1106 -DelegateTo 'HV01', 'HV05' -AnyProtocol $true
    New-LabAdComputerRecord -Name 'CL1' -Domain $domain -DomainDn $dn -Rid 1107 -OrganizationalUnit 'CN=Computers'
)

$state
