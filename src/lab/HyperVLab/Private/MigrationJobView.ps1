# The WMI view of moves (root\virtualization\v2): Msvm_MigrationJob on the source host, the way the
# extension re-attaches to a move after a reload (filter on VirtualSystemName and JobState = 4) and
# cancels it (RequestStateChange 4); Msvm_PlannedComputerSystem for the planned VMs a failed move left,
# removed with Msvm_VirtualSystemManagementService.DestroySystem. Get-CimInstance (lead) calls
# Get-LabCimInstanceExtension; Invoke-CimMethod (Public) calls the methods below.

$script:LabCimPrefix = 'Microsoft.Management.Infrastructure.CimInstance#root/virtualization/v2/'

$script:LabJobStatusText = @{
    Running    = 'Job is running'
    Completed  = 'Job completed successfully'
    Terminated = 'Job was stopped'
    Exception  = 'Job failed'
}

function ConvertTo-LabMigrationJob
{
    param ([System.Object] $State, [System.Object] $Move, [System.DateTime] $Now)

    $outcome = $Move.state
    $percent = [System.Int32] $Move.percentComplete
    $message = $Move.errorDescription
    if ($outcome -eq 'Running')
    {
        $progress = Get-LabMoveProgress -State $State -Move $Move -Now $Now
        $percent = $progress.Percent
        if ($null -ne $progress.Outcome)
        {
            $outcome = $progress.Outcome
            $message = $progress.Message
        }
    }
    $start = ConvertTo-LabDate -Value $Move.startTime
    $end = if ($Move.endTime) { ConvertTo-LabDate -Value $Move.endTime } else { $Now }
    $storage = [System.Int32] $Move.jobType -eq 306
    $description = if ($storage) { 'Moving virtual machine and storage' } else { 'Moving virtual machine' }
    $job = [pscustomobject][ordered]@{
        InstanceID              = $Move.id
        Caption                 = 'Virtual System Migration'
        Description             = $description
        ElementName             = $description
        Name                    = $description
        JobState                = [System.UInt16] $script:LabMoveJobState[$outcome]
        JobStatus               = $script:LabJobStatusText[$outcome]
        PercentComplete         = [System.UInt16] $percent
        JobType                 = [System.UInt16] $Move.jobType
        MigrationType           = [System.UInt16] $(if ($storage) { 32771 } else { 32768 })
        VirtualSystemName       = ([System.String] $Move.vmId).ToUpperInvariant()
        DestinationHost         = $Move.destination
        ErrorCode               = [System.UInt16] $(if ($outcome -eq 'Exception') { 32768 } else { 0 })
        ErrorDescription        = if ($outcome -in 'Exception', 'Terminated') { $message } else { $null }
        ErrorSummaryDescription = if ($outcome -eq 'Exception') { $message } else { $null }
        TimeSubmitted           = $start.ToLocalTime()
        StartTime               = $start.ToLocalTime()
        ElapsedTime             = $(if ($outcome -eq 'Running') { $Now } else { $end }) - $start
        TimeOfLastStateChange   = $(if ($outcome -eq 'Running') { $start } else { $end }).ToLocalTime()
        TimeBeforeRemoval       = $script:LabMoveRetention
        Cancellable             = ($outcome -eq 'Running')
        DeleteOnCompletion      = $false
        OperationalStatus       = [System.UInt16[]] @(2)
        StatusDescriptions      = @('OK')
        PSComputerName          = $Move.source
    }
    return Add-LabTypeName -Object $job -TypeName @(
        "${script:LabCimPrefix}Msvm_MigrationJob"
        "${script:LabCimPrefix}Msvm_ConcreteJob"
        'Microsoft.Management.Infrastructure.CimInstance#ROOT/virtualization/v2/CIM_ConcreteJob'
        'Microsoft.Management.Infrastructure.CimInstance'
    )
}

function ConvertTo-LabPlannedSystem
{
    param ([System.Object] $Vm)

    $object = [pscustomobject][ordered]@{
        Name              = ([System.String] $Vm.id).ToUpperInvariant()
        ElementName       = $Vm.name
        Caption           = 'Planned Virtual Machine'
        Description       = 'Microsoft Planned Virtual Machine'
        CreationClassName = 'Msvm_PlannedComputerSystem'
        EnabledState      = [System.UInt16] 3
        HealthState       = [System.UInt16] 5
        PSComputerName    = $Vm.host
    }
    return Add-LabTypeName -Object $object -TypeName @("${script:LabCimPrefix}Msvm_PlannedComputerSystem", 'Microsoft.Management.Infrastructure.CimInstance')
}

