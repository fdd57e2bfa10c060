function Get-CimSession
{
    <#
    .SYNOPSIS
        The lab's stand-in for Get-CimSession: the CIM sessions New-CimSession opened in this PowerShell
        session that Remove-CimSession has not closed ("gets the CIM session objects created in the current
        PowerShell session", https://learn.microsoft.com/powershell/module/cimcmdlets/get-cimsession).
    #>
    [CmdletBinding()]
    param
    (
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = $true)]
        [Alias('CN', 'ServerName')]
        [System.String[]]
        $ComputerName
    )

    foreach ($session in @($script:LabCimSessions | Where-Object { $_ }))
    {
        if (-not $ComputerName -or @($ComputerName | Where-Object { $session.ComputerName -like $_ }).Count -gt 0) { $session }
    }
}
