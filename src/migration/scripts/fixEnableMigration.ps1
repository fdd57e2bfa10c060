param($Params, $Credential)
# Lets the host send and receive live migrations.
# ---- fix ----
Invoke-OnHost -ComputerName $Params.Host -Credential $Credential -ScriptBlock {
    Enable-VMMigration
}
