param($Params, $Credential)
# One host's live-migration configuration: its migration settings (Get-VMHost, Get-VMMigrationNetwork) and its
# FQDN (Win32_ComputerSystem) in one round trip in the host's session, and the constrained delegation of its AD
# computer account, read from the admin's own session. A failed AD read is reported as facts of its error (the
# ActiveDirectory module may be missing where the host answers fine).
$computer = [string]$Params.Host
$answer = Invoke-OnHost -ComputerName $computer -Credential $Credential -ScriptBlock {
    $vmHost = Get-VMHost
    $system = Get-CimInstance -ClassName Win32_ComputerSystem
    $networks = @(Get-VMMigrationNetwork)
    $settings = [ordered]@{
        name                     = [string]$vmHost.ComputerName
        # VMHost.FullyQualifiedDomainName is only the domain (Win32_ComputerSystem.Domain): the host's FQDN is its
        # DNS host name in that domain.
        fqdn                     = if ($system.PartOfDomain -and $system.Domain) { '{0}.{1}' -f $system.DNSHostName, $system.Domain } else { [string]$system.DNSHostName }
        migrationEnabled         = [bool]$vmHost.VirtualMachineMigrationEnabled
        useAnyNetwork            = [bool]$vmHost.UseAnyNetworkForMigration
        networks                 = @($networks | ForEach-Object { [ordered]@{ subnet = [string]$_.Subnet; priority = if ($null -ne $_.Priority) { [int]$_.Priority } else { $null } } })
        authenticationType       = [string]$vmHost.VirtualMachineMigrationAuthenticationType
        performanceOption        = [string]$vmHost.VirtualMachineMigrationPerformanceOption
        maximumVmMigrations      = [int]$vmHost.MaximumVirtualMachineMigrations
        maximumStorageMigrations = [int]$vmHost.MaximumStorageMigrations
    }
    # Nested values come back as JSON text (remoting serializes objects only so deep).
    ConvertTo-Json -InputObject $settings -Depth 4 -Compress
}
$settings = __HvlmFromJson ([string]$answer)

# The AD account of the host as configured (not of the name the host gives itself, VMHost.ComputerName).
$delegation = Read-DelegationAccount $computer $Credential

[pscustomobject]@{
    name                     = $settings.name
    fqdn                     = $settings.fqdn
    migrationEnabled         = $settings.migrationEnabled
    useAnyNetwork            = $settings.useAnyNetwork
    networks                 = @($settings.networks)
    authenticationType       = $settings.authenticationType
    performanceOption        = $settings.performanceOption
    maximumVmMigrations      = $settings.maximumVmMigrations
    maximumStorageMigrations = $settings.maximumStorageMigrations
    account                  = $delegation.account
    accountError             = $delegation.accountError
}
