# What happens to a VM when it is started, stopped or changed: the lab's state transitions, with
# Hyper-V's refusals. Each function works on a state being updated (inside Update-LabState) and
# returns an ErrorRecord when Hyper-V would refuse, for the calling cmdlet to write.

function New-LabInvalidStateError
{
    param ([System.Object] $Vm, [System.String] $Operation)

    $id = ([System.String] $Vm.id).ToUpperInvariant()
    $text = "'{0}' {1} (Virtual machine ID {2})`r`nThe operation cannot be performed while the object is in its current state." -f $Vm.name, $Operation, $id
    return New-LabErrorRecord -Category InvalidOperation -ErrorId 'InvalidState' -TargetObject $Vm.name -Message $text
}

function Test-LabVmMigrating
{
    param ([System.Object] $Vm)

    return $Vm.status -eq 'Migrating virtual machine'
}

function Set-LabClusterGroupState
{
    # A clustered VM's role follows the VM: online while it runs, offline otherwise.
    param ([System.Object] $State, [System.Object] $Vm)

    foreach ($cluster in @($State.clusters))
    {
        foreach ($group in @($cluster.groups))
        {
            if ($group.groupType -eq 'VirtualMachine' -and $group.vmId -eq $Vm.id)
            {
                $group.state = if ($Vm.state -eq 'Running') { 'Online' } else { 'Offline' }
                $group.ownerNode = $Vm.host
            }
        }
    }
}

function Invoke-LabVmStart
{
    param ([System.Object] $State, [System.Object] $Vm)

    if ($Vm.state -eq 'Running') { return }
    if (Test-LabVmMigrating -Vm $Vm) { return New-LabInvalidStateError -Vm $Vm -Operation 'failed to start.' }
    $hostRecord = Find-LabHostRecord -State $State -Name $Vm.host
    $id = ([System.String] $Vm.id).ToUpperInvariant()
    if ($Vm.security.tpmEnabled -and $Vm.security.keyProtectorGuardian -and $Vm.security.keyProtectorGuardian -notin @($hostRecord.keyProtectorGuardians))
    {
        return New-LabErrorRecord -Category InvalidOperation -ErrorId 'OperationFailed' -TargetObject $Vm.name -Message ((
            "'{0}' failed to start. (Virtual machine ID {1})`r`nThe key protector for the virtual machine '{0}' could not be unwrapped. " +
            'Ensure that the host has access to the guardian the key protector was created for.') -f $Vm.name, $id)
    }
    $used = [System.Int64] $hostRecord.memoryReserved
    foreach ($other in $State.vms)
    {
        if ($other.host -eq $hostRecord.name -and $other -ne $Vm) { $used += Get-LabVmMemoryAssigned -Vm $other }
    }
    if ([System.Int64] $hostRecord.memoryCapacity - $used -lt [System.Int64] $Vm.memoryStartup)
    {
        return New-LabErrorRecord -Category ResourceUnavailable -ErrorId 'OutOfMemory' -TargetObject $Vm.name -Message ((
            "'{0}' failed to start. (Virtual machine ID {1})`r`n'{0}' could not initialize memory: Ran out of memory (0x8007000E). (Virtual machine ID {1})`r`n" +
            'Not enough memory in the system to start the virtual machine {0}.') -f $Vm.name, $id)
    }
    if ($Vm.state -ne 'Saved')
    {
        $Vm.processor.featureLevelInUse = if ($Vm.processor.compatibilityForMigrationEnabled) { 0 } else { [System.Int32] $hostRecord.processor.featureLevel }
    }
    $Vm.state = 'Running'
    $Vm.status = 'Operating normally'
    $Vm.startedAt = ConvertTo-LabDateString -Date ([System.DateTime]::UtcNow)
    Set-LabClusterGroupState -State $State -Vm $Vm
}

function Invoke-LabVmStop
{
    # Mode: ShutDown (guest shutdown), TurnOff (power off), Save (save state).
    param ([System.Object] $State, [System.Object] $Vm, [System.String] $Mode, [System.Boolean] $Force)

    if (Test-LabVmMigrating -Vm $Vm) { return New-LabInvalidStateError -Vm $Vm -Operation 'failed to change state.' }
    switch ($Mode)
    {
        'Save'
        {
            if ($Vm.state -eq 'Saved') { return }
            if ($Vm.state -notin 'Running', 'Paused') { return New-LabInvalidStateError -Vm $Vm -Operation 'failed to change state.' }
            $Vm.state = 'Saved'
        }
        'TurnOff'
        {
            if ($Vm.state -eq 'Off') { return }
            $Vm.state = 'Off'
            $Vm.processor.featureLevelInUse = $null
        }
        default
        {
            if ($Vm.state -eq 'Off') { return }
            if ($Vm.state -eq 'Saved' -and -not $Force) { return New-LabInvalidStateError -Vm $Vm -Operation 'failed to shut down.' }
            if ($Vm.state -eq 'Paused') { return New-LabInvalidStateError -Vm $Vm -Operation 'failed to shut down.' }
            $Vm.state = 'Off'
            $Vm.processor.featureLevelInUse = $null
        }
    }
    $Vm.status = 'Operating normally'
    $Vm.startedAt = $null
    foreach ($adapter in @($Vm.networkAdapters))
    {
        if ($Vm.state -eq 'Off') { $adapter.ipAddresses = @() }
    }
    Set-LabClusterGroupState -State $State -Vm $Vm
}

function Invoke-LabVmPause
{
    # Suspend-VM (Running -> Paused) and Resume-VM (Paused -> Running): the guest stops and goes on where
    # it was, so nothing else of the VM changes (its memory stays assigned; a clustered VM's role stays as it
    # is: assumption). The cmdlet checks the state itself (decompiled VirtualMachine.ChangeState and its
    # gm_StateTransitionMap): the state it already has is a warning (Warning_VMAlreadyInDesiredState), any
    # other than the one it changes from the cmdlet's own InvalidState error (OperationFailed_InvalidState),
    # before the management service is asked. A migrating VM passes that check and is refused by the service.
    param ([System.Object] $Vm, [System.Boolean] $Pause)

    $from = if ($Pause) { 'Running' } else { 'Paused' }
    $to = if ($Pause) { 'Paused' } else { 'Running' }
    if ($Vm.state -eq $to)
    {
        Write-Warning -Message 'The virtual machine is already in the specified state.'
        return
    }
    if ($Vm.state -ne $from)
    {
        return New-LabErrorRecord -Category InvalidOperation -ErrorId 'InvalidState' -TargetObject $Vm.name `
            -Message 'The operation cannot be performed while the virtual machine is in its current state.'
    }
    if (Test-LabVmMigrating -Vm $Vm) { return New-LabInvalidStateError -Vm $Vm -Operation 'failed to change state.' }
    $Vm.state = $to
}

function Write-LabVmOutput
{
    # The VM as Get-VM shows it now (for -Passthru after a change).
    param ([System.String] $Id, [System.String] $HostName)

    $index = Get-LabIndex
    $hostRecord = $index.Hosts[$HostName]
    foreach ($vm in (Get-LabVmOnHost -Index $index -HostName $HostName))
    {
        if ($vm.id -eq $Id) { ConvertTo-LabVirtualMachine -Index $index -Vm $vm -HostRecord $hostRecord }
    }
}
