function New-HyperVLab
{
    <#
        .SYNOPSIS
            Writes a fresh lab file from a template: Default (HV01..HV06, CL1) or Scale (30 hosts, 250 VMs,
            or -Hosts n -VmsPerHost m). -ConnectLatencyMs and -CallLatencyMs set the lab's network costs (a new
            connection to a host, a call in an open session); without them the environment's
            HYPERV_LAB_CONNECT_LATENCY_MS / HYPERV_LAB_CALL_LATENCY_MS, else 300 and 50 (STATE.md).
    #>
    [CmdletBinding(DefaultParameterSetName = 'Template', SupportsShouldProcess = $true)]
    [OutputType([System.IO.FileInfo])]
    param
    (
        [Parameter(Mandatory = $true, Position = 0)]
        [System.String]
        $Path,

        [Parameter(ParameterSetName = 'Template')]
        [ValidateSet('Default', 'Scale')]
        [System.String]
        $Template = 'Default',

        [Parameter(Mandatory = $true, ParameterSetName = 'Size')]
        [ValidateRange(1, 500)]
        [System.Int32]
        $Hosts,

        [Parameter(Mandatory = $true, ParameterSetName = 'Size')]
        [ValidateRange(0, 200)]
        [System.Int32]
        $VmsPerHost,

        [Parameter()]
        [ValidateRange(0, 600000)]
        [System.Int32]
        $ConnectLatencyMs = -1,

        [Parameter()]
        [ValidateRange(0, 600000)]
        [System.Int32]
        $CallLatencyMs = -1,

        [Parameter()]
        [System.Management.Automation.SwitchParameter]
        $Force
    )

    # Script-module functions do not see the caller's preference; Hyper-V's cmdlets do.
    if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
    $full = $PSCmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
    if ([System.IO.File]::Exists($full) -and -not $Force)
    {
        $PSCmdlet.ThrowTerminatingError((New-LabErrorRecord -Category ResourceExists -ErrorId 'LabFileExists' -TargetObject $full `
            -Message "The lab file '$full' already exists. Use -Force to replace it, or Reset-HyperVLab to restore its template."))
    }
    if ($PSCmdlet.ParameterSetName -eq 'Size')
    {
        $state = New-LabTemplateState -Template 'Scale' -Hosts $Hosts -VmsPerHost $VmsPerHost
    }
    else
    {
        $state = New-LabTemplateState -Template $Template
    }
    $state.network = New-LabNetworkRecord -ConnectLatencyMs $ConnectLatencyMs -CallLatencyMs $CallLatencyMs
    if ($PSCmdlet.ShouldProcess($full, 'Write a new lab'))
    {
        $directory = [System.IO.Path]::GetDirectoryName($full)
        if (-not [System.IO.Directory]::Exists($directory)) { $null = [System.IO.Directory]::CreateDirectory($directory) }
        Save-LabState -Path $full -State $state
        # A new lab starts with no traffic counted (Get-HyperVLabTraffic).
        foreach ($file in (Get-LabTrafficFile -Path $full)) { [System.IO.File]::Delete($file) }
        Get-Item -LiteralPath $full
    }
}
