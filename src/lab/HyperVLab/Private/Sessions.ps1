# PowerShell remoting sessions to lab hosts (New-PSSession, Invoke-Command -Session, Get-PSSession,
# Remove-PSSession) and the lab's network cost model (see STATE.md, "Remoting sessions and network cost").
#
# A lab session belongs to the pwsh process that opened it, as a real PSSession belongs to its runspace
# (Get-PSSession "gets the PSSessions that were created in the current session"). Its state lives in a
# dynamic module: each Invoke-Command -Session block is dot-sourced into that module's scope, so the
# functions and variables one call defines are there for the next, and the caller's own (script or
# function) variables are not.

# Every session this process opened and has not removed, in opening order (the public objects), and,
# by InstanceId, what the lab keeps about each: its host, its state, the module holding its scope.
$script:LabSessions = [System.Collections.Generic.List[object]]::new()
$script:LabSessionRecords = @{}
# PSSession.Id comes from a per-process counter that only grows (PSSession.seed, Interlocked.Increment).
$script:LabSessionSeed = 0

function New-LabSession
{
    # Opens a session to a host already reached (name resolved, reachable, costs paid): the PSSession
    # object, listed by Get-PSSession until Remove-PSSession.
    param
    (
        [System.String] $ComputerName,
        [System.String] $HostName,
        [System.String] $Name,
        [System.String] $Authentication,
        [System.Management.Automation.PSCredential] $Credential
    )

    $script:LabSessionSeed++
    $id = $script:LabSessionSeed
    $instanceId = [System.Guid]::NewGuid()
    # PowerShell 7's PSSession.GenerateRunspaceName ('Runspace' + id; Windows PowerShell said 'Session').
    if ([System.String]::IsNullOrEmpty($Name)) { $Name = 'Runspace{0}' -f $id }
    $module = New-Module -Name ('LabPSSession{0}' -f $id) -ScriptBlock { } -ReturnResult:$false
    # A new remote session starts with PowerShell's default preferences, not the caller's.
    & $module { $script:ErrorActionPreference = 'Continue' }
    $script:LabSessionRecords[$instanceId] = [pscustomobject]@{
        HostName       = $HostName
        ComputerName   = $ComputerName
        State          = 'Opened'
        Module         = $module
        Authentication = $Authentication
        # The host's boot the session was opened in: a restart since breaks it (Private/Restart.ps1).
        BootTime       = Get-LabHostBootTime -HostRecord (Get-LabIndex).Hosts[$HostName]
        UserName       = $(if ($null -ne $Credential) { $Credential.UserName } else { $null })
    }

    # The real PSSession's State, IdleTimeout and OutputBufferingMode are type data over its Runspace
    # ($this.Runspace.RunspaceStateInfo.State); the stand-in Runspace answers them from the lab.
    $runspace = [pscustomobject]@{
        InstanceId     = $instanceId
        ConnectionInfo = [pscustomobject]@{ ComputerName = $ComputerName; IdleTimeout = 7200000; OutputBufferingMode = 'None'; Credential = $Credential }
        DisconnectedOn = $null
        ExpiresOn      = $null
    }
    # Blocks written here are bound to this module, so they find its functions when a caller reads them.
    $runspace.PSObject.Properties.Add([System.Management.Automation.PSScriptProperty]::new('RunspaceStateInfo', {
                [pscustomobject]@{ State = (Get-LabSessionState -InstanceId $this.InstanceId); Reason = $null }
            }))
    $runspace.PSObject.Properties.Add([System.Management.Automation.PSScriptProperty]::new('RunspaceAvailability', {
                if ((Get-LabSessionState -InstanceId $this.InstanceId) -eq 'Opened') { [System.Management.Automation.Runspaces.RunspaceAvailability]::Available }
                else { [System.Management.Automation.Runspaces.RunspaceAvailability]::None }
            }))
    $session = [pscustomobject][ordered]@{
        Id                     = $id
        Name                   = $Name
        ComputerName           = $ComputerName
        ComputerType           = [System.Management.Automation.Runspaces.TargetMachineType]::RemoteMachine
        ContainerId            = $null
        VMName                 = $null
        VMId                   = $null
        ConfigurationName      = 'Microsoft.PowerShell'
        InstanceId             = $instanceId
        ApplicationPrivateData = $null
        Runspace               = $runspace
        Transport              = 'WSMan'
    }
    $session.PSObject.Properties.Add([System.Management.Automation.PSScriptProperty]::new('Availability', { $this.Runspace.RunspaceAvailability }))
    $null = Add-LabTypeName -Object $session -TypeName 'System.Management.Automation.Runspaces.PSSession'
    $script:LabSessions.Add($session)
    return $session
}

