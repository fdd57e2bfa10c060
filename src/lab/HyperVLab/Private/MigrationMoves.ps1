# Moves in flight: the `moves` records of the lab file (STATE.md, "Migration (part 2)"). A move's
# outcome is a function of its record and the clock, so whichever process reads next settles it:
# a move completes even when the process that started it is gone.

$script:LabMoveRetention = [System.TimeSpan]::FromMinutes(5)
$script:LabMoveJobState = @{ Running = 4; Completed = 7; Terminated = 8; Exception = 10 }

function Get-LabMoveFailurePrefix
{
    param ([System.String] $VmName, [System.String] $VmId, [System.String] $At, [System.String] $HostName)

    return "Virtual machine migration operation for '{0}' failed at migration {1} '{2}'. (Virtual machine ID {3})" -f $VmName, $At, $HostName, $VmId.ToUpperInvariant()
}

function New-LabMoveError
{
    param
    (
        [System.Object] $Vm,
        [System.String] $At,
        [System.String] $HostName,
        [System.String[]] $Detail,
        [System.Management.Automation.ErrorCategory] $Category,
        [System.String] $ErrorId = 'OperationFailed'
    )

    $text = @(Get-LabMoveFailurePrefix -VmName $Vm.name -VmId $Vm.id -At $At -HostName $HostName) + $Detail
    return New-LabErrorRecord -Category $Category -ErrorId $ErrorId -TargetObject $Vm.name -Message ($text -join "`r`n")
}

function Get-LabMoveProgress
{
    # Where a running move is at $Now: percent (0-100), and the outcome when one is due:
    # Completed, Exception (fault or unreachable host), or $null while it runs on.
    param ([System.Object] $State, [System.Object] $Move, [System.DateTime] $Now)

    $elapsed = ($Now - (ConvertTo-LabDate -Value $Move.startTime)).TotalMilliseconds
    $duration = [System.Math]::Max(1.0, [System.Double] $Move.durationMs)
    $percent = [System.Math]::Min(100.0, [System.Math]::Max(0.0, 100.0 * $elapsed / $duration))
    # What the clock decides comes first: a move that ended before a host became unreachable has ended.
    if ($null -ne $Move.failAtPercent -and $percent -ge [System.Double] $Move.failAtPercent)
    {
        $message = if ($Move.failMessage) { $Move.failMessage } else { 'An existing connection was forcibly closed by the remote host. (0x80072746)' }
        return [pscustomobject]@{ Percent = [System.Int32] $Move.failAtPercent; Outcome = 'Exception'; Message = $message }
    }
    if ($elapsed -ge $duration) { return [pscustomobject]@{ Percent = 100; Outcome = 'Completed'; Message = $null } }
    foreach ($hostName in @($Move.source, $Move.destination))
    {
        $fault = Get-LabFault -State $State -HostName $hostName
        if ($null -ne $fault -and $fault.unreachable)
        {
            $detail = "Failed to establish a connection with host '{0}': A connection attempt failed because the connected party did not properly respond after a period of time, or established connection failed because connected host has failed to respond. (0x8007274C)" -f $hostName
            return [pscustomobject]@{ Percent = [System.Math]::Floor($percent); Outcome = 'Exception'; Message = $detail }
        }
    }
    return [pscustomobject]@{ Percent = [System.Math]::Min(99, [System.Math]::Floor($percent)); Outcome = $null; Message = $null }
}

function Get-LabVmMovePercent
{
    # The percent of the VM's running move, or $null when it is not moving (for Get-VM).
    param ([System.Object] $State, [System.Object] $Vm)

    foreach ($move in @($State.moves))
    {
        if ($null -ne $move -and $move.state -eq 'Running' -and $move.vmId -eq $Vm.id -and (Test-LabSameText -A $move.source -B $Vm.host))
        {
            return [System.Int32] (Get-LabMoveProgress -State $State -Move $move -Now ([System.DateTime]::UtcNow)).Percent
        }
    }
    return $null
}

function Test-LabMoveDue
{
    param ([System.Object] $State, [System.DateTime] $Now)

    foreach ($move in @($State.moves))
    {
        if ($null -ne $move -and $move.state -eq 'Running' -and $null -ne (Get-LabMoveProgress -State $State -Move $move -Now $Now).Outcome) { return $true }
    }
    return $false
}

