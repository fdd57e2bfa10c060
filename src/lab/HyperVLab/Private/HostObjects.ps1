# The objects the lab's host-side cmdlets return (Get-VMHost, Get-VMSwitch, Get-VMSnapshot, Get-VMMigrationNetwork,
# Get-VMHostSupportedVersion, Get-VHD, the management OS's adapters), as Objects.ps1 builds the VM's: real property
# names and type names, enum values as names, lab-only facts as Lab* NoteProperties.

function ConvertTo-LabVMHost
{
    param ([System.Object] $Index, [System.Object] $HostRecord)

    $cluster = $null
    $null = $Index.ClusterOfNode.TryGetValue($HostRecord.name, [ref] $cluster)
    $reported = Get-LabReportedName -State $Index.State -HostRecord $HostRecord
    $object = [pscustomobject][ordered]@{
        Name                                      = $reported
        ComputerName                              = $reported
        # Hyper-V's VMHost.FullyQualifiedDomainName is Win32_ComputerSystem.Domain: the domain, not the host's FQDN.
        FullyQualifiedDomainName                  = [System.String] $Index.State.domain.name
        LogicalProcessorCount                     = [System.Int32] $HostRecord.logicalProcessorCount
        MemoryCapacity                            = [System.Int64] $HostRecord.memoryCapacity
        VirtualHardDiskPath                       = $HostRecord.virtualHardDiskPath
        VirtualMachinePath                        = $HostRecord.virtualMachinePath
        VirtualMachineMigrationEnabled            = [System.Boolean] $HostRecord.migration.enabled
        UseAnyNetworkForMigration                 = [System.Boolean] $HostRecord.migration.useAnyNetwork
        VirtualMachineMigrationAuthenticationType = $HostRecord.migration.authenticationType
        VirtualMachineMigrationPerformanceOption  = $HostRecord.migration.performanceOption
        MaximumVirtualMachineMigrations           = [System.UInt32] $HostRecord.migration.maximumVirtualMachineMigrations
        MaximumStorageMigrations                  = [System.UInt32] $HostRecord.migration.maximumStorageMigrations
        SupportedVmVersions                       = @($HostRecord.supportedVersions)
        NumaSpanningEnabled                       = $true
        EnableEnhancedSessionMode                 = $false
        IovSupport                                = $false
        MacAddressMinimum                         = '00155D010100'
        MacAddressMaximum                         = '00155D0101FF'
        ResourceMeteringSaveInterval              = [System.TimeSpan]::FromHours(1)
        IsDeleted                                 = $false
        LabOsName                                 = $HostRecord.osName
        LabOsVersion                              = $HostRecord.osVersion
        LabProcessorVendor                        = $HostRecord.processor.vendor
        LabProcessorName                          = $HostRecord.processor.name
        LabProcessorFeatureLevel                  = [System.Int32] $HostRecord.processor.featureLevel
        LabProcessorFeatureSet                    = $HostRecord.processor.featureSet
        LabMemoryAvailable                        = Get-LabHostMemoryAvailable -Index $Index -HostRecord $HostRecord
        LabVolumes                                = Get-LabVolumeReport -Index $Index -HostRecord $HostRecord
        LabLinkSpeedBps                           = [System.Int64] $HostRecord.linkSpeedBps
        LabClusterName                            = if ($cluster) { $cluster.name } else { $null }
    }
    return Add-LabTypeName -Object $object -TypeName 'Microsoft.HyperV.PowerShell.VMHost'
}

function ConvertTo-LabVMSwitch
{
    param ([System.Object] $Switch, [System.Object] $HostRecord)

    $descriptions = @(if ($Switch.netAdapterInterfaceDescription) { $Switch.netAdapterInterfaceDescription })
    $property = [ordered]@{
        Name                            = $Switch.name
        Id                              = [System.Guid] $Switch.id
        SwitchType                      = $Switch.switchType
        AllowManagementOS               = [System.Boolean] $Switch.allowManagementOS
        NetAdapterInterfaceDescription  = $Switch.netAdapterInterfaceDescription
        NetAdapterInterfaceDescriptions = $descriptions
        Notes                           = $Switch.notes
        BandwidthReservationMode        = 'Absolute'
        EmbeddedTeamingEnabled          = $false
        IovEnabled                      = $false
        PacketDirectEnabled             = $false
        Extensions                      = @()
    }
    return New-LabHyperVObject -Property $property -TypeName 'Microsoft.HyperV.PowerShell.VMSwitch' -HostRecord $HostRecord
}

