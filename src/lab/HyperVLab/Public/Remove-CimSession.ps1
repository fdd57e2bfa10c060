function Remove-CimSession
{
    <#
    .SYNOPSIS
        The lab's stand-in for Remove-CimSession: closes CIM sessions New-CimSession opened, so Get-CimSession
        no longer lists them ("removes one or more CIM sessions", https://learn.microsoft.com/powershell/module/cimcmdlets/remove-cimsession).
        A session already removed is not an error (assumption: nothing the extension relies on).
    #>
    [CmdletBinding()]
    param
    (
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNull()]
        [System.Management.Automation.PSObject[]]
        $CimSession
    )

    process
    {
        $closing = @($CimSession | ForEach-Object { $_.InstanceId })
        $script:LabCimSessions = @($script:LabCimSessions | Where-Object { $_ -and $closing -notcontains $_.InstanceId })
    }
}