function Copy-LabRecord
{
    param ([System.Object] $Record)

    $json = ConvertTo-Json -InputObject $Record -Depth 32 -Compress
    if ($PSVersionTable.PSVersion -ge [System.Version] '7.5') { return ConvertFrom-Json -InputObject $json -DateKind String }
    return ConvertFrom-Json -InputObject $json
}

function Set-LabVmDestinationLayout
{
    # The VM record as it is on the destination: host, files, adapters' switches and DVD media.
    param ([System.Object] $Vm, [System.Object] $Move)

    $Vm.host = $Move.destination
    foreach ($item in @($Move.storage))
    {
        if ($null -eq $item -or -not $item.destinationPath) { continue }
        if ($item.kind -eq 'Config')
        {
            $Vm.path = $item.destinationPath
            $Vm.snapshotFileLocation = if ($Move.snapshotFilePath) { $Move.snapshotFilePath } else { $item.destinationPath }
            $Vm.smartPagingFilePath = if ($Move.smartPagingFilePath) { $Move.smartPagingFilePath } else { $item.destinationPath }
            continue
        }
        if ($item.kind -ne 'Vhd') { continue }
        foreach ($drive in @($Vm.hardDrives))
        {
            if ($null -ne $drive -and (Test-LabSameText -A $drive.path -B $item.sourcePath)) { $drive.path = $item.destinationPath }
        }
    }
    foreach ($override in @($Move.adapters))
    {
        if ($null -eq $override) { continue }
        foreach ($adapter in @($Vm.networkAdapters))
        {
            if ($null -ne $adapter -and (Test-LabSameText -A $adapter.id -B $override.id)) { $adapter.switchName = $override.switchName }
        }
    }
    foreach ($override in @($Move.dvdDrives))
    {
        if ($null -eq $override) { continue }
        foreach ($dvd in @($Vm.dvdDrives))
        {
            if ($null -ne $dvd -and $dvd.controllerType -eq $override.controllerType -and [System.Int32] $dvd.controllerNumber -eq [System.Int32] $override.controllerNumber -and
                [System.Int32] $dvd.controllerLocation -eq [System.Int32] $override.controllerLocation)
            {
                $dvd.path = $override.path
            }
        }
    }
}

function Complete-LabMoveRecord
{
    # Ends one running move in a state being updated: Completed (the VM is on the destination),
    # Exception or Terminated (the VM stays on the source as it was).
    param ([System.Object] $State, [System.Object] $Move, [System.String] $Outcome, [System.Int32] $Percent, [System.String] $Message, [System.DateTime] $Now)

    $vm = Find-LabVmRecord -State $State -Id $Move.vmId -HostName $Move.source
    if ($Outcome -eq 'Completed' -and $null -eq $vm)
    {
        $Outcome = 'Exception'
        $Message = "The virtual machine '{0}' no longer exists on host '{1}'." -f $Move.vmName, $Move.source
    }
    if ($null -ne $vm) { $vm.status = 'Operating normally' }
    if ($Outcome -eq 'Completed')
    {
        # The VM moved into the planned VM staged for it (or replaced an earlier one): none is left.
        $null = Remove-LabPlannedVm -State $State -Id $Move.vmId -HostName $Move.destination
        Set-LabVmDestinationLayout -Vm $vm -Move $Move
        Set-LabClusterGroupState -State $State -Vm $vm
    }
    elseif ($Outcome -eq 'Exception' -and $Move.leavePlannedVm -and $null -ne $vm)
    {
        $null = Remove-LabPlannedVm -State $State -Id $Move.vmId -HostName $Move.destination
        $planned = Copy-LabRecord -Record $vm
        Set-LabVmDestinationLayout -Vm $planned -Move $Move
        $planned.vmType = 'PlannedVirtualMachine'
        $planned.state = 'Off'
        $planned.startedAt = $null
        $planned.processor.featureLevelInUse = $null
        foreach ($adapter in @($planned.networkAdapters)) { if ($null -ne $adapter) { $adapter.ipAddresses = @() } }
        $State.vms = @($State.vms) + $planned
    }
    $Move.state = $Outcome
    $Move.percentComplete = $Percent
    $Move.endTime = ConvertTo-LabDateString -Date $Now
    $Move.errorDescription = $Message
}

