# A host's restart (Restart-Computer; STATE.md "Restarts"). The host goes down at once: its running VMs take
# their automatic stop action, it answers nothing (its fault says unreachable) for its restart time in
# simulated seconds (scaled by the lab's time scale), then it boots: a new LastBootUpTime, the upgrade
# Set-HyperVLabHost -NextBoot left for it, and its VMs' automatic start actions, each after its delay.
# A restart is a record in the lab file's `reboots`, settled by whichever process looks first (Enter-LabCall),
# as moves are.

# A believable restart of a Hyper-V host, in simulated seconds: an assumption (no source gives a figure).
$script:LabDefaultRestartSeconds = 90
# LastBootUpTime of a host that has not restarted in the lab: an assumption (any time before the lab's VMs started).
$script:LabDefaultBootTime = '2025-12-01T06:00:00.000Z'
# PowerShell's RestartcomputerFailed (ComputerResources.resx): the computer and the reason.
$script:LabRestartFailedText = 'Failed to restart the computer {0} with the following error message: {1}.'

function Get-LabTimeScale
{
    # Simulated seconds per real second (clock.timeScale; 10 when unset).
    param ([System.Object] $State)

    if ($null -ne $State.clock -and [System.Double] $State.clock.timeScale -gt 0) { return [System.Double] $State.clock.timeScale }
    return 10.0
}

function Get-LabHostBootTime
{
    # Win32_OperatingSystem.LastBootUpTime of a host, as the lab stores it (an ISO string).
    param ([System.Object] $HostRecord)

    $property = $HostRecord.PSObject.Properties['lastBootUpTime']
    if ($null -ne $property -and $null -ne $property.Value) { return [System.String] $property.Value }
    return $script:LabDefaultBootTime
}

function Get-LabVmAutomaticAction
{
    # A VM's AutomaticStartAction, AutomaticStopAction and AutomaticStartDelay (seconds), with Hyper-V's defaults
    # (StartIfRunning, Save, 0) for a record that has none.
    param ([System.Object] $Vm)

    $start = 'StartIfRunning'
    $stop = 'Save'
    $delay = 0
    if ($null -ne $Vm.PSObject.Properties['automaticStartAction'] -and $Vm.automaticStartAction) { $start = [System.String] $Vm.automaticStartAction }
    if ($null -ne $Vm.PSObject.Properties['automaticStopAction'] -and $Vm.automaticStopAction) { $stop = [System.String] $Vm.automaticStopAction }
    if ($null -ne $Vm.PSObject.Properties['automaticStartDelay'] -and $null -ne $Vm.automaticStartDelay) { $delay = [System.Int32] $Vm.automaticStartDelay }
    return [pscustomobject]@{ Start = $start; Stop = $stop; Delay = $delay }
}

function Test-LabHostRestarting
{
    # True while a restart of the host has not booted yet.
    param ([System.Object] $State, [System.String] $HostName)

    foreach ($reboot in @($State.reboots))
    {
        if ($null -ne $reboot -and -not $reboot.booted -and (Test-LabSameText -A $reboot.host -B $HostName)) { return $true }
    }
    return $false
}

function Start-LabHostRestart
{
    <#
        Inside Update-LabState: the host shuts down now. Each running or paused VM takes its AutomaticStopAction
        (Save; TurnOff; ShutDown, which turns the VM off when the guest cannot shut down: a paused VM), the host
        becomes unreachable, and the VMs to start at boot are listed (StartIfRunning: those that ran; Start: all).
        A move from or to the host fails first, as for any host that stops answering (one that has ended by the
        clock has ended), so its VM is back on its source, in the state it had.
    #>
    param ([System.Object] $State, [System.Object] $HostRecord, [System.DateTime] $Now)

    $scale = Get-LabTimeScale -State $State
    $seconds = $script:LabDefaultRestartSeconds
    if ($null -ne $HostRecord.PSObject.Properties['restartSeconds'] -and $null -ne $HostRecord.restartSeconds) { $seconds = [System.Double] $HostRecord.restartSeconds }
    $upAt = $Now.AddMilliseconds($seconds * 1000.0 / $scale)
    $faultCreated = $null -eq (Get-LabFault -State $State -HostName $HostRecord.name)
    (Add-LabFaultRecord -State $State -HostName $HostRecord.name).unreachable = $true
    Complete-LabDueMove -State $State -Now $Now
    $starts = [System.Collections.Generic.List[object]]::new()
    foreach ($vm in @($State.vms))
    {
        if ($vm.vmType -eq 'PlannedVirtualMachine' -or -not (Test-LabSameText -A $vm.host -B $HostRecord.name)) { continue }
        $actions = Get-LabVmAutomaticAction -Vm $vm
        $wasRunning = $vm.state -in 'Running', 'Paused'
        if ($wasRunning)
        {
            $mode = $actions.Stop
            if ($mode -eq 'ShutDown' -and $vm.state -eq 'Paused') { $mode = 'TurnOff' }
            $null = Invoke-LabVmStop -State $State -Vm $vm -Mode $mode -Force $true
        }
        if ($actions.Start -eq 'Start' -or ($actions.Start -eq 'StartIfRunning' -and $wasRunning))
        {
            $at = $upAt.AddMilliseconds($actions.Delay * 1000.0 / $scale)
            $starts.Add([pscustomobject][ordered]@{ id = [System.String] $vm.id; at = (ConvertTo-LabDateString -Date $at) })
        }
    }

    $record = [pscustomobject][ordered]@{
        host         = $HostRecord.name
        downAt       = ConvertTo-LabDateString -Date $Now
        upAt         = ConvertTo-LabDateString -Date $upAt
        nextAt       = ConvertTo-LabDateString -Date $upAt
        booted       = $false
        faultCreated = $faultCreated
        vmStarts     = $starts.ToArray()
    }
    if ($null -eq $State.PSObject.Properties['reboots']) { $State | Add-Member -NotePropertyName 'reboots' -NotePropertyValue @() -Force }
    $State.reboots = @(@($State.reboots) | Where-Object { $null -ne $_ }) + @($record)
}

