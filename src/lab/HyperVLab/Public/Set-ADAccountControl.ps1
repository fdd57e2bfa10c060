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
        $state = Get-LabState
        $computer = Resolve-LabAdComputer -State $state -Identity $Identity
        if ($null -eq $computer) { $PSCmdlet.WriteError((New-LabAdNotFoundError -State $state -Identity $Identity)); return }
        if (-not $PSCmdlet.ShouldProcess($computer.distinguishedName, 'Set')) { return }
        $dn = $computer.distinguishedName
        if ($PSBoundParameters.ContainsKey('TrustedToAuthForDelegation'))
        {
            $flag = $TrustedToAuthForDelegation
            Update-LabState {
                param ($state)
                (Resolve-LabAdComputer -State $state -Identity $dn).trustedToAuthForDelegation = $flag
            }
        }
        if ($PassThru) { ConvertTo-LabAdComputer -Computer (Resolve-LabAdComputer -State (Get-LabState) -Identity $dn) -Properties @() }
    }
}
