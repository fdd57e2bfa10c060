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
        Invoke-LabAdComputerChange -Cmdlet $PSCmdlet -Identity $Identity -PassThru $PassThru.IsPresent -Change {
            param ($computer)
            return Set-LabAdAttribute -Computer $computer -Add $Add -Remove $Remove -Replace $Replace -Clear $Clear
        }
    }
}
