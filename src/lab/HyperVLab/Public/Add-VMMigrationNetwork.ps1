function Add-VMMigrationNetwork
{
    <#
        .SYNOPSIS
            Adds a network (subnet in CIDR form) a lab host accepts live migrations on
            (Hyper-V's Add-VMMigrationNetwork).
    #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    [OutputType('Microsoft.HyperV.PowerShell.VMMigrationNetwork')]
    param
    (
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [System.String]
        $Subnet,

        [Parameter(Position = 1)]
        [System.UInt32]
        $Priority = 0,

        [Parameter()]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $ComputerName,

        [Parameter()]
        [System.Management.Automation.PSCredential[]]
        $Credential,

        [Parameter()]
        [System.Management.Automation.SwitchParameter]
        $Passthru
    )

    process
    {
        # Script-module functions do not see the caller's preference; Hyper-V's cmdlets do.
        if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
        if ($Subnet -notmatch '^(\d{1,3}\.){3}\d{1,3}/\d{1,2}$' -and $Subnet -notmatch '^[0-9A-Fa-f:]+/\d{1,3}$')
        {
            $PSCmdlet.WriteError((New-LabErrorRecord -Category InvalidArgument -ErrorId 'InvalidParameter' -TargetObject $Subnet `
                -ExceptionType 'System.ArgumentException' -Message "The subnet '$Subnet' is not valid. Specify an IP address and prefix length, for example 10.10.1.0/24."))
            return
        }
        Invoke-LabHostChange -Cmdlet $PSCmdlet -Operation "Add migration network $Subnet" -ComputerName $ComputerName -Passthru $Passthru -Change {
            param ($state, $target)
            foreach ($existing in @($target.migration.networks))
            {
                if ($existing.subnet -eq $Subnet)
                {
                    return New-LabErrorRecord -Category ResourceExists -ErrorId 'ObjectAlreadyExists' -TargetObject $Subnet `
                        -Message "The migration network '$Subnet' already exists on '$($target.name)'."
                }
            }
            $added = [pscustomobject]@{ subnet = $Subnet; priority = [System.Int64] $Priority }
            $target.migration.networks = @($target.migration.networks) + $added
            $added
        } -Output {
            param ($network, $hostRecord)
            ConvertTo-LabMigrationNetwork -Network $network -HostRecord $hostRecord
        }
    }
}
