param($Params, $Credential)
# Lets the host send and receive live migrations.
$remote = @{}
if ($Credential) { $remote.Credential = $Credential }
# ---- fix ----
Enable-VMMigration -ComputerName $Params.Host @remote
