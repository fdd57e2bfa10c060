# The objects the lab's cmdlets return: PSCustomObjects with the real property names of the Hyper-V
# module's types and the real type names in PSTypeNames (so [PSTypeName()] parameters accept them).
# Enum values are the enum names. Facts no real property carries are NoteProperties named Lab*.

$script:LabMemoryHoldingStates = @('Running', 'Paused', 'Starting', 'Stopping', 'Saving', 'Pausing', 'Resuming', 'Reset',
    'RunningCritical', 'PausedCritical', 'StartingCritical', 'StoppingCritical', 'SavingCritical', 'PausingCritical', 'ResumingCritical')

function Add-LabTypeName
{
    param ([System.Management.Automation.PSObject] $Object, [System.String[]] $TypeName)

    for ($i = $TypeName.Count - 1; $i -ge 0; $i--) { $Object.PSObject.TypeNames.Insert(0, $TypeName[$i]) }
    return $Object
}

function New-LabHyperVObject
{
    # An object of the Hyper-V module from its type's own properties (in their order), closed the way every one of
    # them is: for a part of a VM (-Vm: a drive, the processor) the VM and the checkpoint it belongs to (none: the
    # VM itself), then the host it came from and IsDeleted, then -Lab, the lab's own facts. -TypeName: most derived first.
    param ([System.Collections.Specialized.OrderedDictionary] $Property, [System.String[]] $TypeName, [System.Object] $HostRecord, [System.Object] $Vm = $null, [System.Collections.IDictionary] $Lab = @{})

    if ($null -ne $Vm)
    {
        $Property.VMId = [System.Guid] $Vm.id
        $Property.VMName = $Vm.name
        $Property.VMSnapshotId = [System.Guid]::Empty
        $Property.VMSnapshotName = ''
    }
    $Property.ComputerName = $HostRecord.name
    $Property.IsDeleted = $false
    foreach ($key in $Lab.Keys) { $Property[$key] = $Lab[$key] }
    return Add-LabTypeName -Object ([pscustomobject] $Property) -TypeName $TypeName
}

function Get-LabVmMemoryAssigned
{
    param ([System.Object] $Vm)

    if ($Vm.vmType -eq 'PlannedVirtualMachine' -or $Vm.state -notin $script:LabMemoryHoldingStates) { return [System.Int64] 0 }
    return [System.Int64] $Vm.memoryStartup
}

function Get-LabHostMemoryAvailable
{
    param ([System.Object] $Index, [System.Object] $HostRecord)

    $used = [System.Int64] $HostRecord.memoryReserved
    $list = $null
    if ($Index.VmsByHost.TryGetValue($HostRecord.name, [ref] $list))
    {
        foreach ($vm in $list) { $used += Get-LabVmMemoryAssigned -Vm $vm }
    }
    return [System.Math]::Max([System.Int64] 0, [System.Int64] $HostRecord.memoryCapacity - $used)
}

function Get-LabVolumeOfPath
{
    # The host volume a path lives on: the longest volume path that prefixes it.
    param ([System.Object] $HostRecord, [System.String] $Path)

    $best = $null
    foreach ($volume in $HostRecord.volumes)
    {
        if ($Path.StartsWith($volume.path, [System.StringComparison]::OrdinalIgnoreCase) -and
            ($null -eq $best -or $volume.path.Length -gt $best.path.Length))
        {
            $best = $volume
        }
    }
    return $best
}

