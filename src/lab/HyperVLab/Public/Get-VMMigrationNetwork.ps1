function Get-VMMigrationNetwork
{
    <#
        .SYNOPSIS
            Gets the networks a lab host accepts live migrations on (Hyper-V's Get-VMMigrationNetwork).
    #>
    [CmdletBinding()]
    [OutputType('Microsoft.HyperV.PowerShell.VMMigrationNetwork')]
    param
    (
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $Subnet,

        [Parameter()]
        [System.UInt32[]]
        $Priority,

        [Parameter(ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $ComputerName,

        [Parameter()]
        [System.Management.Automation.PSCredential[]]
        $Credential
    )

    process
    {
        # Script-module functions do not see the caller's preference; Hyper-V's cmdlets do.
        if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
        Get-LabHostPart -Cmdlet $PSCmdlet -ComputerName $ComputerName -Part {
            param ($hostRecord, $index)
            foreach ($network in @($hostRecord.migration.networks))
            {
                if (-not (Test-LabNameMatch -Name $network.subnet -Pattern $Subnet)) { continue }
                if ($null -ne $Priority -and $Priority.Count -gt 0 -and [System.UInt32] $network.priority -notin $Priority) { continue }
                Get-LabView -Index $index -Key ('migrationNetwork|{0}|{1}|{2}' -f $hostRecord.name, $network.subnet, $network.priority) -Convert { ConvertTo-LabMigrationNetwork -Network $network -HostRecord $hostRecord }
            }
        }
    }
}
