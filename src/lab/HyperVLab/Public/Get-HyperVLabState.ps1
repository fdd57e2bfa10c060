function Get-HyperVLabState
{
    <#
        .SYNOPSIS
            A copy of the whole lab state (see STATE.md), for tests and demos. Changing it changes nothing.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param ()

    $null = Enter-LabCall
    $state = Get-LabState
    return ConvertFrom-Json -InputObject (ConvertTo-Json -InputObject $state -Depth 32 -Compress)
}
