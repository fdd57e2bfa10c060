function Set-VM
{
    <#
        .SYNOPSIS
            Changes lab VMs' settings (Hyper-V's Set-VM): in the lab, what the VM does when its host shuts down and
            starts (-AutomaticStopAction, -AutomaticStartAction, -AutomaticStartDelay in seconds; see Restart-Computer).
            The VM must be off, as for these settings in Hyper-V.
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
        [ValidateSet('Nothing', 'StartIfRunning', 'Start')]
        [System.String]
        $AutomaticStartAction,

        [Parameter()]
        [ValidateSet('TurnOff', 'Save', 'ShutDown')]
        [System.String]
        $AutomaticStopAction,

        [Parameter()]
        [ValidateRange(0, 2147483647)]
        [System.Nullable[System.Int32]]
        $AutomaticStartDelay,

        [Parameter()]
        [System.Management.Automation.SwitchParameter]
        $Passthru
    )

    process
    {
        # Script-module functions do not see the caller's preference; Hyper-V's cmdlets do.
        if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
        $settings = [ordered]@{}
        if ($PSBoundParameters.ContainsKey('AutomaticStartAction')) { $settings.automaticStartAction = $AutomaticStartAction }
        if ($PSBoundParameters.ContainsKey('AutomaticStopAction')) { $settings.automaticStopAction = $AutomaticStopAction }
        if ($PSBoundParameters.ContainsKey('AutomaticStartDelay')) { $settings.automaticStartDelay = [System.Int32] $AutomaticStartDelay }
        Invoke-LabVmChange -Cmdlet $PSCmdlet -Operation 'Set-VM' -VM $VM -Name $Name -ComputerName $ComputerName -Passthru $Passthru -Change {
            param ($state, $record)
            if ($settings.Count -eq 0) { return }
            if ($record.state -ne 'Off') { return New-LabInvalidStateError -Vm $record -Operation 'failed to modify settings.' }
            foreach ($key in $settings.Keys) { $record | Add-Member -NotePropertyName $key -NotePropertyValue $settings[$key] -Force }
        }
    }
}
