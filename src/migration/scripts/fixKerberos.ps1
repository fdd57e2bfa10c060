param($Params, $Credential)
# Switches the hosts' live-migration authentication to Kerberos (constrained delegation is checked apart).
# ---- fix ----
foreach ($computer in $Params.Hosts) {
    Invoke-OnHost -ComputerName $computer -Credential $Credential -ScriptBlock {
        Set-VMHost -VirtualMachineMigrationAuthenticationType Kerberos
    }
}
