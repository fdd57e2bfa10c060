param($Params, $Credential)
# Lets the host migrate over any of its networks.
$remote = @{}
if ($Credential) { $remote.Credential = $Credential }
# ---- fix ----
Set-VMHost -ComputerName $Params.Host -UseAnyNetworkForMigration $true @remote
