param($Params, $Credential)
# Processor compatibility for migration changes only while the VM is off: shut it down, set, start it again.
$remote = @{}
if ($Credential) { $remote.Credential = $Credential }
# ---- fix ----
$vm = Get-VM -Id $Params.VmId -ComputerName $Params.Host @remote
$wasRunning = $vm.State -eq 'Running'
if ($wasRunning) { Stop-VM -VM $vm -Force }
Set-VMProcessor -VM $vm -CompatibilityForMigrationEnabled $true
if ($wasRunning) { Start-VM -VM $vm }
