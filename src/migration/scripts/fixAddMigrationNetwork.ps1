param($Params, $Credential)
# Adds a subnet the host migrates on.
# ---- fix ----
Invoke-OnHost -ComputerName $Params.Host -Credential $Credential -ArgumentList $Params.Subnet -ScriptBlock {
    param($Subnet)
    $null = Add-VMMigrationNetwork -Subnet $Subnet
}
