param($Params, $Credential)
# Where a clustered VM is and what holds it, in one round trip (before the HA workflow and to verify it):
# the VM (by Id) on the source or the destination, the failover cluster each host is a node of, the VM's
# role (its VirtualMachine cluster group) in either cluster, the destination's default VM folder and, when
# the destination is a cluster node, its cluster shared volumes (Win32_Volume mounted under C:\ClusterStorage\).
$vmKey = [guid][string]$Params.VmId
$source = [string]$Params.Source
$destination = [string]$Params.Destination

# What one host holds, in one round trip in its session, as JSON text: the VM (by Id) when asked, the default VM
# folder and the cluster shared volumes when asked. A part that fails is reported as its problem; the others stand.
$look = {
    param([string]$VmId, [bool]$Vm, [bool]$Details, [bool]$Volumes)
    $key = [guid]$VmId
    $answer = [ordered]@{ vm = $null; vmProblem = $null; vmPath = $null; vmPathProblem = $null; volumes = $null; volumesProblem = $null }
    if ($Vm) {
        try {
            $found = @(Get-VM -ErrorAction Stop | Where-Object { [guid]$_.Id -eq $key })[0]
            if ($null -ne $found) {
                $answer.vm = [ordered]@{ name = [string]$found.Name; state = [string]$found.State; status = [string]$found.Status; isClustered = [bool]$found.IsClustered }
            }
        } catch {
            $answer.vmProblem = $_.Exception.Message
        }
    }
    if ($Details) {
        try { $answer.vmPath = [string](Get-VMHost -ErrorAction Stop).VirtualMachinePath } catch { $answer.vmPathProblem = $_.Exception.Message }
    }
    # A cluster shared volume is mounted on every node as a folder under C:\ClusterStorage\ (Microsoft Learn,
    # "Use Cluster Shared Volumes in a failover cluster"); Win32_Volume lists volumes mounted in folders too.
    if ($Volumes) {
        try {
            $answer.volumes = @(Get-CimInstance -ClassName Win32_Volume -Filter 'DriveType=3' -ErrorAction Stop |
                    Where-Object { ([string]$_.Name).StartsWith('C:\ClusterStorage\', [StringComparison]::OrdinalIgnoreCase) } | ForEach-Object { [string]$_.Name })
        } catch {
            $answer.volumesProblem = $_.Exception.Message
        }
    }
    ConvertTo-Json -InputObject $answer -Depth 4 -Compress
}

function Read-HyperVHost([string] $Computer, [bool] $Vm, [bool] $Details, [bool] $Volumes) {
    # $look on $Computer; a host that cannot be reached answers its connection's error for every part asked.
    try {
        __HvlmFromJson ([string](Invoke-OnHost -ComputerName $Computer -Credential $Credential -ScriptBlock $look -ArgumentList ([string]$vmKey), $Vm, $Details, $Volumes))
    } catch {
        $message = $_.Exception.Message
        [pscustomobject]@{ vm = $null; vmProblem = $message; vmPath = $null; vmPathProblem = $message; volumes = $null; volumesProblem = $message }
    }
}

function Get-ClusterName([string] $Computer) {
    # A host that is no cluster node answers like a cluster whose service is down: both mean "no cluster".
    try { [string](Get-Cluster -Name $Computer -ErrorAction Stop).Name } catch { $null }
}

$problems = @()
$located = $null
$seen = Read-HyperVHost $source $true $false $false
if ($seen.vmProblem) { $problems += ('{0}: {1}' -f $source, $seen.vmProblem) }
if ($seen.vm) { $located = [pscustomobject]@{ host = $source; name = $seen.vm.name; state = $seen.vm.state; status = $seen.vm.status; isClustered = $seen.vm.isClustered } }

$sourceCluster = Get-ClusterName $source
$destinationCluster = Get-ClusterName $destination

# The destination's default VM folder and, when it is a cluster node, its shared volumes; the VM too when the
# source does not hold it.
$there = Read-HyperVHost $destination (-not $located) $true ([bool]$destinationCluster)
if (-not $located) {
    if ($there.vmProblem) { $problems += ('{0}: {1}' -f $destination, $there.vmProblem) }
    if ($there.vm) { $located = [pscustomobject]@{ host = $destination; name = $there.vm.name; state = $there.vm.state; status = $there.vm.status; isClustered = $there.vm.isClustered } }
}

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

$destinationVmPath = $there.vmPath
if ($there.vmPathProblem) { $problems += ('{0}: {1}' -f $destination, $there.vmPathProblem) }
$sharedVolumes = $null
if ($destinationCluster) {
    if ($there.volumesProblem) { $problems += ('{0}: {1}' -f $destination, $there.volumesProblem) } else { $sharedVolumes = @($there.volumes) }
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
