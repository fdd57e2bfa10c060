# Adds a subnet the host migrates on.
param($Subnet)
$null = Add-VMMigrationNetwork -Subnet $Subnet
