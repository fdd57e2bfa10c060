# Failover clustering as the lab simulates it: clusters of lab hosts whose groups (roles) include
# the clustered VMs. A VM is clustered while a VirtualMachine group names its id.

function Resolve-LabCluster
{
    # The cluster named by -Cluster (cluster name, FQDN or a node's name), by an object carrying a
    # cluster name, or the local host's cluster. Writes the cluster service's error when none answers.
    param ([System.Object] $Index, [System.Management.Automation.PSCmdlet] $Cmdlet, [System.String] $Name, [System.Object] $InputObject)

    $key = $Name
    if ($null -ne $InputObject)
    {
        if ($InputObject.PSObject.TypeNames -contains 'Microsoft.FailoverClusters.PowerShell.Cluster') { $key = [System.String] $InputObject.Name }
        elseif ($InputObject.PSObject.Properties['Cluster']) { $key = [System.String] $InputObject.Cluster }
    }
    if ([System.String]::IsNullOrEmpty($key)) { $key = Get-LabLocalHostName -Index $Index }
    $cluster = $null
    if (-not $Index.Clusters.TryGetValue($key, [ref] $cluster))
    {
        $null = $Index.ClusterOfNode.TryGetValue($key, [ref] $cluster)
        if ($null -eq $cluster -and $Index.Hosts.ContainsKey($key)) { $null = $Index.ClusterOfNode.TryGetValue($Index.Hosts[$key].name, [ref] $cluster) }
    }
    if ($null -eq $cluster)
    {
        $Cmdlet.WriteError((New-LabErrorRecord -Category ConnectionError -ErrorId 'ClusterCmdletNotInCluster' -TargetObject $key `
            -Message "The cluster service is not running. Make sure that the service is running on all nodes in the cluster.`r`n    There are no more endpoints available from the endpoint mapper"))
        return $null
    }
    $reachable = $false
    foreach ($node in @($cluster.nodes))
    {
        $fault = Get-LabFault -State $Index.State -HostName $node
        if ($null -eq $fault -or -not $fault.unreachable) { $reachable = $true }
    }
    if (-not $reachable)
    {
        $Cmdlet.WriteError((New-LabUnreachableError -HostName $cluster.name))
        return $null
    }
    return $cluster
}

function Invoke-LabClusterCall
{
    # The cluster cmdlets that act on one cluster (-Cluster, or the cluster of -InputObject): the cluster
    # Resolve-LabCluster finds (it writes the cluster service's error when none answers), then the block on it. The
    # block gets the cluster's record and the index, and runs in the cmdlet's scope (it sees its parameters, not
    # its $PSBoundParameters).
    param ([System.Management.Automation.PSCmdlet] $Cmdlet, [System.String] $Cluster, [System.Object] $InputObject, [System.Management.Automation.ScriptBlock] $Part)

    $labClusterIndex = Enter-LabCall
    $labClusterRecord = Resolve-LabCluster -Index $labClusterIndex -Cmdlet $Cmdlet -Name $Cluster -InputObject $InputObject
    if ($null -ne $labClusterRecord) { & $Part $labClusterRecord $labClusterIndex }
}

function New-LabClusterGroupNotFoundError
{
    # Get-ClusterGroup and Remove-ClusterGroup for a group the cluster does not have.
    param ([System.String] $Name, [System.Object] $Cluster)

    return New-LabErrorRecord -Category ObjectNotFound -ErrorId 'ClusterObjectNotFound' -TargetObject $Name `
        -Message "An error occurred while trying to find group '$Name' in cluster '$($Cluster.name)'.`r`n    The cluster group could not be found."
}

function New-LabVmRoleError
{
    # Add-ClusterVirtualMachineRole's refusals: the cluster's sentence, then the reason on a line of its own.
    param ([System.Management.Automation.ErrorCategory] $Category, [System.String] $ErrorId, [System.String] $VMName, [System.String] $Reason, [System.String] $ExceptionType = 'System.InvalidOperationException')

    return New-LabErrorRecord -Category $Category -ErrorId $ErrorId -TargetObject $VMName -ExceptionType $ExceptionType `
        -Message "There was an error configuring the virtual machine role.`r`n    $Reason"
}

function ConvertTo-LabCluster
{
    param ([System.Object] $Cluster, [System.Object] $State)

    $object = [pscustomobject][ordered]@{
        Name              = $Cluster.name
        Id                = [System.String] $Cluster.id
        Domain            = $State.domain.name
        Fqdn              = $Cluster.fqdn
        SharedVolumesRoot = 'C:\ClusterStorage'
    }
    return Add-LabTypeName -Object $object -TypeName 'Microsoft.FailoverClusters.PowerShell.Cluster'
}

function ConvertTo-LabClusterNode
{
    param ([System.Object] $Cluster, [System.String] $Node, [System.Object] $State, [System.Int32] $Number)

    $fault = Get-LabFault -State $State -HostName $Node
    $object = [pscustomobject][ordered]@{
        Name          = $Node
        NodeName      = $Node
        Id            = [System.String] $Number
        State         = if ($null -ne $fault -and $fault.unreachable) { 'Down' } else { 'Up' }
        Cluster       = $Cluster.name
        NodeWeight    = 1
        DynamicWeight = 1
    }
    return Add-LabTypeName -Object $object -TypeName 'Microsoft.FailoverClusters.PowerShell.ClusterNode'
}

function ConvertTo-LabClusterGroup
{
    param ([System.Object] $Cluster, [System.Object] $Group)

    $object = [pscustomobject][ordered]@{
        Name        = $Group.name
        Id          = [System.String] $Group.id
        OwnerNode   = $Group.ownerNode
        State       = $Group.state
        GroupType   = $Group.groupType
        Cluster     = $Cluster.name
        IsCoreGroup = ($Group.groupType -in 'Cluster', 'AvailableStorage')
        Priority    = 2000
        LabVmId     = $Group.vmId
    }
    return Add-LabTypeName -Object $object -TypeName 'Microsoft.FailoverClusters.PowerShell.ClusterGroup'
}

function Find-LabClusterRecord
{
    param ([System.Object] $State, [System.String] $Name)

    foreach ($c in @($State.clusters)) { if ($c.name -eq $Name) { return $c } }
    return $null
}
