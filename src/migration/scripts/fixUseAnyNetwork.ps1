param($Params, $Credential)
# Lets the host migrate over any of its networks.
# ---- fix ----
Invoke-OnHost -ComputerName $Params.Host -Credential $Credential -ScriptBlock {
    Set-VMHost -UseAnyNetworkForMigration $true
}
