function Stop-VM
{
    <#
        .SYNOPSIS
            Shuts down, turns off or saves lab virtual machines (Hyper-V's Stop-VM).
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
        $Save,

        [Parameter()]
        [System.Management.Automation.SwitchParameter]
        $TurnOff,

        [Parameter()]
        [System.Management.Automation.SwitchParameter]
        $Force,

        [Parameter()]
        [System.Management.Automation.SwitchParameter]
        $Passthru
    )

    process
    {
        # Script-module functions do not see the caller's preference; Hyper-V's cmdlets do.
        if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
        $mode = if ($Save) { 'Save' } elseif ($TurnOff) { 'TurnOff' } else { 'ShutDown' }
        $forced = [System.Boolean] $Force
        Invoke-LabVmChange -Cmdlet $PSCmdlet -Operation 'Stop-VM' -VM $VM -Name $Name -ComputerName $ComputerName -Passthru $Passthru -Change {
            param ($state, $record)
            Invoke-LabVmStop -State $state -Vm $record -Mode $mode -Force $forced
        }
    }
}
