function Invoke-Command
{
    <#
        .SYNOPSIS
            Runs a command on lab hosts (PowerShell's Invoke-Command -ComputerName). Lab hosts have no
            remote shell and no Kerberos tickets, so the script block is not run: each host is reached
            (its faults apply: latency, unreachable) and the call succeeds without output. The extension
            uses it for `klist purge -li 0x3e7` after a delegation change.
    #>
    [CmdletBinding()]
    param
    (
        [Parameter(Mandatory = $true, Position = 0)]
        [Alias('Cn')]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $ComputerName,

        [Parameter(Mandatory = $true, Position = 1)]
        [ValidateNotNull()]
        [System.Management.Automation.ScriptBlock]
        $ScriptBlock,

        [Parameter()]
        [Alias('Args')]
        [System.Object[]]
        $ArgumentList,

        [Parameter()]
        [System.Management.Automation.PSCredential]
        $Credential
    )

    # Script-module functions do not see the caller's preference; Hyper-V's cmdlets do.
    if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
    $index = Enter-LabCall
    foreach ($computer in (Resolve-LabComputerName -ComputerName $ComputerName -Index $index))
    {
        $null = Enter-LabHost -ComputerName $computer -Index $index -Cmdlet $PSCmdlet
    }
}
