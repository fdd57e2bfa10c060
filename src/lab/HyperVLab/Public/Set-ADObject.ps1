function Set-ADObject
{
    <#
        .SYNOPSIS
            Changes attributes of a lab AD computer (ActiveDirectory's Set-ADObject): -Add, -Remove,
            -Replace (hashtables of attribute = value(s)) and -Clear, for msDS-AllowedToDelegateTo,
            userAccountControl and description.
    #>
    [CmdletBinding(DefaultParameterSetName = 'Identity', SupportsShouldProcess = $true)]
    [OutputType('Microsoft.ActiveDirectory.Management.ADObject')]
    param
    (
        [Parameter(ParameterSetName = 'Identity', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNull()]
        [System.Object]
        $Identity,

        [Parameter()]
        [System.Collections.Hashtable]
        $Add,

        [Parameter()]
        [System.Collections.Hashtable]
        $Remove,

        [Parameter()]
        [System.Collections.Hashtable]
        $Replace,

        [Parameter()]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $Clear,

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
        $result = Update-LabState {
            param ($state)
            $target = Resolve-LabAdComputer -State $state -Identity $dn
            return Set-LabAdAttribute -Computer $target -Add $Add -Remove $Remove -Replace $Replace -Clear $Clear
        }
        if ($result -is [System.Management.Automation.ErrorRecord]) { $PSCmdlet.WriteError($result); return }
        if ($PassThru) { ConvertTo-LabAdComputer -Computer (Resolve-LabAdComputer -State (Get-LabState) -Identity $dn) -Properties @() }
    }
}
