function Get-VMHostSupportedVersion
{
    <#
        .SYNOPSIS
            Gets the VM configuration versions a lab host supports (Hyper-V's Get-VMHostSupportedVersion).
    #>
    [CmdletBinding(DefaultParameterSetName = 'ComputerName')]
    [OutputType('Microsoft.HyperV.PowerShell.VMHostSupportedVersion')]
    param
    (
        [Parameter(ParameterSetName = 'ComputerName', Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $ComputerName,

        [Parameter(ParameterSetName = 'ComputerName', Position = 1)]
        [System.Management.Automation.PSCredential[]]
        $Credential,

        [Parameter()]
        [System.Management.Automation.SwitchParameter]
        $Default
    )

    process
    {
        # Script-module functions do not see the caller's preference; Hyper-V's cmdlets do.
        if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
        Get-LabHostPart -Cmdlet $PSCmdlet -ComputerName $ComputerName -Part {
            param ($hostRecord, $index)
            foreach ($version in @($hostRecord.supportedVersions))
            {
                if ($Default -and $version -ne $hostRecord.defaultVersion) { continue }
                ConvertTo-LabSupportedVersion -Version $version -HostRecord $hostRecord
            }
        }
    }
}
