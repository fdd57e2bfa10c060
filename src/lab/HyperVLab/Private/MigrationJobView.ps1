# The WMI view of moves: root\virtualization\v2 Msvm_MigrationJob on the source host, the way the
# extension re-attaches to a move after a reload (filter on VirtualSystemName and JobState = 4) and
# cancels it (RequestStateChange 4). Get-CimInstance (lead) calls Get-LabCimInstanceExtension.

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
        'Microsoft.Management.Infrastructure.CimInstance#root/virtualization/v2/Msvm_MigrationJob'
        'Microsoft.Management.Infrastructure.CimInstance#root/virtualization/v2/Msvm_ConcreteJob'
        'Microsoft.Management.Infrastructure.CimInstance#ROOT/virtualization/v2/CIM_ConcreteJob'
        'Microsoft.Management.Infrastructure.CimInstance'
    )
}

function Get-LabCimInstanceExtension
{
    # Msvm_MigrationJob instances of a host (moves it is the source of); $null for other classes.
    param ([System.Object] $Index, [System.Object] $HostRecord, [System.String] $ClassName, [System.String] $Namespace)

    if (-not ((Test-LabSameText -A $Namespace -B 'root\virtualization\v2') -and (Test-LabSameText -A $ClassName -B 'Msvm_MigrationJob'))) { return $null }
    Sync-LabMove
    $state = Get-LabState
    $now = [System.DateTime]::UtcNow
    return , @(foreach ($move in @($state.moves))
        {
            if ($null -ne $move -and (Test-LabSameText -A $move.source -B $HostRecord.name)) { ConvertTo-LabMigrationJob -State $state -Move $move -Now $now }
        })
}
