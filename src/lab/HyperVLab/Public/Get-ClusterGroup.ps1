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
        Invoke-LabClusterCall -Cmdlet $PSCmdlet -Cluster $Cluster -InputObject $InputObject -Part {
            param ($record)
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
                $PSCmdlet.WriteError((New-LabClusterGroupNotFoundError -Name $Name[0] -Cluster $record))
            }
        }
    }
}
