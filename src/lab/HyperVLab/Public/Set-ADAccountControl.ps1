function Set-ADAccountControl
{
    <#
        .SYNOPSIS
            Changes account control flags of a lab AD computer (ActiveDirectory's Set-ADAccountControl):
            -TrustedToAuthForDelegation is "use any authentication protocol" for constrained delegation.
    #>
    [CmdletBinding(DefaultParameterSetName = 'Identity', SupportsShouldProcess = $true)]
    [OutputType('Microsoft.ActiveDirectory.Management.ADAccount')]
    param
    (
        [Parameter(ParameterSetName = 'Identity', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNull()]
        [System.Object]
        $Identity,

        [Parameter()]
        [System.Boolean]
        $TrustedToAuthForDelegation,

        [Parameter()]
        [ValidateNotNullOrEmpty()]
        [System.String]
        $Server,

        [Parameter()]
        [System.Management.Automation.PSCredential]
        $Credential,

        [Parameter()]
        [System.Management.Automation.SwitchParameter]
        $PassThru
    )

    process
    {
        # Script-module functions do not see the caller's preference; Hyper-V's cmdlets do.
        if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
        $change = $null
        if ($PSBoundParameters.ContainsKey('TrustedToAuthForDelegation')) { $change = { param ($computer) $computer.trustedToAuthForDelegation = $TrustedToAuthForDelegation } }
        Invoke-LabAdComputerChange -Cmdlet $PSCmdlet -Identity $Identity -PassThru $PassThru.IsPresent -Change $change
    }
}
