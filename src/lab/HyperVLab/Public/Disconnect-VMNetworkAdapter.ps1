function Disconnect-VMNetworkAdapter
{
    <#
        .SYNOPSIS
            Disconnects lab VM network adapters from their switch (Hyper-V's Disconnect-VMNetworkAdapter).
            Adapters taken from a compatibility report are changed on the report, as in Hyper-V.
    #>
    [CmdletBinding(DefaultParameterSetName = 'Name', SupportsShouldProcess = $true)]
    [OutputType('Microsoft.HyperV.PowerShell.VMNetworkAdapter')]
    param
    (
        [Parameter(ParameterSetName = 'Obj', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [PSTypeName('Microsoft.HyperV.PowerShell.VMNetworkAdapter')]
        [System.Management.Automation.PSObject[]]
        $VMNetworkAdapter,

        [Parameter(ParameterSetName = 'Name', Mandatory = $true, Position = 0)]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $VMName,

        [Parameter(ParameterSetName = 'Name', Position = 1)]
        [Alias('VMNetworkAdapterName')]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $Name,

        [Parameter(ParameterSetName = 'Name')]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $ComputerName,

        [Parameter(ParameterSetName = 'Name')]
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
        Set-LabAdapterConnection -Cmdlet $PSCmdlet -VMNetworkAdapter $VMNetworkAdapter -VMName $VMName -Name $Name -ComputerName $ComputerName -Passthru $Passthru
    }
}