function Complete-LabDueMove
{
    # Settles every move that has ended by $Now and forgets the ones finished long ago.
    param ([System.Object] $State, [System.DateTime] $Now)

    if ($null -eq $State.PSObject.Properties['moves']) { $State | Add-Member -NotePropertyName 'moves' -NotePropertyValue @() }
    foreach ($move in @($State.moves))
    {
        if ($null -eq $move -or $move.state -ne 'Running') { continue }
        $progress = Get-LabMoveProgress -State $State -Move $move -Now $Now
        if ($null -ne $progress.Outcome)
        {
            Complete-LabMoveRecord -State $State -Move $move -Outcome $progress.Outcome -Percent $progress.Percent -Message $progress.Message -Now $Now
        }
    }
    $State.moves = @(foreach ($move in @($State.moves))
        {
            if ($null -eq $move) { continue }
            if ($move.state -ne 'Running' -and $move.endTime -and ($Now - (ConvertTo-LabDate -Value $move.endTime)) -gt $script:LabMoveRetention) { continue }
            $move
        })
}

function Sync-LabMove
{
    # Writes down every move that has ended by now. Cheap when none has: reads the cached state only.
    [CmdletBinding()]
    param ()

    $state = Get-LabState
    if (-not (Test-LabMoveDue -State $state -Now ([System.DateTime]::UtcNow))) { return }
    $null = Update-LabState { param ($s) Complete-LabDueMove -State $s -Now ([System.DateTime]::UtcNow) }
}

function Find-LabMove
{
    param ([System.Object] $State, [System.String] $Id)

    foreach ($move in @($State.moves)) { if ($null -ne $move -and $move.id -eq $Id) { return $move } }
    return $null
}

function Stop-LabMove
{
    # Cancels a running move in a state being updated. True when it was running.
    param ([System.Object] $State, [System.String] $Id)

    $now = [System.DateTime]::UtcNow
    Complete-LabDueMove -State $State -Now $now
    $move = Find-LabMove -State $State -Id $Id
    if ($null -eq $move -or $move.state -ne 'Running') { return $false }
    $percent = (Get-LabMoveProgress -State $State -Move $move -Now $now).Percent
    Complete-LabMoveRecord -State $State -Move $move -Outcome 'Terminated' -Percent $percent -Message 'The operation was canceled by the user. (0x800704C7)' -Now $now
    return $true
}

function Get-LabMoveAuthenticationProblem
{
    # Why the source cannot authenticate to the destination for a live migration, or $null.
    param ([System.Object] $Index, [System.Object] $SourceHost, [System.Object] $DestinationHost)

    $noCredentials = 'No credentials are available in the security package (0x8009030E).'
    $notRecognized = 'The credentials supplied to the package were not recognized (0x8009030D).'
    if ($SourceHost.migration.authenticationType -eq 'CredSSP')
    {
        if (Test-LabSameText -A (Get-LabLocalHostName -Index $Index) -B $SourceHost.name) { return $null }
        return $noCredentials
    }
    $account = $null
    if (-not $Index.AdComputers.TryGetValue($SourceHost.name, [ref] $account)) { return $notRecognized }
    $entries = @($account.allowedToDelegateTo)
    foreach ($service in 'Microsoft Virtual System Migration Service', 'cifs')
    {
        foreach ($name in @($DestinationHost.name, $DestinationHost.fqdn))
        {
            $wanted = '{0}/{1}' -f $service, $name
            $found = $false
            foreach ($entry in $entries) { if (Test-LabSameText -A $entry -B $wanted) { $found = $true } }
            if (-not $found) { return $notRecognized }
        }
    }
    if (-not $account.trustedToAuthForDelegation) { return $noCredentials }
    return $null
}