function Get-LabVolumeReport
{
    # Per volume of a host: Path, Size, FreeSpace, where VM files (VHDs with their parents, and
    # checkpoints) of every VM on the host count as used. A cluster shared volume (C:\ClusterStorage\VolumeN\)
    # is one volume that every node of the cluster mounts: the files of the VMs of all its nodes count on it,
    # so each node reports the same free space.
    # https://learn.microsoft.com/windows-server/failover-clustering/failover-cluster-csvs
    param ([System.Object] $Index, [System.Object] $HostRecord)

    $used = @{}
    foreach ($volume in $HostRecord.volumes) { $used[$volume.path] = [System.Int64] $volume.otherUsed }
    $nodes = @($HostRecord.name)
    $cluster = $null
    if ($Index.ClusterOfNode.TryGetValue($HostRecord.name, [ref] $cluster)) { $nodes = @($cluster.nodes) }
    foreach ($node in $nodes)
    {
        $own = [System.String]::Equals($node, $HostRecord.name, [System.StringComparison]::OrdinalIgnoreCase)
        $list = $null
        if (-not $Index.VmsByHost.TryGetValue($node, [ref] $list)) { continue }
        foreach ($vm in $list)
        {
            foreach ($drive in @($vm.hardDrives))
            {
                if ($null -ne $drive.diskNumber) { continue }
                $volume = Get-LabVolumeOfPath -HostRecord $HostRecord -Path $drive.path
                if ($null -ne $volume -and ($own -or $volume.path -like 'C:\ClusterStorage\*')) { $used[$volume.path] += [System.Int64] $drive.fileSize }
            }
            foreach ($snapshot in @($vm.snapshots))
            {
                $volume = Get-LabVolumeOfPath -HostRecord $HostRecord -Path $vm.snapshotFileLocation
                if ($null -ne $volume -and ($own -or $volume.path -like 'C:\ClusterStorage\*')) { $used[$volume.path] += [System.Int64] $snapshot.fileSize }
            }
        }
    }
    return , @(foreach ($volume in $HostRecord.volumes)
        {
            [pscustomobject]@{
                Path      = $volume.path
                Size      = [System.Int64] $volume.size
                FreeSpace = [System.Math]::Max([System.Int64] 0, [System.Int64] $volume.size - $used[$volume.path])
            }
        })
}

function Get-LabComponentId
{
    param ([System.Object] $Vm, [System.String] $Suffix)

    return 'Microsoft:{0}\{1}' -f $Vm.id.ToString().ToUpperInvariant(), $Suffix
}

function ConvertTo-LabNetworkAdapter
{
    param ([System.Object] $Vm, [System.Object] $Adapter, [System.Object] $HostRecord, [System.Object] $Snapshot = $null)

    $switch = $null
    if ($null -ne $Adapter.switchName)
    {
        foreach ($s in $HostRecord.switches) { if ($s.name -eq $Adapter.switchName) { $switch = $s } }
    }
    $running = $Vm.state -eq 'Running'
    $property = [ordered]@{
        Name                     = $Adapter.name
        Id                       = 'Microsoft:{0}\{1}' -f ([System.String] $Vm.id).ToUpperInvariant(), $Adapter.id.ToUpperInvariant()
        AdapterId                = $Adapter.id.ToUpperInvariant()
        VMId                     = [System.Guid] $Vm.id
        VMName                   = $Vm.name
        VMSnapshotId             = if ($Snapshot) { [System.Guid] $Snapshot.id } else { [System.Guid]::Empty }
        VMSnapshotName           = if ($Snapshot) { $Snapshot.name } else { '' }
        SwitchName               = $Adapter.switchName
        SwitchId                 = if ($switch) { [System.Guid] $switch.id } else { $null }
        Connected                = ($null -ne $Adapter.switchName -and $running)
        MacAddress               = $Adapter.macAddress
        DynamicMacAddressEnabled = [System.Boolean] $Adapter.dynamicMacAddressEnabled
        IPAddresses              = @($Adapter.ipAddresses)
        IsLegacy                 = [System.Boolean] $Adapter.isLegacy
        IsSynthetic              = -not [System.Boolean] $Adapter.isLegacy
        IsManagementOs           = $false
        IsExternalAdapter        = $false
        Status                   = if ($running) { @('Ok') } else { @() }
        StatusDescription        = if ($running) { @('OK') } else { @() }
        MacAddressSpoofing       = 'Off'
        DhcpGuard                = 'Off'
        RouterGuard              = 'Off'
        DeviceNaming             = 'Off'
        BandwidthPercentage      = 0
        PoolName                 = ''
    }
    return New-LabHyperVObject -Property $property -TypeName 'Microsoft.HyperV.PowerShell.VMNetworkAdapter', 'Microsoft.HyperV.PowerShell.VMNetworkAdapterBase' -HostRecord $HostRecord
}

