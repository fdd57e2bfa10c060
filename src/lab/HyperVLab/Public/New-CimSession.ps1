function New-CimSession
{
    <#
    .SYNOPSIS
        The lab's stand-in for New-CimSession: a session object naming the host, usable with the lab's
        Get-CimInstance -CimSession. The credential is checked for shape only; the lab has no accounts.
        As PowerShell's, the session stays in this PowerShell session, listed by Get-CimSession, until
        Remove-CimSession closes it (https://learn.microsoft.com/powershell/module/cimcmdlets/new-cimsession).
    #>
    [CmdletBinding()]
    param
    (
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = $true)]
        [Alias('CN', 'ServerName')]
        [System.String[]]
        $ComputerName,

        [Parameter()]
        [System.Management.Automation.PSCredential]
        $Credential,

        [Parameter()]
        [System.UInt32]
        $OperationTimeoutSec
    )

    if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
    $index = Enter-LabCall
    foreach ($computer in (Resolve-LabComputerName -ComputerName $ComputerName -Index $index))
    {
        $hostRecord = Enter-LabHost -ComputerName $computer -Index $index -Cmdlet $PSCmdlet
        if ($null -eq $hostRecord) { continue }
        $session = [pscustomobject][ordered]@{
            Name         = 'CimSession{0}' -f [System.Math]::Abs($computer.GetHashCode() % 1000)
            InstanceId   = [System.Guid]::NewGuid()
            ComputerName = $hostRecord.name
            Protocol     = 'WSMAN'
        }
        $null = Add-LabTypeName -Object $session -TypeName 'Microsoft.Management.Infrastructure.CimSession'
        $script:LabCimSessions = @($script:LabCimSessions | Where-Object { $_ }) + $session
        $session
    }
}
