# Builders for the records of the lab file (STATE.md). The templates compose labs from these, so a
# template says only what is particular to each host and VM.

$script:GB = [System.Int64] 1073741824
$script:TB = [System.Int64] 1099511627776

$script:LabConfigurationVersions = [ordered]@{
    '5.0'  = 'Microsoft Windows Server 2012 R2/Windows 8.1'
    '6.2'  = 'Microsoft Windows 10 1507/Server 2016 Technical Preview 3'
    '7.0'  = 'Microsoft Windows 10 1511/Server 2016 Technical Preview 4'
    '7.1'  = 'Microsoft Windows 10 Anniversary Update/Server 2016 Technical Preview 5'
    '8.0'  = 'Microsoft Windows Server 2016/Windows 10 Anniversary Update'
    '8.1'  = 'Microsoft Windows 10 Creators Update'
    '8.2'  = 'Microsoft Windows 10 Fall Creators Update/Server 1709'
    '8.3'  = 'Microsoft Windows 10 April 2018 Update/Server 1803'
    '9.0'  = 'Microsoft Windows Server 2019/Windows 10 October 2018 Update'
    '9.1'  = 'Microsoft Windows 10 May 2019 Update/Server 1903'
    '9.2'  = 'Microsoft Windows 10 May 2020 Update/Server 2004'
    '9.3'  = 'Microsoft Windows 10 October 2020 Update/Server 20H2'
    '10.0' = 'Microsoft Windows Server 2022/Windows 11'
}

$script:LabOperatingSystems = @{
    'WS2019' = @{ Name = 'Windows Server 2019 Datacenter'; Version = '10.0.17763'; MaxVersion = '9.0' }
    'WS2022' = @{ Name = 'Windows Server 2022 Datacenter'; Version = '10.0.20348'; MaxVersion = '10.0' }
}

$script:LabProcessors = @{
    'IntelOld'    = @{ vendor = 'Intel'; name = 'Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz'; featureLevel = 1; featureSet = 'Broadwell' }
    'IntelMid'    = @{ vendor = 'Intel'; name = 'Intel(R) Xeon(R) Gold 6248R CPU @ 3.00GHz'; featureLevel = 2; featureSet = 'Cascade Lake' }
    'IntelNewest' = @{ vendor = 'Intel'; name = 'Intel(R) Xeon(R) Platinum 8480+'; featureLevel = 3; featureSet = 'Sapphire Rapids' }
    'AmdMid'      = @{ vendor = 'AMD'; name = 'AMD EPYC 7543 32-Core Processor'; featureLevel = 2; featureSet = 'Milan' }
}

function New-LabGuid
{
    # A GUID derived from a seed, so templates are the same on every run.
    param ([System.String] $Seed)

    $md5 = [System.Security.Cryptography.MD5]::Create()
    try
    {
        return ([System.Guid]::new($md5.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($Seed)))).ToString()
    }
    finally
    {
        $md5.Dispose()
    }
}

function New-LabDelegationEntry
{
    # The four msDS-AllowedToDelegateTo entries a source needs to live-migrate to one destination.
    param ([System.String] $To, [System.String] $Domain)

    $fqdn = "$To.$Domain"
    return @(
        "Microsoft Virtual System Migration Service/$To"
        "Microsoft Virtual System Migration Service/$fqdn"
        "cifs/$To"
        "cifs/$fqdn"
    )
}

function New-LabSwitchRecord
{
    param ([System.String] $HostName, [System.String] $Name, [System.String] $SwitchType = 'External', [System.String] $NetAdapter = 'Intel(R) Ethernet Controller X710 for 10GbE SFP+')

    $description = if ($SwitchType -eq 'External') { $NetAdapter } else { $null }
    return [ordered]@{
        name                           = $Name
        id                             = New-LabGuid -Seed "switch:$HostName/$Name"
        switchType                     = $SwitchType
        netAdapterInterfaceDescription = $description
        allowManagementOS              = ($SwitchType -ne 'Private')
        notes                          = ''
    }
}