function Complete-LabHostBoot
{
    # The host answers again: a new LastBootUpTime, its next-boot upgrade applied, its fault as before the restart.
    param ([System.Object] $State, [System.Object] $Reboot, [System.Object] $HostRecord)

    $HostRecord | Add-Member -NotePropertyName 'lastBootUpTime' -NotePropertyValue ([System.String] $Reboot.upAt) -Force
    $next = $HostRecord.PSObject.Properties['nextBoot']
    if ($null -ne $next -and $null -ne $next.Value)
    {
        foreach ($name in 'osName', 'osVersion', 'defaultVersion')
        {
            $value = $next.Value.PSObject.Properties[$name]
            if ($null -ne $value -and $null -ne $value.Value) { $HostRecord | Add-Member -NotePropertyName $name -NotePropertyValue ([System.String] $value.Value) -Force }
        }
        $versions = $next.Value.PSObject.Properties['supportedVersions']
        if ($null -ne $versions -and $null -ne $versions.Value) { $HostRecord.supportedVersions = [System.String[]] @($versions.Value) }
    }
    if ($null -ne $next) { $HostRecord.PSObject.Properties.Remove('nextBoot') }
    $fault = Get-LabFault -State $State -HostName $HostRecord.name
    if ($null -ne $fault)
    {
        if ($Reboot.faultCreated) { $State.faults.PSObject.Properties.Remove($HostRecord.name) }
        else { $fault.unreachable = $false }
    }
    $Reboot.booted = $true
}

function Complete-LabDueReboot
{
    # Inside Update-LabState: what has happened by now to each restart (boot, then each VM's start at its time).
    param ([System.Object] $State, [System.DateTime] $Now)

    $kept = [System.Collections.Generic.List[object]]::new()
    foreach ($reboot in @($State.reboots))
    {
        if ($null -eq $reboot) { continue }
        $hostRecord = Find-LabHostRecord -State $State -Name $reboot.host
        if ($null -eq $hostRecord) { continue }
        if (-not $reboot.booted -and (ConvertTo-LabDate -Value $reboot.upAt) -le $Now) { Complete-LabHostBoot -State $State -Reboot $reboot -HostRecord $hostRecord }
        if (-not $reboot.booted)
        {
            $kept.Add($reboot)
            continue
        }
        $pending = [System.Collections.Generic.List[object]]::new()
        foreach ($start in @($reboot.vmStarts))
        {
            if ($null -eq $start) { continue }
            $at = ConvertTo-LabDate -Value $start.at
            if ($at -gt $Now)
            {
                $pending.Add($start)
                continue
            }
            # A VM that cannot start (memory, key protector) stays as it is, as after a real boot (the event log would say why).
            $vm = Find-LabVmRecord -State $State -Id $start.id -HostName $hostRecord.name
            if ($null -eq $vm -or $vm.state -eq 'Running') { continue }
            $problem = Invoke-LabVmStart -State $State -Vm $vm
            if ($problem -isnot [System.Management.Automation.ErrorRecord] -and $vm.state -eq 'Running') { $vm.startedAt = ConvertTo-LabDateString -Date $at }
        }
        if ($pending.Count -eq 0) { continue }
        $reboot.vmStarts = $pending.ToArray()
        $reboot.nextAt = @($pending | Sort-Object -Property { ConvertTo-LabDate -Value $_.at })[0].at
        $kept.Add($reboot)
    }
    if ($kept.Count -eq 0) { $State.PSObject.Properties.Remove('reboots') }
    else { $State.reboots = $kept.ToArray() }
}

