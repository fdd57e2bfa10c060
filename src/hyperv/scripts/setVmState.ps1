param($Params, $Credential)
# Starts, shuts down, turns off or saves one VM, found by its Id (names may hold wildcard characters).
$remote = @{ ComputerName = [string]$Params.ComputerName }
if ($Credential) { $remote.Credential = $Credential }
$vm = Get-VM -Id ([guid][string]$Params.Id) @remote
switch ([string]$Params.Action) {
    'Start' { $vm | Start-VM }
    'ShutDown' { $vm | Stop-VM -Force }
    'TurnOff' { $vm | Stop-VM -TurnOff -Force }
    'Save' { $vm | Stop-VM -Save -Force }
    default { throw "Unknown action '$($Params.Action)'." }
}
$after = Get-VM -Id ([guid][string]$Params.Id) @remote
[pscustomobject]@{ state = [string]$after.State; status = [string]$after.Status }
