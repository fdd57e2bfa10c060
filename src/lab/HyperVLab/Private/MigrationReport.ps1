# The VMCompatibilityReport of Compare-VM. Its VM is a copy: the objects an incompatibility names as
# its Source belong to the copy and carry LabCompatibilityReportId, so fixing them (Connect-/
# Disconnect-VMNetworkAdapter, Set-VMDvdDrive through the helpers below) changes the report, not the
# VM; Compare-VM -CompatibilityReport re-checks with the copy's settings and Move-VM moves with them.

function Add-LabReportMarker
{
    param ([System.Object] $Object, [System.String] $ReportId)

    $Object | Add-Member -NotePropertyName 'LabCompatibilityReportId' -NotePropertyValue $ReportId -Force
    return $Object
}

function New-LabReportVm
{
    # The report's copy of a VM record, as Get-VM would show it on the source, marked.
    param ([System.Object] $Index, [System.Object] $Vm, [System.Object] $SourceHost, [System.Object] $DestinationHost)

    $reportId = [System.Guid]::NewGuid().ToString()
    $copy = Copy-LabRecord -Record $Vm
    $object = ConvertTo-LabVirtualMachine -Index $Index -Vm $copy -HostRecord $SourceHost
    # The report's VM is the planned VM Compare-VM staged: on the destination, of type Planned.
    $object.ComputerName = $DestinationHost.name
    $object.VirtualMachineType = 'PlannedVirtualMachine'
    $null = Add-LabReportMarker -Object $object -ReportId $reportId
    foreach ($part in @($object.NetworkAdapters) + @($object.DVDDrives) + @($object.HardDrives))
    {
        if ($null -ne $part) { $null = Add-LabReportMarker -Object $part -ReportId $reportId }
    }
    $processor = Add-LabReportMarker -Object (ConvertTo-LabVMProcessor -Vm $copy -HostRecord $SourceHost) -ReportId $reportId
    $object | Add-Member -NotePropertyName 'LabReportProcessor' -NotePropertyValue $processor -Force
    return $object
}

function Get-LabReportOverride
{
    # The copy's adapter switches and DVD media, in the shape of move records (STATE.md).
    param ([System.Object] $ReportVm)

    return [pscustomobject]@{
        Adapters  = @(foreach ($a in @($ReportVm.NetworkAdapters)) { if ($null -ne $a) { [pscustomobject]@{ id = [System.String] $a.AdapterId; switchName = $a.SwitchName } } })
        DvdDrives = @(foreach ($d in @($ReportVm.DVDDrives))
            {
                if ($null -ne $d) { [pscustomobject]@{ controllerType = $d.ControllerType; controllerNumber = $d.ControllerNumber; controllerLocation = $d.ControllerLocation; path = $d.Path } }
            })
    }
}

function Set-LabReportNetworkAdapter
{
    <#
        Connects (to -Switch, a VMSwitch object, or -SwitchName) or, with neither, disconnects an
        adapter of a report's VM copy. Called by Connect-/Disconnect-VMNetworkAdapter for objects with
        LabCompatibilityReportId; changes nothing in the lab file.
    #>
    param ([System.Object] $Adapter, [System.Object] $Switch = $null, [System.String] $SwitchName = $null)

    $name = $null
    $id = $null
    if ($null -ne $Switch)
    {
        $name = [System.String] $Switch.Name
        $id = [System.Guid] $Switch.Id
    }
    elseif (-not [System.String]::IsNullOrEmpty($SwitchName))
    {
        $name = $SwitchName
    }
    $Adapter.SwitchName = $name
    $Adapter.SwitchId = $id
    $Adapter.Connected = ($null -ne $name)
    return $Adapter
}

function Set-LabReportDvdDrive
{
    # Changes the medium of a DVD drive of a report's VM copy (Set-VMDvdDrive on a report object).
    param ([System.Object] $Drive, [System.String] $Path = $null)

    $Drive.Path = if ([System.String]::IsNullOrEmpty($Path)) { $null } else { $Path }
    $Drive.DvdMediaType = if ($Drive.Path) { 'ISO' } else { 'None' }
    return $Drive
}

function Resolve-LabFindingSource
{
    param ([System.Object] $Index, [System.Object] $Finding, [System.Object] $ReportVm)

    switch ($Finding.SourceKind)
    {
        'VMNetworkAdapter'
        {
            foreach ($a in @($ReportVm.NetworkAdapters)) { if (Test-LabSameText -A $a.AdapterId -B $Finding.SourceKey) { return $a } }
        }
        'DvdDrive'
        {
            foreach ($d in @($ReportVm.DVDDrives))
            {
                if ($d.ControllerType -eq $Finding.SourceKey.controllerType -and $d.ControllerNumber -eq [System.Int32] $Finding.SourceKey.controllerNumber -and
                    $d.ControllerLocation -eq [System.Int32] $Finding.SourceKey.controllerLocation) { return $d }
            }
        }
        'HardDiskDrive'
        {
            foreach ($d in @($ReportVm.HardDrives))
            {
                if ($d.ControllerType -eq $Finding.SourceKey.controllerType -and $d.ControllerNumber -eq [System.Int32] $Finding.SourceKey.controllerNumber -and
                    $d.ControllerLocation -eq [System.Int32] $Finding.SourceKey.controllerLocation) { return $d }
            }
        }
        'VMProcessor' { return $ReportVm.LabReportProcessor }
        'VMHost' { return ConvertTo-LabVMHost -Index $Index -HostRecord $Index.Hosts[[System.String] $Finding.SourceKey] }
    }
    return $ReportVm
}

