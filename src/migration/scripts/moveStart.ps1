param($Params, $Credential)
# Starts one shared-nothing live migration, on the source host: Compare-VM, the plan's choices applied on
# the report's copy of the VM (as Hyper-V requires: switches taken from the destination, DVDs emptied),
# Compare-VM again, then Move-VM -AsJob. Answers once the source lists the move's Msvm_MigrationJob (the
# move belongs to the host from then on; progress is read from that job, not from this session's job),
# or with why the move did not start.
$source = [string]$Params.source
$destination = [string]$Params.destination
$vmKey = ([guid][string]$Params.vmId).ToString().ToUpperInvariant()
# With the host's stored credential (the extension's secret storage), every call to a host uses it.
$auth = @{}
$cimJobs = @{ Namespace = 'root\virtualization\v2'; ClassName = 'Msvm_MigrationJob'; ComputerName = $source }
if ($Credential) {
    $auth.Credential = $Credential
    $cimJobs = @{ Namespace = 'root\virtualization\v2'; ClassName = 'Msvm_MigrationJob'; CimSession = (New-CimSession -ComputerName $source -Credential $Credential) }
}

$vm = Get-VM -Id $vmKey -ComputerName $source @auth

$storagePath = [string]$Params.storagePath
if (-not $storagePath) {
    $base = [string](Get-VMHost -ComputerName $destination @auth).VirtualMachinePath
    $storagePath = $base.TrimEnd('\', '/') + '\' + ([string]$vm.Name -replace '[\\/:*?"<>|\x00-\x1f]', '_')
}

# What the move carries. With -Vhds only the listed disks move (-contains compares paths without regard to
# case, as Hyper-V does).
$listed = if ($null -ne $Params.vhds) { @($Params.vhds | ForEach-Object { [string]$_.SourceFilePath }) } else { $null }
$paths = @($vm.HardDrives | Where-Object { $_.Path -and $null -eq $_.DiskNumber -and ($null -eq $listed -or $listed -contains [string]$_.Path) } | ForEach-Object { [string]$_.Path })
$bytes = Measure-MoveBytes $vm $paths (@{ ComputerName = $source } + $auth)

$compareArguments = Get-CompareArguments $vm $destination $storagePath $Params.vhds
$report = Compare-VM @compareArguments

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
    if ($null -eq $destinationSwitches) { $destinationSwitches = @(Get-VMSwitch -ComputerName $destination @auth) }
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
}
$left = @($report.Incompatibilities)
if ($left.Count -gt 0) {
    $answer.incompatibilities = @($left | ForEach-Object {
            [pscustomobject]@{ messageId = [int64]$_.MessageId; message = [string]$_.Message; sourceType = [string]@($_.Source.PSObject.TypeNames)[0] }
        })
    return [pscustomobject]$answer
}

$prior = @(Get-CimInstance @cimJobs | Where-Object { [string]$_.VirtualSystemName -eq $vmKey } | ForEach-Object { [string]$_.InstanceID })
$answer.priorJobIds = $prior
$job = Move-VM -CompatibilityReport $report -AsJob
# Move-VM checks limits and authentication before the host creates the migration job: wait for one or the other.
$deadline = [DateTime]::UtcNow.AddSeconds(30)
while ($true) {
    $migration = @(Get-CimInstance @cimJobs | Where-Object { [string]$_.VirtualSystemName -eq $vmKey -and $prior -notcontains [string]$_.InstanceID })
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
[pscustomobject]$answer
