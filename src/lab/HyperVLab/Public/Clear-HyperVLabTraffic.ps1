function Clear-HyperVLabTraffic
{
    <#
        .SYNOPSIS
            Starts Get-HyperVLabTraffic's counts again from zero. Lab only.
    #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param ()

    $path = Get-LabTrafficPath
    if ($PSCmdlet.ShouldProcess($path, 'Clear the lab traffic counts')) { [System.IO.File]::Delete($path) }
}
