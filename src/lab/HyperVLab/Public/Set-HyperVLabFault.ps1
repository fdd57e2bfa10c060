function Set-HyperVLabFault
{
    <#
        .SYNOPSIS
            Writes a fault for a host into the lab: unreachable, added latency per call, or a move that
            fails at a given percent (read by Move-VM; -LeavePlannedVm also leaves a planned VM on the
            destination), or virtual hard disk files the host cannot read (-MissingVhd: Get-VHD answers
            Hyper-V's error for those paths), or the name the host gives itself (-ReportsName: VMHost and VM
            ComputerName and Win32_ComputerSystem say it). -Clear removes the host's faults.
    #>
    [CmdletBinding(DefaultParameterSetName = 'Set', SupportsShouldProcess = $true)]
    param
    (
        [Parameter(Mandatory = $true, Position = 0)]
        [System.String[]]
        $ComputerName,

        [Parameter(ParameterSetName = 'Set')]
        [System.Management.Automation.SwitchParameter]
        $Unreachable,

        [Parameter(ParameterSetName = 'Set')]
        [ValidateRange(0, 600000)]
        [System.Int32]
        $LatencyMs,

        [Parameter(ParameterSetName = 'Set')]
        [ValidateRange(0, 100)]
        [System.Int32]
        $FailMoveAtPercent,

        [Parameter(ParameterSetName = 'Set')]
        [System.String]
        $Message,

        [Parameter(ParameterSetName = 'Set')]
        [System.Management.Automation.SwitchParameter]
        $LeavePlannedVm,

        [Parameter(ParameterSetName = 'Set')]
        [AllowEmptyCollection()]
        [System.String[]]
        $MissingVhd,

        [Parameter(ParameterSetName = 'Set')]
        [ValidatePattern('^[A-Za-z0-9-]{1,63}$')]
        [System.String]
        $ReportsName,

        [Parameter(Mandatory = $true, ParameterSetName = 'Clear')]
        [System.Management.Automation.SwitchParameter]
        $Clear
    )

    # Script-module functions do not see the caller's preference; Hyper-V's cmdlets do.
    if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
    $bound = $PSBoundParameters
    Update-LabHostRecord -Cmdlet $PSCmdlet -ComputerName $ComputerName -Action 'Set lab fault' -Change {
        param ($state, $hostRecord)
        if ($bound.ContainsKey('Clear'))
        {
            if ($null -ne $state.faults -and $null -ne $state.faults.PSObject.Properties[$hostRecord.name]) { $state.faults.PSObject.Properties.Remove($hostRecord.name) }
            return
        }
        $fault = Add-LabFaultRecord -State $state -HostName $hostRecord.name
        if ($bound.ContainsKey('Unreachable')) { $fault.unreachable = [System.Boolean] $bound.Unreachable }
        if ($bound.ContainsKey('LatencyMs')) { $fault.latencyMs = $bound.LatencyMs }
        if ($bound.ContainsKey('FailMoveAtPercent')) { $fault.failMoveAtPercent = $bound.FailMoveAtPercent }
        if ($bound.ContainsKey('Message')) { $fault.failMoveMessage = $bound.Message }
        if ($bound.ContainsKey('MissingVhd')) { $fault | Add-Member -NotePropertyName 'missingVhds' -NotePropertyValue ([System.String[]] @($bound.MissingVhd)) -Force }
        if ($bound.ContainsKey('ReportsName')) { $fault | Add-Member -NotePropertyName 'reportsName' -NotePropertyValue $bound.ReportsName -Force }
        if ($bound.ContainsKey('LeavePlannedVm')) { $fault | Add-Member -NotePropertyName 'leavePlannedVm' -NotePropertyValue ([System.Boolean] $bound.LeavePlannedVm) -Force }
    }
}
