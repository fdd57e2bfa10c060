param($Params, $Credential)
# Adds a subnet the host migrates on.
$remote = @{}
if ($Credential) { $remote.Credential = $Credential }
# ---- fix ----
$null = Add-VMMigrationNetwork -Subnet $Params.Subnet -ComputerName $Params.Host @remote