function Get-LabCimInstanceExtension
{
    # Msvm_MigrationJob (moves the host is the source of), Msvm_PlannedComputerSystem and
    # Msvm_VirtualSystemManagementService of a host; $null for other classes.
    param ([System.Object] $Index, [System.Object] $HostRecord, [System.String] $ClassName, [System.String] $Namespace)

    if (-not (Test-LabSameText -A $Namespace -B 'root\virtualization\v2')) { return $null }
    # Moves are settled only when there are any (the tree asks every host for its jobs on every refresh).
    $state = $Index.State
    if (@($state.moves).Count -gt 0)
    {
        Sync-LabMove
        $state = Get-LabState
    }
    switch ($ClassName)
    {
        'Msvm_MigrationJob'
        {
            $now = [System.DateTime]::UtcNow
            return , @(foreach ($move in @($state.moves))
                {
                    if ($null -ne $move -and (Test-LabSameText -A $move.source -B $HostRecord.name)) { ConvertTo-LabMigrationJob -State $state -Move $move -Now $now }
                })
        }
        'Msvm_PlannedComputerSystem'
        {
            return , @(foreach ($vm in @($state.vms))
                {
                    if ($vm.vmType -eq 'PlannedVirtualMachine' -and (Test-LabSameText -A $vm.host -B $HostRecord.name)) { ConvertTo-LabPlannedSystem -Vm $vm }
                })
        }
        'Msvm_VirtualSystemManagementService'
        {
            $service = [pscustomobject][ordered]@{
                Name              = 'vmms'
                ElementName       = 'Virtual Machine Management Service'
                Caption           = 'Hyper-V Virtual System Management Service'
                CreationClassName = 'Msvm_VirtualSystemManagementService'
                SystemName        = $HostRecord.name
                PSComputerName    = $HostRecord.name
            }
            return , @(Add-LabTypeName -Object $service -TypeName @("${script:LabCimPrefix}Msvm_VirtualSystemManagementService", 'Microsoft.Management.Infrastructure.CimInstance'))
        }
    }
    return $null
}

function Invoke-LabMigrationJobMethod
{
    # Msvm_MigrationJob.RequestStateChange: 4 (Terminate) or 5 (Kill) cancels a running move.
    # ReturnValue 0, 4097 (invalid state transition) when it is not running, 1 (not supported) otherwise.
    param ([System.Object] $Job, [System.String] $MethodName, [System.Collections.IDictionary] $Arguments)

    if ($MethodName -ne 'RequestStateChange') { return $null }
    $requested = if ($null -ne $Arguments -and $Arguments.Contains('RequestedState')) { [System.Int32] $Arguments['RequestedState'] } else { -1 }
    if ($requested -notin 4, 5) { return 1 }
    $id = [System.String] $Job.InstanceID
    $stopped = Update-LabState { param ($state) Stop-LabMove -State $state -Id $id }
    if ($stopped) { return 0 }
    return 4097
}

function Invoke-LabManagementServiceMethod
{
    # Msvm_VirtualSystemManagementService.DestroySystem for a planned VM (AffectedSystem: the
    # Msvm_PlannedComputerSystem instance). ReturnValue 0, or 32768 (failed) when there is no such planned VM.
    param ([System.Object] $Service, [System.String] $MethodName, [System.Collections.IDictionary] $Arguments)

    if ($MethodName -ne 'DestroySystem') { return $null }
    $system = if ($null -ne $Arguments -and $Arguments.Contains('AffectedSystem')) { $Arguments['AffectedSystem'] } else { $null }
    if ($null -eq $system -or $system.PSObject.TypeNames -notcontains "${script:LabCimPrefix}Msvm_PlannedComputerSystem") { return $null }
    $id = [System.String] $system.Name
    $hostName = [System.String] $Service.PSComputerName
    $removed = Update-LabState {
        param ($state)
        $before = @($state.vms).Count
        $state.vms = @(foreach ($vm in @($state.vms))
            {
                if ($vm.vmType -eq 'PlannedVirtualMachine' -and (Test-LabSameText -A $vm.id -B $id) -and (Test-LabSameText -A $vm.host -B $hostName)) { continue }
                $vm
            })
        @($state.vms).Count -lt $before
    }
    if ($removed) { return 0 }
    return 32768
}
