param($Params, $Credential)
# Creates the missing switch on the destination as External, on a physical adapter no switch uses yet.
$remote = @{}
if ($Credential) { $remote.Credential = $Credential }
# ---- fix ----
$null = New-VMSwitch -Name $Params.SwitchName -NetAdapterInterfaceDescription $Params.NetAdapter -AllowManagementOS $true -ComputerName $Params.Host @remote
