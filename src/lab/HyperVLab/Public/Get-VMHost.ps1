function Get-VMHost
{
    <#
        .SYNOPSIS
            Gets a lab host's Hyper-V settings (Hyper-V's Get-VMHost), with the Lab* facts of STATE.md.
    #>
    [CmdletBinding(DefaultParameterSetName = 'ComputerName')]
    [OutputType('Microsoft.HyperV.PowerShell.VMHost')]
    param
    (
        [Parameter(ParameterSetName = 'ComputerName', Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $ComputerName,

        [Parameter(ParameterSetName = 'ComputerName', Position = 1)]
        [System.Management.Automation.PSCredential[]]
        $Credential
    )

    process
    {
        # Script-module functions do not see the caller's preference; Hyper-V's cmdlets do.
        if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
        Get-LabHostPart -Cmdlet $PSCmdlet -ComputerName $ComputerName -Part {
            param ($hostRecord, $index)
            Get-LabView -Index $index -Key ('host|{0}' -f $hostRecord.name) -Convert { ConvertTo-LabVMHost -Index $index -HostRecord $hostRecord }
        }
    }
}
