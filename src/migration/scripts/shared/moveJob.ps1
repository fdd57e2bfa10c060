# Move-VM -AsJob adds its job (Hyper-V's VmJob, a PowerShell job) to the job list of the session it runs in
# (VirtualizationCmdletBase.ProcessRecord: JobRepository.Add), where it stays once the move has ended. It cannot
# go while the move runs: Stop-Job, and so Remove-Job -Force, cancel the move (VmJob.StopJob). So a move's job is
# named when it starts, and whichever script of a move runs in that session later removes it once it has ended:
# the source's persistent session (hostSession.ps1), where moveStart and jobStatus run their blocks (these
# functions are their -Helper there), or the admin's own session when the source is this computer. Closing the
# session does not cancel the move: a closing runspace stops only PSRemotingJobs (LocalRunspace.StopOrDisconnectAllJobs).
function Rename-MoveJob($Job) {
    $Job.Name = 'HyperVLiveMigration.Move'
    $Job
}

function Remove-EndedMoveJob {
    # Cleanup only: a job that cannot be removed now is tried again by the next script.
    try {
        @(Get-Job | Where-Object { $_.Name -eq 'HyperVLiveMigration.Move' -and [string]$_.State -in 'Completed', 'Failed', 'Stopped' }) | Remove-Job
    } catch {
        $null = $_
    }
}
