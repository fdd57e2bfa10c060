param($Params, $Credential)
# One round trip per host: everything the tree shows about one Hyper-V host and its VMs.
$computer = [string]$Params.ComputerName
$remote = @{ ComputerName = $computer }
$cim = @{ ComputerName = $computer }
if ($Credential) {
    $remote.Credential = $Credential
    $cim = @{ CimSession = (New-CimSession -ComputerName $computer -Credential $Credential) }
}

$vmHost = Get-VMHost @remote
$os = Get-CimInstance -ClassName Win32_OperatingSystem @cim
$cpu = @(Get-CimInstance -ClassName Win32_Processor @cim)[0]
$volumes = @(Get-CimInstance -ClassName Win32_LogicalDisk -Filter 'DriveType=3' @cim)
$switches = @(Get-VMSwitch @remote)
$networks = @(Get-VMMigrationNetwork @remote)
$vms = @(Get-VM @remote)
$processors = @{}
$checkpoints = @{}
$vhds = @{}
if ($vms.Count -gt 0) {
    foreach ($p in @(Get-VMProcessor -VM $vms)) { $processors[[string]$p.VMId] = $p }
    foreach ($s in @(Get-VMSnapshot -VM $vms)) {
        $key = [string]$s.VMId
        if (-not $checkpoints.ContainsKey($key)) { $checkpoints[$key] = @() }
        $checkpoints[$key] += [string]$s.Name
    }
    $paths = @($vms | ForEach-Object { $_.HardDrives } | Where-Object { $_.Path -and $null -eq $_.DiskNumber } | ForEach-Object { [string]$_.Path })
    if ($paths.Count -gt 0) {
        foreach ($v in @(Get-VHD -Path $paths @remote)) { $vhds[[string]$v.Path] = $v }
    }
}
# Moves running from this host (Hyper-V keeps finished jobs listed for minutes: only JobState 4, running).
$moving = @{}
foreach ($job in @(Get-CimInstance -Namespace 'root\virtualization\v2' -ClassName Msvm_MigrationJob -Filter 'JobState=4' @cim)) {
    $moving[[string]$job.VirtualSystemName] = [int]$job.PercentComplete
}
$cluster = $null
try { $cluster = [string](Get-Cluster -Name $computer -ErrorAction Stop).Name } catch { $cluster = $null }

[pscustomobject]@{
    host = [pscustomobject]@{
        name                      = [string]$vmHost.ComputerName
        fqdn                      = [string]$vmHost.FullyQualifiedDomainName
        osCaption                 = [string]$os.Caption
        osVersion                 = [string]$os.Version
        cpuVendor                 = [string]$cpu.Manufacturer
        cpuName                   = [string]$cpu.Name
        logicalProcessors         = [int]$vmHost.LogicalProcessorCount
        memoryCapacity            = [int64]$vmHost.MemoryCapacity
        memoryFree                = [int64]$os.FreePhysicalMemory * 1024
        volumes                   = @($volumes | ForEach-Object { [pscustomobject]@{ name = [string]$_.DeviceID; freeSpace = [int64]$_.FreeSpace; size = [int64]$_.Size } })
        virtualMachinePath        = [string]$vmHost.VirtualMachinePath
        virtualHardDiskPath       = [string]$vmHost.VirtualHardDiskPath
        supportedVersions         = @($vmHost.SupportedVmVersions | ForEach-Object { [string]$_ })
        migrationEnabled          = [bool]$vmHost.VirtualMachineMigrationEnabled
        useAnyNetworkForMigration = [bool]$vmHost.UseAnyNetworkForMigration
        migrationNetworks         = @($networks | ForEach-Object { [string]$_.Subnet })
        authenticationType        = [string]$vmHost.VirtualMachineMigrationAuthenticationType
        maximumVmMigrations       = [int]$vmHost.MaximumVirtualMachineMigrations
        maximumStorageMigrations  = [int]$vmHost.MaximumStorageMigrations
        switches                  = @($switches | ForEach-Object { [pscustomobject]@{ name = [string]$_.Name; switchType = [string]$_.SwitchType } })
        cluster                   = $cluster
    }
    vms = @($vms | ForEach-Object {
        $vm = $_
        $id = [string]$vm.Id
        $processor = $processors[$id]
        [pscustomobject]@{
            id                        = $id
            name                      = [string]$vm.Name
            host                      = [string]$vm.ComputerName
            state                     = [string]$vm.State
            status                    = [string]$vm.Status
            migrationPercent          = if ($moving.ContainsKey($id)) { $moving[$id] } else { $null }
            generation                = [int]$vm.Generation
            version                   = [string]$vm.Version
            processorCount            = [int]$vm.ProcessorCount
            memoryStartup             = [int64]$vm.MemoryStartup
            memoryAssigned            = [int64]$vm.MemoryAssigned
            dynamicMemory             = [bool]$vm.DynamicMemoryEnabled
            isClustered               = [bool]$vm.IsClustered
            compatibilityForMigration = [bool]($processor -and $processor.CompatibilityForMigrationEnabled)
            path                      = [string]$vm.Path
            notes                     = [string]$vm.Notes
            uptimeSeconds             = [int64]([timespan]$vm.Uptime).TotalSeconds
            disks                     = @($vm.HardDrives | ForEach-Object {
                $vhd = if ($_.Path) { $vhds[[string]$_.Path] } else { $null }
                [pscustomobject]@{
                    path       = if ($_.Path) { [string]$_.Path } else { $null }
                    diskNumber = $_.DiskNumber
                    controller = '{0} {1}:{2}' -f $_.ControllerType, $_.ControllerNumber, $_.ControllerLocation
                    fileSize   = if ($vhd) { [int64]$vhd.FileSize } else { $null }
                    size       = if ($vhd) { [int64]$vhd.Size } else { $null }
                }
            })
            adapters                  = @($vm.NetworkAdapters | ForEach-Object {
                [pscustomobject]@{ name = [string]$_.Name; switchName = if ($_.SwitchName) { [string]$_.SwitchName } else { $null }; macAddress = [string]$_.MacAddress }
            })
            isoPaths                  = @($vm.DVDDrives | Where-Object { $_.Path } | ForEach-Object { [string]$_.Path })
            checkpoints               = @(if ($checkpoints.ContainsKey($id)) { $checkpoints[$id] })
        }
    })
}
