# What Compare-VM finds, and what Move-VM checks before it starts: every reason a VM cannot move
# from one lab host to another, as Hyper-V words it. The checks read records only (STATE.md) and
# return findings { MessageId, Message, SourceKind, SourceKey }; the report (MigrationReport.ps1)
# turns SourceKind/SourceKey into the object to fix on the report's copy of the VM.
# MessageIds: 33012 is Hyper-V's; the others are the lab's (STATE.md, "Migration (part 2)").

$script:LabMoveMessageId = @{
    MigrationDisabled     = 21024
    NoMigrationNetwork    = 21025
    Clustered             = 5016
    VersionNotSupported   = 14420
    ProcessorVendor       = 24006
    ProcessorFeatures     = 24008
    OutOfMemory           = 3050
    StoragePathNotFound   = 20802
    OutOfDiskSpace        = 20804
    VhdNotAccessible      = 20810
    SwitchNotFound        = 33012
    IsoAttached           = 20820
    PassThroughDisk       = 20822
    KeyProtector          = 20830
}

# States in which a VM's memory and processor state travel with it (a live move); an Off VM moves
# its configuration (and storage) only.
$script:LabLiveMoveStates = @('Running', 'Paused', 'Saved', 'Starting', 'Stopping', 'Saving', 'Pausing', 'Resuming')

function New-LabMoveFinding
{
    param ([System.String] $Kind, [System.String] $Message, [System.String] $SourceKind, [System.Object] $SourceKey = $null)

    return [pscustomobject]@{
        MessageId  = [System.Int64] $script:LabMoveMessageId[$Kind]
        Kind       = $Kind
        Message    = $Message
        SourceKind = $SourceKind
        SourceKey  = $SourceKey
    }
}

function Format-LabGigabytes
{
    param ([System.Int64] $Bytes)

    return ([System.Math]::Round($Bytes / 1GB, 1)).ToString([System.Globalization.CultureInfo]::InvariantCulture)
}

function Test-LabSameText
{
    param ([System.String] $A, [System.String] $B)

    return [System.String]::Equals($A, $B, [System.StringComparison]::OrdinalIgnoreCase)
}

function Get-LabMoveStorageItem
{
    # Where each file of the VM goes on the destination: @{ Kind = 'Vhd'|'Config'|'Checkpoints'; SourcePath;
    # DestinationPath; Bytes }. With -IncludeStorage everything moves (to -DestinationStoragePath, else the
    # destination's default paths). Otherwise -VirtualMachinePath takes the configuration, -SnapshotFilePath
    # the checkpoints (else they go with the configuration), and each -Vhds entry one disk; a disk not
    # listed stays where it is, as the configuration does without -VirtualMachinePath (DestinationPath $null).
    param
    (
        [System.Object] $Vm,
        [System.Object] $DestinationHost,
        [System.Object] $Options
    )

    $items = New-Object -TypeName 'System.Collections.Generic.List[object]'
    $vhdMap = @{}
    foreach ($entry in @($Options.Vhds))
    {
        if ($null -eq $entry) { continue }
        $vhdMap[([System.String] $entry.SourceFilePath).ToUpperInvariant()] = [System.String] $entry.DestinationFilePath
    }
    foreach ($drive in @($Vm.hardDrives))
    {
        if ($null -ne $drive.diskNumber) { continue }
        $destination = $null
        if ($Options.IncludeStorage)
        {
            $root = if ($Options.DestinationStoragePath) { $Options.DestinationStoragePath } else { $DestinationHost.virtualHardDiskPath }
            $destination = Join-LabPath -Base $root -Leaf (Split-LabLeaf -Path $drive.path)
        }
        elseif ($vhdMap.ContainsKey(([System.String] $drive.path).ToUpperInvariant()))
        {
            $destination = $vhdMap[([System.String] $drive.path).ToUpperInvariant()]
        }
        $items.Add([pscustomobject]@{ Kind = 'Vhd'; Drive = $drive; SourcePath = $drive.path; DestinationPath = $destination; Bytes = [System.Int64] $drive.fileSize })
    }
    $snapshotBytes = [System.Int64] 0
    foreach ($snapshot in @($Vm.snapshots)) { $snapshotBytes += [System.Int64] $snapshot.fileSize }
    $configDestination = $null
    if ($Options.IncludeStorage)
    {
        $configDestination = if ($Options.DestinationStoragePath) { $Options.DestinationStoragePath } else { Join-LabPath -Base $DestinationHost.virtualMachinePath -Leaf $Vm.name }
    }
    elseif ($Options.VirtualMachinePath)
    {
        $configDestination = $Options.VirtualMachinePath
    }
    $snapshotDestination = if (-not $Options.IncludeStorage -and $Options.SnapshotFilePath) { [System.String] $Options.SnapshotFilePath } else { $configDestination }
    if ($snapshotDestination -eq $configDestination)
    {
        $items.Add([pscustomobject]@{ Kind = 'Config'; Drive = $null; SourcePath = $Vm.path; DestinationPath = $configDestination; Bytes = $snapshotBytes })
    }
    else
    {
        $items.Add([pscustomobject]@{ Kind = 'Config'; Drive = $null; SourcePath = $Vm.path; DestinationPath = $configDestination; Bytes = [System.Int64] 0 })
        $items.Add([pscustomobject]@{ Kind = 'Checkpoints'; Drive = $null; SourcePath = $Vm.snapshotFileLocation; DestinationPath = $snapshotDestination; Bytes = $snapshotBytes })
    }
    return , $items
}

