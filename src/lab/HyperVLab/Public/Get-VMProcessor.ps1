function Get-VMProcessor
{
    <#
        .SYNOPSIS
            Gets the processor settings of lab VMs (Hyper-V's Get-VMProcessor).
    #>
    [CmdletBinding(DefaultParameterSetName = 'VMName')]
    [OutputType('Microsoft.HyperV.PowerShell.VMProcessor')]
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

        [Parameter(ParameterSetName = 'VMName')]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $ComputerName,

        [Parameter(ParameterSetName = 'VMName')]
        [System.Management.Automation.PSCredential[]]
        $Credential
    )

    process
    {
        # Script-module functions do not see the caller's preference; Hyper-V's cmdlets do.
        if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
        Get-LabVmPart -Cmdlet $PSCmdlet -VM $VM -VMName $VMName -ComputerName $ComputerName -Part {
            param ($pair, $index)
            # Get-LabView inlined: the tree asks for every VM's processor on every refresh.
            $key = 'processor|{0}|{1}' -f $pair.Host.name, $pair.Vm.id
            $view = $null
            if (-not $index.Views.TryGetValue($key, [ref] $view))
            {
                $view = ConvertTo-LabVMProcessor -Vm $pair.Vm -HostRecord $pair.Host
                $index.Views[$key] = $view
            }
            $view.PSObject.Copy()
        }
    }
}
