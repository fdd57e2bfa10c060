param($Params, $Credential)
# One host's live-migration configuration, in one round trip: its migration settings (Get-VMHost,
# Get-VMMigrationNetwork) and the constrained delegation of its AD computer account. A failed AD read is
# reported as facts of its error (the ActiveDirectory module may be missing where the host answers fine).
$computer = [string]$Params.Host
$remote = @{ ComputerName = $computer }
if ($Credential) { $remote.Credential = $Credential }

$vmHost = Get-VMHost @remote
$networks = @(Get-VMMigrationNetwork @remote)

$delegation = Read-DelegationAccount ([string]$vmHost.ComputerName) $Credential

[pscustomobject]@{
    name                     = [string]$vmHost.ComputerName
    fqdn                     = [string]$vmHost.FullyQualifiedDomainName
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
