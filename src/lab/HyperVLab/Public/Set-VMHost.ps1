function Set-VMHost
{
    <#
        .SYNOPSIS
            Changes a lab host's live-migration settings and default paths (Hyper-V's Set-VMHost).
    #>
    [CmdletBinding(DefaultParameterSetName = 'ComputerName', SupportsShouldProcess = $true)]
    [OutputType('Microsoft.HyperV.PowerShell.VMHost')]
    param
    (
        [Parameter(ParameterSetName = 'ComputerName', Position = 0)]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $ComputerName,

        [Parameter(ParameterSetName = 'ComputerName', Position = 1)]
        [System.Management.Automation.PSCredential[]]
        $Credential,

        [Parameter()]
        [ValidateRange(1, 1000)]
        [System.UInt32]
        $MaximumStorageMigrations,

        [Parameter()]
        [ValidateRange(1, 1000)]
        [System.UInt32]
        $MaximumVirtualMachineMigrations,

        [Parameter()]
        [ValidateSet('CredSSP', 'Kerberos')]
        [System.String]
        $VirtualMachineMigrationAuthenticationType,

        [Parameter()]
        [System.Boolean]
        $UseAnyNetworkForMigration,

        [Parameter()]
        [ValidateSet('TCPIP', 'Compression', 'SMB')]
        [System.String]
        $VirtualMachineMigrationPerformanceOption,

        [Parameter()]
        [ValidateNotNullOrEmpty()]
        [System.String]
        $VirtualHardDiskPath,

        [Parameter()]
        [ValidateNotNullOrEmpty()]
        [System.String]
        $VirtualMachinePath,

        [Parameter()]
        [System.Management.Automation.SwitchParameter]
        $Passthru
    )

    # Script-module functions do not see the caller's preference; Hyper-V's cmdlets do.
    if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
    $bound = $PSBoundParameters
    Invoke-LabHostChange -Cmdlet $PSCmdlet -Operation 'Set-VMHost' -ComputerName $ComputerName -Passthru $Passthru -Change {
        param ($state, $target)
        if ($bound.ContainsKey('MaximumStorageMigrations')) { $target.migration.maximumStorageMigrations = [System.Int64] $bound.MaximumStorageMigrations }
        if ($bound.ContainsKey('MaximumVirtualMachineMigrations')) { $target.migration.maximumVirtualMachineMigrations = [System.Int64] $bound.MaximumVirtualMachineMigrations }
        if ($bound.ContainsKey('VirtualMachineMigrationAuthenticationType')) { $target.migration.authenticationType = $(if ($bound.VirtualMachineMigrationAuthenticationType -eq 'Kerberos') { 'Kerberos' } else { 'CredSSP' }) }
        if ($bound.ContainsKey('UseAnyNetworkForMigration')) { $target.migration.useAnyNetwork = $bound.UseAnyNetworkForMigration }
        if ($bound.ContainsKey('VirtualMachineMigrationPerformanceOption')) { $target.migration.performanceOption = $bound.VirtualMachineMigrationPerformanceOption }
        if ($bound.ContainsKey('VirtualHardDiskPath')) { $target.virtualHardDiskPath = $bound.VirtualHardDiskPath }
        if ($bound.ContainsKey('VirtualMachinePath')) { $target.virtualMachinePath = $bound.VirtualMachinePath }
    }
}
