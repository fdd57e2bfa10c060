function Add-ClusterVirtualMachineRole
{
    <#
        .SYNOPSIS
            Makes a VM on a node of a lab failover cluster highly available, as a VirtualMachine group
            (FailoverClusters' Add-ClusterVirtualMachineRole).
    #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    [OutputType('Microsoft.FailoverClusters.PowerShell.ClusterGroup')]
    param
    (
        [Parameter(Position = 0)]
        [Alias('VirtualMachine')]
        [ValidateNotNullOrEmpty()]
        [System.String]
        $VMName,

        [Parameter()]
        [System.Guid]
        $VMId,

        [Parameter()]
        [ValidateNotNullOrEmpty()]
        [System.String]
        $Name,

        [Parameter(ValueFromPipeline = $true)]
        [System.Management.Automation.PSObject]
        $InputObject,

        [Parameter()]
        [ValidateNotNullOrEmpty()]
        [System.String]
        $Cluster
    )

    process
    {
        # Script-module functions do not see the caller's preference; Hyper-V's cmdlets do.
        if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
        $index = Enter-LabCall
        $record = Resolve-LabCluster -Index $index -Cmdlet $PSCmdlet -Name $Cluster -InputObject $InputObject
        if ($null -eq $record) { return }
        $vm = $null
        foreach ($node in @($record.nodes))
        {
            foreach ($candidate in (Get-LabVmOnHost -Index $index -HostName $node))
            {
                if (($VMName -and $candidate.name -eq $VMName) -or ($PSBoundParameters.ContainsKey('VMId') -and $candidate.id -eq $VMId.ToString())) { $vm = $candidate }
            }
        }
        $what = if ($VMName) { $VMName } else { [System.String] $VMId }
        if ($null -eq $vm)
        {
            $PSCmdlet.WriteError((New-LabErrorRecord -Category ObjectNotFound -ErrorId 'ClusterObjectNotFound' -TargetObject $what `
                -Message "There was an error configuring the virtual machine role.`r`n    The virtual machine '$what' was not found on any node of cluster '$($record.name)'."))
            return
        }
        if ($index.ClusterGroupOfVm.ContainsKey([System.String] $vm.id))
        {
            $PSCmdlet.WriteError((New-LabErrorRecord -Category ResourceExists -ErrorId 'ObjectAlreadyExists' -TargetObject $what `
                -Message "There was an error configuring the virtual machine role.`r`n    The virtual machine '$($vm.name)' is already a clustered role."))
            return
        }
        if (-not $PSCmdlet.ShouldProcess($vm.name, "Add-ClusterVirtualMachineRole to cluster '$($record.name)'")) { return }
        $clusterName = $record.name
        $roleName = if ($Name) { $Name } else { $vm.name }
        $vmRecordId = [System.String] $vm.id
        $vmHost = $vm.host
        $group = Update-LabState {
            param ($state)
            $target = Find-LabClusterRecord -State $state -Name $clusterName
            $vmRecord = Find-LabVmRecord -State $state -Id $vmRecordId -HostName $vmHost
            $added = [pscustomobject][ordered]@{
                name      = $roleName
                id        = [System.Guid]::NewGuid().ToString()
                groupType = 'VirtualMachine'
                ownerNode = $vmRecord.host
                state     = if ($vmRecord.state -eq 'Running') { 'Online' } else { 'Offline' }
                vmId      = $vmRecord.id
            }
            $target.groups = @($target.groups) + $added
            $added
        }
        ConvertTo-LabClusterGroup -Cluster $record -Group $group
    }
}
