function Get-Cluster
{
    <#
        .SYNOPSIS
            Gets a lab failover cluster by its name or a node's name (FailoverClusters' Get-Cluster).
    #>
    [CmdletBinding()]
    [OutputType('Microsoft.FailoverClusters.PowerShell.Cluster')]
    param
    (
        [Parameter(Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [System.String]
        $Name,

        [Parameter()]
        [ValidateNotNullOrEmpty()]
        [System.String]
        $Domain
    )

    process
    {
        # Script-module functions do not see the caller's preference; Hyper-V's cmdlets do.
        if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
        $index = Enter-LabCall
        if ($Domain)
        {
            foreach ($cluster in @($index.State.clusters)) { ConvertTo-LabCluster -Cluster $cluster -State $index.State }
            return
        }
        $cluster = Resolve-LabCluster -Index $index -Cmdlet $PSCmdlet -Name $Name
        if ($null -ne $cluster) { ConvertTo-LabCluster -Cluster $cluster -State $index.State }
    }
}
