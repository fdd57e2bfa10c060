# Empties one DVD drive of the VM (selected by Id, not by name) now.
param($VmId, $ControllerType, $ControllerNumber, $ControllerLocation)
# A remoting session starts with ErrorActionPreference Continue: the first error stops here, not the step after.
$ErrorActionPreference = 'Stop'
$vm = Get-VM -Id $VmId
$drive = Get-VMDvdDrive -VM $vm | Where-Object { $_.ControllerType -eq $ControllerType -and $_.ControllerNumber -eq $ControllerNumber -and $_.ControllerLocation -eq $ControllerLocation }
if (-not $drive) { throw 'The VM has no DVD drive at that controller location any more.' }
Set-VMDvdDrive -VMDvdDrive $drive -Path $null