function ConvertTo-LabDrive
{
    # A VM's drive (Hyper-V's Drive, which HardDiskDrive and DvdDrive extend): named for its kind (-Label) and its
    # place on the VM's controllers, with its kind's own properties before (-Own) and after (-After) the controller.
    param ([System.Object] $Vm, [System.Object] $Drive, [System.Object] $HostRecord, [System.String] $Kind, [System.String] $Label, [System.Collections.IDictionary] $Own, [System.Collections.IDictionary] $After = @{})

    $property = [ordered]@{
        Name = '{0} on {1} controller number {2} at location {3}' -f $Label, $Drive.controllerType, $Drive.controllerNumber, $Drive.controllerLocation
        Id   = 'Microsoft:{0}\{1}\{2}\{3}\D' -f ([System.String] $Vm.id).ToUpperInvariant(), $Drive.controllerType, $Drive.controllerNumber, $Drive.controllerLocation
    }
    foreach ($key in $Own.Keys) { $property[$key] = $Own[$key] }
    $property.ControllerType = $Drive.controllerType
    $property.ControllerNumber = [System.Int32] $Drive.controllerNumber
    $property.ControllerLocation = [System.Int32] $Drive.controllerLocation
    foreach ($key in $After.Keys) { $property[$key] = $After[$key] }
    $property.PoolName = 'Primordial'
    return New-LabHyperVObject -Property $property -TypeName "Microsoft.HyperV.PowerShell.$Kind", 'Microsoft.HyperV.PowerShell.Drive' -HostRecord $HostRecord -Vm $Vm
}

function ConvertTo-LabHardDiskDrive
{
    param ([System.Object] $Vm, [System.Object] $Drive, [System.Object] $HostRecord)

    $own = [ordered]@{
        Path       = $Drive.path
        DiskNumber = if ($null -ne $Drive.diskNumber) { [System.Int32] $Drive.diskNumber } else { $null }
    }
    $after = [ordered]@{
        MaximumIOPS                   = [System.UInt64] 0
        MinimumIOPS                   = [System.UInt64] 0
        QoSPolicyID                   = [System.Guid]::Empty
        SupportPersistentReservations = $false
        WriteHardeningMethod          = 'WriteCacheEnabled'
    }
    return ConvertTo-LabDrive -Vm $Vm -Drive $Drive -HostRecord $HostRecord -Kind 'HardDiskDrive' -Label 'Hard Drive' -Own $own -After $after
}

function ConvertTo-LabDvdDrive
{
    param ([System.Object] $Vm, [System.Object] $Drive, [System.Object] $HostRecord)

    $own = [ordered]@{
        DvdMediaType = if ($Drive.path) { 'ISO' } else { 'None' }
        Path         = if ($Drive.path) { $Drive.path } else { $null }
    }
    return ConvertTo-LabDrive -Vm $Vm -Drive $Drive -HostRecord $HostRecord -Kind 'DvdDrive' -Label 'DVD Drive' -Own $own
}

