param($Params, $Credential, $DestinationCredential)
# Starts one shared-nothing live migration ON the source host, in one round trip in the source's session (the
# session its status reads and cancel use too), as Windows Admin Center does: Compare-VM, the plan's choices
# applied on the report's copy of the VM (as Hyper-V requires: switches taken from the destination, DVDs
# emptied), Compare-VM -CompatibilityReport again, then Move-VM -CompatibilityReport -AsJob. Both report cmdlets
# have no -ComputerName and find the VM on the computer they run on (FIDELITY.md), so they can only run there.
# The destination is a second hop from the source: $DestinationCredential goes on to it when there is one.
# Answers once the source lists the move's Msvm_MigrationJob (the move belongs to the host from then on;
# progress is read from that job), or with why the move did not start; then the planned VM the compare staged
# is removed, as Windows Admin Center does. Move-VM -AsJob leaves its job in the session it ran in
# (shared/moveJob.ps1): the block removes the ended ones of earlier moves there. On this very computer the
# block runs here, in the admin's own sign-in.
$source = [string]$Params.source
$start = {
    param([string]$ParamsJson, $DestinationCredential)
    $ErrorActionPreference = 'Stop'
    $Params = ConvertFrom-Json -InputObject $ParamsJson
    $source = [string]$Params.source
    $destination = [string]$Params.destination
    $vmKey = ([guid][string]$Params.vmId).ToString().ToUpperInvariant()
    $toDestination = Get-DestinationParameters $destination $DestinationCredential
    # The moves of this VM the source lists: live and storage migrations only (JobType 305-307), not a
    # compare's own jobs (300-304).
    function Get-MoveJob { @(Get-CimInstance -Namespace 'root\virtualization\v2' -ClassName Msvm_MigrationJob | Where-Object { [string]$_.VirtualSystemName -eq $vmKey -and [int]$_.JobType -in 305, 306, 307 }) }

    $vm = Get-VM -Id $vmKey
    $storagePath = [string]$Params.storagePath
    if (-not $storagePath) {
        $base = [string](Get-VMHost @toDestination).VirtualMachinePath
        $storagePath = $base.TrimEnd('\', '/') + '\' + ([string]$vm.Name -replace '[\\/:*?"<>|\x00-\x1f]', '_')
    }

    # What the move carries. With -Vhds only the listed disks move (-contains compares paths without regard to
    # case, as Hyper-V does).
    $listed = if ($null -ne $Params.vhds) { @($Params.vhds | ForEach-Object { [string]$_.SourceFilePath }) } else { $null }
    $paths = @($vm.HardDrives | Where-Object { $_.Path -and $null -eq $_.DiskNumber -and ($null -eq $listed -or $listed -contains [string]$_.Path) } | ForEach-Object { [string]$_.Path })
    $bytes = Measure-MoveBytes $vm $paths @{}

    $answer = [ordered]@{
        started           = $false
        jobId             = $null
        priorJobIds       = @()
        storagePath       = $storagePath
        memoryBytes       = $bytes.memoryBytes
        diskBytes         = $bytes.diskBytes
        checkpointBytes   = $bytes.checkpointBytes
        failure           = $null
        incompatibilities = @()
        cleanupProblem    = $null
    }
    $compareArguments = Get-CompareArguments $vm $destination $storagePath $Params.vhds $DestinationCredential
    $report = Compare-VM @compareArguments
    try {
        $destinationSwitches = $null
        foreach ($choice in @($Params.adapters)) {
            if ($null -eq $choice) { continue }
            $wanted = [string]$choice.id
            $adapter = @($report.VM.NetworkAdapters | Where-Object { [string]$_.Id -eq $wanted -or [string]$_.AdapterId -eq $wanted })
            if ($adapter.Count -ne 1) {
                throw "The plan maps network adapter '$wanted' of '$($vm.Name)', which the VM does not have on $source. Check the move again."
            }
            if ($null -eq $choice.switchName) {
                $null = Disconnect-VMNetworkAdapter -VMNetworkAdapter $adapter[0]
                continue
            }
            if ($null -eq $destinationSwitches) { $destinationSwitches = @(Get-VMSwitch @toDestination) }
            $switch = @($destinationSwitches | Where-Object { [string]$_.Name -eq [string]$choice.switchName })
            if ($switch.Count -eq 0) {
                throw "The plan connects '$($adapter[0].Name)' to switch '$($choice.switchName)', which $destination does not have. Check the move again."
            }
            $null = Connect-VMNetworkAdapter -VMNetworkAdapter $adapter[0] -VMSwitch $switch[0]
        }
        foreach ($location in @($Params.ejectDvd)) {
            if ($null -eq $location) { continue }
            $drive = @($report.VM.DVDDrives | Where-Object { ('{0} {1}:{2}' -f $_.ControllerType, $_.ControllerNumber, $_.ControllerLocation) -eq [string]$location })
            if ($drive.Count -ne 1) {
                throw "The plan ejects the DVD drive at '$location' of '$($vm.Name)', which the VM does not have. Check the move again."
            }
            $null = Set-VMDvdDrive -VMDvdDrive $drive[0] -Path $null
        }
        $report = Compare-VM -CompatibilityReport $report

        $left = @($report.Incompatibilities)
        if ($left.Count -gt 0) {
            $answer.incompatibilities = @($left | ForEach-Object {
                    [ordered]@{ messageId = [int64]$_.MessageId; message = [string]$_.Message; sourceType = [string]@($_.Source.PSObject.TypeNames)[0] }
                })
        } else {
            $prior = @(Get-MoveJob | ForEach-Object { [string]$_.InstanceID })
            $answer.priorJobIds = $prior
            $job = Rename-MoveJob (Move-VM -CompatibilityReport $report -AsJob)
            # Move-VM checks limits and authentication before the host creates the migration job: wait for one or the other.
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while ($true) {
                $migration = @(Get-MoveJob | Where-Object { $prior -notcontains [string]$_.InstanceID })
                if ($migration.Count -gt 0) {
                    $answer.started = $true
                    $answer.jobId = [string]$migration[0].InstanceID
                    break
                }
                if ([string]$job.State -eq 'Failed') {
                    # Hyper-V's own error, not the "preference variable is set to Stop" wrapper around it.
                    $reasons = @(@($job.Error) + @($job.ChildJobs | ForEach-Object { $_.Error }) + @($job.JobStateInfo.Reason) | Where-Object { $_ } | ForEach-Object {
                            $record = if ($_ -is [System.Management.Automation.ErrorRecord]) { $_ } else { $_.ErrorRecord }
                            if ($record -and $record.Exception.ErrorRecord) { $record = $record.Exception.ErrorRecord }
                            if ($record) { $record.ToString() } else { $_.Message }
                        })
                    $answer.failure = if ($reasons.Count -gt 0) { [string]$reasons[0] } else { 'Move-VM failed without saying why.' }
                    break
                }
                if ([DateTime]::UtcNow -gt $deadline -or [string]$job.State -in 'Completed', 'Stopped') {
                    # No job seen (yet): the move is followed through the job view and where the VM turns up.
                    $answer.started = $true
                    break
                }
                Start-Sleep -Milliseconds 50
            }
        }
    } finally {
        # A move that did not start leaves no planned VM behind (Windows Admin Center removes it the same way).
        if (-not $answer.started) {
            try { $report.VM | Remove-VM -Force -ErrorAction Stop } catch { $answer.cleanupProblem = [string]$_.Exception.Message }
        }
        # A move that failed to start, or already ended, leaves no job behind.
        Remove-EndedMoveJob
    }
    # Ordered dictionaries of strings, numbers and arrays only (the same JSON from Windows PowerShell 5.1).
    [pscustomobject]@{ answer = ConvertTo-Json -InputObject $answer -Depth 6 -Compress }
}

$helpers = 'Measure-MoveBytes', 'Get-CompareArguments', 'Get-DestinationParameters', 'Rename-MoveJob', 'Remove-EndedMoveJob'
$answer = @(Invoke-OnHost -ComputerName $source -Credential $Credential -ScriptBlock $start -ArgumentList (ConvertTo-Json -InputObject $Params -Depth 8 -Compress), $DestinationCredential -Helper $helpers)[0]
__HvlmFromJson ([string]$answer.answer)
