function Set-HyperVLabTimeScale
{
    <#
        .SYNOPSIS
            Sets how many simulated seconds pass per real second in the lab (clock.timeScale), which
            sets how long a move takes. Demos use the default (10); tests use thousands. Lab only.
    #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param
    (
        [Parameter(Mandatory = $true, Position = 0)]
        [ValidateRange(0.001, 10000000)]
        [System.Double]
        $TimeScale
    )

    if (-not $PSCmdlet.ShouldProcess((Get-LabPath), "Set the lab's time scale to $TimeScale")) { return }
    $null = Update-LabState {
        param ($state)
        if ($null -eq $state.clock) { $state | Add-Member -NotePropertyName 'clock' -NotePropertyValue ([pscustomobject]@{ timeScale = $TimeScale }) -Force }
        else { $state.clock | Add-Member -NotePropertyName 'timeScale' -NotePropertyValue $TimeScale -Force }
    }
}
