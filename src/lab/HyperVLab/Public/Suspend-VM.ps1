function Suspend-VM
{
    <#
        .SYNOPSIS
            Pauses running lab virtual machines (Hyper-V's Suspend-VM): Running -> Paused.
    #>
    [CmdletBinding(DefaultParameterSetName = 'Name', SupportsShouldProcess = $true)]
    [OutputType('Microsoft.HyperV.PowerShell.VirtualMachine')]
    param
    (
        [Parameter(ParameterSetName = 'Name', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [Alias('VMName')]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $Name,

        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [PSTypeName('Microsoft.HyperV.PowerShell.VirtualMachine')]
        [System.Management.Automation.PSObject[]]
        $VM,

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
        $pairs = Resolve-LabVm -Index $index -Cmdlet $PSCmdlet -VM $VM -Name $Name -ComputerName $ComputerName
        foreach ($pair in $pairs)
        {
            if (-not $PSCmdlet.ShouldProcess($pair.Vm.name, 'Suspend-VM')) { continue }
            $vmId = [System.String] $pair.Vm.id
            $hostName = $pair.Host.name
            $result = Update-LabState {
                param ($state)
                $record = Find-LabVmRecord -State $state -Id $vmId -HostName $hostName
                if ($null -eq $record) { return New-LabVmNotFoundError -Name $pair.Vm.name -HostName $hostName }
                return Invoke-LabVmPause -Vm $record -Pause $true
            }
            if ($result -is [System.Management.Automation.ErrorRecord]) { $PSCmdlet.WriteError($result); continue }
            if ($Passthru) { Write-LabVmOutput -Id $vmId -HostName $hostName }
        }
    }
}
