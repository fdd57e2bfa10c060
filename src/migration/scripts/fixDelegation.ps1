param($Params, $Credential)
# Adds the constrained-delegation entries the source's AD computer account lacks for this destination, and
# "use any authentication protocol" (needed since Windows Server 2016).
$ad = Get-ADArgument $Credential
# ---- fix ----
Get-ADComputer -Identity $Params.Account @ad | Set-ADObject -Add @{ 'msDS-AllowedToDelegateTo' = [string[]]$Params.Entries } @ad
Get-ADComputer -Identity $Params.Account @ad | Set-ADAccountControl -TrustedToAuthForDelegation $true @ad
# Takes effect after AD replication and a new Kerberos ticket on the source host: klist purge -li 0x3e7 there, or a reboot.
