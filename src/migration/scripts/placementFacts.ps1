param($Params, $Credential)
# What placement needs of one host that the inventory does not carry, in one round trip: the speed of its
# migration link, and for the VMs asked about, the bytes a shared-nothing move carries (memory of a live
# VM, its VHD files with their parent chains, checkpoints), counted as the move script counts them (Measure-MoveBytes, shared/measureMoveBytes.ps1).
$computer = [string]$Params.ComputerName
$remote = @{ ComputerName = $computer }
$cim = @{ ComputerName = $computer }
if ($Credential) {
    $remote.Credential = $Credential
    $cim = @{ CimSession = (New-CimSession -ComputerName $computer -Credential $Credential) }
}

try {
    $vmHost = Get-VMHost @remote
    # The fastest connected physical adapter (MSFT_NetAdapter Speed, bits per second); the lab's hosts carry
    # their link speed on the VMHost object instead. $null when neither says.
    $linkSpeedBps = $null
    if ($vmHost.PSObject.Properties['LabLinkSpeedBps']) {
        $linkSpeedBps = [int64]$vmHost.LabLinkSpeedBps
    } else {
        try {
            $speeds = @(Get-CimInstance -Namespace 'root\StandardCimv2' -ClassName MSFT_NetAdapter -Filter 'HardwareInterface=TRUE AND MediaConnectState=1' @cim -ErrorAction Stop |
                    ForEach-Object { [int64]$_.Speed } | Where-Object { $_ -gt 0 })
            if ($speeds.Count -gt 0) { $linkSpeedBps = ($speeds | Measure-Object -Maximum).Maximum }
        } catch {
            $linkSpeedBps = $null
        }
    }
} finally {
    # The session opened for a credential is closed, whatever happened (cleanup only: its failure changes nothing).
    if ($cim.CimSession) { try { Remove-CimSession -CimSession $cim.CimSession } catch { $null = $_ } }
}

$vms = @(foreach ($id in @($Params.VmIds)) {
        if ($null -eq $id) { continue }
        $vm = Get-VM -Id ([guid][string]$id) @remote
        $paths = @($vm.HardDrives | Where-Object { $_.Path -and $null -eq $_.DiskNumber } | ForEach-Object { [string]$_.Path })
        $bytes = Measure-MoveBytes $vm $paths $remote
        [pscustomobject]@{
            id              = ([string]$vm.Id).ToLowerInvariant()
            memoryBytes     = $bytes.memoryBytes
            diskBytes       = $bytes.diskBytes
            checkpointBytes = $bytes.checkpointBytes
            vhdCount        = $paths.Count
        }
    })

[pscustomobject]@{ linkSpeedBps = $linkSpeedBps; vms = $vms }
