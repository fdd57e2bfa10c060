param($Params, $Credential)
# One host's live-migration configuration, in one round trip: its migration settings (Get-VMHost,
# Get-VMMigrationNetwork), its FQDN (Win32_ComputerSystem) and the constrained delegation of its AD computer account. A failed AD read is
# reported as facts of its error (the ActiveDirectory module may be missing where the host answers fine).
$computer = [string]$Params.Host
$remote = @{ ComputerName = $computer }
if ($Credential) { $remote.Credential = $Credential }

$vmHost = Get-VMHost @remote
$cim = @{ ComputerName = $computer }
if ($Credential) { $cim = @{ CimSession = (New-CimSession -ComputerName $computer -Credential $Credential) } }
try {
    $system = Get-CimInstance -ClassName Win32_ComputerSystem @cim
} finally {
    # The session opened for a credential is closed, whatever happened (cleanup only: its failure changes nothing).
    if ($cim.CimSession) { try { Remove-CimSession -CimSession $cim.CimSession } catch { $null = $_ } }
}
$networks = @(Get-VMMigrationNetwork @remote)

# The AD account of the host as configured (not of the name the host gives itself, VMHost.ComputerName).
$delegation = Read-DelegationAccount $computer $Credential

[pscustomobject]@{
    name                     = [string]$vmHost.ComputerName
    # VMHost.FullyQualifiedDomainName is only the domain (Win32_ComputerSystem.Domain): the host's FQDN is its
    # DNS host name in that domain.
    fqdn                     = if ($system.PartOfDomain -and $system.Domain) { '{0}.{1}' -f $system.DNSHostName, $system.Domain } else { [string]$system.DNSHostName }
    migrationEnabled         = [bool]$vmHost.VirtualMachineMigrationEnabled
    useAnyNetwork            = [bool]$vmHost.UseAnyNetworkForMigration
    networks                 = @($networks | ForEach-Object { [pscustomobject]@{ subnet = [string]$_.Subnet; priority = if ($null -ne $_.Priority) { [int]$_.Priority } else { $null } } })
    authenticationType       = [string]$vmHost.VirtualMachineMigrationAuthenticationType
    performanceOption        = [string]$vmHost.VirtualMachineMigrationPerformanceOption
    maximumVmMigrations      = [int]$vmHost.MaximumVirtualMachineMigrations
    maximumStorageMigrations = [int]$vmHost.MaximumStorageMigrations
    account                  = $delegation.account
    accountError             = $delegation.accountError
}