function Get-LabEffectiveVm
{
    # The live VM record with the report copy's adapter switches and ejected media.
    param ([System.Object] $Vm, [System.Object] $Override)

    $effective = Copy-LabRecord -Record $Vm
    if ($null -eq $Override) { return $effective }
    foreach ($o in @($Override.Adapters))
    {
        if ($null -eq $o) { continue }
        foreach ($adapter in @($effective.networkAdapters)) { if ($null -ne $adapter -and (Test-LabSameText -A $adapter.id -B $o.id)) { $adapter.switchName = $o.switchName } }
    }
    foreach ($o in @($Override.DvdDrives))
    {
        if ($null -eq $o) { continue }
        foreach ($dvd in @($effective.dvdDrives))
        {
            if ($null -ne $dvd -and $dvd.controllerType -eq $o.controllerType -and [System.Int32] $dvd.controllerNumber -eq [System.Int32] $o.controllerNumber -and
                [System.Int32] $dvd.controllerLocation -eq [System.Int32] $o.controllerLocation -and [System.String]::IsNullOrEmpty($o.path))
            {
                $dvd.path = $null
            }
        }
    }
    return $effective
}

function New-LabCompatibilityReport
{
    <#
        Compares a VM record with a destination. $ReportVm: the copy of an earlier report to re-check
        (its fixes apply), or $null for a new copy. $Options as for Get-LabMoveFinding.
    #>
    param
    (
        [System.Object] $Index,
        [System.Object] $Vm,
        [System.Object] $SourceHost,
        [System.Object] $DestinationHost,
        [System.Object] $Options,
        [System.Object] $ReportVm = $null
    )

    if ($null -eq $ReportVm) { $ReportVm = New-LabReportVm -Index $Index -Vm $Vm -SourceHost $SourceHost -DestinationHost $DestinationHost }
    $effective = Get-LabEffectiveVm -Vm $Vm -Override (Get-LabReportOverride -ReportVm $ReportVm)
    $findings = Get-LabMoveFinding -Index $Index -Vm $effective -SourceHost $SourceHost -DestinationHost $DestinationHost -Options $Options
    $incompatibilities = @(foreach ($finding in $findings)
        {
            $item = [pscustomobject][ordered]@{
                Message   = $finding.Message
                MessageId = $finding.MessageId
                Source    = Resolve-LabFindingSource -Index $Index -Finding $finding -ReportVm $ReportVm
            }
            Add-LabTypeName -Object $item -TypeName 'Microsoft.HyperV.PowerShell.VMCompatibilityError'
        })
    $movesStorage = [System.Boolean] $Options.IncludeStorage -or @($Options.Vhds | Where-Object { $null -ne $_ }).Count -gt 0
    $configPath = if ($Options.IncludeStorage) { $Options.DestinationStoragePath } else { $Options.VirtualMachinePath }
    $report = [pscustomobject][ordered]@{
        VM                 = $ReportVm
        OperationType      = if ($movesStorage) { 'MoveVirtualMachineAndStorage' } else { 'MoveVirtualMachine' }
        Destination        = $DestinationHost.name
        Path               = $configPath
        SnapshotPath       = if ($Options.SnapshotFilePath) { $Options.SnapshotFilePath } else { $configPath }
        VhdDestinationPath = $Options.DestinationStoragePath
        VhdSourcePath      = $null
        Incompatibilities  = $incompatibilities
        LabOptions         = $Options
    }
    return Add-LabTypeName -Object $report -TypeName 'Microsoft.HyperV.PowerShell.VMCompatibilityReport'
}

function New-LabMoveOption
{
    # The storage half of a Compare-VM / Move-VM call, from its bound parameters.
    param ([System.Collections.IDictionary] $Bound)

    $vhds = @(foreach ($entry in @($Bound['Vhds']))
        {
            if ($null -ne $entry) { [pscustomobject]@{ SourceFilePath = [System.String] $entry['SourceFilePath']; DestinationFilePath = [System.String] $entry['DestinationFilePath'] } }
        })
    return [pscustomobject]@{
        IncludeStorage         = [System.Boolean] $Bound['IncludeStorage']
        DestinationStoragePath = [System.String] $Bound['DestinationStoragePath']
        VirtualMachinePath     = [System.String] $Bound['VirtualMachinePath']
        SnapshotFilePath       = [System.String] $Bound['SnapshotFilePath']
        SmartPagingFilePath    = [System.String] $Bound['SmartPagingFilePath']
        Vhds                   = $vhds
    }
}

function Resolve-LabMoveTarget
{
    <#
        The VM, source and destination of a Compare-VM / Move-VM call (by name with -ComputerName, by
        VM object, or from a report), with the hosts' faults applied. $null after writing the error.
    #>
    param
    (
        [System.Management.Automation.PSCmdlet] $Cmdlet,
        [System.Object] $Index,
        [System.String] $Name,
        [System.Object] $VM,
        [System.String[]] $ComputerName,
        [System.String] $DestinationHost
    )

    $source = if ($null -ne $ComputerName -and $ComputerName.Count -gt 0) { @($ComputerName[0]) } else { $null }
    $pairs = if ($null -ne $VM) { Resolve-LabVm -Index $Index -Cmdlet $Cmdlet -VM @($VM) } else { Resolve-LabVm -Index $Index -Cmdlet $Cmdlet -Name @($Name) -ComputerName $source }
    if ($pairs.Count -eq 0) { return $null }
    $pair = $pairs[0]
    $destination = Enter-LabHost -ComputerName $DestinationHost -Index $Index -Cmdlet $Cmdlet
    if ($null -eq $destination) { return $null }
    return [pscustomobject]@{ Vm = $pair.Vm; Source = $pair.Host; Destination = $destination }
}
