function Get-ClusterGroup
{
    <#
        .SYNOPSIS
            Gets the groups (roles) of a lab failover cluster, or those a node owns (FailoverClusters'
            Get-ClusterGroup). A clustered VM's group has GroupType VirtualMachine.
    #>
    [CmdletBinding()]
    [OutputType('Microsoft.FailoverClusters.PowerShell.ClusterGroup')]
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
        $owner = $null
        if ($null -ne $InputObject -and $InputObject.PSObject.TypeNames -contains 'Microsoft.FailoverClusters.PowerShell.ClusterNode') { $owner = $InputObject.Name }
        $found = $false
        foreach ($group in @($record.groups))
        {
            if ($owner -and $group.ownerNode -ne $owner) { continue }
            if (-not (Test-LabNameMatch -Name $group.name -Pattern $Name)) { continue }
            $found = $true
            ConvertTo-LabClusterGroup -Cluster $record -Group $group
        }
        if (-not $found -and $Name -and -not [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($Name[0]))
        {
            $PSCmdlet.WriteError((New-LabErrorRecord -Category ObjectNotFound -ErrorId 'ClusterObjectNotFound' -TargetObject $Name[0] `
                -Message "An error occurred while trying to find group '$($Name[0])' in cluster '$($record.name)'.`r`n    The cluster group could not be found."))
        }
    }
}
