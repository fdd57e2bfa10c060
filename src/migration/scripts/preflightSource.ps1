param($Params, $Credential)
# The source side of a preflight check, in one round trip: the VM (processor, disks, DVD drives, devices,
# security), its host, the host's AD account, the migrations running from it, and Compare-VM against the
# destination with the move plan applied on the report's copy. Values arrive only through $Params; the VM
# is selected by its Id (names may hold wildcards or quotes). A part that fails is reported as facts of
# its error, so one missing module or a destination that does not answer does not hide the rest.
$source = [string]$Params.Source
$destination = [string]$Params.Destination
$remote = @{ ComputerName = $source }
$cim = @{ ComputerName = $source }
if ($Credential) {
    $remote.Credential = $Credential
    $cim = @{ CimSession = (New-CimSession -ComputerName $source -Credential $Credential) }
}

function Get-ControllerKey($Drive) { '{0} {1}:{2}' -f $Drive.ControllerType, $Drive.ControllerNumber, $Drive.ControllerLocation }

$vm = Get-VM -Id ([guid][string]$Params.VmId) @remote
$vmHost = Get-VMHost @remote
$networks = @(Get-VMMigrationNetwork @remote)
$cpu = @(Get-CimInstance -ClassName Win32_Processor @cim)[0]
$processor = Get-VMProcessor -VM $vm
# A VM whose security settings cannot be read (older configurations) has no vTPM.
$security = try { Get-VMSecurity -VM $vm -ErrorAction Stop } catch { $null }

# Disks: each virtual disk with its chain of parents (checkpoints are differencing disks), and the
# checkpoints' own files.
$disks = @($vm.HardDrives)
$sizes = @{}
$parentOf = @{}
$pending = @($disks | Where-Object { $_.Path -and $null -eq $_.DiskNumber } | ForEach-Object { [string]$_.Path })
while ($pending.Count -gt 0) {
    $next = @()
    foreach ($vhd in @(Get-VHD -Path $pending @remote)) {
        $sizes[[string]$vhd.Path] = [int64]$vhd.FileSize
        $parentOf[[string]$vhd.Path] = if ($vhd.ParentPath) { [string]$vhd.ParentPath } else { $null }
        if ($vhd.ParentPath -and -not $sizes.ContainsKey([string]$vhd.ParentPath)) { $next += [string]$vhd.ParentPath }
    }
    foreach ($path in $pending) { if (-not $sizes.ContainsKey($path)) { $sizes[$path] = [int64]0 } }
    $pending = @($next | Select-Object -Unique)
}
$checkpoints = @(Get-VMSnapshot -VM $vm)

# Devices assigned through DDA, where the cmdlet exists. (GetCommand looks only at loaded commands: the
# Hyper-V module is loaded by now, and a command that is not there costs no search of every module.)
$assigned = @()
if ($ExecutionContext.InvokeCommand.GetCommand('Get-VMAssignableDevice', 'Cmdlet,Function')) {
    $assigned = @(Get-VMAssignableDevice -VM $vm | ForEach-Object { [pscustomobject]@{ name = [string]$_.Name; instanceId = [string]$_.InstanceID } })
}

# Migrations running now from this host (Hyper-V lists finished jobs for minutes: JobState 4 only).
$jobs = @(Get-CimInstance -Namespace 'root\virtualization\v2' -ClassName Msvm_MigrationJob -Filter 'JobState=4' @cim | ForEach-Object {
    [pscustomobject]@{ vmId = [string]$_.VirtualSystemName; destinationHost = [string]$_.DestinationHost; jobType = [int]$_.JobType }
})

$cluster = $null
if ($vm.IsClustered) {
    try { $cluster = [string](Get-Cluster -Name $source -ErrorAction Stop).Name } catch { $cluster = $null }
}

# Where the moves start: CredSSP works only when the move is started on the source host itself.
$localHost = $null
try { $localHost = [string](Get-VMHost -ErrorAction Stop).ComputerName } catch { $localHost = $null }

# The source's AD computer account: constrained delegation is read from it.
$delegation = Read-DelegationAccount ([string]$vmHost.ComputerName) $Credential

