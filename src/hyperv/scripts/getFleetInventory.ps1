param($Params, $Credential)
# The tree's read of a batch of hosts: one Invoke-OnHosts (hostSession.ps1), one round trip in each host's
# persistent session, all hosts at once (sessions not open yet are opened together), the read running on the
# host itself. Each host answers its inventory as JSON text, so nothing depends on how deep remoting
# serializes objects. A host that cannot be reached, or whose read fails, answers with the error's facts, and
# the other hosts still answer.
$read = {
    $ErrorActionPreference = 'Stop'
    # Loops are foreach statements, not ForEach-Object pipelines: every host is read on every refresh,
    # and a pipeline per VM, disk and adapter costs more than the cmdlets themselves.
    $vmHost = Get-VMHost
    $os = Get-CimInstance -ClassName Win32_OperatingSystem
    $system = Get-CimInstance -ClassName Win32_ComputerSystem
    $cpu = @(Get-CimInstance -ClassName Win32_Processor)[0]
    # Win32_Volume, not Win32_LogicalDisk: volumes mounted in a folder (cluster shared volumes under
    # C:\ClusterStorage) count too; one without a mount path is named by its GUID path (\\?\Volume{...}\).
    $volumes = @(foreach ($volume in @(Get-CimInstance -ClassName Win32_Volume -Filter 'DriveType=3')) { if ($volume.Name -and -not ([string]$volume.Name).StartsWith('\\?\')) { $volume } })
    $switches = @(Get-VMSwitch)
    $networks = @(Get-VMMigrationNetwork)
    $vms = @(Get-VM)
    $processors = @{}
    $checkpoints = @{}
    $vhds = @{}
    $unreadable = @{}
    if ($vms.Count -gt 0) {
        foreach ($p in @(Get-VMProcessor -VM $vms)) { $processors[[string]$p.VMId] = $p }
        foreach ($s in @(Get-VMSnapshot -VM $vms)) {
            $key = [string]$s.VMId
            if (-not $checkpoints.ContainsKey($key)) { $checkpoints[$key] = [System.Collections.Generic.List[string]]::new() }
            $checkpoints[$key].Add([string]$s.Name)
        }
        $paths = [System.Collections.Generic.List[string]]::new()
        foreach ($vm in $vms) {
            foreach ($drive in $vm.HardDrives) { if ($drive.Path -and $null -eq $drive.DiskNumber) { $paths.Add([string]$drive.Path) } }
        }
        if ($paths.Count -gt 0) {
            # A file Hyper-V cannot read (missing, on a share the host cannot reach) is a fact of its disk, not a
            # failed read of the host: Get-VHD writes an error for that path and answers the others.
            $problems = $null
            foreach ($v in @(Get-VHD -Path $paths.ToArray() -ErrorAction SilentlyContinue -ErrorVariable problems)) { $vhds[[string]$v.Path] = $v }
            if (@($problems).Count -gt 0) {
                # The error names its file only in its text: each unanswered file, read alone, gives its own.
                foreach ($path in $paths) {
                    if ($vhds.ContainsKey($path) -or $unreadable.ContainsKey($path)) { continue }
                    $problem = $null
                    foreach ($v in @(Get-VHD -Path $path -ErrorAction SilentlyContinue -ErrorVariable problem)) { $vhds[[string]$v.Path] = $v }
                    if (@($problem).Count -gt 0) { $unreadable[$path] = [string]@($problem)[0].Exception.Message }
                }
            }
        }
    }
    # Moves running from this host (Hyper-V keeps finished jobs listed for minutes: only JobState 4, running).
    $moving = @{}
    foreach ($job in @(Get-CimInstance -Namespace 'root\virtualization\v2' -ClassName Msvm_MigrationJob -Filter 'JobState=4')) {
        $moving[[string]$job.VirtualSystemName] = [int]$job.PercentComplete
    }
    $cluster = $null
    # A host outside a cluster answers with the cluster service's error: no cluster, not a failed read.
    try { $found = @(Get-Cluster -ErrorAction SilentlyContinue); if ($found.Count -gt 0) { $cluster = [string]$found[0].Name } } catch { $cluster = $null }

    $vmFacts = foreach ($vm in $vms) {
        $id = [string]$vm.Id
        $processor = $processors[$id]
        $disks = foreach ($drive in $vm.HardDrives) {
            $vhd = if ($drive.Path) { $vhds[[string]$drive.Path] } else { $null }
            [ordered]@{
                path       = if ($drive.Path) { [string]$drive.Path } else { $null }
                diskNumber = if ($null -ne $drive.DiskNumber) { [int]$drive.DiskNumber } else { $null }
                controller = '{0} {1}:{2}' -f $drive.ControllerType, $drive.ControllerNumber, $drive.ControllerLocation
                fileSize   = if ($vhd) { [int64]$vhd.FileSize } else { $null }
                size       = if ($vhd) { [int64]$vhd.Size } else { $null }
                unreadable = if ($drive.Path -and $unreadable.ContainsKey([string]$drive.Path)) { [string]$unreadable[[string]$drive.Path] } else { $null }
            }
        }
        $adapters = foreach ($adapter in $vm.NetworkAdapters) {
            [ordered]@{ id = [string]$adapter.Id; name = [string]$adapter.Name; switchName = if ($adapter.SwitchName) { [string]$adapter.SwitchName } else { $null }; macAddress = [string]$adapter.MacAddress }
        }
        $isoPaths = foreach ($dvd in $vm.DVDDrives) { if ($dvd.Path) { [string]$dvd.Path } }
        # What a check reads of the VM too (Get-VmFacts, shared/hostFacts.ps1), and what only the tree shows.
        $facts = Get-VmFacts $vm $processor
        $treeFacts = [ordered]@{
            id               = $id
            host             = [string]$vm.ComputerName
            migrationPercent = if ($moving.ContainsKey($id)) { $moving[$id] } else { $null }
            generation       = [int]$vm.Generation
            processorCount   = [int]$vm.ProcessorCount
            dynamicMemory    = [bool]$vm.DynamicMemoryEnabled
            path             = [string]$vm.Path
            notes            = [string]$vm.Notes
            uptimeSeconds    = [int64]([timespan]$vm.Uptime).TotalSeconds
            disks            = @($disks)
            adapters         = @($adapters)
            isoPaths         = @($isoPaths)
            checkpoints      = @(if ($checkpoints.ContainsKey($id)) { $checkpoints[$id] })
        }
        foreach ($key in $treeFacts.Keys) { $facts[$key] = $treeFacts[$key] }
        $facts
    }

    # The live-migration settings as a check reads them too (Get-MigrationHostFacts, shared/hostFacts.ps1), and
    # what only the tree shows.
    $hostFacts = Get-MigrationHostFacts $vmHost $system $networks $cpu
    $treeFacts = [ordered]@{
        cluster             = $cluster
        osCaption           = [string]$os.Caption
        osVersion           = [string]$os.Version
        logicalProcessors   = [int]$vmHost.LogicalProcessorCount
        memoryCapacity      = [int64]$vmHost.MemoryCapacity
        memoryFree          = [int64]$os.FreePhysicalMemory * 1024
        volumes             = @(foreach ($volume in $volumes) { [ordered]@{ name = [string]$volume.Name; freeSpace = [int64]$volume.FreeSpace; size = [int64]$volume.Capacity } })
        virtualMachinePath  = [string]$vmHost.VirtualMachinePath
        virtualHardDiskPath = [string]$vmHost.VirtualHardDiskPath
        supportedVersions   = @(foreach ($version in $vmHost.SupportedVmVersions) { [string]$version })
        switches            = @(foreach ($switch in $switches) { [ordered]@{ name = [string]$switch.Name; switchType = [string]$switch.SwitchType } })
    }
    foreach ($key in $treeFacts.Keys) { $hostFacts[$key] = $treeFacts[$key] }
    $inventory = [ordered]@{ host = $hostFacts; vms = @($vmFacts) }
    # Ordered dictionaries of strings, numbers and arrays only: Windows PowerShell 5.1 on the host writes
    # the same JSON as PowerShell 7.
    [pscustomobject]@{ inventory = ConvertTo-Json -InputObject $inventory -Depth 6 -Compress }
}

foreach ($answer in @(Invoke-OnHosts -ComputerName @($Params.hosts) -Credential $Credential -ScriptBlock $read -Helper 'Get-MigrationHostFacts', 'Get-VmFacts')) {
    $inventory = @($answer.output)[0]
    if ($null -ne $inventory) {
        [pscustomobject]@{ computer = $answer.computer; inventory = [string]$inventory.inventory; error = $null }
    } elseif ($null -ne $answer.error) {
        [pscustomobject]@{ computer = $answer.computer; inventory = $null; error = $answer.error }
    }
}