function Test-LabRebootDue
{
    param ([System.Object] $State, [System.DateTime] $Now)

    foreach ($reboot in @($State.reboots))
    {
        if ($null -ne $reboot -and (ConvertTo-LabDate -Value $reboot.nextAt) -le $Now) { return $true }
    }
    return $false
}

function Sync-LabReboot
{
    <#
        Called by Enter-LabCall while a restart is in the lab file, and once per version of the file: settles the
        restarts due by now (any process may; the outcome is a function of the record and the clock), and marks
        Broken this process's sessions to a host that has booted since they were opened (a restart ends the
        host's WinRM shells). Returns the index to use. Never inside an Update-LabState block.
    #>
    param ([System.Object] $Index)

    if ($null -ne $Index.State.reboots -and (Test-LabRebootDue -State $Index.State -Now ([System.DateTime]::UtcNow)))
    {
        $null = Update-LabState {
            param ($state)
            Complete-LabDueReboot -State $state -Now ([System.DateTime]::UtcNow)
        }
        $Index = Get-LabIndex
    }
    if (-not $Index.ContainsKey('LabBootChecked'))
    {
        foreach ($record in @($script:LabSessionRecords.Values))
        {
            if ($record.State -ne 'Opened' -or $null -eq $record.PSObject.Properties['BootTime']) { continue }
            $hostRecord = $null
            if ($Index.Hosts.TryGetValue($record.HostName, [ref] $hostRecord) -and (Get-LabHostBootTime -HostRecord $hostRecord) -ne $record.BootTime) { $record.State = 'Broken' }
        }
        $Index.LabBootChecked = $true
    }
    return $Index
}

