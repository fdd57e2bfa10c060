param($Params, $Credential)
# One look at a move, in one round trip in the source host's session: the source's migration jobs for the VM
# (Msvm_MigrationJob; finished ones stay listed for minutes) and, once none of them is running (or when asked),
# the VM there, and then the VM on the destination, in a round trip in its session. Where the VM is: destination
# first, then source. With the host's stored credential, every call to a host uses it.
#
# With waitMs (the executor asks so when the move should end before its next look), the look waits on the source,
# reading the jobs again every 100 ms, until none of them runs or waitMs has passed: the end is seen within a
# tenth of a second, not up to a poll interval later, and the wait costs no round trip.
$source = [string]$Params.source
$destination = [string]$Params.destination
$vmKey = ([guid][string]$Params.vmId).ToString().ToUpperInvariant()

function Find-MoveVm([string]$VmId) {
    # The VM by Id on the host this runs on: { vm: {state, status} | null, problem }. A planned VM (what Compare-VM
    # stages on a destination) is not the VM.
    $answer = [ordered]@{ vm = $null; problem = $null }
    try {
        $vm = Get-VM -Id $VmId -ErrorAction Stop
        if ($null -ne $vm -and [string]$vm.VirtualMachineType -ne 'PlannedVirtualMachine') { $answer.vm = [ordered]@{ state = [string]$vm.State; status = [string]$vm.Status } }
    } catch {
        $answer.problem = $_.Exception.Message
    }
    $answer
}

$onSource = Invoke-OnHost -ComputerName $source -Credential $Credential -Helper 'Remove-EndedMoveJob', 'Find-MoveVm' -ArgumentList $vmKey, ([bool]$Params.locate), ([int]$Params.waitMs) -ScriptBlock {
    param([string]$VmKey, [bool]$Locate, [int]$WaitMs)
    # A move started from this session leaves its PowerShell job here; the ones that have ended go.
    Remove-EndedMoveJob
    # The VM's moves only: JobType 305 (VM), 306 (VM and storage), 307 (storage). A compare's own jobs (300
    # creating the remote VM, 301-304 checks) finish at once and must not read as the move having ended.
    $read = {
        @(Get-CimInstance -Namespace 'root\virtualization\v2' -ClassName Msvm_MigrationJob |
                Where-Object { [string]$_.VirtualSystemName -eq $VmKey -and [int]$_.JobType -in 305, 306, 307 } |
                ForEach-Object {
                    [ordered]@{
                        id               = [string]$_.InstanceID
                        state            = [int]$_.JobState
                        percent          = [int]$_.PercentComplete
                        elapsedMs        = if ($_.ElapsedTime -is [TimeSpan]) { [int64]$_.ElapsedTime.TotalMilliseconds } else { $null }
                        startTime        = if ($_.StartTime -is [DateTime]) { $_.StartTime.ToUniversalTime().ToString('o') } else { $null }
                        errorDescription = if ($_.ErrorDescription) { [string]$_.ErrorDescription } else { $null }
                    }
                })
    }
    # JobState 2 new, 3 starting, 4 running, 5 suspended, 6 shutting down: the move is still under way.
    $running = { param($Jobs) @($Jobs | Where-Object { $_.state -in 2, 3, 4, 5, 6 }).Count -gt 0 }
    $jobs = @(& $read)
    if ($WaitMs -gt 0 -and (& $running $jobs)) {
        $until = [datetime]::UtcNow.AddMilliseconds([System.Math]::Min($WaitMs, 5000))
        while ((& $running $jobs) -and [datetime]::UtcNow -lt $until) {
            Start-Sleep -Milliseconds 100
            $jobs = @(& $read)
        }
    }
    $here = $null
    if ($Locate -or -not (& $running $jobs)) { $here = Find-MoveVm $VmKey }
    ConvertTo-Json -InputObject ([ordered]@{ jobs = $jobs; here = $here }) -Depth 5 -Compress
}
$onSource = __HvlmFromJson ([string]$onSource)

$located = $null
$lookupProblems = @()
if ($null -ne $onSource.here) {
    try {
        $there = __HvlmFromJson ([string](Invoke-OnHost -ComputerName $destination -Credential $Credential -Helper 'Find-MoveVm' -ArgumentList $vmKey -ScriptBlock {
                    param([string]$VmKey)
                    ConvertTo-Json -InputObject (Find-MoveVm $VmKey) -Depth 3 -Compress
                }))
    } catch {
        $there = [pscustomobject]@{ vm = $null; problem = $_.Exception.Message }
    }
    foreach ($look in @(@{ computer = $destination; answer = $there }, @{ computer = $source; answer = $onSource.here })) {
        if ($look.answer.problem) {
            $lookupProblems += ('{0}: {1}' -f $look.computer, $look.answer.problem)
            continue
        }
        if ($null -eq $look.answer.vm) { continue }
        $located = [pscustomobject]@{ host = $look.computer; state = [string]$look.answer.vm.state; status = [string]$look.answer.vm.status }
        break
    }
}
[pscustomobject]@{ jobs = @($onSource.jobs); located = $located; lookupProblems = $lookupProblems }
