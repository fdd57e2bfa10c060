function Remove-ClusterGroup
{
    <#
        .SYNOPSIS
            Removes a group (role) from a lab failover cluster (FailoverClusters' Remove-ClusterGroup).
            A VM's group holds its resources: -RemoveResources removes them with it, and the VM stays
            on its node, no longer clustered. Asks for confirmation unless -Force.
    #>
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param
    (
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $Name,

        [Parameter(ValueFromPipeline = $true)]
        [System.Management.Automation.PSObject]
        $InputObject,

        [Parameter()]
        [System.Guid]
        $VMId,

        [Parameter()]
        [ValidateNotNullOrEmpty()]
        [System.String]
        $Cluster,

        [Parameter()]
        [System.Management.Automation.SwitchParameter]
        $RemoveResources,

        [Parameter()]
        [System.Management.Automation.SwitchParameter]
        $Force
    )

    process
    {
        # Script-module functions do not see the caller's preference; Hyper-V's cmdlets do.
        if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
        $byVmId = $PSBoundParameters.ContainsKey('VMId')
        Invoke-LabClusterCall -Cmdlet $PSCmdlet -Cluster $Cluster -InputObject $InputObject -Part {
            param ($record)
            $wanted = @()
            if ($null -ne $InputObject -and $InputObject.PSObject.TypeNames -contains 'Microsoft.FailoverClusters.PowerShell.ClusterGroup') { $wanted += [System.String] $InputObject.Name }
            if ($Name) { $wanted += $Name }
            $groups = @(foreach ($group in @($record.groups))
                {
                    if (($wanted.Count -gt 0 -and $group.name -in $wanted) -or ($byVmId -and $group.vmId -eq $VMId.ToString())) { $group }
                })
            if ($groups.Count -eq 0)
            {
                $what = if ($wanted.Count -gt 0) { $wanted[0] } else { [System.String] $VMId }
                $PSCmdlet.WriteError((New-LabClusterGroupNotFoundError -Name $what -Cluster $record))
                return
            }
            foreach ($group in $groups)
            {
                if ($group.groupType -in 'Cluster', 'AvailableStorage')
                {
                    $PSCmdlet.WriteError((New-LabErrorRecord -Category InvalidOperation -ErrorId 'InvalidOperation' -TargetObject $group.name `
                        -Message "An error occurred while removing group '$($group.name)'.`r`n    The cluster core group cannot be deleted."))
                    continue
                }
                if ($group.groupType -eq 'VirtualMachine' -and -not $RemoveResources)
                {
                    $PSCmdlet.WriteError((New-LabErrorRecord -Category InvalidOperation -ErrorId 'InvalidOperation' -TargetObject $group.name `
                        -Message "An error occurred while removing group '$($group.name)'.`r`n    The group is not empty: it contains resources. Use -RemoveResources to remove them with the group."))
                    continue
                }
                if (-not $Force -and -not $PSCmdlet.ShouldProcess($group.name, "Remove-ClusterGroup from cluster '$($record.name)'")) { continue }
                $clusterName = $record.name
                $groupId = $group.id
                Update-LabState {
                    param ($state)
                    $target = Find-LabClusterRecord -State $state -Name $clusterName
                    $target.groups = @($target.groups | Where-Object { $_.id -ne $groupId })
                }
            }
        }
    }
}
