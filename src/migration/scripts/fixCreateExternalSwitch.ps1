# Creates the missing switch on the destination as External, on a physical adapter no switch uses yet.
param($Name, $NetAdapter)
$null = New-VMSwitch -Name $Name -NetAdapterInterfaceDescription $NetAdapter -AllowManagementOS $true
