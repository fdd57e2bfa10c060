param($Params, $Credential)
# What placement needs of one host that the inventory does not carry, in one round trip in the host's session
# (Invoke-OnHost, hostSession.ps1): the speed of its migration link, and for the VMs asked about, the bytes a
# shared-nothing move carries (memory of a live VM, its VHD files with their parent chains, checkpoints),
# counted as the move script counts them (Measure-MoveBytes, shared/measureMoveBytes.ps1).
$read = {
    param([string[]]$VmIds)
    $ErrorActionPreference = 'Stop'
    $vmHost = Get-VMHost
    # The fastest connected physical adapter (MSFT_NetAdapter Speed, bits per second); the lab's hosts carry
    # their link speed on the VMHost object instead. $null when neither says.
    $linkSpeedBps = $null
    if ($vmHost.PSObject.Properties['LabLinkSpeedBps']) {
        $linkSpeedBps = [int64]$vmHost.LabLinkSpeedBps
    } else {
        try {
            $speeds = @(Get-CimInstance -Namespace 'root\StandardCimv2' -ClassName MSFT_NetAdapter -Filter 'HardwareInterface=TRUE AND MediaConnectState=1' -ErrorAction Stop |
                    ForEach-Object { [int64]$_.Speed } | Where-Object { $_ -gt 0 })
            if ($speeds.Count -gt 0) { $linkSpeedBps = ($speeds | Measure-Object -Maximum).Maximum }
        } catch {
            $linkSpeedBps = $null
        }
    }
    $vms = @(foreach ($id in @($VmIds)) {
            if (-not $id) { continue }
            $vm = Get-VM -Id ([guid]$id)
            $paths = @($vm.HardDrives | Where-Object { $_.Path -and $null -eq $_.DiskNumber } | ForEach-Object { [string]$_.Path })
            $bytes = Measure-MoveBytes $vm $paths
            [ordered]@{
                id              = ([string]$vm.Id).ToLowerInvariant()
                memoryBytes     = $bytes.memoryBytes
                diskBytes       = $bytes.diskBytes
                checkpointBytes = $bytes.checkpointBytes
                vhdCount        = $paths.Count
            }
        })
    # Strings, numbers and arrays only, as JSON text: nothing depends on how deep remoting serializes objects.
    [pscustomobject]@{ facts = ConvertTo-Json -InputObject ([ordered]@{ linkSpeedBps = $linkSpeedBps; vms = $vms }) -Depth 4 -Compress }
}
$vmIds = @(foreach ($id in @($Params.VmIds)) { if ($null -ne $id) { [string]$id } })
$answer = @(Invoke-OnHost -ComputerName ([string]$Params.ComputerName) -Credential $Credential -ScriptBlock $read -ArgumentList (, $vmIds) -Helper 'Measure-MoveBytes')[0]
__HvlmFromJson ([string]$answer.facts)
