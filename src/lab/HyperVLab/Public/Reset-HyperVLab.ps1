function Reset-HyperVLab
{
    <#
        .SYNOPSIS
            Restores the lab file (HYPERV_LAB_PATH, or -Path) to the template it was made from.
            A file that cannot be read is left as it is: replace it with New-HyperVLab -Force.
    #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    [OutputType([System.IO.FileInfo])]
    param
    (
        [Parameter(Position = 0)]
        [System.String]
        $Path
    )

    # Script-module functions do not see the caller's preference; Hyper-V's cmdlets do.
    if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
    if ($Path)
    {
        $full = $PSCmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
    }
    else
    {
        $full = Get-LabPath
    }
    $current = Read-LabFile -Path $full
    $template = $current.template
    $hosts = if ($template.hosts) { [System.Int32] $template.hosts } else { 0 }
    $perHost = if ($template.vmsPerHost) { [System.Int32] $template.vmsPerHost } else { 0 }
    $state = New-LabTemplateState -Template $template.name -Hosts $hosts -VmsPerHost $perHost
    # The network costs are how the lab is run, not what it holds: they survive a reset.
    $state.network = New-LabNetworkRecord -ConnectLatencyMs (Get-LabNetwork -State $current).connectLatencyMs -CallLatencyMs (Get-LabNetwork -State $current).callLatencyMs
    if ($PSCmdlet.ShouldProcess($full, "Restore the '$($template.name)' lab"))
    {
        Save-LabState -Path $full -State $state
        Get-Item -LiteralPath $full
    }
}
