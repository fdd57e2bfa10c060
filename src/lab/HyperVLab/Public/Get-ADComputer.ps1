function Get-ADComputer
{
    <#
        .SYNOPSIS
            Gets computer accounts of the lab's domain (ActiveDirectory's Get-ADComputer). Ask for
            msDS-AllowedToDelegateTo and TrustedToAuthForDelegation with -Properties.
    #>
    [CmdletBinding(DefaultParameterSetName = 'Filter')]
    [OutputType('Microsoft.ActiveDirectory.Management.ADComputer')]
    param
    (
        [Parameter(ParameterSetName = 'Identity', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNull()]
        [System.Object]
        $Identity,

        [Parameter(ParameterSetName = 'Filter', Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [System.String]
        $Filter,

        [Parameter()]
        [Alias('Property')]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $Properties,

        [Parameter()]
        [ValidateNotNullOrEmpty()]
        [System.String]
        $Server,

        [Parameter()]
        [System.Management.Automation.PSCredential]
        $Credential
    )

    process
    {
        # Script-module functions do not see the caller's preference; Hyper-V's cmdlets do.
        if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
        $state = Get-LabState
        if ($PSCmdlet.ParameterSetName -eq 'Identity')
        {
            $computer = Resolve-LabAdComputer -State $state -Identity $Identity
            if ($null -eq $computer) { $PSCmdlet.WriteError((New-LabAdNotFoundError -State $state -Identity $Identity)); return }
            ConvertTo-LabAdComputer -Computer $computer -Properties $Properties
            return
        }
        foreach ($computer in @($state.adComputers))
        {
            if (Test-LabAdFilter -Computer $computer -Filter $Filter) { ConvertTo-LabAdComputer -Computer $computer -Properties $Properties }
        }
    }
}
