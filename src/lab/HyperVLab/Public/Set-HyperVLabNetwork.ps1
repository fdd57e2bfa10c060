function Set-HyperVLabNetwork
{
    <#
        .SYNOPSIS
            Sets the lab's network costs (STATE.md, "Remoting sessions and network cost"): -ConnectLatencyMs for
            every new connection to a host (New-PSSession, Invoke-Command -ComputerName, New-CimSession, a
            cmdlet given -ComputerName), -CallLatencyMs for every call in an open session (Invoke-Command
            -Session). Stored in the lab file, so every process using the lab pays them. Lab only.
    #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param
    (
        [Parameter()]
        [ValidateRange(0, 600000)]
        [System.Int32]
        $ConnectLatencyMs,

        [Parameter()]
        [ValidateRange(0, 600000)]
        [System.Int32]
        $CallLatencyMs
    )

    if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
    $bound = $PSBoundParameters
    if (-not $PSCmdlet.ShouldProcess((Get-LabPath), 'Set the lab network costs')) { return }
    $null = Update-LabState {
        param ($state)
        $now = Get-LabNetwork -State $state
        $connect = if ($bound.ContainsKey('ConnectLatencyMs')) { $bound.ConnectLatencyMs } else { $now.connectLatencyMs }
        $call = if ($bound.ContainsKey('CallLatencyMs')) { $bound.CallLatencyMs } else { $now.callLatencyMs }
        $state | Add-Member -NotePropertyName 'network' -NotePropertyValue ([pscustomobject]@{ connectLatencyMs = $connect; callLatencyMs = $call }) -Force
    }
}
