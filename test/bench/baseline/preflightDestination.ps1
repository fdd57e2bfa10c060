param($Params, $Credential)
# The destination side of a preflight check, in one round trip: the host's migration settings, switches,
# supported configuration versions, free memory and disk (Win32 classes through CIM), and the migrations
# running from it. (Planned VMs are read by the source side, before its Compare-VM stages one.)
$destination = [string]$Params.Destination
$remote = @{ ComputerName = $destination }
$cim = @{ ComputerName = $destination }
if ($Credential) {
    $remote.Credential = $Credential
    $cim = @{ CimSession = (New-CimSession -ComputerName $destination -Credential $Credential) }
}

try {
    $vmHost = Get-VMHost @remote
    $system = Get-CimInstance -ClassName Win32_ComputerSystem @cim
    $networks = @(Get-VMMigrationNetwork @remote)
    $switches = @(Get-VMSwitch @remote)
    $versions = @(Get-VMHostSupportedVersion @remote | ForEach-Object { $_.Version.ToString(2) })
    $os = Get-CimInstance -ClassName Win32_OperatingSystem @cim
    $cpu = @(Get-CimInstance -ClassName Win32_Processor @cim)[0]
    # Win32_Volume, not Win32_LogicalDisk: volumes mounted in a folder (cluster shared volumes under
    # C:\ClusterStorage) count too; one without a mount path is named by its GUID path (\\?\Volume{...}\).
    $volumes = @(Get-CimInstance -ClassName Win32_Volume -Filter 'DriveType=3' @cim | Where-Object { $_.Name -and -not ([string]$_.Name).StartsWith('\\?\') })
    # Live and storage moves running from this host (JobType 305-307; a compare's own jobs, 300-304, are not moves).
    $jobs = @(Get-CimInstance -Namespace 'root\virtualization\v2' -ClassName Msvm_MigrationJob -Filter 'JobState=4' @cim | Where-Object { [int]$_.JobType -in 305, 306, 307 } | ForEach-Object {
        [pscustomobject]@{ vmId = [string]$_.VirtualSystemName; destinationHost = [string]$_.DestinationHost; jobType = [int]$_.JobType }
    })

    # Physical adapters no switch is bound to yet, for an External switch; $null where the host does not list them.
    $freeAdapters = $null
    try {
        $physical = @(Get-CimInstance -Namespace 'root\StandardCimv2' -ClassName MSFT_NetAdapter -Filter 'HardwareInterface=TRUE' @cim -ErrorAction Stop)
        $bound = @($switches | ForEach-Object { @($_.NetAdapterInterfaceDescriptions) + @($_.NetAdapterInterfaceDescription) } | Where-Object { $_ })
        $freeAdapters = @($physical | Where-Object { $bound -notcontains [string]$_.InterfaceDescription } | ForEach-Object { [string]$_.InterfaceDescription })
    } catch {
        $freeAdapters = $null
    }
} finally {
    # The session opened for a credential is closed, whatever happened (cleanup only: its failure changes nothing).
    if ($cim.CimSession) { try { Remove-CimSession -CimSession $cim.CimSession } catch { $null = $_ } }
}
# Virtual SANs, for virtual Fibre Channel adapters, where the cmdlet exists (GetCommand looks only at
# loaded commands: the Hyper-V module is loaded by now, and a missing command costs no module search).
$sans = $null
if ($ExecutionContext.InvokeCommand.GetCommand('Get-VMSan', 'Cmdlet,Function')) {
    $sans = @(Get-VMSan @remote | ForEach-Object { [string]$_.Name })
}
$cluster = $null
try { $cluster = [string](Get-Cluster -Name $destination -ErrorAction Stop).Name } catch { $cluster = $null }

$answer = [pscustomobject]@{
    host       = [pscustomobject]@{
        name                     = [string]$vmHost.ComputerName
        # VMHost.FullyQualifiedDomainName is only the domain (Win32_ComputerSystem.Domain).
        fqdn                     = if ($system.PartOfDomain -and $system.Domain) { '{0}.{1}' -f $system.DNSHostName, $system.Domain } else { [string]$system.DNSHostName }
        migrationEnabled         = [bool]$vmHost.VirtualMachineMigrationEnabled
        useAnyNetwork            = [bool]$vmHost.UseAnyNetworkForMigration
        networks                 = @($networks | ForEach-Object { [string]$_.Subnet })
        authenticationType       = [string]$vmHost.VirtualMachineMigrationAuthenticationType
        maximumVmMigrations      = [int]$vmHost.MaximumVirtualMachineMigrations
        maximumStorageMigrations = [int]$vmHost.MaximumStorageMigrations
        cpuVendor                = [string]$cpu.Manufacturer
        cpuName                  = [string]$cpu.Name
        memoryFree               = [int64]$os.FreePhysicalMemory * 1024
        volumes                  = @($volumes | ForEach-Object { [pscustomobject]@{ name = [string]$_.Name; freeSpace = [int64]$_.FreeSpace; size = [int64]$_.Capacity } })
        virtualMachinePath       = [string]$vmHost.VirtualMachinePath
        supportedVersions        = $versions
        switches                 = @($switches | ForEach-Object { [pscustomobject]@{ name = [string]$_.Name; switchType = [string]$_.SwitchType } })
        freeNetAdapters          = $freeAdapters
        sans                     = $sans
        cluster                  = $cluster
    }
    jobs       = $jobs
}
# The destination's AD computer account, read from here by its configured name: the source's delegation
# entries name the destination as AD has it.
$delegation = Read-DelegationAccount $destination $Credential
$answer | Add-Member -NotePropertyName account -NotePropertyValue $delegation.account
$answer | Add-Member -NotePropertyName accountError -NotePropertyValue $delegation.accountError
$answer
