param($Params, $Credential)
# Removes the planned VM a failed move left on the destination, as Hyper-V admins do: DestroySystem of the
# host's Msvm_VirtualSystemManagementService on its Msvm_PlannedComputerSystem.
$cim = @{ ComputerName = $Params.Host }
if ($Credential) { $cim = @{ CimSession = (New-CimSession -ComputerName $Params.Host -Credential $Credential) } }
try {
# ---- fix ----
$planned = Get-CimInstance -Namespace 'root\virtualization\v2' -ClassName Msvm_PlannedComputerSystem @cim | Where-Object Name -eq $Params.VmId | Select-Object -First 1
if (-not $planned) { throw 'No planned virtual machine with this Id is left on the host.' }
$service = Get-CimInstance -Namespace 'root\virtualization\v2' -ClassName Msvm_VirtualSystemManagementService @cim
$result = Invoke-CimMethod -InputObject $service -MethodName DestroySystem -Arguments @{ AffectedSystem = $planned }
if ($result.ReturnValue -notin 0, 4096) { throw "DestroySystem failed with return value $($result.ReturnValue)." }
# ---- end of fix ----
} finally {
    # The session opened for a credential is closed, whatever happened (cleanup only: its failure changes nothing).
    if ($cim.CimSession) { try { Remove-CimSession -CimSession $cim.CimSession } catch { $null = $_ } }
}
