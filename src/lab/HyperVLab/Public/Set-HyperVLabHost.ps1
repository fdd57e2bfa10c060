function Set-HyperVLabHost
{
    <#
        .SYNOPSIS
            Lab only: how a lab host restarts (Restart-Computer). -RestartSeconds is how long it stays down, in
            simulated seconds (scaled by the lab's time scale; 90 when never set). -NextBoot is what the host is
            after its next boot, as after installing an update: any of OsName, OsVersion (Win32_OperatingSystem
            Caption/Version, VMHost LabOsName/LabOsVersion), SupportedVersions and DefaultVersion
            (Get-VMHostSupportedVersion, VMHost SupportedVmVersions). -ClearNextBoot drops a pending -NextBoot.
        .EXAMPLE
            Set-HyperVLabHost -ComputerName HV01 -RestartSeconds 120 -NextBoot @{ OsVersion = '10.0.26100'; OsName = 'Windows Server 2025 Datacenter'; SupportedVersions = @('9.0', '10.0', '11.0', '12.0'); DefaultVersion = '12.0' }
    #>
    [CmdletBinding(DefaultParameterSetName = 'Set', SupportsShouldProcess = $true)]
    param
    (
        [Parameter(Mandatory = $true, Position = 0)]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $ComputerName,

        [Parameter()]
        [ValidateRange(0, 86400)]
        [System.Int32]
        $RestartSeconds,

        [Parameter(ParameterSetName = 'Set')]
        [System.Collections.Hashtable]
        $NextBoot,

        [Parameter(Mandatory = $true, ParameterSetName = 'Clear')]
        [System.Management.Automation.SwitchParameter]
        $ClearNextBoot
    )

    if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
    $upgrade = $null
    if ($PSBoundParameters.ContainsKey('NextBoot'))
    {
        $upgrade = [ordered]@{}
        foreach ($key in $NextBoot.Keys)
        {
            $name = @('OsName', 'OsVersion', 'SupportedVersions', 'DefaultVersion') | Where-Object { $_ -eq [System.String] $key }
            if ($null -eq $name)
            {
                $PSCmdlet.ThrowTerminatingError((New-LabErrorRecord -Category InvalidArgument -ErrorId 'InvalidNextBoot' -TargetObject $key `
                            -Message "NextBoot knows OsName, OsVersion, SupportedVersions and DefaultVersion, not '$key'."))
            }
            $field = $name.Substring(0, 1).ToLowerInvariant() + $name.Substring(1)
            $upgrade[$field] = if ($field -eq 'supportedVersions') { [System.String[]] @($NextBoot[$key]) } else { [System.String] $NextBoot[$key] }
        }
    }
    $bound = $PSBoundParameters
    Update-LabHostRecord -Cmdlet $PSCmdlet -ComputerName $ComputerName -Action 'Set how the lab host restarts' -Change {
        param ($state, $hostRecord)
        if ($bound.ContainsKey('RestartSeconds')) { $hostRecord | Add-Member -NotePropertyName 'restartSeconds' -NotePropertyValue $bound.RestartSeconds -Force }
        if ($null -ne $upgrade) { $hostRecord | Add-Member -NotePropertyName 'nextBoot' -NotePropertyValue ([pscustomobject] $upgrade) -Force }
        if ($bound.ContainsKey('ClearNextBoot') -and $null -ne $hostRecord.PSObject.Properties['nextBoot']) { $hostRecord.PSObject.Properties.Remove('nextBoot') }
    }
}
