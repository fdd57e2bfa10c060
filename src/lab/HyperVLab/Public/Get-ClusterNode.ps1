function Get-ClusterNode
{
    <#
        .SYNOPSIS
            Gets the nodes of a lab failover cluster (FailoverClusters' Get-ClusterNode).
    #>
    [CmdletBinding()]
    [OutputType('Microsoft.FailoverClusters.PowerShell.ClusterNode')]
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
            param ($record, $index)
            $number = 0
            foreach ($node in @($record.nodes))
            {
                $number++
                if (-not (Test-LabNameMatch -Name $node -Pattern $Name)) { continue }
                ConvertTo-LabClusterNode -Cluster $record -Node $node -State $index.State -Number $number
            }
        }
    }
}
