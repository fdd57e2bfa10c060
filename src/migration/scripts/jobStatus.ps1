param($Params, $Credential)
# One look at a move: the source host's migration jobs for the VM (Msvm_MigrationJob; finished ones stay
# listed for minutes) and, once none of them is running (or when asked), where the VM is: destination
# first, then source.
$source = [string]$Params.source
$destination = [string]$Params.destination
$vmKey = ([guid][string]$Params.vmId).ToString().ToUpperInvariant()

# A move started from this session leaves its PowerShell job here; the ones that have ended go.
Remove-EndedMoveJob

# With the host's stored credential, every call to a host uses it.
$auth = @{}
$cim = @{ ComputerName = $source }
if ($Credential) {
    $auth.Credential = $Credential
    $cim = @{ CimSession = (New-CimSession -ComputerName $source -Credential $Credential) }
}

# The VM's moves only: JobType 305 (VM), 306 (VM and storage), 307 (storage). A compare's own jobs (300
# creating the remote VM, 301-304 checks) finish at once and must not read as the move having ended.
try {
    $jobs = @(Get-CimInstance -Namespace 'root\virtualization\v2' -ClassName Msvm_MigrationJob @cim |
            Where-Object { [string]$_.VirtualSystemName -eq $vmKey -and [int]$_.JobType -in 305, 306, 307 } |
            ForEach-Object {
                [pscustomobject]@{
                    id               = [string]$_.InstanceID
                    state            = [int]$_.JobState
                    percent          = [int]$_.PercentComplete
                    elapsedMs        = if ($_.ElapsedTime -is [TimeSpan]) { [int64]$_.ElapsedTime.TotalMilliseconds } else { $null }
                    startTime        = if ($_.StartTime -is [DateTime]) { $_.StartTime.ToUniversalTime().ToString('o') } else { $null }
                    errorDescription = if ($_.ErrorDescription) { [string]$_.ErrorDescription } else { $null }
                }
            })
} finally {
    # The session opened for a credential is closed, whatever happened (cleanup only: its failure changes nothing).
    if ($cim.CimSession) { try { Remove-CimSession -CimSession $cim.CimSession } catch { $null = $_ } }
}

# JobState 2 new, 3 starting, 4 running, 5 suspended, 6 shutting down: the move is still under way.
$located = $null
$lookupProblems = @()
if ($Params.locate -or @($jobs | Where-Object { $_.state -in 2, 3, 4, 5, 6 }).Count -eq 0) {
    foreach ($computer in @($destination, $source)) {
        try {
            $vm = Get-VM -Id $vmKey -ComputerName $computer -ErrorAction Stop @auth
        } catch {
            $lookupProblems += ('{0}: {1}' -f $computer, $_.Exception.Message)
            continue
        }
        if ($null -eq $vm -or [string]$vm.VirtualMachineType -eq 'PlannedVirtualMachine') { continue }
        $located = [pscustomobject]@{ host = $computer; state = [string]$vm.State; status = [string]$vm.Status }
        break
    }
}
[pscustomobject]@{ jobs = $jobs; located = $located; lookupProblems = $lookupProblems }