function Get-LabSessionRecord
{
    # What the lab keeps about a session object, or $null for one this process did not open.
    param ([System.Object] $Session)

    if ($null -eq $Session -or $null -eq $Session.PSObject.Properties['InstanceId']) { return $null }
    $key = [System.Guid] $Session.InstanceId
    if ($script:LabSessionRecords.ContainsKey($key)) { return $script:LabSessionRecords[$key] }
    return $null
}

function Get-LabSessionState
{
    # The session's RunspaceState: Closed once removed; Broken from the moment its host is found
    # unreachable (a call or a look at the state notices; a broken session stays broken); else Opened.
    param ([System.Guid] $InstanceId)

    if (-not $script:LabSessionRecords.ContainsKey($InstanceId)) { return [System.Management.Automation.Runspaces.RunspaceState]::Closed }
    $record = $script:LabSessionRecords[$InstanceId]
    if ($record.State -eq 'Opened' -and -not (Test-LabHostReachable -Index (Enter-LabCall) -HostName $record.HostName)) { $record.State = 'Broken' }
    return [System.Management.Automation.Runspaces.RunspaceState] $record.State
}

function Select-LabSession
{
    # The sessions of this process, in opening order, that a Get-PSSession or Remove-PSSession call names by
    # -Name (wildcards), -Id and -InstanceId (its bound parameters); what the call does not give lets all through.
    param ([System.Collections.IDictionary] $Bound)

    foreach ($session in @($script:LabSessions))
    {
        if ($Bound.ContainsKey('Name') -and -not (Test-LabNameMatch -Name $session.Name -Pattern $Bound['Name'])) { continue }
        if ($Bound.ContainsKey('Id') -and $Bound['Id'] -notcontains $session.Id) { continue }
        if ($Bound.ContainsKey('InstanceId') -and $Bound['InstanceId'] -notcontains $session.InstanceId) { continue }
        $session
    }
}

function Test-LabHostReachable
{
    param ([System.Object] $Index, [System.String] $HostName)

    if (-not $Index.Hosts.ContainsKey($HostName)) { return $false }
    $fault = Get-LabFault -State $Index.State -HostName $HostName
    return -not ($null -ne $fault -and $fault.unreachable)
}

function Close-LabSession
{
    # Remove-PSSession: the session is closed and forgotten (its scope goes with it).
    param ([System.Object] $Session)

    $key = [System.Guid] $Session.InstanceId
    $script:LabSessionRecords.Remove($key)
    $kept = [System.Collections.Generic.List[object]]::new()
    foreach ($open in $script:LabSessions) { if ([System.Guid] $open.InstanceId -ne $key) { $kept.Add($open) } }
    $script:LabSessions = $kept
}

function New-LabSessionOpenError
{
    # What New-PSSession writes for a computer it cannot open a session on: WinRM's transport error as
    # Invoke-Command -ComputerName gets it, with New-PSSession's error id (`<reason>,PSSessionOpenFailed`).
    param ([System.String] $ComputerName, [System.String] $Reason, [System.String] $ErrorId)

    $record = New-LabRemotingError -ComputerName $ComputerName -Reason $Reason -ErrorId $ErrorId
    $fixed = [System.Management.Automation.ErrorRecord]::new($record.Exception, "$ErrorId,PSSessionOpenFailed", [System.Management.Automation.ErrorCategory]::OpenError, $ComputerName)
    $fixed.ErrorDetails = $record.ErrorDetails
    return $fixed
}

function New-LabTransportError
{
    # WinRM's transport error as PowerShell writes it: a PSRemotingTransportException, category OpenError, aimed
    # at the computer, whose name stands in front of the message in ErrorDetails.
    param ([System.String] $ComputerName, [System.String] $ErrorId, [System.String] $Message)

    $exception = [System.Management.Automation.Remoting.PSRemotingTransportException]::new($Message)
    $record = [System.Management.Automation.ErrorRecord]::new($exception, $ErrorId, [System.Management.Automation.ErrorCategory]::OpenError, $ComputerName)
    $record.ErrorDetails = [System.Management.Automation.ErrorDetails]::new("[$ComputerName] $Message")
    return $record
}