function Resolve-LabRestartTarget
{
    <#
        Restart-Computer's -ComputerName as RestartComputerCommand.ValidateComputerNames sees it: each remote name once,
        the local computer ('.', 'localhost', or the name of the host an Invoke-Command block runs on) last; with -Wait
        the local computer is left out with an error (it cannot wait for its own restart).
    #>
    param ([System.Object] $Index, [System.String[]] $ComputerName, [System.Management.Automation.SwitchParameter] $Wait, [System.Management.Automation.PSCmdlet] $Cmdlet)

    $local = Get-LabLocalHostName -Index $Index
    $targets = [System.Collections.Generic.List[object]]::new()
    $seen = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
    $localTarget = $null
    foreach ($name in $ComputerName)
    {
        $record = $null
        $isBlockHost = $null -ne $script:LabRemoteHost -and $Index.Hosts.TryGetValue($name, [ref] $record) -and (Test-LabSameText -A $record.name -B $script:LabRemoteHost)
        if ($name -in '.', 'localhost', '127.0.0.1', '::1' -or $isBlockHost)
        {
            $localTarget = [pscustomobject]@{ ComputerName = $local; HostName = $local; IsLocal = $true; BootTime = $null }
            continue
        }
        if ($seen.Add($name)) { $targets.Add([pscustomobject]@{ ComputerName = $name; HostName = $null; IsLocal = $false; BootTime = $null }) }
    }
    if ($Wait -and $null -ne $localTarget)
    {
        $Cmdlet.WriteError((New-LabErrorRecord -Category InvalidOperation -ErrorId 'CannotWaitLocalComputer' `
                    -Message 'Cannot wait for the local computer to restart. The local computer is ignored when the Wait parameter is specified.'))
        $localTarget = $null
    }
    if ($null -ne $localTarget) { $targets.Add($localTarget) }
    return , $targets.ToArray()
}

function Connect-LabRestartTarget
{
    # Reaches a restart's target over WinRM (a CIM session: the connect cost for a remote one): its host record, or
    # $null when the name does not resolve or the host does not answer, after writing the error -ErrorId with
    # -Message, a format of the computer's name ({0}) and WinRM's reason ({1}); category OperationStopped.
    param ([System.Object] $Index, [System.Object] $Target, [System.Management.Automation.PSCmdlet] $Cmdlet, [System.String] $ErrorId, [System.String] $Message)

    $record = $null
    $reason = $null
    if (-not $Index.Hosts.TryGetValue($Target.ComputerName, [ref] $record)) { $reason = Get-LabNotFoundReason -ComputerName $Target.ComputerName }
    else
    {
        if (-not $Target.IsLocal) { Wait-LabCost -Costs @(Register-LabConnectCost -Index $Index -HostName $record.name -Cmdlet $Cmdlet) }
        if (-not (Test-LabHostReachable -Index $Index -HostName $record.name)) { $reason = $script:LabUnreachableText }
    }
    if ($null -ne $reason)
    {
        $Cmdlet.WriteError((New-LabErrorRecord -Category OperationStopped -ErrorId $ErrorId -TargetObject $Target.ComputerName -Message ($Message -f $Target.ComputerName, $reason)))
        return $null
    }
    $Target.HostName = $record.name
    return $record
}

function Get-LabRestartBootTime
{
    # -Wait first reads each host's LastBootUpTime (RestartComputerCommand.SetUpComputerInfoUsingWsman); a host that
    # does not answer is skipped with RestartComputerSkipped. The boot time, or $null.
    param ([System.Object] $Index, [System.Object] $Target, [System.Management.Automation.PSCmdlet] $Cmdlet)

    $record = Connect-LabRestartTarget -Index $Index -Target $Target -Cmdlet $Cmdlet -ErrorId 'RestartComputerSkipped' `
        -Message 'The computer {0} is skipped. Fail to retrieve its LastBootUpTime via the WMI service with the following error message: {1}.'
    if ($null -eq $record) { return $null }
    return Get-LabHostBootTime -HostRecord $record
}

function Invoke-LabRestart
{
    # Win32_OperatingSystem.Win32Shutdown on the target: the restart starts (Start-LabHostRestart), or the error
    # RestartcomputerFailed when the host cannot be reached. True when it restarts.
    param ([System.Object] $Index, [System.Object] $Target, [System.Management.Automation.PSCmdlet] $Cmdlet)

    $record = Connect-LabRestartTarget -Index $Index -Target $Target -Cmdlet $Cmdlet -ErrorId 'RestartcomputerFailed' `
        -Message $script:LabRestartFailedText
    if ($null -eq $record) { return $false }
    $hostName = $record.name
    $null = Update-LabState {
        param ($state)
        Start-LabHostRestart -State $state -HostRecord (Find-LabHostRecord -State $state -Name $hostName) -Now ([System.DateTime]::UtcNow)
    }
    return $true
}

function Wait-LabRestart
{
    <#
        Restart-Computer -Wait: waits 25 s for the restart to begin, then looks every -Delay seconds until each host
        answers with a new LastBootUpTime (all of -For's services come up with the host in the lab), or -Timeout
        seconds have passed (-1: no limit); a host not back by then gets RestartComputerTimeout. Seconds are
        simulated ones, scaled by the lab's time scale.
    #>
    param ([System.Object[]] $Targets, [System.Int32] $Timeout, [System.Int32] $Delay, [System.Management.Automation.PSCmdlet] $Cmdlet)

    $scale = Get-LabTimeScale -State (Get-LabState)
    $deadline = [System.DateTime]::MaxValue
    if ($Timeout -gt 0) { $deadline = [System.DateTime]::UtcNow.AddMilliseconds($Timeout * 1000.0 / $scale) }
    $pending = [System.Collections.Generic.List[object]]::new($Targets)
    $interval = 25
    while ($pending.Count -gt 0)
    {
        $sleep = [System.Math]::Min($interval * 1000.0 / $scale, ($deadline - [System.DateTime]::UtcNow).TotalMilliseconds)
        if ($sleep -ge 1) { Start-Sleep -Milliseconds ([System.Int32] [System.Math]::Ceiling($sleep)) }
        $interval = $Delay
        if ([System.DateTime]::UtcNow -ge $deadline) { break }
        $index = Enter-LabCall
        $still = [System.Collections.Generic.List[object]]::new()
        foreach ($target in $pending)
        {
            $record = $null
            $back = $index.Hosts.TryGetValue($target.HostName, [ref] $record) -and (Test-LabHostReachable -Index $index -HostName $record.name) -and
                (Get-LabHostBootTime -HostRecord $record) -ne $target.BootTime
            if (-not $back) { $still.Add($target) }
        }
        $pending = $still
    }
    $type = 'Microsoft.PowerShell.Commands.RestartComputerTimeoutException' -as [System.Type]
    if ($null -eq $type) { $type = [System.TimeoutException] }
    foreach ($target in $pending)
    {
        $Cmdlet.WriteError((New-LabErrorRecord -Category OperationTimeout -ErrorId 'RestartComputerTimeout' -TargetObject $target.ComputerName -ExceptionType $type.FullName `
                    -Message ($script:LabRestartFailedText -f $target.ComputerName, 'The computer did not finish restarting within the specified time-out period.')))
    }
}
