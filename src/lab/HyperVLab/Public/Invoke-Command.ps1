function Invoke-Command
{
    <#
        .SYNOPSIS
            Runs a script block on lab hosts (PowerShell's Invoke-Command -ComputerName). The block runs "on"
            each host in turn: cmdlets in it without -ComputerName act on that host, and it sees none of the
            caller's variables. The hosts are reached at once, as WinRM fans out, so the call waits for the
            slowest host's latency once. Output comes back with PSComputerName; an error of the block comes
            back as a RemotingErrorRecord from that computer; a host that cannot be reached gets WinRM's
            transport error and the other hosts still run.
    #>
    [CmdletBinding()]
    param
    (
        [Parameter(Mandatory = $true, Position = 0)]
        [Alias('Cn')]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $ComputerName,

        [Parameter(Mandatory = $true, Position = 1)]
        [ValidateNotNull()]
        [System.Management.Automation.ScriptBlock]
        $ScriptBlock,

        [Parameter()]
        [Alias('Args')]
        [System.Object[]]
        $ArgumentList,

        [Parameter()]
        [System.Management.Automation.PSCredential]
        $Credential,

        [Parameter()]
        [System.Int32]
        $ThrottleLimit = 32,

        [Parameter()]
        [System.Management.Automation.Remoting.PSSessionOption]
        $SessionOption,

        [Parameter()]
        [System.Management.Automation.Runspaces.AuthenticationMechanism]
        $Authentication = 'Default'
    )

    # Script-module functions do not see the caller's preference; PowerShell's cmdlets do.
    if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
    $index = Enter-LabCall
    $reached = [System.Collections.Generic.List[object]]::new()
    $wait = 0
    foreach ($computer in (Resolve-LabComputerName -ComputerName $ComputerName -Index $index))
    {
        $record = $null
        if (-not $index.Hosts.TryGetValue($computer, [ref] $record))
        {
            $PSCmdlet.WriteError((New-LabRemotingError -ComputerName $computer -ErrorId 'ComputerNotFound' `
                -Reason "WinRM cannot process the request. The following error occurred while using Kerberos authentication: Cannot find the computer $computer. Verify that the computer exists on the network and that the name provided is spelled correctly."))
            continue
        }
        $fault = Get-LabFault -State $index.State -HostName $record.name
        if ($null -ne $fault -and $fault.latencyMs -gt 0 -and (Register-LabLatency -HostName $record.name -Cmdlet $PSCmdlet)) { $wait = [System.Math]::Max($wait, [System.Int32] $fault.latencyMs) }
        if ($null -ne $fault -and $fault.unreachable)
        {
            $PSCmdlet.WriteError((New-LabRemotingError -ComputerName $computer -ErrorId 'WinRMOperationTimeout' -Reason $script:LabUnreachableText))
            continue
        }
        $reached.Add([pscustomobject]@{ Name = $computer; HostName = $record.name })
    }
    if ($wait -gt 0) { Start-Sleep -Milliseconds $wait }
    if ($reached.Count -eq 0) { return }

    # Each host runs the block in a pipeline of its own at the session's top scope: the block sees none of
    # the caller's variables, and its errors reach the caller only as this cmdlet's, as from a remote host.
    $text = $ScriptBlock.ToString()
    foreach ($target in $reached)
    {
        $outer = $script:LabRemoteHost
        $outerAuthentication = $script:LabRemoteAuthentication
        $script:LabRemoteHost = $target.HostName
        $script:LabRemoteAuthentication = [System.String] $Authentication
        $shell = [System.Management.Automation.PowerShell]::Create([System.Management.Automation.RunspaceMode]::CurrentRunspace)
        try
        {
            # A terminating error ends the block and comes back as the block's last error, as from a remote
            # host (caught in the pipeline: an exception out of Invoke() would land in the caller's -ErrorVariable).
            $null = $shell.AddScript('param($LabBlockText, $LabBlockArguments) try { & ([scriptblock]::Create($LabBlockText)) @LabBlockArguments } catch { $_ }', $true)
            $null = $shell.AddArgument($text).AddArgument(@($(if ($null -ne $ArgumentList) { $ArgumentList })))
            $items = [System.Collections.Generic.List[object]]::new()
            foreach ($item in $shell.Invoke()) { $items.Add($item) }
            foreach ($record in $shell.Streams.Error) { $items.Add($record) }
        }
        finally
        {
            $script:LabRemoteHost = $outer
            $script:LabRemoteAuthentication = $outerAuthentication
            $shell.Dispose()
        }
        $origin = [System.Management.Automation.Remoting.OriginInfo]::new($target.Name, [System.Guid]::NewGuid())
        foreach ($item in $items)
        {
            if ($null -eq $item) { continue }
            if ($item -is [System.Management.Automation.ErrorRecord])
            {
                $PSCmdlet.WriteError([System.Management.Automation.Runspaces.RemotingErrorRecord]::new($item, $origin))
                continue
            }
            $output = [System.Management.Automation.PSObject]::AsPSObject($item)
            $output.PSObject.Properties.Add([System.Management.Automation.PSNoteProperty]::new('PSComputerName', $target.Name))
            $output
        }
    }
}
