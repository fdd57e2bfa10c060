function Remove-CimSession
{
    <#
    .SYNOPSIS
        The lab's stand-in for Remove-CimSession: closes CIM sessions New-CimSession opened, so Get-CimSession
        no longer lists them ("removes one or more CIM sessions", https://learn.microsoft.com/powershell/module/cimcmdlets/remove-cimsession).
        A session this PowerShell session no longer holds (removed already) is not removed again: each writes
        `Could not find CimSession with the given CimSession = {CimSession Object}` (CimException, ObjectNotFound,
        empty error id), as PowerShell's CimSessionState.QuerySession does (CimCmdlets CimSessionOperations.cs,
        text CouldNotFindCimsessionObject); the others are removed.
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
        # Script-module functions do not see the caller's preference; PowerShell's cmdlets do.
        if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
        $open = @($script:LabCimSessions | Where-Object { $_ } | ForEach-Object { $_.InstanceId })
        foreach ($session in $CimSession)
        {
            if ($open -contains $session.InstanceId) { continue }
            $PSCmdlet.WriteError((New-LabErrorRecord -Category ObjectNotFound -ErrorId '' -ExceptionType 'Microsoft.Management.Infrastructure.CimException' `
                        -Message 'Could not find CimSession with the given CimSession = {CimSession Object}'))
        }
        $closing = @($CimSession | ForEach-Object { $_.InstanceId })
        $script:LabCimSessions = @($script:LabCimSessions | Where-Object { $_ -and $closing -notcontains $_.InstanceId })
    }
}
