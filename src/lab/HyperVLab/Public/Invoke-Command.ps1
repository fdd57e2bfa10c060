function Invoke-Command
{
    <#
        .SYNOPSIS
            Runs a script block on lab hosts (PowerShell's Invoke-Command -ComputerName, or -Session in sessions
            New-PSSession opened). The block runs "on" each host in turn: cmdlets in it without -ComputerName act
            on that host, and it sees none of the caller's variables. -ComputerName opens a temporary session per
            host (the lab's connect latency), -Session makes one call in each open session (its call latency,
            and the block runs in the session's scope, so what it defines stays for the next call). The hosts are
            reached at once, as WinRM fans out, so the call waits once for the largest cost. Output comes back with
            PSComputerName; an error of the block comes back as a RemotingErrorRecord from that computer; a host
            that cannot be reached gets WinRM's transport error and the other hosts still run.
    #>
    [CmdletBinding(DefaultParameterSetName = 'ComputerName')]
    param
    (
        [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'ComputerName')]
        [Alias('Cn')]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $ComputerName,

        [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Session')]
        [ValidateNotNullOrEmpty()]
        [PSTypeName('System.Management.Automation.Runspaces.PSSession')]
        [System.Management.Automation.PSObject[]]
        $Session,

        [Parameter(Mandatory = $true, Position = 1)]
        [Alias('Command')]
        [ValidateNotNull()]
        [System.Management.Automation.ScriptBlock]
        $ScriptBlock,

        [Parameter()]
        [Alias('Args')]
        [System.Object[]]
        $ArgumentList,

        [Parameter(ParameterSetName = 'ComputerName')]
        [System.Management.Automation.PSCredential]
        $Credential,

        [Parameter()]
        [System.Int32]
        $ThrottleLimit = 32,

        [Parameter(ParameterSetName = 'ComputerName')]
        [System.Management.Automation.Remoting.PSSessionOption]
        $SessionOption,

        [Parameter(ParameterSetName = 'ComputerName')]
        [System.Management.Automation.Runspaces.AuthenticationMechanism]
        $Authentication = 'Default'
    )

    # Script-module functions do not see the caller's preference; PowerShell's cmdlets do.
    if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
    $index = Enter-LabCall
    $text = $ScriptBlock.ToString()
    if ($PSCmdlet.ParameterSetName -eq 'Session')
    {
        # Each session is one round trip in a connection already open; the sessions are called at once.
        $ready = [System.Collections.Generic.List[object]]::new()
        foreach ($open in $Session)
        {
            $record = Get-LabSessionRecord -Session $open
            $state = if ($null -eq $record) { 'Closed' } else { $record.State }
            if ($state -ne 'Opened')
            {
                $PSCmdlet.WriteError((New-LabSessionStateError -Session $open -State $state))
                continue
            }
            $ready.Add([pscustomobject]@{ Session = $open; Record = $record })
        }
        if ($ready.Count -eq 0) { $PSCmdlet.ThrowTerminatingError((New-LabNoValidSessionError)) }
        $costs = @(foreach ($item in $ready) { Register-LabCallCost -Index $index -HostName $item.Record.HostName -Cmdlet $PSCmdlet })
        Wait-LabCost -Costs $costs
        foreach ($item in $ready)
        {
            if (-not (Test-LabHostReachable -Index $index -HostName $item.Record.HostName))
            {
                $item.Record.State = 'Broken'
                $PSCmdlet.WriteError((New-LabSessionBrokenError -ComputerName $item.Session.ComputerName))
                continue
            }
            Invoke-LabRemoteBlock -Cmdlet $PSCmdlet -ComputerName $item.Session.ComputerName -HostName $item.Record.HostName -Text $text -ArgumentList $ArgumentList `
                -Authentication $item.Record.Authentication -SessionModule $item.Record.Module -RunspaceId ([System.Guid] $item.Session.InstanceId)
        }
        return
    }

    # -ComputerName: a temporary session per host, opened (connect cost), used once and closed.
    # The names as resolved here are the ones the blocks and errors see.
    $reached = Open-LabConnection -Index $index -Cmdlet $PSCmdlet -ComputerName (Resolve-LabComputerName -ComputerName $ComputerName -Index $index) -NewError 'New-LabRemotingError'
    foreach ($target in $reached)
    {
        Invoke-LabRemoteBlock -Cmdlet $PSCmdlet -ComputerName $target.Name -HostName $target.HostName -Text $text -ArgumentList $ArgumentList -Authentication ([System.String] $Authentication)
    }
}
