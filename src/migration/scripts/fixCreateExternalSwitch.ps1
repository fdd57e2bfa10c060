param($Params, $Credential)
# Creates the missing switch on the destination as External, on a physical adapter no switch uses yet.
# ---- fix ----
Invoke-OnHost -ComputerName $Params.Host -Credential $Credential -ArgumentList $Params.SwitchName, $Params.NetAdapter -ScriptBlock {
    param($Name, $NetAdapter)
    $null = New-VMSwitch -Name $Name -NetAdapterInterfaceDescription $NetAdapter -AllowManagementOS $true
}
