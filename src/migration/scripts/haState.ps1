param($Params, $Credential)
# Where a clustered VM is and what holds it, in one round trip (before the HA workflow and to verify it):
# the VM (by Id) on the source or the destination, the failover cluster each host is a node of, the VM's
# role (its VirtualMachine cluster group) in either cluster, the destination's default VM folder and, when
# the destination is a cluster node, its cluster shared volumes (Win32_Volume mounted under C:\ClusterStorage\).
$vmKey = [guid][string]$Params.VmId
$source = [string]$Params.Source
$destination = [string]$Params.Destination

function Get-RemoteArgument([string] $Computer) {
    $arguments = @{ ComputerName = $Computer }
    if ($Credential) { $arguments.Credential = $Credential }
    $arguments
}

function Get-ClusterName([string] $Computer) {
    # A host that is no cluster node answers like a cluster whose service is down: both mean "no cluster".
    try { [string](Get-Cluster -Name $Computer -ErrorAction Stop).Name } catch { $null }
}

$problems = @()
$located = $null
foreach ($computer in @($source, $destination)) {
    $remote = Get-RemoteArgument $computer
    try {
        $vm = @(Get-VM @remote -ErrorAction Stop | Where-Object { [guid]$_.Id -eq $vmKey })[0]
    } catch {
        $problems += ('{0}: {1}' -f $computer, $_.Exception.Message)
        continue
    }
    if ($null -eq $vm) { continue }
    $located = [pscustomobject]@{
        host        = $computer
        name        = [string]$vm.Name
        state       = [string]$vm.State
        status      = [string]$vm.Status
        isClustered = [bool]$vm.IsClustered
    }
    break
}

$sourceCluster = Get-ClusterName $source
$destinationCluster = Get-ClusterName $destination
$role = $null
foreach ($cluster in @(@($sourceCluster, $destinationCluster) | Where-Object { $_ } | Select-Object -Unique)) {
    try {
        $groups = @(Get-ClusterGroup -Cluster $cluster -ErrorAction Stop | Where-Object { [string]$_.GroupType -eq 'VirtualMachine' })
    } catch {
        $problems += ('{0}: {1}' -f $cluster, $_.Exception.Message)
        continue
    }
    # The group named for the VM first: a cluster holds many roles, and each look asks the group's owner.
    $name = if ($located) { $located.name } else { $null }
    foreach ($group in @(@($groups | Where-Object { [string]$_.Name -eq $name }) + @($groups | Where-Object { [string]$_.Name -ne $name }))) {
        $groupVm = @(Get-VM -ClusterObject $group -ErrorAction SilentlyContinue | Where-Object { [guid]$_.Id -eq $vmKey })
        if ($groupVm.Count -eq 0) { continue }
        $role = [pscustomobject]@{ cluster = $cluster; name = [string]$group.Name; ownerNode = [string]$group.OwnerNode; state = [string]$group.State }
        break
    }
    if ($role) { break }
}

$destinationVmPath = $null
try {
    $remote = Get-RemoteArgument $destination
    $destinationVmPath = [string](Get-VMHost @remote -ErrorAction Stop).VirtualMachinePath
} catch {
    $problems += ('{0}: {1}' -f $destination, $_.Exception.Message)
}

# A cluster shared volume is mounted on every node as a folder under C:\ClusterStorage\ (Microsoft Learn,
# "Use Cluster Shared Volumes in a failover cluster"); Win32_Volume lists volumes mounted in folders too.
$sharedVolumes = $null
if ($destinationCluster) {
    $cim = @{ ComputerName = $destination }
    try {
        if ($Credential) { $cim = @{ CimSession = (New-CimSession -ComputerName $destination -Credential $Credential) } }
        $sharedVolumes = @(Get-CimInstance -ClassName Win32_Volume -Filter 'DriveType=3' @cim -ErrorAction Stop |
                Where-Object { ([string]$_.Name).StartsWith('C:\ClusterStorage\', [StringComparison]::OrdinalIgnoreCase) } | ForEach-Object { [string]$_.Name })
    } catch {
        $problems += ('{0}: {1}' -f $destination, $_.Exception.Message)
    } finally {
        if ($cim.CimSession) { try { Remove-CimSession -CimSession $cim.CimSession } catch { $null = $_ } }
    }
}

[pscustomobject]@{
    vm                 = $located
    sourceCluster      = $sourceCluster
    destinationCluster = $destinationCluster
    role               = $role
    destinationVmPath  = $destinationVmPath
    sharedVolumes      = $sharedVolumes
    problems           = $problems
}
