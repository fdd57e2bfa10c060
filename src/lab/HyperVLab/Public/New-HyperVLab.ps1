function New-HyperVLab
{
    <#
        .SYNOPSIS
            Writes a fresh lab file from a template: Default (HV01..HV06, CL1) or Scale (30 hosts, 250 VMs,
            or -Hosts n -VmsPerHost m).
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
    if ($PSCmdlet.ShouldProcess($full, 'Write a new lab'))
    {
        $directory = [System.IO.Path]::GetDirectoryName($full)
        if (-not [System.IO.Directory]::Exists($directory)) { $null = [System.IO.Directory]::CreateDirectory($directory) }
        Save-LabState -Path $full -State $state
        Get-Item -LiteralPath $full
    }
}