function Get-LabVhdsParameterProblem
{
    <#
        What the Hyper-V module's parameter validator says of a -Vhds list before it looks at any VM; $null
        when nothing. Each entry must move its disk to a file of the same name: Path.GetFileName of
        SourceFilePath and DestinationFilePath, compared ignoring case (decompiled
        ParameterValidator.ValidateVhdMigrationMappings, resource
        InvalidParameter_SourceAndDestinationVhdNameMismatch; Move-VM -Vhds on Microsoft Learn: "The virtual
        hard disk name must be identical in both entries"). Entries without both keys are left to
        Get-LabMoveVhdsProblem.
    #>
    param ([System.Object] $Options)

    foreach ($entry in @($Options.Vhds))
    {
        if ($null -eq $entry -or [System.String]::IsNullOrEmpty($entry.SourceFilePath) -or [System.String]::IsNullOrEmpty($entry.DestinationFilePath)) { continue }
        # Path.GetFileName on Windows: what follows the last '\', '/' or ':'.
        $sourceName = ([System.String] $entry.SourceFilePath) -replace '^.*[\\/:]', ''
        $destinationName = ([System.String] $entry.DestinationFilePath) -replace '^.*[\\/:]', ''
        if (-not (Test-LabSameText -A $sourceName -B $destinationName))
        {
            return 'The source and destination file names in the Vhds parameter must match.'
        }
    }
    return $null
}

function Get-LabMoveVhdsProblem
{
    # Why a -Vhds list cannot be used for $Vm, as Hyper-V refuses it before any check; $null when it can.
    param ([System.Object] $Vm, [System.Object] $Options)

    $disks = @(foreach ($drive in @($Vm.hardDrives)) { if ($null -ne $drive -and $null -eq $drive.diskNumber -and $drive.path) { [System.String] $drive.path } })
    $sources = New-Object -TypeName 'System.Collections.Generic.HashSet[string]' -ArgumentList ([System.StringComparer]::OrdinalIgnoreCase)
    $destinations = New-Object -TypeName 'System.Collections.Generic.HashSet[string]' -ArgumentList ([System.StringComparer]::OrdinalIgnoreCase)
    foreach ($entry in @($Options.Vhds))
    {
        if ($null -eq $entry) { continue }
        if ([System.String]::IsNullOrEmpty($entry.SourceFilePath) -or [System.String]::IsNullOrEmpty($entry.DestinationFilePath))
        {
            return 'Each entry of the Vhds parameter must have the keys SourceFilePath and DestinationFilePath, each with a path.'
        }
        $attached = $false
        foreach ($path in $disks) { if (Test-LabSameText -A $path -B $entry.SourceFilePath) { $attached = $true } }
        if (-not $attached)
        {
            return "The virtual hard disk '{0}' is not attached to virtual machine '{1}'. (0x80070002)" -f $entry.SourceFilePath, $Vm.name
        }
        if (-not $sources.Add($entry.SourceFilePath))
        {
            return "The virtual hard disk '{0}' is listed more than once in the Vhds parameter." -f $entry.SourceFilePath
        }
        if (-not $destinations.Add($entry.DestinationFilePath))
        {
            return "More than one virtual hard disk would be moved to '{0}'. (0x80070050)" -f $entry.DestinationFilePath
        }
    }
    return $null
}

function Split-LabLeaf
{
    param ([System.String] $Path)

    $trimmed = $Path.TrimEnd('\', '/')
    $cut = $trimmed.LastIndexOfAny([char[]] @('\', '/'))
    if ($cut -lt 0) { return $trimmed }
    return $trimmed.Substring($cut + 1)
}

function Join-LabPath
{
    # Windows paths on any platform: the lab's paths are the hosts' paths, not this machine's.
    param ([System.String] $Base, [System.String] $Leaf)

    return '{0}\{1}' -f $Base.TrimEnd('\', '/'), $Leaf
}

function Test-LabPathReachableFrom
{
    # Storage that stays put must be reachable from the destination: an SMB share, or a cluster
    # shared volume of a cluster both hosts are nodes of.
    param ([System.Object] $Index, [System.String] $Path, [System.Object] $SourceHost, [System.Object] $DestinationHost)

    if ($Path.StartsWith('\\')) { return $true }
    if ($Path.StartsWith('C:\ClusterStorage\', [System.StringComparison]::OrdinalIgnoreCase))
    {
        $a = $null
        $b = $null
        $null = $Index.ClusterOfNode.TryGetValue($SourceHost.name, [ref] $a)
        $null = $Index.ClusterOfNode.TryGetValue($DestinationHost.name, [ref] $b)
        return ($null -ne $a -and $null -ne $b -and $a.name -eq $b.name)
    }
    return $false
}

function Get-LabMoveReservation
{
    # What moves in flight already claim on a host: memory of live VMs and bytes per destination volume.
    param ([System.Object] $State, [System.Object] $HostRecord, [System.String] $ExceptMoveId = $null)

    $memory = [System.Int64] 0
    $disk = @{}
    foreach ($move in @($State.moves))
    {
        if ($null -eq $move -or $move.state -ne 'Running' -or $move.id -eq $ExceptMoveId) { continue }
        if (-not (Test-LabSameText -A $move.destination -B $HostRecord.name)) { continue }
        $memory += [System.Int64] $move.memoryBytes
        foreach ($item in @($move.storage))
        {
            if ($null -eq $item -or -not $item.destinationPath) { continue }
            $volume = Get-LabVolumeOfPath -HostRecord $HostRecord -Path $item.destinationPath
            if ($null -ne $volume) { $disk[$volume.path] = [System.Int64] $disk[$volume.path] + [System.Int64] $item.bytes }
        }
    }
    return [pscustomobject]@{ Memory = $memory; Disk = $disk }
}

function Get-LabMoveFinding
{
    <#
        Every incompatibility of moving $Vm (a record; adapters and DVD drives as the report's copy has
        them) from $SourceHost to $DestinationHost. $Options: IncludeStorage, DestinationStoragePath,
        VirtualMachinePath, Vhds (hashtables with SourceFilePath/DestinationFilePath).
    #>
    param
    (
        [System.Object] $Index,
        [System.Object] $Vm,
        [System.Object] $SourceHost,
        [System.Object] $DestinationHost,
        [System.Object] $Options,
        [System.String] $ExceptMoveId = $null
    )

    $findings = New-Object -TypeName 'System.Collections.Generic.List[object]'
    $id = ([System.String] $Vm.id).ToUpperInvariant()
    $live = $Vm.state -in $script:LabLiveMoveStates
    $state = $Index.State

    # Hosts: migration enabled, and a network to migrate over.
    foreach ($h in @($SourceHost, $DestinationHost))
    {
        if (-not $h.migration.enabled)
        {
            $findings.Add((New-LabMoveFinding -Kind 'MigrationDisabled' -SourceKind 'VMHost' -SourceKey $h.name -Message (
                "Virtual machine migration is not enabled on host '{0}'. The Virtual Machine Management Service on '{0}' is not configured to send or receive live migrations." -f $h.name)))
        }
        elseif (-not $h.migration.useAnyNetwork -and @($h.migration.networks | Where-Object { $null -ne $_ }).Count -eq 0)
        {
            $findings.Add((New-LabMoveFinding -Kind 'NoMigrationNetwork' -SourceKind 'VMHost' -SourceKey $h.name -Message (
                "Host '{0}' has no network for live migration: no migration network is configured and using any available network is turned off." -f $h.name)))
        }
    }

    # High availability: a cluster role cannot leave its cluster.
    $group = $null
    if ($Index.ClusterGroupOfVm.TryGetValue([System.String] $Vm.id, [ref] $group))
    {
        $cluster = $null
        foreach ($c in @($state.clusters)) { foreach ($g in @($c.groups)) { if ($g.vmId -eq $Vm.id) { $cluster = $c } } }
        if ($null -ne $cluster -and $DestinationHost.name -notin @($cluster.nodes))
        {
            $text = "Virtual machine '{0}' is highly available: it is the role '{1}' of failover cluster '{2}', and host '{3}' is not a node of that cluster. " -f $Vm.name, $group.name, $cluster.name, $DestinationHost.name
            $text += 'The operation failed because either the specified cluster node is not the owner of the group, or the node is not a possible owner of the group. (0x80071398)'
            $findings.Add((New-LabMoveFinding -Kind 'Clustered' -SourceKind 'VirtualMachine' -Message $text))
        }
    }

    # A planned VM with the same identifier on the destination is no finding: Compare-VM and Move-VM delete
    # it before they stage or move (VirtualMachine.Migrate / CheckMigratability -> DeletePlannedVMAtDestination).

    # Configuration version.
    if ([System.String] $Vm.version -notin @($DestinationHost.supportedVersions))
    {
        $findings.Add((New-LabMoveFinding -Kind 'VersionNotSupported' -SourceKind 'VirtualMachine' -Message (
            "The virtual machine '{0}' has configuration version {1}, which is not supported on host '{2}'. Host '{2}' supports configuration versions up to {3}." -f
            $Vm.name, $Vm.version, $DestinationHost.name, $DestinationHost.defaultVersion)))
    }

    # Processor: vendor, then the features a running VM already uses.
    if ($live)
    {
        if ($SourceHost.processor.vendor -ne $DestinationHost.processor.vendor)
        {
            $findings.Add((New-LabMoveFinding -Kind 'ProcessorVendor' -SourceKind 'VMProcessor' -Message (
                "The virtual machine '{0}' cannot be live migrated to host '{1}': the processor of '{1}' is from a different manufacturer ({2}) than the processor of '{3}' ({4}). Processor compatibility does not span manufacturers; shut the virtual machine down to move it." -f
                $Vm.name, $DestinationHost.name, $DestinationHost.processor.vendor, $SourceHost.name, $SourceHost.processor.vendor)))
        }
        else
        {
            $inUse = $Vm.processor.featureLevelInUse
            if ($null -eq $inUse) { $inUse = if ($Vm.processor.compatibilityForMigrationEnabled) { 0 } else { [System.Int32] $SourceHost.processor.featureLevel } }
            if ([System.Int32] $inUse -gt [System.Int32] $DestinationHost.processor.featureLevel)
            {
                $findings.Add((New-LabMoveFinding -Kind 'ProcessorFeatures' -SourceKind 'VMProcessor' -Message (
                    "Virtual machine '{0}' is using processor-specific features not supported on host '{1}'." -f $Vm.name, $DestinationHost.name)))
            }
        }
    }

    # Memory on the destination.
    if ($Vm.state -in 'Running', 'Paused', 'Starting', 'Resuming', 'Pausing')
    {
        $free = (Get-LabHostMemoryAvailable -Index $Index -HostRecord $DestinationHost) - (Get-LabMoveReservation -State $state -HostRecord $DestinationHost -ExceptMoveId $ExceptMoveId).Memory
        if ([System.Int64] $Vm.memoryStartup -gt $free)
        {
            $findings.Add((New-LabMoveFinding -Kind 'OutOfMemory' -SourceKind 'VirtualMachine' -Message (
                "Not enough memory in the system to start the virtual machine '{0}' with ram size {1} megabytes on host '{2}' ({3} megabytes available). (Virtual machine ID {4})" -f
                $Vm.name, ([System.Int64] $Vm.memoryStartup / 1MB), $DestinationHost.name, [System.Math]::Max(0, [System.Math]::Floor($free / 1MB)), $id)))
        }
    }

    # Storage: where it goes must exist and have room; what stays must be reachable.
    $items = Get-LabMoveStorageItem -Vm $Vm -DestinationHost $DestinationHost -Options $Options
    $needed = @{}
    $missingFolders = New-Object -TypeName 'System.Collections.Generic.HashSet[string]' -ArgumentList ([System.StringComparer]::OrdinalIgnoreCase)
    foreach ($item in $items)
    {
        if ($null -eq $item.DestinationPath)
        {
            if ($item.Kind -eq 'Vhd' -and -not (Test-LabPathReachableFrom -Index $Index -Path $item.SourcePath -SourceHost $SourceHost -DestinationHost $DestinationHost))
            {
                $findings.Add((New-LabMoveFinding -Kind 'VhdNotAccessible' -SourceKind 'HardDiskDrive' -SourceKey $item.Drive -Message (
                    "The virtual hard disk '{0}' of virtual machine '{1}' is stored on host '{2}' and cannot be reached from host '{3}'. Move the storage with the virtual machine (-IncludeStorage, or the disk in -Vhds)." -f
                    $item.SourcePath, $Vm.name, $SourceHost.name, $DestinationHost.name)))
            }
            continue
        }
        $volume = Get-LabVolumeOfPath -HostRecord $DestinationHost -Path $item.DestinationPath
        if ($null -eq $volume)
        {
            $folder = if ($item.Kind -eq 'Vhd') { $item.DestinationPath.Substring(0, [System.Math]::Max(0, $item.DestinationPath.LastIndexOf('\'))) } else { $item.DestinationPath }
            if ($missingFolders.Add($folder))
            {
                $findings.Add((New-LabMoveFinding -Kind 'StoragePathNotFound' -SourceKind 'VirtualMachine' -Message (
                    "Failed to create folder '{0}' on host '{1}': The system cannot find the path specified. (0x80070003)" -f $folder, $DestinationHost.name)))
            }
            continue
        }
        $needed[$volume.path] = [System.Int64] $needed[$volume.path] + $item.Bytes
    }
    if ($needed.Count -gt 0)
    {
        $reserved = (Get-LabMoveReservation -State $state -HostRecord $DestinationHost -ExceptMoveId $ExceptMoveId).Disk
        foreach ($report in (Get-LabVolumeReport -Index $Index -HostRecord $DestinationHost))
        {
            if (-not $needed.ContainsKey($report.Path)) { continue }
            $free = $report.FreeSpace - [System.Int64] $reserved[$report.Path]
            if ($needed[$report.Path] -gt $free)
            {
                $findings.Add((New-LabMoveFinding -Kind 'OutOfDiskSpace' -SourceKind 'VirtualMachine' -Message (
                    "There is not enough space on the disk '{0}' of host '{1}' for the files of virtual machine '{2}': {3} GB are needed and {4} GB are free. (0x80070070)" -f
                    $report.Path, $DestinationHost.name, $Vm.name, (Format-LabGigabytes -Bytes $needed[$report.Path]), (Format-LabGigabytes -Bytes ([System.Math]::Max([System.Int64] 0, $free))))))
            }
        }
    }

    # Each connected adapter needs a switch of the same name on the destination.
    foreach ($adapter in @($Vm.networkAdapters))
    {
        if ($null -eq $adapter -or [System.String]::IsNullOrEmpty($adapter.switchName)) { continue }
        $exists = $false
        foreach ($s in @($DestinationHost.switches)) { if (Test-LabSameText -A $s.name -B $adapter.switchName) { $exists = $true } }
        if (-not $exists)
        {
            $findings.Add((New-LabMoveFinding -Kind 'SwitchNotFound' -SourceKind 'VMNetworkAdapter' -SourceKey $adapter.id -Message (
                "Could not find Ethernet switch '{0}'." -f $adapter.switchName)))
        }
    }

    # Devices that cannot follow the VM: an ISO on local storage, a pass-through disk, a vTPM whose key
    # protector the destination cannot unwrap.
    foreach ($dvd in @($Vm.dvdDrives))
    {
        if ($null -eq $dvd -or [System.String]::IsNullOrEmpty($dvd.path) -or $dvd.path.StartsWith('\\')) { continue }
        $findings.Add((New-LabMoveFinding -Kind 'IsoAttached' -SourceKind 'DvdDrive' -SourceKey $dvd -Message (
            "The device at '{0}' could not be opened. The virtual machine '{1}' has the image file attached from storage of host '{2}', which host '{3}' cannot reach." -f
            $dvd.path, $Vm.name, $SourceHost.name, $DestinationHost.name)))
    }
    foreach ($drive in @($Vm.hardDrives))
    {
        if ($null -eq $drive -or $null -eq $drive.diskNumber) { continue }
        $findings.Add((New-LabMoveFinding -Kind 'PassThroughDisk' -SourceKind 'HardDiskDrive' -SourceKey $drive -Message (
            "Virtual machine '{0}' has the physical disk {1} of host '{2}' attached as a pass-through disk ('{3}'). A virtual machine with a pass-through disk cannot be migrated to another host." -f
            $Vm.name, $drive.diskNumber, $SourceHost.name, $drive.path)))
    }
    if ($Vm.security -and $Vm.security.tpmEnabled -and $Vm.security.keyProtectorGuardian -and
        $Vm.security.keyProtectorGuardian -notin @($DestinationHost.keyProtectorGuardians))
    {
        $findings.Add((New-LabMoveFinding -Kind 'KeyProtector' -SourceKind 'VirtualMachine' -Message (
            "The key protector for the virtual machine '{0}' could not be unwrapped on host '{1}': the host does not hold the keys of guardian '{2}'. (Virtual machine ID {3})" -f
            $Vm.name, $DestinationHost.name, $Vm.security.keyProtectorGuardian, $id)))
    }
    return , $findings
}
