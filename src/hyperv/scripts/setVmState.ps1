param($Params, $Credential)
# Starts, shuts down, turns off or saves one VM, found by its Id (names may hold wildcard characters), in one
# round trip in the host's session (Invoke-OnHost, hostSession.ps1).
$after = Invoke-OnHost -ComputerName ([string]$Params.ComputerName) -Credential $Credential -ArgumentList ([string]$Params.Id), ([string]$Params.Action) -ScriptBlock {
    param([string]$Id, [string]$Action)
    $ErrorActionPreference = 'Stop'
    $vm = Get-VM -Id ([guid]$Id)
    switch ($Action) {
        'Start' { $vm | Start-VM }
        'ShutDown' { $vm | Stop-VM -Force }
        'TurnOff' { $vm | Stop-VM -TurnOff -Force }
        'Save' { $vm | Stop-VM -Save -Force }
        default { throw "Unknown action '$Action'." }
    }
    $after = Get-VM -Id ([guid]$Id)
    [pscustomobject]@{ state = [string]$after.State; status = [string]$after.Status }
}
# Remoting adds PSComputerName and RunspaceId to what comes back: the answer is only the state.
[pscustomobject]@{ state = [string]$after.state; status = [string]$after.status }
