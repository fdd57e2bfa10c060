function Connect-VMNetworkAdapter
{
    <#
        .SYNOPSIS
            Connects lab VM network adapters to a virtual switch of their host (Hyper-V's
            Connect-VMNetworkAdapter). Adapters taken from a compatibility report are changed on the
            report, as in Hyper-V.
    #>
    [CmdletBinding(DefaultParameterSetName = 'Name_SwitchName', SupportsShouldProcess = $true)]
    [OutputType('Microsoft.HyperV.PowerShell.VMNetworkAdapter')]
    param
    (
        [Parameter(ParameterSetName = 'Object_SwitchName', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [Parameter(ParameterSetName = 'Object_SwitchObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [PSTypeName('Microsoft.HyperV.PowerShell.VMNetworkAdapter')]
        [System.Management.Automation.PSObject[]]
        $VMNetworkAdapter,

        [Parameter(ParameterSetName = 'Name_SwitchName', Mandatory = $true, Position = 0)]
        [Parameter(ParameterSetName = 'Name_SwitchObject', Mandatory = $true, Position = 0)]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $VMName,

        [Parameter(ParameterSetName = 'Name_SwitchName', Position = 1)]
        [Parameter(ParameterSetName = 'Name_SwitchObject', Position = 1)]
        [Alias('VMNetworkAdapterName')]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $Name,

        [Parameter(ParameterSetName = 'Name_SwitchName', Mandatory = $true, Position = 2)]
        [Parameter(ParameterSetName = 'Object_SwitchName', Mandatory = $true, Position = 1)]
        [ValidateNotNullOrEmpty()]
        [System.String]
        $SwitchName,

        [Parameter(ParameterSetName = 'Name_SwitchObject', Mandatory = $true, Position = 2, ValueFromPipeline = $true)]
        [Parameter(ParameterSetName = 'Object_SwitchObject', Mandatory = $true, Position = 1, ValueFromPipeline = $true)]
        [PSTypeName('Microsoft.HyperV.PowerShell.VMSwitch')]
        [System.Management.Automation.PSObject]
        $VMSwitch,

        [Parameter(ParameterSetName = 'Name_SwitchName')]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $ComputerName,

        [Parameter(ParameterSetName = 'Name_SwitchName')]
        [System.Management.Automation.PSCredential[]]
        $Credential,

        [Parameter()]
        [System.Management.Automation.SwitchParameter]
        $Passthru
    )

    process
    {
        # Script-module functions do not see the caller's preference; Hyper-V's cmdlets do.
        if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
        Set-LabAdapterConnection -Cmdlet $PSCmdlet -VMNetworkAdapter $VMNetworkAdapter -VMName $VMName -Name $Name -ComputerName $ComputerName `
            -SwitchName $SwitchName -VMSwitch $VMSwitch -Passthru $Passthru
    }
}
