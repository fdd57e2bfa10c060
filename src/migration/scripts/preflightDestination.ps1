param($Params, $Credential)
# The destination side of a preflight check, in one round trip in the host's session (Invoke-OnHost,
# hostSession.ps1): the host's migration settings, switches, supported configuration versions, free memory and
# disk (Win32 classes through CIM), the migrations running from it, and a planned VM of this VM an earlier move
# or check left here. Then, here, the host's AD account.
#
# This read runs before the source side's (preflight.ts): the source's Compare-VM stages a planned VM here, so
# what was here before is read first, and the source is given this host's default VM path. Both were reads of
# this host made from the source (a second hop, a new connection on every check) before.
$destination = [string]$Params.Destination
$read = {
    param([string]$VmId)
    $ErrorActionPreference = 'Stop'
    $vmHost = Get-VMHost
    $system = Get-CimInstance -ClassName Win32_ComputerSystem
    $networks = @(Get-VMMigrationNetwork)
    $switches = @(Get-VMSwitch)
    $versions = @(Get-VMHostSupportedVersion | ForEach-Object { $_.Version.ToString(2) })
    $os = Get-CimInstance -ClassName Win32_OperatingSystem
    $cpu = @(Get-CimInstance -ClassName Win32_Processor)[0]
    # Win32_Volume, not Win32_LogicalDisk: volumes mounted in a folder (cluster shared volumes under
    # C:\ClusterStorage) count too; one without a mount path is named by its GUID path (\\?\Volume{...}\).
    $volumes = @(Get-CimInstance -ClassName Win32_Volume -Filter 'DriveType=3' | Where-Object { $_.Name -and -not ([string]$_.Name).StartsWith('\\?\') })
    # Live and storage moves running from this host (JobType 305-307; a compare's own jobs, 300-304, are not moves).
    $jobs = @(Get-CimInstance -Namespace 'root\virtualization\v2' -ClassName Msvm_MigrationJob -Filter 'JobState=4' | Where-Object { [int]$_.JobType -in 305, 306, 307 } | ForEach-Object {
            [ordered]@{ vmId = [string]$_.VirtualSystemName; destinationHost = [string]$_.DestinationHost; jobType = [int]$_.JobType }
        })

    # Physical adapters no switch is bound to yet, for an External switch; $null where the host does not list them.
    $freeAdapters = $null
    try {
        $physical = @(Get-CimInstance -Namespace 'root\StandardCimv2' -ClassName MSFT_NetAdapter -Filter 'HardwareInterface=TRUE' -ErrorAction Stop)
        $bound = @($switches | ForEach-Object { @($_.NetAdapterInterfaceDescriptions) + @($_.NetAdapterInterfaceDescription) } | Where-Object { $_ })
        $freeAdapters = @($physical | Where-Object { $bound -notcontains [string]$_.InterfaceDescription } | ForEach-Object { [string]$_.InterfaceDescription })
    } catch {
        $freeAdapters = $null
    }
    # Virtual SANs, for virtual Fibre Channel adapters, where the cmdlet exists (GetCommand looks only at
    # loaded commands: the Hyper-V module is loaded by now, and a missing command costs no module search).
    $sans = $null
    if ($ExecutionContext.InvokeCommand.GetCommand('Get-VMSan', 'Cmdlet,Function')) {
        $sans = @(Get-VMSan | ForEach-Object { [string]$_.Name })
    }
    $cluster = $null
    try { $cluster = [string](Get-Cluster -ErrorAction Stop).Name } catch { $cluster = $null }
    # Get-VM -Id lists planned VMs too (Get-VM without -Id does not; FIDELITY.md). None: Get-VM fails.
    $plannedBefore = $null
    try {
        $earlier = @(Get-VM -Id ([guid]$VmId) -ErrorAction Stop | Where-Object { [string]$_.VirtualMachineType -eq 'PlannedVirtualMachine' })
        if ($earlier.Count -gt 0) { $plannedBefore = [ordered]@{ id = ([string]$earlier[0].Id).ToLowerInvariant(); name = [string]$earlier[0].Name } }
    } catch {
        $plannedBefore = $null
    }

    $hostFacts = Get-MigrationHostFacts $vmHost $system $networks $cpu
    $hostFacts.memoryFree = [int64]$os.FreePhysicalMemory * 1024
    $hostFacts.volumes = @($volumes | ForEach-Object { [ordered]@{ name = [string]$_.Name; freeSpace = [int64]$_.FreeSpace; size = [int64]$_.Capacity } })
    $hostFacts.virtualMachinePath = [string]$vmHost.VirtualMachinePath
    $hostFacts.supportedVersions = $versions
    $hostFacts.switches = @($switches | ForEach-Object { [ordered]@{ name = [string]$_.Name; switchType = [string]$_.SwitchType } })
    $hostFacts.freeNetAdapters = $freeAdapters
    $hostFacts.sans = $sans
    $hostFacts.cluster = $cluster
    $answer = [ordered]@{
        host          = $hostFacts
        jobs          = $jobs
        plannedBefore = $plannedBefore
    }
    # Ordered dictionaries of strings, numbers and arrays only: Windows PowerShell 5.1 on the host writes the
    # same JSON as PowerShell 7, and nothing depends on how deep remoting serializes objects.
    [pscustomobject]@{ facts = ConvertTo-Json -InputObject $answer -Depth 6 -Compress }
}
$answer = __HvlmFromJson ([string]@(Invoke-OnHost -ComputerName $destination -Credential $Credential -ScriptBlock $read -ArgumentList ([string]$Params.VmId) -Helper 'Get-MigrationHostFacts')[0].facts)
# The destination's AD computer account, read from here by its configured name: the source's delegation
# entries name the destination as AD has it.
$delegation = Read-DelegationAccount $destination $Credential
$answer | Add-Member -NotePropertyName account -NotePropertyValue $delegation.account
$answer | Add-Member -NotePropertyName accountError -NotePropertyValue $delegation.accountError
$answer
