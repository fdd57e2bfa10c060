param($Params, $Credential)
# Empties one DVD drive of the VM (selected by Id, not by name) now.
$remote = @{}
if ($Credential) { $remote.Credential = $Credential }
# ---- fix ----
$vm = Get-VM -Id $Params.VmId -ComputerName $Params.Host @remote
$drive = Get-VMDvdDrive -VM $vm | Where-Object { $_.ControllerType -eq $Params.ControllerType -and $_.ControllerNumber -eq $Params.ControllerNumber -and $_.ControllerLocation -eq $Params.ControllerLocation }
if (-not $drive) { throw 'The VM has no DVD drive at that controller location any more.' }
Set-VMDvdDrive -VMDvdDrive $drive -Path $null
