# Planned VMs, as Compare-VM and Move-VM handle them (FIDELITY.md):
# - Compare-VM stages a planned VM on the destination (migration type Staged), after deleting an earlier
#   planned VM of the same Id there; the report's VM is that planned VM (VirtualMachine.CheckCompatibility,
#   Migrate, DeletePlannedVMAtDestination in the decompiled module).
# - Move-VM -CompatibilityReport moves into it; Move-VM without a report deletes an earlier one first.
# - Get-VM -Id finds a planned VM, and Remove-VM on that object deletes it (how Windows Admin Center cleans up).
# - -CompatibilityReport has no -ComputerName: the VM is looked up by the report VM's Id on the computer
#   the cmdlet runs on (ParameterResolvers.GetServers, MoveVM.EnumerateOperands, CompareVM.CreateObjects).

function Find-LabPlannedVm
{
    # The planned VM record of a VM Id on a host, or $null.
    param ([System.Object] $State, [System.String] $Id, [System.String] $HostName)

    foreach ($vm in @($State.vms))
    {
        if ($null -ne $vm -and $vm.vmType -eq 'PlannedVirtualMachine' -and (Test-LabSameText -A $vm.id -B $Id) -and (Test-LabSameText -A $vm.host -B $HostName)) { return $vm }
    }
    return $null
}

function Remove-LabPlannedVm
{
    # In a state being updated: deletes the planned VM of a VM Id on a host. True when there was one.
    param ([System.Object] $State, [System.String] $Id, [System.String] $HostName)

    $before = @($State.vms).Count
    $State.vms = @(foreach ($vm in @($State.vms))
        {
            if ($null -ne $vm -and $vm.vmType -eq 'PlannedVirtualMachine' -and (Test-LabSameText -A $vm.id -B $Id) -and (Test-LabSameText -A $vm.host -B $HostName)) { continue }
            $vm
        })
    return (@($State.vms).Count -lt $before)
}

function Add-LabStagedVm
{
    <#
        In a state being updated: what Compare-VM leaves on the destination. The earlier planned VM of the
        same Id goes, a new one (the VM's configuration, off, no disks of its own) comes, and the source lists
        the two finished jobs of the compare: creating the remote VM (JobType 300) and checking compatibility
        (301, or 302 with storage). Returns the planned VM record.
    #>
    param ([System.Object] $State, [System.Object] $Vm, [System.String] $SourceName, [System.String] $DestinationName, [System.Boolean] $MovesStorage)

    $null = Remove-LabPlannedVm -State $State -Id $Vm.id -HostName $DestinationName
    $planned = Copy-LabRecord -Record $Vm
    $planned.host = $DestinationName
    $planned.vmType = 'PlannedVirtualMachine'
    $planned.state = 'Off'
    $planned.status = 'Operating normally'
    $planned.startedAt = $null
    $planned.processor.featureLevelInUse = $null
    $planned.hardDrives = @()
    $planned.snapshots = @()
    foreach ($adapter in @($planned.networkAdapters)) { if ($null -ne $adapter) { $adapter.ipAddresses = @() } }
    $State.vms = @($State.vms) + $planned

    $now = ConvertTo-LabDateString -Date ([System.DateTime]::UtcNow)
    if ($null -eq $State.PSObject.Properties['moves']) { $State | Add-Member -NotePropertyName 'moves' -NotePropertyValue @() }
    foreach ($jobType in @(300, $(if ($MovesStorage) { 302 } else { 301 })))
    {
        $State.moves = @($State.moves) + [pscustomobject][ordered]@{
            id = [System.Guid]::NewGuid().ToString().ToUpperInvariant(); vmId = $Vm.id; vmName = $Vm.name; source = $SourceName; destination = $DestinationName
            jobType = $jobType; state = 'Completed'; startTime = $now; endTime = $now; durationMs = 0; memoryBytes = 0; totalBytes = 0; percentComplete = 100
            storage = @(); adapters = @(); snapshotFilePath = $null; smartPagingFilePath = $null; dvdDrives = @()
            failAtPercent = $null; failMessage = $null; leavePlannedVm = $false; errorDescription = $null
            owner = '{0}@{1}' -f $PID, [System.Environment]::MachineName
        }
    }
    return $planned
}

function Resolve-LabReportTarget
{
    <#
        The VM, source and destination of Compare-VM / Move-VM -CompatibilityReport: the VM whose Id is the
        report VM's, on the computer the cmdlet runs on (not where the report was made), and the report's
        destination. $null after writing Hyper-V's error (VMNotFoundById) when the VM is not on this computer.
    #>
    param ([System.Management.Automation.PSCmdlet] $Cmdlet, [System.Object] $Index, [System.Object] $Report)

    $local = Get-LabLocalHostName -Index $Index
    $id = [System.String] $Report.VM.Id
    $vm = $null
    if (-not $Index.Vms.TryGetValue($id, [ref] $vm) -or -not (Test-LabSameText -A $vm.host -B $local))
    {
        $Cmdlet.WriteError((New-LabErrorRecord -Category ObjectNotFound -ErrorId 'InvalidParameter' -TargetObject $id `
            -ExceptionType 'System.ArgumentException' -Message "Hyper-V was unable to find a virtual machine with id `"$($id.ToUpperInvariant())`"."))
        return $null
    }
    $source = Enter-LabHost -ComputerName $local -Index $Index -Cmdlet $Cmdlet
    if ($null -eq $source) { return $null }
    # The report's planned VM carries the connection Compare-VM made to the destination (with its credential).
    $destination = Enter-LabHost -ComputerName ([System.String] $Report.Destination) -Index $Index -Cmdlet $Cmdlet -Connected
    if ($null -eq $destination) { return $null }
    return [pscustomobject]@{ Vm = $vm; Source = $source; Destination = $destination }
}