function ConvertTo-LabVMProcessor
{
    param ([System.Object] $Vm, [System.Object] $HostRecord)

    $running = $Vm.state -eq 'Running'
    $property = [ordered]@{
        Name                                         = 'Processor'
        Id                                           = Get-LabComponentId -Vm $Vm -Suffix 'B637F346-6A0E-4DEC-AF52-BD70CB80A21D\0'
        Count                                        = [System.Int64] $Vm.processor.count
        CompatibilityForMigrationEnabled             = [System.Boolean] $Vm.processor.compatibilityForMigrationEnabled
        CompatibilityForOlderOperatingSystemsEnabled = [System.Boolean] $Vm.processor.compatibilityForOlderOperatingSystemsEnabled
        HwThreadCountPerCore                         = [System.Int64] 1
        ExposeVirtualizationExtensions               = $false
        EnableHostResourceProtection                 = $false
        EnableLegacyApicMode                         = $false
        AllowACountMCount                            = $true
        Maximum                                      = [System.Int64] 100
        Reserve                                      = [System.Int64] 0
        RelativeWeight                               = 100
        MaximumCountPerNumaNode                      = [System.Int64] 32
        MaximumCountPerNumaSocket                    = [System.Int64] 1
        ResourcePoolName                             = 'Primordial'
        OperationalStatus                            = if ($running) { @('Ok') } else { @() }
        StatusDescription                            = if ($running) { @('OK') } else { @() }
    }
    return New-LabHyperVObject -Property $property -TypeName 'Microsoft.HyperV.PowerShell.VMProcessor' -HostRecord $HostRecord -Vm $Vm `
        -Lab @{ LabProcessorFeatureLevelInUse = $Vm.processor.featureLevelInUse }
}

function Get-LabVmMigrationPercent
{
    # The percent of the VM's running move (lab part 2's Get-LabVmMovePercent), or $null.
    param ([System.Object] $State, [System.Object] $Vm)

    if ($Vm.status -ne 'Migrating virtual machine') { return $null }
    if ($null -eq $script:LabMovePercent)
    {
        $script:LabMovePercent = [System.Boolean] (Get-Command -Name 'Get-LabVmMovePercent' -CommandType Function -ErrorAction SilentlyContinue)
    }
    if (-not $script:LabMovePercent) { return $null }
    return Get-LabVmMovePercent -State $State -Vm $Vm
}

function Get-LabVmIsClustered
{
    param ([System.Object] $Index, [System.Object] $Vm)

    return $Index.ClusterGroupOfVm.ContainsKey([System.String] $Vm.id)
}

function Get-LabVmUptime
{
    # A running VM's uptime, in whole seconds; its start time is parsed once per version of the file.
    param ([System.Object] $Vm, [System.Object] $Index)

    if ($Vm.state -ne 'Running' -or -not $Vm.startedAt) { return [System.TimeSpan]::Zero }
    $id = [System.String] $Vm.id
    $started = [System.DateTime]::MinValue
    if ($null -eq $Index -or -not $Index.StartedAt.TryGetValue($id, [ref] $started))
    {
        $started = if ($Vm.startedAt -is [System.DateTime]) { $Vm.startedAt.ToUniversalTime() } else {
            [System.DateTime]::Parse([System.String] $Vm.startedAt, [System.Globalization.CultureInfo]::InvariantCulture,
                [System.Globalization.DateTimeStyles]::AdjustToUniversal -bor [System.Globalization.DateTimeStyles]::AssumeUniversal) }
        if ($null -ne $Index) { $Index.StartedAt[$id] = $started }
    }
    return [System.TimeSpan]::FromSeconds([System.Math]::Max(0, [System.Math]::Floor(([System.DateTime]::UtcNow - $started).TotalSeconds)))
}

function Get-LabView
{
    # An object that depends only on the lab file's version: converted once per version (kept on the index,
    # which is rebuilt whenever the file changes) and handed out as a fresh copy. With -List the block's
    # output is a list of such objects (possibly empty), returned as an array of fresh copies.
    param ([System.Object] $Index, [System.String] $Key, [System.Management.Automation.ScriptBlock] $Convert, [switch] $List)

    $view = $null
    if (-not $Index.Views.TryGetValue($Key, [ref] $view))
    {
        $view = if ($List) { , @(& $Convert) } else { & $Convert }
        $Index.Views[$Key] = $view
    }
    if ($List) { return , @(foreach ($item in $view) { $item.PSObject.Copy() }) }
    return $view.PSObject.Copy()
}

function Get-LabVirtualMachineView
{
    # Get-VM's object for a VM, from Get-LabView with its Uptime current. A VM that is moving is converted
    # afresh every time, as its percent moves with the clock.
    param ([System.Object] $Index, [System.Object] $Vm, [System.Object] $HostRecord)

    if ($Vm.status -eq 'Migrating virtual machine') { return ConvertTo-LabVirtualMachine -Index $Index -Vm $Vm -HostRecord $HostRecord }
    # Get-LabView inlined: Get-VM runs this for every VM of a host on every refresh.
    $key = 'vm|{0}|{1}' -f $HostRecord.name, $Vm.id
    $view = $null
    if (-not $Index.Views.TryGetValue($key, [ref] $view))
    {
        $view = ConvertTo-LabVirtualMachine -Index $Index -Vm $Vm -HostRecord $HostRecord
        $Index.Views[$key] = $view
    }
    $copy = $view.PSObject.Copy()
    if ($Vm.state -eq 'Running') { $copy.Uptime = Get-LabVmUptime -Vm $Vm -Index $Index }
    return $copy
}

function ConvertTo-LabVirtualMachine
{
    # The hottest path of the lab (a full inventory converts every VM): helpers are inlined here.
    param ([System.Object] $Index, [System.Object] $Vm, [System.Object] $HostRecord)

    $running = $Vm.state -eq 'Running'
    $uptime = Get-LabVmUptime -Vm $Vm -Index $Index
    $snapshots = @($Vm.snapshots)
    $lastSnapshot = if ($snapshots.Count -gt 0) { $snapshots[$snapshots.Count - 1] } else { $null }
    $assigned = [System.Int64] 0
    if ($Vm.vmType -ne 'PlannedVirtualMachine' -and $Vm.state -in $script:LabMemoryHoldingStates) { $assigned = [System.Int64] $Vm.memoryStartup }
    $adapters = New-Object -TypeName 'System.Collections.Generic.List[object]'
    foreach ($a in @($Vm.networkAdapters)) { $adapters.Add((ConvertTo-LabNetworkAdapter -Vm $Vm -Adapter $a -HostRecord $HostRecord)) }
    $disks = New-Object -TypeName 'System.Collections.Generic.List[object]'
    foreach ($d in @($Vm.hardDrives)) { $disks.Add((ConvertTo-LabHardDiskDrive -Vm $Vm -Drive $d -HostRecord $HostRecord)) }
    $dvds = New-Object -TypeName 'System.Collections.Generic.List[object]'
    foreach ($d in @($Vm.dvdDrives)) { $dvds.Add((ConvertTo-LabDvdDrive -Vm $Vm -Drive $d -HostRecord $HostRecord)) }
    $percent = $null
    if ($Vm.status -eq 'Migrating virtual machine') { $percent = Get-LabVmMigrationPercent -State $Index.State -Vm $Vm }
    $created = if ($Vm.creationTime -is [System.DateTime]) { $Vm.creationTime.ToUniversalTime() } else {
        [System.DateTime]::Parse([System.String] $Vm.creationTime, [System.Globalization.CultureInfo]::InvariantCulture,
            [System.Globalization.DateTimeStyles]::AdjustToUniversal -bor [System.Globalization.DateTimeStyles]::AssumeUniversal) }
    $automatic = Get-LabVmAutomaticAction -Vm $Vm
    $object = [pscustomobject][ordered]@{
        Name                          = $Vm.name
        Id                            = [System.Guid] $Vm.id
        VMId                          = [System.Guid] $Vm.id
        VMName                        = $Vm.name
        State                         = $Vm.state
        Status                        = $Vm.status
        PrimaryStatusDescription      = $Vm.status
        OperationalStatus             = @('Ok')
        CPUUsage                      = if ($running) { 2 } else { 0 }
        MemoryAssigned                = $assigned
        MemoryDemand                  = if ($running) { [System.Int64] ($assigned * 0.6) } else { [System.Int64] 0 }
        MemoryStatus                  = ''
        MemoryStartup                 = [System.Int64] $Vm.memoryStartup
        MemoryMinimum                 = [System.Int64] $Vm.memoryMinimum
        MemoryMaximum                 = [System.Int64] $Vm.memoryMaximum
        DynamicMemoryEnabled          = [System.Boolean] $Vm.dynamicMemoryEnabled
        ProcessorCount                = [System.Int64] $Vm.processor.count
        Generation                    = [System.Int32] $Vm.generation
        Version                       = $Vm.version
        VirtualMachineType            = $Vm.vmType
        VirtualMachineSubType         = 'Generation{0}' -f $Vm.generation
        IsClustered                   = $Index.ClusterGroupOfVm.ContainsKey([System.String] $Vm.id)
        Uptime                        = $uptime
        CreationTime                  = $created
        Path                          = $Vm.path
        ConfigurationLocation         = $Vm.path
        SnapshotFileLocation          = $Vm.snapshotFileLocation
        SmartPagingFilePath           = $Vm.smartPagingFilePath
        SmartPagingFileInUse          = $false
        CheckpointType                = 'Production'
        AutomaticCheckpointsEnabled   = $false
        # What the VM does when its host shuts down and starts (Restart-Computer); Hyper-V's defaults when unset.
        AutomaticStartAction          = $automatic.Start
        AutomaticStopAction           = $automatic.Stop
        AutomaticStartDelay           = $automatic.Delay
        ParentSnapshotId              = if ($lastSnapshot) { [System.Guid] $lastSnapshot.id } else { $null }
        ParentSnapshotName            = if ($lastSnapshot) { $lastSnapshot.name } else { $null }
        Heartbeat                     = if ($running) { 'OkApplicationsHealthy' } else { $null }
        IntegrationServicesState      = 'Up to date'
        ReplicationState              = 'Disabled'
        ReplicationHealth             = 'NotApplicable'
        ReplicationMode               = 'None'
        Notes                         = $Vm.notes
        NetworkAdapters               = $adapters.ToArray()
        HardDrives                    = $disks.ToArray()
        DVDDrives                     = $dvds.ToArray()
        FibreChannelHostBusAdapters   = @()
        ComputerName                  = Get-LabReportedName -State $Index.State -HostRecord $HostRecord
        IsDeleted                     = $false
        LabProcessorFeatureLevelInUse = $Vm.processor.featureLevelInUse
        LabMigrationPercentComplete   = $percent
    }
    $object.PSObject.TypeNames.Insert(0, 'Microsoft.HyperV.PowerShell.VirtualMachineBase')
    $object.PSObject.TypeNames.Insert(0, 'Microsoft.HyperV.PowerShell.VirtualMachine')
    return $object
}
