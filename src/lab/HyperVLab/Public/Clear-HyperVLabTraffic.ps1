function Clear-HyperVLabTraffic
{
    <#
        .SYNOPSIS
            Starts Get-HyperVLabTraffic's counts again from zero. Lab only.
    #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param ()

    $path = Get-LabPath
    if ($PSCmdlet.ShouldProcess($path + '.traffic*', 'Clear the lab traffic counts'))
    {
        foreach ($file in (Get-LabTrafficFile -Path $path)) { [System.IO.File]::Delete($file) }
    }
}
