# Lets the host migrate over any of its networks.
Set-VMHost -UseAnyNetworkForMigration $true