function ConvertTo-LabVMSnapshot
{
    param ([System.Object] $Vm, [System.Object] $Snapshot, [System.Object] $HostRecord)

    $parent = $null
    foreach ($s in @($Vm.snapshots)) { if ($null -ne $Snapshot.parentSnapshotId -and $s.id -eq $Snapshot.parentSnapshotId) { $parent = $s } }
    $property = [ordered]@{
        Name                  = $Snapshot.name
        Id                    = [System.Guid] $Snapshot.id
        VMId                  = [System.Guid] $Vm.id
        VMName                = $Vm.name
        SnapshotType          = $Snapshot.snapshotType
        IsAutomaticCheckpoint = $false
        State                 = 'Off'
        CreationTime          = ConvertTo-LabDate -Value $Snapshot.creationTime
        ParentSnapshotId      = if ($parent) { [System.Guid] $parent.id } else { $null }
        ParentSnapshotName    = if ($parent) { $parent.name } else { $null }
        Path                  = $Vm.snapshotFileLocation
        SizeOfSystemFiles     = [System.Int64] $Snapshot.fileSize
        MemoryStartup         = [System.Int64] $Vm.memoryStartup
        ProcessorCount        = [System.Int64] $Vm.processor.count
        Generation            = [System.Int32] $Vm.generation
        Version               = $Vm.version
        Notes                 = ''
    }
    return New-LabHyperVObject -Property $property -TypeName 'Microsoft.HyperV.PowerShell.VMSnapshot', 'Microsoft.HyperV.PowerShell.VirtualMachineBase' -HostRecord $HostRecord
}

function ConvertTo-LabMigrationNetwork
{
    param ([System.Object] $Network, [System.Object] $HostRecord)

    $property = [ordered]@{
        Subnet   = $Network.subnet
        Priority = [System.Int32] $Network.priority
    }
    return New-LabHyperVObject -Property $property -TypeName 'Microsoft.HyperV.PowerShell.VMMigrationNetwork' -HostRecord $HostRecord
}

function ConvertTo-LabSupportedVersion
{
    param ([System.String] $Version, [System.Object] $HostRecord)

    $property = [ordered]@{
        Name      = $script:LabConfigurationVersions[$Version]
        Version   = [System.Version] $Version
        IsDefault = ($Version -eq $HostRecord.defaultVersion)
    }
    return New-LabHyperVObject -Property $property -TypeName 'Microsoft.HyperV.PowerShell.VMHostSupportedVersion' -HostRecord $HostRecord
}

function ConvertTo-LabVirtualHardDisk
{
    param ([System.Object] $Vm, [System.Object] $Drive, [System.Object] $HostRecord)

    $object = [pscustomobject][ordered]@{
        ComputerName            = $HostRecord.name
        Path                    = $Drive.path
        VhdFormat               = $Drive.vhdFormat
        VhdType                 = $Drive.vhdType
        FileSize                = [System.UInt64] $Drive.fileSize
        Size                    = [System.UInt64] $Drive.size
        MinimumSize             = [System.UInt64] $Drive.fileSize
        LogicalSectorSize       = [System.UInt32] 512
        PhysicalSectorSize      = [System.UInt32] 4096
        BlockSize               = if ($Drive.vhdType -eq 'Fixed') { [System.UInt32] 0 } else { [System.UInt32] 33554432 }
        ParentPath              = $Drive.parentPath
        DiskIdentifier          = (New-LabGuid -Seed "disk:$($Drive.path)").ToUpperInvariant()
        FragmentationPercentage = [System.UInt32] 0
        Alignment               = [System.UInt32] 1
        Attached                = ($Vm.state -ne 'Off')
        DiskNumber              = $null
        IsPMEMCompatible        = $false
        AddressAbstractionType  = 'None'
    }
    return Add-LabTypeName -Object $object -TypeName 'Microsoft.Vhd.PowerShell.VirtualHardDisk'
}

function New-LabVhdNotFoundError
{
    # Get-VHD on a path it cannot open as a virtual hard disk (no such file, or a fault's missing file): the
    # path as typed, InvalidArgument, VirtualizationException, id InvalidParameter, no target (the record
    # shows "(:)"). Real transcripts of Get-VHD and Mount-VHD (PS-AutoLab-Env #159, openzfsonwindows #381).
    param ([System.String] $Path)

    $record = New-LabErrorRecord -Category InvalidArgument -ErrorId 'InvalidParameter' -ExceptionType 'System.ArgumentException' `
        -Message "'$Path' is not an existing virtual hard disk file."
    $record.CategoryInfo.Reason = 'VirtualizationException'
    return $record
}

function ConvertTo-LabManagementAdapter
{
    # The host's own virtual adapter on a switch that allows the management OS.
    param ([System.Object] $Switch, [System.Object] $HostRecord)

    $property = [ordered]@{
        Name              = $Switch.name
        Id                = 'Microsoft:{0}' -f (New-LabGuid -Seed "mgmt:$($HostRecord.name)/$($Switch.name)").ToUpperInvariant()
        AdapterId         = (New-LabGuid -Seed "mgmt:$($HostRecord.name)/$($Switch.name)").ToUpperInvariant()
        VMId              = $null
        VMName            = ''
        SwitchName        = $Switch.name
        SwitchId          = [System.Guid] $Switch.id
        Connected         = $true
        MacAddress        = '00155D' + (New-LabGuid -Seed "mac:$($HostRecord.name)/$($Switch.name)").Substring(0, 6).ToUpperInvariant()
        IsManagementOs    = $true
        IsExternalAdapter = $false
        IsLegacy          = $false
        Status            = @('Ok')
        StatusDescription = @('OK')
    }
    return New-LabHyperVObject -Property $property -TypeName 'Microsoft.HyperV.PowerShell.VMInternalNetworkAdapter', 'Microsoft.HyperV.PowerShell.VMNetworkAdapterBase' -HostRecord $HostRecord
}