function Get-LabMoveLimitProblem
{
    # Event 21501: a host already runs as many migrations as it allows.
    param ([System.Object] $State, [System.Object] $HostRecord, [System.Boolean] $MovesStorage, [System.DateTime] $Now)

    $live = 0
    $storage = 0
    foreach ($move in @($State.moves))
    {
        if ($null -eq $move -or $move.state -ne 'Running') { continue }
        if ($null -ne (Get-LabMoveProgress -State $State -Move $move -Now $Now).Outcome) { continue }
        if (-not ((Test-LabSameText -A $move.source -B $HostRecord.name) -or (Test-LabSameText -A $move.destination -B $HostRecord.name))) { continue }
        $live++
        if ([System.Int32] $move.jobType -eq 306) { $storage++ }
    }
    $limit = [System.Int32] $HostRecord.migration.maximumVirtualMachineMigrations
    if ($live -ge $limit)
    {
        return "The virtual machine migration limit `"$limit`" was reached on host '$($HostRecord.name)'; the migration was rejected (event 21501). Wait for a migration to finish and try again."
    }
    $storageLimit = [System.Int32] $HostRecord.migration.maximumStorageMigrations
    if ($MovesStorage -and $storage -ge $storageLimit)
    {
        return "The storage migration limit `"$storageLimit`" was reached on host '$($HostRecord.name)'; the migration was rejected (event 21501). Wait for a migration to finish and try again."
    }
    return $null
}

function Get-LabMoveBytes
{
    param ([System.Object] $Vm, [System.Object[]] $Storage)

    $memory = if ($Vm.state -in $script:LabLiveMoveStates) { [System.Int64] $Vm.memoryStartup } else { [System.Int64] 0 }
    $total = $memory
    foreach ($item in $Storage) { if ($item.DestinationPath) { $total += [System.Int64] $item.Bytes } }
    return [pscustomobject]@{ Memory = $memory; Total = $total }
}

