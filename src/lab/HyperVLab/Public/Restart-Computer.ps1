function Restart-Computer
{
    <#
        .SYNOPSIS
            Restarts lab hosts (PowerShell's Restart-Computer,
            https://learn.microsoft.com/powershell/module/microsoft.powershell.management/restart-computer).
            The host goes down at once (its running VMs take their AutomaticStopAction), answers nothing for its
            restart time (Set-HyperVLabHost -RestartSeconds, simulated seconds scaled by the lab's time scale), then
            boots (a new Win32_OperatingSystem LastBootUpTime, the -NextBoot upgrade, the VMs' AutomaticStartAction).
            -Wait blocks until each host has booted (bounded by -Timeout); without it the cmdlet returns at once.
            Omitted, '.' or 'localhost' is the computer the lab runs "on" (HV01, or an Invoke-Command block's host);
            a host named by its name is a remote computer (the admin's own computer is no lab host).
    #>
    [CmdletBinding(DefaultParameterSetName = 'DefaultSet', SupportsShouldProcess = $true)]
    param
    (
        [Parameter(ParameterSetName = 'DefaultSet')]
        [ValidateSet('Default', 'Basic', 'Negotiate', 'CredSSP', 'Digest', 'Kerberos')]
        [System.String]
        $WsmanAuthentication,

        [Parameter(Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)]
        [Alias('CN', '__SERVER', 'Server', 'IPAddress')]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $ComputerName = @('.'),

        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty()]
        [System.Management.Automation.PSCredential]
        $Credential,

        [Parameter()]
        [Alias('f')]
        [System.Management.Automation.SwitchParameter]
        $Force,

        [Parameter(ParameterSetName = 'DefaultSet')]
        [System.Management.Automation.SwitchParameter]
        $Wait,

        [Parameter(ParameterSetName = 'DefaultSet')]
        [Alias('TimeoutSec')]
        [ValidateRange(-1, 2147483647)]
        [System.Int32]
        $Timeout = -1,

        [Parameter(ParameterSetName = 'DefaultSet')]
        [ValidateSet('Wmi', 'WinRM', 'PowerShell')]
        [System.String]
        $For = 'PowerShell',

        [Parameter(ParameterSetName = 'DefaultSet')]
        [ValidateRange(1, 32767)]
        [System.Int16]
        $Delay = 5,

        # Windows PowerShell 5.1's; the lab restarts the same way over either.
        [Parameter(ParameterSetName = 'DefaultSet')]
        [ValidateSet('DCOM', 'WSMan')]
        [System.String]
        $Protocol
    )

    begin
    {
        # Script-module functions do not see the caller's preference; PowerShell's cmdlets do.
        if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
        # RestartComputerCommand.BeginProcessing: Timeout, For and Delay need Wait.
        if (($PSBoundParameters.ContainsKey('Timeout') -or $PSBoundParameters.ContainsKey('For') -or $PSBoundParameters.ContainsKey('Delay')) -and -not $Wait)
        {
            $PSCmdlet.ThrowTerminatingError((New-LabErrorRecord -Category InvalidOperation -ErrorId 'RestartComputerInvalidParameter' `
                        -Message 'The parameters Timeout, For, and Delay are valid only when the parameter Wait is specified.'))
        }
    }

    process
    {
        $index = Enter-LabCall
        $targets = Resolve-LabRestartTarget -Index $index -ComputerName $ComputerName -Wait:$Wait -Cmdlet $PSCmdlet
        $waiting = $Wait -and $Timeout -ne 0
        # With -Wait, each remote host's LastBootUpTime is read first (a host that does not answer is skipped).
        if ($waiting)
        {
            $targets = @(foreach ($target in $targets)
                {
                    $target.BootTime = Get-LabRestartBootTime -Index $index -Target $target -Cmdlet $PSCmdlet
                    if ($null -ne $target.BootTime) { $target }
                })
        }
        $restarted = [System.Collections.Generic.List[object]]::new()
        foreach ($target in $targets)
        {
            $rights = if ($target.IsLocal) { 'Local shutdown access rights' } else { 'Remote shutdown access rights' }
            $shown = if ($target.IsLocal) { 'localhost ({0})' -f $target.HostName } else { $target.ComputerName }
            if (-not $PSCmdlet.ShouldProcess($shown, ('Enable the {0} and restart the computer.' -f $rights))) { continue }
            if (Invoke-LabRestart -Index $index -Target $target -Cmdlet $PSCmdlet) { $restarted.Add($target) }
            $index = Enter-LabCall
        }
        if ($waiting -and $restarted.Count -gt 0) { Wait-LabRestart -Targets $restarted -Timeout $Timeout -Delay $Delay -Cmdlet $PSCmdlet }
    }
}
