# Switches the hosts' live-migration authentication to Kerberos (constrained delegation is checked apart).
Set-VMHost -VirtualMachineMigrationAuthenticationType Kerberos
