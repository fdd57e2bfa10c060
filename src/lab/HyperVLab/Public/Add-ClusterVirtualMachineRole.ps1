function Add-ClusterVirtualMachineRole
{
    <#
        .SYNOPSIS
            Makes a VM on a node of a lab failover cluster highly available, as a VirtualMachine group
            (FailoverClusters' Add-ClusterVirtualMachineRole). The cmdlet "cannot be run remotely without
            Credential Security Service Provider (CredSSP) authentication on the server computer" (Microsoft
            Learn): it works on the node that runs the VM (inside Invoke-Command on that node, as Windows Admin
            Center runs it, or in a CredSSP session) and fails anywhere else, the admin's machine included.
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
        $byVmId = $PSBoundParameters.ContainsKey('VMId')
        Invoke-LabClusterCall -Cmdlet $PSCmdlet -Cluster $Cluster -InputObject $InputObject -Part {
            param ($record, $index)
            $vm = $null
            foreach ($node in @($record.nodes))
            {
                foreach ($candidate in (Get-LabVmOnHost -Index $index -HostName $node))
                {
                    if (($VMName -and $candidate.name -eq $VMName) -or ($byVmId -and $candidate.id -eq $VMId.ToString())) { $vm = $candidate }
                }
            }
            $what = if ($VMName) { $VMName } else { [System.String] $VMId }
            if ($null -eq $vm)
            {
                $PSCmdlet.WriteError((New-LabVmRoleError -Category ObjectNotFound -ErrorId 'ClusterObjectNotFound' -VMName $what `
                    -Reason "The virtual machine '$what' was not found on any node of cluster '$($record.name)'."))
                return
            }
            # Run anywhere but on the VM's node (the admin's machine, another node), the cmdlet reaches that node
            # remotely, which it cannot do without CredSSP (an Invoke-Command -Authentication Credssp block can).
            # Assumption: the wording (no source quotes the error).
            $local = Get-LabLocalHostName -Index $index
            $credssp = $null -ne $script:LabRemoteHost -and $script:LabRemoteAuthentication -eq 'Credssp'
            if ($vm.host -ne $local -and -not $credssp)
            {
                $PSCmdlet.WriteError((New-LabVmRoleError -Category PermissionDenied -ErrorId 'ClusterCmdletRemoteAccessDenied' -VMName $what `
                    -ExceptionType 'System.UnauthorizedAccessException' `
                    -Reason "Access is denied: '$local' cannot configure the virtual machine '$($vm.name)' on node '$($vm.host)'. This cmdlet cannot be run remotely without Credential Security Service Provider (CredSSP) authentication on the server computer; run it on '$($vm.host)'."))
                return
            }
            if ($index.ClusterGroupOfVm.ContainsKey([System.String] $vm.id))
            {
                $PSCmdlet.WriteError((New-LabVmRoleError -Category ResourceExists -ErrorId 'ObjectAlreadyExists' -VMName $what `
                    -Reason "The virtual machine '$($vm.name)' is already a clustered role."))
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
}