# Compare-VM, the authoritative dry run, then again with the plan's choices made on the report's copy.
$storagePath = [string]$Params.StoragePath
$compare = $null
$compareError = $null
$planProblems = @()
try {
    if (-not $storagePath) {
        $destinationArguments = @{ ComputerName = $destination }
        if ($Credential) { $destinationArguments.Credential = $Credential }
        $leaf = ([string]$vm.Name) -replace '[\\/:*?"<>|\x00-\x1f]', '_'
        $storagePath = '{0}\{1}' -f ([string](Get-VMHost @destinationArguments -ErrorAction Stop).VirtualMachinePath).TrimEnd('\', '/'), $leaf
    }
    $compareArguments = Get-CompareArguments $vm $destination $storagePath $Params.Vhds
    if ($Credential) { $compareArguments.DestinationCredential = $Credential }
    $report = Compare-VM @compareArguments -ErrorAction Stop
    $changed = $false
    foreach ($choice in @($Params.AdapterSwitches)) {
        if ($null -eq $choice) { continue }
        $adapter = @($report.VM.NetworkAdapters | Where-Object { [string]$_.Id -eq [string]$choice.AdapterId })[0]
        if ($null -eq $adapter) { $planProblems += "The plan names adapter $($choice.AdapterId), which the VM does not have."; continue }
        if ($null -eq $choice.SwitchName) {
            Disconnect-VMNetworkAdapter -VMNetworkAdapter $adapter
        } else {
            try {
                $switchArguments = @{ ComputerName = $destination; Name = [WildcardPattern]::Escape([string]$choice.SwitchName) }
                if ($Credential) { $switchArguments.Credential = $Credential }
                Connect-VMNetworkAdapter -VMNetworkAdapter $adapter -VMSwitch (Get-VMSwitch @switchArguments -ErrorAction Stop)
            } catch {
                $planProblems += [string]$_.Exception.Message
                continue
            }
        }
        $changed = $true
    }
    foreach ($key in @($Params.EjectDvd)) {
        $drive = @($report.VM.DVDDrives | Where-Object { (Get-ControllerKey $_) -eq [string]$key })[0]
        if ($null -eq $drive) { $planProblems += "The plan names DVD drive $key, which the VM does not have."; continue }
        Set-VMDvdDrive -VMDvdDrive $drive -Path $null
        $changed = $true
    }
    if ($changed) { $report = Compare-VM -CompatibilityReport $report -ErrorAction Stop }
    $compare = [pscustomobject]@{
        operationType     = [string]$report.OperationType
        planApplied       = $changed
        incompatibilities = @($report.Incompatibilities | ForEach-Object {
            $item = $_.Source
            $type = if ($null -ne $item) { [string]$item.PSObject.TypeNames[0] } else { '' }
            $key = $null
            if ($type -like '*.VMNetworkAdapter') { $key = [string]$item.Id }
            elseif ($type -like '*.DvdDrive' -or $type -like '*.HardDiskDrive') { $key = Get-ControllerKey $item }
            elseif ($type -like '*.VMHost') { $key = [string]$item.ComputerName }
            [pscustomobject]@{ messageId = [int64]$_.MessageId; message = [string]$_.Message; sourceType = $type; sourceKey = $key }
        })
    }
} catch {
    $compareError = __HvlmErrorFacts $_
}

$answer = [pscustomobject]@{
    host         = [pscustomobject]@{
        name                     = [string]$vmHost.ComputerName
        fqdn                     = [string]$vmHost.FullyQualifiedDomainName
        migrationEnabled         = [bool]$vmHost.VirtualMachineMigrationEnabled
        useAnyNetwork            = [bool]$vmHost.UseAnyNetworkForMigration
        networks                 = @($networks | ForEach-Object { [string]$_.Subnet })
        authenticationType       = [string]$vmHost.VirtualMachineMigrationAuthenticationType
        maximumVmMigrations      = [int]$vmHost.MaximumVirtualMachineMigrations
        maximumStorageMigrations = [int]$vmHost.MaximumStorageMigrations
        cpuVendor                = [string]$cpu.Manufacturer
        cpuName                  = [string]$cpu.Name
        cluster                  = $cluster
        isLocal                  = [bool]($localHost -and ($localHost -eq [string]$vmHost.ComputerName))
    }
    vm           = [pscustomobject]@{
        id                        = ([string]$vm.Id).ToLowerInvariant()
        name                      = [string]$vm.Name
        state                     = [string]$vm.State
        status                    = [string]$vm.Status
        version                   = [string]$vm.Version
        memoryStartup             = [int64]$vm.MemoryStartup
        memoryAssigned            = [int64]$vm.MemoryAssigned
        isClustered               = [bool]$vm.IsClustered
        compatibilityForMigration = [bool]$processor.CompatibilityForMigrationEnabled
        adapters                  = @($vm.NetworkAdapters | ForEach-Object {
            [pscustomobject]@{ id = [string]$_.Id; name = [string]$_.Name; switchName = if ($_.SwitchName) { [string]$_.SwitchName } else { $null } }
        })
        disks                     = @($disks | ForEach-Object {
            $bytes = [int64]0
            $path = if ($_.Path) { [string]$_.Path } else { $null }
            if ($path -and $null -eq $_.DiskNumber) {
                $walk = $path
                $seen = @{}
                while ($walk -and $sizes.ContainsKey($walk) -and -not $seen.ContainsKey($walk)) {
                    $seen[$walk] = $true
                    $bytes += $sizes[$walk]
                    $walk = $parentOf[$walk]
                }
            }
            [pscustomobject]@{ controller = Get-ControllerKey $_; path = $path; diskNumber = $_.DiskNumber; bytes = $bytes }
        })
        checkpoints               = @($checkpoints | ForEach-Object { [pscustomobject]@{ name = [string]$_.Name; bytes = [int64]$_.SizeOfSystemFiles } })
        dvdDrives                 = @($vm.DVDDrives | ForEach-Object { [pscustomobject]@{ controller = Get-ControllerKey $_; path = if ($_.Path) { [string]$_.Path } else { $null } } })
        fibreChannel              = @($vm.FibreChannelHostBusAdapters | ForEach-Object { [pscustomobject]@{ name = [string]$_.Name; sanName = [string]$_.SanName } })
        assignedDevices           = $assigned
        tpmEnabled                = [bool]($security -and $security.TpmEnabled)
        shielded                  = [bool]($security -and $security.Shielded)
    }
    storagePath  = $storagePath
    account      = $delegation.account
    accountError = $delegation.accountError
    jobs         = $jobs
    compare      = $compare
    compareError = $compareError
    planProblems = $planProblems
}
# The session opened for a credential is closed (cleanup only: its failure changes nothing read above).
if ($cim.CimSession) { try { Remove-CimSession -CimSession $cim.CimSession } catch { $null = $_ } }
$answer
