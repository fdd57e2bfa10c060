function Get-VMNetworkAdapter
{
    <#
        .SYNOPSIS
            Gets the network adapters of lab VMs, or of the management OS (Hyper-V's Get-VMNetworkAdapter).
    #>
    [CmdletBinding(DefaultParameterSetName = 'VMName')]
    [OutputType('Microsoft.HyperV.PowerShell.VMNetworkAdapter')]
    param
    (
        [Parameter(ParameterSetName = 'VMName', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $VMName,

        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [PSTypeName('Microsoft.HyperV.PowerShell.VirtualMachine')]
        [System.Management.Automation.PSObject[]]
        $VM,

        [Parameter(ParameterSetName = 'All', Mandatory = $true)]
        [System.Management.Automation.SwitchParameter]
        $All,

        [Parameter(ParameterSetName = 'ManagementOS', Mandatory = $true)]
        [System.Management.Automation.SwitchParameter]
        $ManagementOS,

        [Parameter(Position = 1)]
        [Alias('VMNetworkAdapterName')]
        [ValidateNotNullOrEmpty()]
        [System.String]
        $Name,

        [Parameter(ParameterSetName = 'ManagementOS')]
        [ValidateNotNullOrEmpty()]
        [System.String]
        $SwitchName,

        [Parameter(ParameterSetName = 'VMName')]
        [Parameter(ParameterSetName = 'VMObject')]
        [System.Boolean]
        $IsLegacy,

        [Parameter(ParameterSetName = 'VMName')]
        [Parameter(ParameterSetName = 'All')]
        [Parameter(ParameterSetName = 'ManagementOS')]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $ComputerName,

        [Parameter(ParameterSetName = 'VMName')]
        [Parameter(ParameterSetName = 'All')]
        [Parameter(ParameterSetName = 'ManagementOS')]
        [System.Management.Automation.PSCredential[]]
        $Credential
    )

    process
    {
        # Script-module functions do not see the caller's preference; Hyper-V's cmdlets do.
        if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
        $set = $PSCmdlet.ParameterSetName
        if ($set -in 'ManagementOS', 'All')
        {
            Get-LabHostPart -Cmdlet $PSCmdlet -ComputerName $ComputerName -Part {
                param ($hostRecord, $index)
                foreach ($switch in @($hostRecord.switches))
                {
                    if (-not $switch.allowManagementOS) { continue }
                    if ($SwitchName -and $switch.name -ne $SwitchName) { continue }
                    if ($Name -and -not (Test-LabNameMatch -Name $switch.name -Pattern $Name)) { continue }
                    ConvertTo-LabManagementAdapter -Switch $switch -HostRecord $hostRecord
                }
                if ($set -eq 'All')
                {
                    foreach ($vm in (Get-LabVmOnHost -Index $index -HostName $hostRecord.name))
                    {
                        foreach ($adapter in @($vm.networkAdapters))
                        {
                            if ($Name -and -not (Test-LabNameMatch -Name $adapter.name -Pattern $Name)) { continue }
                            ConvertTo-LabNetworkAdapter -Vm $vm -Adapter $adapter -HostRecord $hostRecord
                        }
                    }
                }
            }
            return
        }
        # The block has its own $PSBoundParameters.
        $legacyGiven = $PSBoundParameters.ContainsKey('IsLegacy')
        Get-LabVmPart -Cmdlet $PSCmdlet -VM $VM -VMName $VMName -ComputerName $ComputerName -Part {
            param ($pair)
            foreach ($adapter in @($pair.Vm.networkAdapters))
            {
                if ($Name -and -not (Test-LabNameMatch -Name $adapter.name -Pattern $Name)) { continue }
                if ($legacyGiven -and [System.Boolean] $adapter.isLegacy -ne $IsLegacy) { continue }
                ConvertTo-LabNetworkAdapter -Vm $pair.Vm -Adapter $adapter -HostRecord $pair.Host
            }
        }
    }
}
