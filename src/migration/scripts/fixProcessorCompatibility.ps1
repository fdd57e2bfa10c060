# Processor compatibility for migration changes only while the VM is off (Saved and Paused are not off), so
# every VM that is not off is shut down cleanly, set, and started again: downtime. A paused VM cannot shut
# down, so it is resumed first; a saved VM is started from its saved state first (its guest goes on where it
# was saved, then shuts down cleanly), rather than losing the memory it saved. A VM in any other state
# (starting, stopping, saving, migrating...) is left as it is, with an error.
param($VmId)
# A remoting session starts with ErrorActionPreference Continue: the first error stops here, not the step after.
$ErrorActionPreference = 'Stop'
$vm = Get-VM -Id $VmId
$state = [string]$vm.State
if ($state -notin 'Off', 'Running', 'Paused', 'Saved') { throw "$($vm.Name) is $state; processor compatibility changes only while it is off. Wait until it is running, off, saved or paused, then apply the fix again." }
if ($state -eq 'Paused') { Resume-VM -VM $vm }
if ($state -eq 'Saved') { Start-VM -VM $vm }
if ($state -ne 'Off') { Stop-VM -VM $vm -Force }
Set-VMProcessor -VM $vm -CompatibilityForMigrationEnabled $true
if ($state -ne 'Off') { Start-VM -VM $vm }
