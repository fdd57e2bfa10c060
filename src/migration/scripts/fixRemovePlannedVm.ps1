# Removes the planned VM a failed move left on the destination, as Hyper-V admins do: DestroySystem of the
# host's Msvm_VirtualSystemManagementService on its Msvm_PlannedComputerSystem.
param($VmId)
# A remoting session starts with ErrorActionPreference Continue: the first error stops here, not the step after.
$ErrorActionPreference = 'Stop'
$planned = Get-CimInstance -Namespace 'root\virtualization\v2' -ClassName Msvm_PlannedComputerSystem | Where-Object Name -eq $VmId | Select-Object -First 1
if (-not $planned) { throw 'No planned virtual machine with this Id is left on the host.' }
$service = Get-CimInstance -Namespace 'root\virtualization\v2' -ClassName Msvm_VirtualSystemManagementService
$result = Invoke-CimMethod -InputObject $service -MethodName DestroySystem -Arguments @{ AffectedSystem = $planned }
if ($result.ReturnValue -notin 0, 4096) { throw "DestroySystem failed with return value $($result.ReturnValue)." }
