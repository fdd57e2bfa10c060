param($Params, $Credential)
# Creates the missing switch on the destination: Private (its VMs only) or Internal (its VMs and the host).
# ---- fix ----
Invoke-OnHost -ComputerName $Params.Host -Credential $Credential -ArgumentList $Params.SwitchName, $Params.SwitchType -ScriptBlock {
    param($Name, $Type)
    $null = New-VMSwitch -Name $Name -SwitchType $Type
}
