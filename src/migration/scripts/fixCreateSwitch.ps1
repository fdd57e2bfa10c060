param($Params, $Credential)
# Creates the missing switch on the destination: Private (its VMs only) or Internal (its VMs and the host).
$remote = @{}
if ($Credential) { $remote.Credential = $Credential }
# ---- fix ----
$null = New-VMSwitch -Name $Params.SwitchName -SwitchType $Params.SwitchType -ComputerName $Params.Host @remote
