param($Params, $Credential)
# Turns on "use any authentication protocol" for the source's constrained delegation.
$ad = Get-ADArgument $Credential
# ---- fix ----
Get-ADComputer -Identity $Params.Account @ad | Set-ADAccountControl -TrustedToAuthForDelegation $true @ad
# Takes effect after AD replication and a new Kerberos ticket on the source host: klist purge -li 0x3e7 there, or a reboot.
