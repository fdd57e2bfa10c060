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
        $index = Enter-LabCall
        $reportCopies = @($VMNetworkAdapter | Where-Object { Test-LabReportCopy -Object $_ })
        $live = @($VMNetworkAdapter | Where-Object { $null -ne $_ -and -not (Test-LabReportCopy -Object $_) })
        $triples = @()
        if ($live.Count -gt 0 -or $VMName)
        {
            $triples = Resolve-LabNetworkAdapter -Index $index -Cmdlet $PSCmdlet -VMNetworkAdapter $live -VMName $VMName -Name $Name -ComputerName $ComputerName
        }
        if (-not $PSCmdlet.ShouldProcess(($triples | ForEach-Object { "$($_.Vm.name)/$($_.Adapter.name)" }) -join ', ', 'Disconnect')) { return }
        $copies = @(foreach ($copy in $reportCopies) { Set-LabReportNetworkAdapter -Adapter $copy -Switch $null -SwitchName $null })
        $changed = Set-LabNetworkAdapterSwitch -Cmdlet $PSCmdlet -Triples $triples -SwitchName $null -SwitchObject $null
        if ($Passthru) { $copies; $changed }
    }
}
