# Creates the missing switch on the destination: Private (its VMs only) or Internal (its VMs and the host).
param($Name, $Type)
$null = New-VMSwitch -Name $Name -SwitchType $Type