function Start-LabMove
{
    <#
        In a state being updated: checks the move as the source host would (limits, authentication,
        compatibility) and records it. Returns the move record, or an ErrorRecord for Move-VM to write.
        $Request: VmId, VmName, Source, Destination, Options (see Get-LabMoveFinding), Override (the
        report copy's adapters and DVD drives, Get-LabReportOverride; $null for the VM's own).
    #>
    param ([System.Object] $State, [System.Object] $Index, [System.Object] $Request)

    $now = [System.DateTime]::UtcNow
    $vm = Find-LabVmRecord -State $State -Id $Request.VmId -HostName $Request.Source
    if ($null -eq $vm -or $vm.vmType -eq 'PlannedVirtualMachine')
    {
        return New-LabVmNotFoundError -Name $Request.VmName -HostName $Request.Source
    }
    $source = Find-LabHostRecord -State $State -Name $Request.Source
    $destination = Find-LabHostRecord -State $State -Name $Request.Destination
    if (Test-LabSameText -A $source.name -B $destination.name)
    {
        return New-LabMoveError -Vm $vm -At 'source' -HostName $source.name -Category InvalidArgument -ErrorId 'InvalidParameter' -Detail (
            "The destination host '{0}' is the host the virtual machine is on." -f $destination.name)
    }
    foreach ($move in @($State.moves))
    {
        if ($null -ne $move -and $move.state -eq 'Running' -and $move.vmId -eq $vm.id -and $null -eq (Get-LabMoveProgress -State $State -Move $move -Now $now).Outcome)
        {
            return New-LabMoveError -Vm $vm -At 'source' -HostName $source.name -Category ResourceBusy -ErrorId 'InvalidState' -Detail (
                'The operation cannot be performed while the object is in its current state: the virtual machine is already being migrated.')
        }
    }

    $vhdsProblem = Get-LabMoveVhdsProblem -Vm $vm -Options $Request.Options
    if ($null -ne $vhdsProblem)
    {
        return New-LabMoveError -Vm $vm -At 'source' -HostName $source.name -Category InvalidArgument -ErrorId 'InvalidParameter' -Detail $vhdsProblem
    }
    $effective = Get-LabEffectiveVm -Vm $vm -Override $Request.Override
    $storage = Get-LabMoveStorageItem -Vm $effective -DestinationHost $destination -Options $Request.Options
    $movesStorage = $false
    foreach ($item in $storage) { if ($item.Kind -eq 'Vhd' -and $item.DestinationPath) { $movesStorage = $true } }

    foreach ($pair in @(@('source', $source), @('destination', $destination)))
    {
        $limit = Get-LabMoveLimitProblem -State $State -HostRecord $pair[1] -MovesStorage $movesStorage -Now $now
        if ($null -ne $limit)
        {
            return New-LabMoveError -Vm $vm -At $pair[0] -HostName $pair[1].name -Category LimitsExceeded -ErrorId 'MigrationLimitReached' -Detail $limit
        }
    }
    $authentication = Get-LabMoveAuthenticationProblem -Index $Index -SourceHost $source -DestinationHost $destination
    if ($null -ne $authentication)
    {
        return New-LabMoveError -Vm $vm -At 'source' -HostName $source.name -Category SecurityError -ErrorId 'AuthenticationFailed' -Detail (
            "The Virtual Machine Management Service failed to establish a connection for a Virtual Machine migration with host '{0}': {1}" -f $destination.name, $authentication)
    }
    $findings = Get-LabMoveFinding -Index $Index -Vm $effective -SourceHost $source -DestinationHost $destination -Options $Request.Options
    if ($findings.Count -gt 0)
    {
        $detail = @("The virtual machine '{0}' is not compatible with physical computer '{1}'. (Virtual machine ID {2})" -f $vm.name, $destination.name, ([System.String] $vm.id).ToUpperInvariant())
        $detail += @($findings | ForEach-Object { $_.Message })
        return New-LabMoveError -Vm $vm -At 'destination' -HostName $destination.name -Category InvalidOperation -ErrorId 'VMIncompatible' -Detail $detail
    }

    Complete-LabDueMove -State $State -Now $now
    # Without a report, Move-VM deletes an earlier planned VM of the same Id on the destination first
    # (VirtualMachine.Migrate); with one, it moves into the planned VM the compare staged.
    if ($null -eq $Request.Override) { $null = Remove-LabPlannedVm -State $State -Id $vm.id -HostName $destination.name }
    $bytes = Get-LabMoveBytes -Vm $effective -Storage $storage
    $linkBps = [System.Math]::Max([System.Int64] 1, [System.Math]::Min([System.Int64] $source.linkSpeedBps, [System.Int64] $destination.linkSpeedBps))
    $scale = 10.0
    if ($null -ne $State.clock -and [System.Double] $State.clock.timeScale -gt 0) { $scale = [System.Double] $State.clock.timeScale }
    $simulatedSeconds = 1.0 + ($bytes.Total * 8.0 / $linkBps)
    $fault = $null
    foreach ($hostName in @($source.name, $destination.name))
    {
        $candidate = Get-LabFault -State $State -HostName $hostName
        if ($null -ne $candidate -and $null -ne $candidate.failMoveAtPercent -and ($null -eq $fault -or [System.Int32] $candidate.failMoveAtPercent -lt [System.Int32] $fault.failMoveAtPercent))
        {
            $fault = $candidate
        }
    }
    $record = [pscustomobject][ordered]@{
        id                  = [System.Guid]::NewGuid().ToString().ToUpperInvariant()
        vmId                = $vm.id
        vmName              = $vm.name
        source              = $source.name
        destination         = $destination.name
        jobType             = if ($movesStorage) { 306 } else { 305 }
        state               = 'Running'
        startTime           = ConvertTo-LabDateString -Date $now
        endTime             = $null
        durationMs          = [System.Math]::Ceiling($simulatedSeconds * 1000.0 / $scale)
        memoryBytes         = $bytes.Memory
        totalBytes          = $bytes.Total
        percentComplete     = 0
        storage             = @(foreach ($item in $storage) { [pscustomobject][ordered]@{ kind = $item.Kind; sourcePath = $item.SourcePath; destinationPath = $item.DestinationPath; bytes = $item.Bytes } })
        adapters            = @(foreach ($adapter in @($effective.networkAdapters)) { if ($null -ne $adapter) { [pscustomobject][ordered]@{ id = $adapter.id; switchName = $adapter.switchName } } })
        snapshotFilePath    = if ($Request.Options.SnapshotFilePath) { $Request.Options.SnapshotFilePath } else { $null }
        smartPagingFilePath = if ($Request.Options.SmartPagingFilePath) { $Request.Options.SmartPagingFilePath } else { $null }
        dvdDrives           = @(foreach ($dvd in @($effective.dvdDrives)) { if ($null -ne $dvd) { [pscustomobject][ordered]@{ controllerType = $dvd.controllerType; controllerNumber = $dvd.controllerNumber; controllerLocation = $dvd.controllerLocation; path = $dvd.path } } })
        failAtPercent       = if ($null -ne $fault) { [System.Int32] $fault.failMoveAtPercent } else { $null }
        failMessage         = if ($null -ne $fault) { $fault.failMoveMessage } else { $null }
        leavePlannedVm      = ($null -ne $fault -and $null -ne $fault.PSObject.Properties['leavePlannedVm'] -and [System.Boolean] $fault.leavePlannedVm)
        errorDescription    = $null
        owner               = '{0}@{1}' -f $PID, [System.Environment]::MachineName
    }
    $vm.status = 'Migrating virtual machine'
    $State.moves = @($State.moves) + $record
    return $record
}

