param($Params, $Credential, $DestinationCredential)
# The source side of a preflight check, in one round trip: the VM (processor, disks, DVD drives, devices,
# security), its host, the migrations running from it, and Compare-VM against the destination with the move
# plan applied on the report's copy; then, here, the host's AD account. Values arrive only through $Params;
# the VM is selected by its Id (names may hold wildcards or quotes). A part that fails is reported as facts
# of its error, so one missing module or a destination that does not answer does not hide the rest.
#
# The read runs ON the source host, in one round trip in its session (Invoke-OnHost, hostSession.ps1):
# Compare-VM -CompatibilityReport has no -ComputerName and finds the report's VM on the computer it runs on
# (FIDELITY.md), so the report flow can only run there, as Windows Admin Center runs it. From the source, the
# destination is a second hop: $DestinationCredential (the destination's stored credential) is passed on to it
# when there is one. Compare-VM makes that hop itself; what else this script needs of the destination (its default
# VM path) the destination's own read, made first, answers in $Params.DestinationVmPath, and only a plan that maps
# an adapter to a switch reads the destination from here (Connect-VMNetworkAdapter needs the destination's switch
# object: -SwitchName would resolve the name on the source).
$source = [string]$Params.Source
$read = {
    param([string]$ParamsJson, $DestinationCredential)
    $ErrorActionPreference = 'Stop'
    $Params = ConvertFrom-Json -InputObject $ParamsJson
    function Get-ControllerKey($Drive) { '{0} {1}:{2}' -f $Drive.ControllerType, $Drive.ControllerNumber, $Drive.ControllerLocation }
    $destination = [string]$Params.Destination
    $toDestination = Get-DestinationParameters $destination $DestinationCredential

    $vm = Get-VM -Id ([guid][string]$Params.VmId)
    $vmHost = Get-VMHost
    $system = Get-CimInstance -ClassName Win32_ComputerSystem
    $networks = @(Get-VMMigrationNetwork)
    $cpu = @(Get-CimInstance -ClassName Win32_Processor)[0]
    $processor = Get-VMProcessor -VM $vm
    # A VM whose security settings cannot be read (older configurations) has no vTPM.
    $security = try { Get-VMSecurity -VM $vm -ErrorAction Stop } catch { $null }

    # Disks: each virtual disk with its chain of parents (checkpoints are differencing disks), and the
    # checkpoints' own files. A file Hyper-V cannot read (missing, on a share the host cannot reach) is a
    # fact of that disk, not an error of the whole read.
    $disks = @($vm.HardDrives)
    $sizes = @{}
    $parentOf = @{}
    $unreadable = @{}
    $pending = @($disks | Where-Object { $_.Path -and $null -eq $_.DiskNumber } | ForEach-Object { [string]$_.Path })
    while ($pending.Count -gt 0) {
        $next = @()
        foreach ($path in $pending) {
            try {
                $vhd = Get-VHD -Path $path -ErrorAction Stop
            } catch {
                $unreadable[$path] = [string]$_.Exception.Message
                $sizes[$path] = [int64]0
                continue
            }
            $sizes[$path] = [int64]$vhd.FileSize
            $parentOf[$path] = if ($vhd.ParentPath) { [string]$vhd.ParentPath } else { $null }
            if ($vhd.ParentPath -and -not $sizes.ContainsKey([string]$vhd.ParentPath)) { $next += [string]$vhd.ParentPath }
        }
        $pending = @($next | Select-Object -Unique)
    }
    $checkpoints = @(Get-VMSnapshot -VM $vm)

    # Devices assigned through DDA, where the cmdlet exists.
    $assigned = @()
    if ($ExecutionContext.InvokeCommand.GetCommand('Get-VMAssignableDevice', 'Cmdlet,Function')) {
        $assigned = @(Get-VMAssignableDevice -VM $vm | ForEach-Object { [ordered]@{ name = [string]$_.Name; instanceId = [string]$_.InstanceID } })
    }

    # Migrations running now from this host: live and storage moves only (JobType 305 VM, 306 VM and storage,
    # 307 storage); a compare's own jobs (300-304) are not moves. Finished jobs stay listed: JobState 4 only.
    $jobs = @(Get-CimInstance -Namespace 'root\virtualization\v2' -ClassName Msvm_MigrationJob -Filter 'JobState=4' | Where-Object { [int]$_.JobType -in 305, 306, 307 } | ForEach-Object {
        [ordered]@{ vmId = [string]$_.VirtualSystemName; destinationHost = [string]$_.DestinationHost; jobType = [int]$_.JobType }
    })

    $cluster = $null
    if ($vm.IsClustered) {
        try { $cluster = [string](Get-Cluster -ErrorAction Stop).Name } catch { $cluster = $null }
    }

    # Compare-VM, the authoritative dry run, then again with the plan's choices made on the report's copy.
    # Compare-VM stages a planned VM on the destination, replacing one an earlier move or check left there
    # (the destination's read, made before this one, says whether there was one); the staged one is removed
    # when the check is done.
    $storagePath = [string]$Params.StoragePath
    $compare = $null
    $compareError = $null
    $planProblems = @()
    $cleanupProblem = $null
    try {
        if (-not $storagePath) {
            # The destination's default VM path, as its own read answered it (preflightDestination runs first);
            # asked of the destination from here only when that read had none.
            $vmPath = [string]$Params.DestinationVmPath
            if (-not $vmPath) { $vmPath = [string](Get-VMHost @toDestination -ErrorAction Stop).VirtualMachinePath }
            $leaf = ([string]$vm.Name) -replace '[\\/:*?"<>|\x00-\x1f]', '_'
            $storagePath = '{0}\{1}' -f $vmPath.TrimEnd('\', '/'), $leaf
        }
        $compareArguments = Get-CompareArguments $vm $destination $storagePath $Params.Vhds $DestinationCredential
        $report = Compare-VM @compareArguments -ErrorAction Stop
        try {
            $changed = $false
            foreach ($choice in @($Params.AdapterSwitches)) {
                if ($null -eq $choice) { continue }
                $adapter = @($report.VM.NetworkAdapters | Where-Object { [string]$_.Id -eq [string]$choice.AdapterId })[0]
                if ($null -eq $adapter) { $planProblems += "The plan names adapter $($choice.AdapterId), which the VM does not have."; continue }
                if ($null -eq $choice.SwitchName) {
                    Disconnect-VMNetworkAdapter -VMNetworkAdapter $adapter
                } else {
                    try {
                        Connect-VMNetworkAdapter -VMNetworkAdapter $adapter -VMSwitch (Get-VMSwitch @toDestination -Name ([WildcardPattern]::Escape([string]$choice.SwitchName)) -ErrorAction Stop)
                    } catch {
                        $planProblems += [string]$_.Exception.Message
                        continue
                    }
                }
                $changed = $true
            }
            foreach ($key in @($Params.EjectDvd)) {
                if ($null -eq $key) { continue }
                $drive = @($report.VM.DVDDrives | Where-Object { (Get-ControllerKey $_) -eq [string]$key })[0]
                if ($null -eq $drive) { $planProblems += "The plan names DVD drive $key, which the VM does not have."; continue }
                Set-VMDvdDrive -VMDvdDrive $drive -Path $null
                $changed = $true
            }
            if ($changed) { $report = Compare-VM -CompatibilityReport $report -ErrorAction Stop }
            $compare = [ordered]@{
                operationType     = [string]$report.OperationType
                planApplied       = $changed
                incompatibilities = @($report.Incompatibilities | ForEach-Object {
                    $item = $_.Source
                    $type = if ($null -ne $item) { [string]$item.PSObject.TypeNames[0] } else { '' }
                    $key = $null
                    if ($type -like '*.VMNetworkAdapter') { $key = [string]$item.Id }
                    elseif ($type -like '*.DvdDrive' -or $type -like '*.HardDiskDrive') { $key = Get-ControllerKey $item }
                    elseif ($type -like '*.VMHost') { $key = [string]$item.ComputerName }
                    [ordered]@{ messageId = [int64]$_.MessageId; message = [string]$_.Message; sourceType = $type; sourceKey = $key }
                })
            }
        } finally {
            # The check leaves the destination as it found it: the planned VM it staged goes (as Windows
            # Admin Center removes one it does not move into). A failed cleanup is told, not fatal.
            if ($report) { try { $report.VM | Remove-VM -Force -ErrorAction Stop } catch { $cleanupProblem = [string]$_.Exception.Message } }
        }
    } catch {
        $compareError = __HvlmErrorFacts $_
    }

    $hostFacts = Get-MigrationHostFacts $vmHost $system $networks $cpu
    $hostFacts.cluster = $cluster
    # The VM as the tree reads it too (Get-VmFacts), and what only a check reads.
    $vmFacts = Get-VmFacts $vm $processor
    $checkFacts = [ordered]@{
        id              = ([string]$vm.Id).ToLowerInvariant()
        adapters        = @($vm.NetworkAdapters | ForEach-Object {
            [ordered]@{ id = [string]$_.Id; name = [string]$_.Name; switchName = if ($_.SwitchName) { [string]$_.SwitchName } else { $null } }
        })
        disks           = @($disks | ForEach-Object {
            $bytes = [int64]0
            $path = if ($_.Path) { [string]$_.Path } else { $null }
            $problem = $null
            if ($path -and $null -eq $_.DiskNumber) {
                $walk = $path
                $seen = @{}
                while ($walk -and $sizes.ContainsKey($walk) -and -not $seen.ContainsKey($walk)) {
                    $seen[$walk] = $true
                    $bytes += $sizes[$walk]
                    if ($unreadable.ContainsKey($walk) -and $null -eq $problem) { $problem = [ordered]@{ path = $walk; message = $unreadable[$walk] } }
                    $walk = $parentOf[$walk]
                }
            }
            [ordered]@{ controller = Get-ControllerKey $_; path = $path; diskNumber = $_.DiskNumber; bytes = $bytes; unreadable = $problem }
        })
        checkpoints     = @($checkpoints | ForEach-Object { [ordered]@{ name = [string]$_.Name; bytes = [int64]$_.SizeOfSystemFiles } })
        dvdDrives       = @($vm.DVDDrives | ForEach-Object { [ordered]@{ controller = Get-ControllerKey $_; path = if ($_.Path) { [string]$_.Path } else { $null } } })
        fibreChannel    = @($vm.FibreChannelHostBusAdapters | ForEach-Object { [ordered]@{ name = [string]$_.Name; sanName = [string]$_.SanName } })
        assignedDevices = $assigned
        tpmEnabled      = [bool]($security -and $security.TpmEnabled)
        shielded        = [bool]($security -and $security.Shielded)
    }
    foreach ($key in $checkFacts.Keys) { $vmFacts[$key] = $checkFacts[$key] }
    $answer = [ordered]@{
        host           = $hostFacts
        vm             = $vmFacts
        storagePath    = $storagePath
        jobs           = $jobs
        compare        = $compare
        compareError   = $compareError
        planProblems   = @($planProblems)
        cleanupProblem = $cleanupProblem
    }
    # Ordered dictionaries of strings, numbers and arrays only: Windows PowerShell 5.1 on the host writes the
    # same JSON as PowerShell 7, and nothing depends on how deep remoting serializes objects.
    [pscustomobject]@{ facts = ConvertTo-Json -InputObject $answer -Depth 8 -Compress }
}

# With the script's helper (and __HvlmErrorFacts, there in every host session: an error there is classified as one here).
$isLocal = Test-OnComputer $source
$arguments = @((ConvertTo-Json -InputObject $Params -Depth 8 -Compress), $DestinationCredential)
$answer = @(Invoke-OnHost -ComputerName $source -Credential $Credential -ScriptBlock $read -ArgumentList $arguments -Helper 'Get-CompareArguments', 'Get-DestinationParameters', 'Get-MigrationHostFacts', 'Get-VmFacts')[0]
$facts = __HvlmFromJson ([string]$answer.facts)
$facts.host | Add-Member -NotePropertyName isLocal -NotePropertyValue $isLocal

# The source's AD computer account, read from here by its configured name: constrained delegation is set on it.
$delegation = Read-DelegationAccount $source $Credential
$facts | Add-Member -NotePropertyName account -NotePropertyValue $delegation.account
$facts | Add-Member -NotePropertyName accountError -NotePropertyValue $delegation.accountError
$facts
