function Enable-VMMigration
{
    <#
        .SYNOPSIS
            Enables live migration on lab hosts (Hyper-V's Enable-VMMigration).
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
        [System.Management.Automation.SwitchParameter]
        $Passthru
    )

    # Script-module functions do not see the caller's preference; Hyper-V's cmdlets do.
    if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
    Invoke-LabHostChange -Cmdlet $PSCmdlet -Operation 'Enable-VMMigration' -ComputerName $ComputerName -Passthru $Passthru -Change {
        param ($state, $target)
        $target.migration.enabled = $true
    }
}
