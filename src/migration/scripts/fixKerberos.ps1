param($Params, $Credential)
# Switches the hosts' live-migration authentication to Kerberos (constrained delegation is checked apart).
$remote = @{}
if ($Credential) { $remote.Credential = $Credential }
# ---- fix ----
Set-VMHost -ComputerName $Params.Hosts -VirtualMachineMigrationAuthenticationType Kerberos @remote