function New-LabSessionBrokenError
{
    # A call in an open session whose host stopped answering: the transport error of a session that broke
    # while in use (`Processing data from remote server ... failed`). Its FQEID is PowerShell's for a Broken
    # runspace, the transport error's name before `PSSessionStateBroken` (PSRemotingChildJob.ProcessJobFailure,
    # WSManTransportManagerUtils.GetFQEIDFromTransportError: 0x80338126 is `WinRMOperationTimeout`).
    param ([System.String] $ComputerName)

    return New-LabTransportError -ComputerName $ComputerName -ErrorId 'WinRMOperationTimeout,PSSessionStateBroken' `
        -Message "Processing data from remote server $ComputerName failed with the following error message: $script:LabUnreachableText For more information, see the about_Remote_Troubleshooting Help topic."
}

function New-LabSessionStateError
{
    # Invoke-Command -Session with a session that is not Opened (broken earlier, or removed): PowerShell's
    # InvokeCommandCommand.BeginProcessing (text ICMInvalidSessionState), as pwsh 7.6.9 writes it.
    param ([System.Object] $Session, [System.String] $State)

    $message = 'Because the session state for session {0}, {1}, {2} is not equal to Open, you cannot run a command in the session.  The session state is {3}.' -f $Session.Name, $Session.InstanceId, $Session.ComputerName, $State
    return New-LabErrorRecord -Category InvalidOperation -ErrorId 'InvokeCommandCommandInvalidSessionState,Microsoft.PowerShell.Commands.InvokeCommandCommand' `
        -TargetObject $Session -ExceptionType 'System.Management.Automation.Runspaces.InvalidRunspaceStateException' -Message $message
}

function New-LabNoValidSessionError
{
    # Invoke-Command -Session when none of its sessions is Opened: after each one's error, the terminating
    # error of InvokeCommandCommand.BeginProcessing (text ICMNoValidRunspaces, a PSInvalidOperationException).
    $message = 'No valid sessions were specified.  Ensure you provide valid sessions that are in the Opened state and are available to run commands.'
    return New-LabErrorRecord -Category InvalidOperation -ErrorId 'InvalidOperation,Microsoft.PowerShell.Commands.InvokeCommandCommand' `
        -ExceptionType 'System.Management.Automation.PSInvalidOperationException' -Message $message
}

function Invoke-LabRemoteBlock
{
    <#
        Runs an Invoke-Command block "on" a host, as a remote runspace would: in a pipeline of its own, so
        it sees none of the caller's variables (-ArgumentList only) and its errors reach the caller only as
        the cmdlet's, each as a RemotingErrorRecord from that computer; output gets PSComputerName (and, in
        a session, RunspaceId, and it is serialized and deserialized as remoting does). With -SessionModule the block is dot-sourced into the session's scope
        (state kept between calls); without, it runs in a fresh scope (a temporary session).
    #>
    param
    (
        [System.Management.Automation.PSCmdlet] $Cmdlet,
        [System.String] $ComputerName,
        [System.String] $HostName,
        [System.String] $Text,
        [System.Object[]] $ArgumentList,
        [System.String] $Authentication,
        [System.Management.Automation.PSModuleInfo] $SessionModule,
        [System.Guid] $RunspaceId = [System.Guid]::NewGuid()
    )

    $outer = $script:LabRemoteHost
    $outerAuthentication = $script:LabRemoteAuthentication
    $script:LabRemoteHost = $HostName
    $script:LabRemoteAuthentication = $Authentication
    $shell = [System.Management.Automation.PowerShell]::Create([System.Management.Automation.RunspaceMode]::CurrentRunspace)
    try
    {
        # A terminating error ends the block and comes back as the block's last error, as from a remote
        # host (caught in the pipeline: an exception out of Invoke() would land in the caller's -ErrorVariable).
        if ($null -ne $SessionModule)
        {
            $null = $shell.AddScript('param($LabSessionModule, $LabBlockText, $LabBlockArguments) try { . $LabSessionModule ([scriptblock]::Create($LabBlockText)) @LabBlockArguments } catch { $_ }', $true)
            $null = $shell.AddArgument($SessionModule)
        }
        else
        {
            $null = $shell.AddScript('param($LabBlockText, $LabBlockArguments) try { & ([scriptblock]::Create($LabBlockText)) @LabBlockArguments } catch { $_ }', $true)
        }
        $null = $shell.AddArgument($Text).AddArgument(@($(if ($null -ne $ArgumentList) { $ArgumentList })))
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
    $origin = [System.Management.Automation.Remoting.OriginInfo]::new($ComputerName, $RunspaceId)
    foreach ($item in $items)
    {
        if ($null -eq $item) { continue }
        if ($item -is [System.Management.Automation.ErrorRecord])
        {
            $Cmdlet.WriteError([System.Management.Automation.Runspaces.RemotingErrorRecord]::new($item, $origin))
            continue
        }
        # What a session's block answers crosses the wire: PowerShell's serializer, default depth 1 ("Deserialized."
        # property bags). The -ComputerName path still hands out the live objects (its callers predate this).
        if ($null -ne $SessionModule) { $item = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($item)) }
        $output = [System.Management.Automation.PSObject]::AsPSObject($item)
        $output.PSObject.Properties.Add([System.Management.Automation.PSNoteProperty]::new('PSComputerName', $ComputerName))
        if ($null -ne $SessionModule) { $output.PSObject.Properties.Add([System.Management.Automation.PSNoteProperty]::new('RunspaceId', $RunspaceId)) }
        $output
    }
}
