param($Params, $Credential)
# Cancels a move on its source host, the way Hyper-V offers it to any process: RequestStateChange
# (4, Terminate) on the move's Msvm_MigrationJob, in one round trip in the source's session. ReturnValue 0
# (or 4096, started) when it was running, 4097 when it had already ended.
$answer = Invoke-OnHost -ComputerName ([string]$Params.source) -Credential $Credential -ArgumentList ([string]$Params.jobId) -ScriptBlock {
    param([string]$JobId)
    $job = @(Get-CimInstance -Namespace 'root\virtualization\v2' -ClassName Msvm_MigrationJob | Where-Object { [string]$_.InstanceID -eq $JobId })
    if ($job.Count -eq 0) { return ConvertTo-Json -InputObject ([ordered]@{ found = $false; returnValue = $null }) -Compress }
    $result = Invoke-CimMethod -InputObject $job[0] -MethodName RequestStateChange -Arguments @{ RequestedState = [uint16]4 }
    ConvertTo-Json -InputObject ([ordered]@{ found = $true; returnValue = [int]$result.ReturnValue }) -Compress
}
__HvlmFromJson ([string]$answer)