function New-LabHostRecord
{
    param
    (
        [System.String] $Name,
        [System.String] $Domain,
        [System.String] $Os = 'WS2022',
        [System.String] $Processor = 'IntelMid',
        [System.Int64] $MemoryGB = 256,
        [System.Int64] $DataVolumeGB = 4096,
        [System.Int64] $DataVolumeOtherUsedGB = 400,
        [System.String[]] $Switches = @('LAN1'),
        [System.Boolean] $MigrationEnabled = $true,
        [System.String] $AuthenticationType = 'Kerberos',
        [System.String] $MigrationSubnet = '10.10.1.0/24',
        [System.Int64] $LinkSpeedBps = 10000000000,
        [System.String[]] $KeyProtectorGuardians = @()
    )

    $osInfo = $script:LabOperatingSystems[$Os]
    $versions = @()
    foreach ($version in $script:LabConfigurationVersions.Keys)
    {
        $versions += $version
        if ($version -eq $osInfo.MaxVersion) { break }
    }
    $switchRecords = @()
    $nicIndex = 1
    foreach ($switchName in $Switches)
    {
        $switchRecords += New-LabSwitchRecord -HostName $Name -Name $switchName -NetAdapter "Intel(R) Ethernet Controller X710 for 10GbE SFP+ #$nicIndex"
        $nicIndex++
    }
    $networks = @()
    if ($MigrationSubnet) { $networks += [ordered]@{ subnet = $MigrationSubnet; priority = 0 } }
    return [ordered]@{
        name                  = $Name
        fqdn                  = "$Name.$Domain"
        osName                = $osInfo.Name
        osVersion             = $osInfo.Version
        supportedVersions     = $versions
        defaultVersion        = $osInfo.MaxVersion
        processor             = [ordered]@{} + $script:LabProcessors[$Processor]
        logicalProcessorCount = 64
        memoryCapacity        = $MemoryGB * $script:GB
        memoryReserved        = 8 * $script:GB
        volumes               = @(
            [ordered]@{ path = 'C:\'; size = 480 * $script:GB; otherUsed = 62 * $script:GB }
            [ordered]@{ path = 'D:\'; size = $DataVolumeGB * $script:GB; otherUsed = $DataVolumeOtherUsedGB * $script:GB }
        )
        virtualMachinePath    = 'D:\Hyper-V'
        virtualHardDiskPath   = 'D:\Hyper-V\Virtual Hard Disks'
        migration             = [ordered]@{
            enabled                         = $MigrationEnabled
            useAnyNetwork                   = $false
            networks                        = $networks
            authenticationType              = $AuthenticationType
            performanceOption               = 'Compression'
            maximumVirtualMachineMigrations = 2
            maximumStorageMigrations        = 2
        }
        linkSpeedBps          = $LinkSpeedBps
        switches              = $switchRecords
        keyProtectorGuardians = $KeyProtectorGuardians
    }
}

function New-LabDiskRecord
{
    param
    (
        [System.String] $Path,
        [System.Int64] $SizeGB,
        [System.Int64] $FileSizeGB,
        [System.String] $VhdType = 'Dynamic',
        [System.Int32] $ControllerNumber = 0,
        [System.Int32] $ControllerLocation = 0,
        [System.String] $ControllerType = 'SCSI'
    )

    return [ordered]@{
        controllerType     = $ControllerType
        controllerNumber   = $ControllerNumber
        controllerLocation = $ControllerLocation
        path               = $Path
        diskNumber         = $null
        vhdFormat          = if ($Path -like '*.vhd') { 'VHD' } else { 'VHDX' }
        vhdType            = $VhdType
        size               = $SizeGB * $script:GB
        fileSize           = $FileSizeGB * $script:GB
        parentPath         = $null
    }
}

function New-LabPassThroughDiskRecord
{
    param ([System.Int32] $DiskNumber, [System.Int64] $SizeGB, [System.Int32] $ControllerNumber = 0, [System.Int32] $ControllerLocation = 1)

    return [ordered]@{
        controllerType     = 'SCSI'
        controllerNumber   = $ControllerNumber
        controllerLocation = $ControllerLocation
        path               = ('Disk {0} {1:N2} GB Bus 0 Lun 0 Target {0}' -f $DiskNumber, $SizeGB)
        diskNumber         = $DiskNumber
        vhdFormat          = $null
        vhdType            = $null
        size               = $SizeGB * $script:GB
        fileSize           = 0
        parentPath         = $null
    }
}

function New-LabVmRecord
{
    param
    (
        [System.String] $Name,
        [System.String] $HostName,
        [System.String] $State = 'Running',
        [System.Int32] $Generation = 2,
        [System.String] $Version = '10.0',
        [System.Int64] $MemoryGB = 4,
        [System.Int32] $ProcessorCount = 2,
        [System.Object] $FeatureLevelInUse = $null,
        [System.Boolean] $Compatibility = $false,
        [System.Object[]] $Adapters = @('LAN1'),
        [System.Object[]] $HardDrives,
        [System.String] $IsoPath = $null,
        [System.Boolean] $Tpm = $false,
        [System.String] $Guardian = $null,
        [System.String] $VmRoot = 'D:\Hyper-V',
        [System.String] $VhdRoot = 'D:\Hyper-V\Virtual Hard Disks',
        [System.Int32] $MacSeed = 1,
        [System.String] $Notes = ''
    )

    $id = New-LabGuid -Seed "vm:$Name"
    $adapterRecords = @()
    $i = 0
    foreach ($switchName in $Adapters)
    {
        $adapterName = if ($i -eq 0) { 'Network Adapter' } else { "$switchName Adapter" }
        $adapterRecords += [ordered]@{
            id                       = New-LabGuid -Seed "nic:$Name/$i"
            name                     = $adapterName
            switchName               = $switchName
            macAddress               = '00155D{0:X2}{1:X2}{2:X2}' -f (($MacSeed -shr 8) -band 0xFF), ($MacSeed -band 0xFF), $i
            dynamicMacAddressEnabled = $true
            ipAddresses              = if ($State -eq 'Running') { @('10.{0}.{1}.{2}' -f (10 + $i), (($MacSeed -shr 8) -band 0xFF), ($MacSeed -band 0xFF)) } else { @() }
            isLegacy                 = $false
        }
        $i++
    }
    if ($null -eq $HardDrives)
    {
        $controllerType = if ($Generation -eq 1) { 'IDE' } else { 'SCSI' }
        $HardDrives = @(New-LabDiskRecord -Path "$VhdRoot\$Name.vhdx" -SizeGB 127 -FileSizeGB 24 -ControllerType $controllerType)
    }
    # [string] parameters turn $null into '': the file keeps null for "none".
    $iso = if ($IsoPath) { $IsoPath } else { $null }
    $dvd = @()
    if ($Generation -eq 1)
    {
        $dvd += [ordered]@{ controllerType = 'IDE'; controllerNumber = 1; controllerLocation = 0; path = $iso }
    }
    else
    {
        $dvd += [ordered]@{ controllerType = 'SCSI'; controllerNumber = 0; controllerLocation = @($HardDrives).Count; path = $iso }
    }
    $running = $State -eq 'Running'
    return [ordered]@{
        id                   = $id
        name                 = $Name
        host                 = $HostName
        vmType               = 'RealizedVirtualMachine'
        state                = $State
        status               = 'Operating normally'
        generation           = $Generation
        version              = $Version
        notes                = $Notes
        memoryStartup        = $MemoryGB * $script:GB
        dynamicMemoryEnabled = $false
        memoryMinimum        = 512MB
        memoryMaximum        = $script:TB
        processor            = [ordered]@{
            count                                       = $ProcessorCount
            compatibilityForMigrationEnabled            = $Compatibility
            compatibilityForOlderOperatingSystemsEnabled = $false
            featureLevelInUse                           = if (-not $running) { $null } elseif ($Compatibility) { 0 } else { $FeatureLevelInUse }
        }
        path                 = "$VmRoot\$Name"
        snapshotFileLocation = "$VmRoot\$Name"
        smartPagingFilePath  = "$VmRoot\$Name"
        creationTime         = '2025-03-01T09:00:00.000Z'
        startedAt            = if ($running) { '2026-01-05T06:00:00.000Z' } else { $null }
        networkAdapters      = $adapterRecords
        hardDrives           = @($HardDrives)
        dvdDrives            = $dvd
        snapshots            = @()
        security             = [ordered]@{ tpmEnabled = $Tpm; shielded = $false; keyProtectorGuardian = $(if ($Guardian) { $Guardian } else { $null }) }
    }
}

function New-LabAdComputerRecord
{
    param
    (
        [System.String] $Name,
        [System.String] $Domain,
        [System.String] $DomainDn,
        [System.String] $OrganizationalUnit = 'OU=Hyper-V Hosts',
        [System.String[]] $DelegateTo = @(),
        [System.Boolean] $AnyProtocol = $false,
        [System.Int32] $Rid = 1100
    )

    $entries = @()
    foreach ($destination in $DelegateTo) { $entries += New-LabDelegationEntry -To $destination -Domain $Domain }
    return [ordered]@{
        name                       = $Name
        samAccountName             = "$Name`$"
        dnsHostName                = "$Name.$Domain"
        distinguishedName          = "CN=$Name,$OrganizationalUnit,$DomainDn"
        objectGuid                 = New-LabGuid -Seed "ad:$Name"
        sid                        = "S-1-5-21-3623811015-3361044348-30300820-$Rid"
        enabled                    = $true
        allowedToDelegateTo        = $entries
        trustedToAuthForDelegation = $AnyProtocol
    }
}

function New-LabClusterRecord
{
    param ([System.String] $Name, [System.String] $Domain, [System.String[]] $Nodes)

    return [ordered]@{
        name   = $Name
        fqdn   = "$Name.$Domain"
        id     = New-LabGuid -Seed "cluster:$Name"
        nodes  = $Nodes
        groups = @(
            [ordered]@{ name = 'Cluster Group'; id = New-LabGuid -Seed "group:$Name/Cluster Group"; groupType = 'Cluster'; ownerNode = $Nodes[0]; state = 'Online'; vmId = $null }
            [ordered]@{ name = 'Available Storage'; id = New-LabGuid -Seed "group:$Name/Available Storage"; groupType = 'AvailableStorage'; ownerNode = $Nodes[0]; state = 'Offline'; vmId = $null }
        )
    }
}

function New-LabClusterGroupRecord
{
    param ([System.String] $ClusterName, [System.Object] $Vm)

    return [ordered]@{
        name      = $Vm.name
        id        = New-LabGuid -Seed "group:$ClusterName/$($Vm.name)"
        groupType = 'VirtualMachine'
        ownerNode = $Vm.host
        state     = if ($Vm.state -eq 'Running') { 'Online' } else { 'Offline' }
        vmId      = $Vm.id
    }
}

function New-LabStateRecord
{
    param ([System.String] $Template, [System.Object] $Hosts = $null, [System.Object] $VmsPerHost = $null, [System.String] $Domain = 'contoso.lab')

    return [ordered]@{
        schemaVersion = $script:LabSchemaVersion
        revision      = 0
        template      = [ordered]@{ name = $Template; hosts = $Hosts; vmsPerHost = $VmsPerHost }
        domain        = [ordered]@{ name = $Domain; netBiosName = ($Domain.Split('.')[0]).ToUpperInvariant(); distinguishedName = (($Domain.Split('.') | ForEach-Object { "DC=$_" }) -join ',') }
        clock         = [ordered]@{ timeScale = 10 }
        hosts         = @()
        clusters      = @()
        vms           = @()
        adComputers   = @()
        faults        = [ordered]@{}
        moves         = @()
    }
}

function New-LabTemplateState
{
    # A fresh state from a template of Templates/ (Default, or Scale with an optional size).
    param ([System.String] $Template, [System.Int32] $Hosts = 0, [System.Int32] $VmsPerHost = 0)

    $file = Join-Path -Path $script:LabTemplatesPath -ChildPath "$Template.ps1"
    if ($Template -eq 'Scale' -and $Hosts -gt 0)
    {
        return . $file -Hosts $Hosts -VmsPerHost $VmsPerHost
    }
    return . $file
}
