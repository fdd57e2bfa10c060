param($Params, $Credential)
# Adds to one source host's AD computer account every constrained-delegation entry it lacks for the
# destinations of the fleet: the migration service and cifs, by short name and FQDN, in one change.
$ad = Get-ADArgument $Credential
# ---- fix ----
Get-ADComputer -Identity $Params.Account @ad | Set-ADObject -Add @{ 'msDS-AllowedToDelegateTo' = [string[]]$Params.Entries } @ad
