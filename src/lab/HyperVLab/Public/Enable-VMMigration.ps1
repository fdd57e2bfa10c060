function Enable-VMMigration
{
    <#
        .SYNOPSIS
            Enables live migration on lab hosts (Hyper-V's Enable-VMMigration).
    #>
    [CmdletBinding(DefaultParameterSetName = 'ComputerName', SupportsShouldProcess = $true)]
    [OutputType('Microsoft.HyperV.PowerShell.VMHost')]
    param
    (
        [Parameter(ParameterSetName = 'ComputerName', Position = 0)]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $ComputerName,

        [Parameter(ParameterSetName = 'ComputerName', Position = 1)]
        [System.Management.Automation.PSCredential[]]
        $Credential,

        [Parameter()]
        [System.Management.Automation.SwitchParameter]
        $Passthru
    )

    # Script-module functions do not see the caller's preference; Hyper-V's cmdlets do.
    if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
    $index = Enter-LabCall
    foreach ($computer in (Resolve-LabComputerName -ComputerName $ComputerName -Index $index))
    {
        $hostRecord = Enter-LabHost -ComputerName $computer -Index $index -Cmdlet $PSCmdlet
        if ($null -eq $hostRecord -or -not $PSCmdlet.ShouldProcess($hostRecord.name, 'Enable-VMMigration')) { continue }
        $hostName = $hostRecord.name
        Update-LabState {
            param ($state)
            (Find-LabHostRecord -State $state -Name $hostName).migration.enabled = $true
        }
        if ($Passthru)
        {
            $fresh = Get-LabIndex
            ConvertTo-LabVMHost -Index $fresh -HostRecord $fresh.Hosts[$hostName]
        }
    }
}
