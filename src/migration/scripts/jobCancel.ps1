param($Params, $Credential)
# Cancels a move on its source host, the way Hyper-V offers it to any process: RequestStateChange
# (4, Terminate) on the move's Msvm_MigrationJob. ReturnValue 0 (or 4096, started) when it was running,
# 4097 when it had already ended.
$cim = @{ ComputerName = [string]$Params.source }
if ($Credential) { $cim = @{ CimSession = (New-CimSession -ComputerName ([string]$Params.source) -Credential $Credential) } }
try {
    $job = @(Get-CimInstance -Namespace 'root\virtualization\v2' -ClassName Msvm_MigrationJob @cim |
            Where-Object { [string]$_.InstanceID -eq [string]$Params.jobId })
    if ($job.Count -eq 0) { return [pscustomobject]@{ found = $false; returnValue = $null } }
    $result = Invoke-CimMethod -InputObject $job[0] -MethodName RequestStateChange -Arguments @{ RequestedState = [uint16]4 }
    [pscustomobject]@{ found = $true; returnValue = [int]$result.ReturnValue }
} finally {
    # The session opened for a credential is closed, whatever happened (cleanup only: its failure changes nothing).
    if ($cim.CimSession) { try { Remove-CimSession -CimSession $cim.CimSession } catch { $null = $_ } }
}