function Wait-LabMove
{
    # Follows a move until it ends, writing Hyper-V-style progress; returns the ended record. A stopped
    # pipeline (Ctrl-C, Stop-Job) cancels the move on the way out.
    param ([System.Object] $Move)

    $activity = "Moving virtual machine '{0}' to host '{1}'" -f $Move.vmName, $Move.destination
    $ended = $null
    try
    {
        while ($null -eq $ended)
        {
            $state = Get-LabState
            $record = Find-LabMove -State $state -Id $Move.id
            if ($null -eq $record)
            {
                $ended = [pscustomobject]@{ vmId = $Move.vmId; source = $Move.source; destination = $Move.destination; state = 'Exception'
                    errorDescription = 'The migration job no longer exists: the lab was reset during the move.' }
                continue
            }
            if ($record.state -ne 'Running')
            {
                $ended = $record
                continue
            }
            $now = [System.DateTime]::UtcNow
            $progress = Get-LabMoveProgress -State $state -Move $record -Now $now
            if ($null -ne $progress.Outcome)
            {
                Sync-LabMove
                continue
            }
            Write-Progress -Activity $activity -Status ('{0}% complete' -f $progress.Percent) -PercentComplete $progress.Percent
            $remaining = ((ConvertTo-LabDate -Value $record.startTime).AddMilliseconds([System.Double] $record.durationMs) - $now).TotalMilliseconds
            Start-Sleep -Milliseconds ([System.Int32] [System.Math]::Min(100, [System.Math]::Max(5, $remaining)))
        }
    }
    finally
    {
        if ($null -eq $ended)
        {
            $null = Update-LabState { param ($s) Stop-LabMove -State $s -Id $Move.id }
        }
        Write-Progress -Activity $activity -Completed
    }
    return $ended
}

function Start-LabMoveJob
{
    # Move-VM -AsJob: the same Move-VM in a thread job of this process, so the job's Progress,
    # Error and Stop-Job behave as Hyper-V's job does.
    param ([System.Collections.IDictionary] $Bound, [System.String] $ModulePath)

    $parameters = @{}
    foreach ($key in $Bound.Keys) { if ($key -ne 'AsJob') { $parameters[$key] = $Bound[$key] } }
    $label = if ($parameters.ContainsKey('Name')) { $parameters['Name'] } elseif ($parameters.ContainsKey('VM')) { $parameters['VM'].Name } else { $parameters['CompatibilityReport'].VM.Name }
    # The job runs on the computer the caller runs on: inside an Invoke-Command block, that block's host.
    $context = @{ RemoteHost = $script:LabRemoteHost; RemoteAuthentication = $script:LabRemoteAuthentication }
    $body = {
        param ($module, $parameters, $context)
        $lab = Import-Module -Name $module -PassThru
        & $lab { param ($c) $script:LabRemoteHost = $c.RemoteHost; $script:LabRemoteAuthentication = $c.RemoteAuthentication } $context
        Move-VM @parameters -ErrorAction Stop
    }
    if (Get-Command -Name 'Start-ThreadJob' -ErrorAction SilentlyContinue)
    {
        Start-ThreadJob -Name "Move-VM $label" -ArgumentList $ModulePath, $parameters, $context -ScriptBlock $body
    }
    else
    {
        # Windows PowerShell 5.1 without the ThreadJob module: a background job (objects arrive serialized).
        Start-Job -Name "Move-VM $label" -ArgumentList $ModulePath, $parameters, $context -ScriptBlock $body
    }
}
