# The host sessions of the Hyper-V Live Migration extension (Windows PowerShell 5.1 and PowerShell 7).
#
# Loaded once into every pool session, right after wrapper.ps1. Every script that reads or changes a Hyper-V host
# does so in one round trip in a persistent remoting session to that host, kept open between calls:
#
#     Invoke-OnHost -ComputerName <host> -Credential <PSCredential or $null> -ScriptBlock { param(...) ... }
#                   [-ArgumentList <object[]>] [-Helper <function names>]
#         Runs the block on the host and returns its output; an error of the block (or of the connection) is the
#         caller's error, as from Invoke-Command -ErrorAction Stop. Inside the block the Hyper-V cmdlets and
#         Get-CimInstance act on the host itself: no -ComputerName, no CIM session.
#     Invoke-OnHosts -ComputerName <hosts> -Credential ... -ScriptBlock ... [-ArgumentList] [-Helper]
#         The same block on several hosts at once (one Invoke-Command over their sessions, new sessions opened
#         together): one answer per host, in the order given, { computer, output (array), error (the error's
#         facts, __HvlmErrorFacts, or $null) }. A host that cannot be reached or whose block fails has its error
#         there; the other hosts still answer.
#     Open-OnHosts -ComputerName <hosts> -Credential ... [-ThrowOnFailure]
#         Opens the sessions to the hosts that have none Opened (together), and makes no call in them: what a
#         caller does before it needs a host, so that the connection is not on the user's path (the source's
#         session while a check reads the destination, the tree's hosts after the first read). Answers the
#         number of hosts with an open session; a host that cannot be reached is left for the call that needs it,
#         or, with -ThrowOnFailure, is the caller's error as from Invoke-OnHost (so it is not tried twice).
#
# Sessions: one per (host as named, case-insensitive; user name of the credential), opened with New-PSSession on
# first use. A session found not Opened before a call (Broken when its host went away, Closed) is removed and opened
# again. A call that fails mid-way is never tried again: the block may have done its work (a move start must never
# run twice); the next call finds the session broken and opens a new one. On this very computer (Test-OnComputer)
# the block runs here, in the admin's own sign-in, with no session.
#
# The block sees none of this session's variables or functions (as on a real remote host), so its arguments come in
# -ArgumentList (nested values as JSON text: remoting serializes objects only so deep) and what it answers is best
# flat or JSON text. Helper functions the block calls are named in -Helper: each is defined in a host session once,
# with the text it has in the calling script (sent again only when that text differs), not sent with every call.
# __HvlmErrorFacts is always defined there, so an error a block reports as data is classified as one here.
#
# Idle sessions are closed: at the start of every Invoke-OnHost(s), those unused for IdleSeconds (the pool's
# hostSessionIdleMs, default 10 minutes), and by the pool, which calls __HvlmCloseHostSessions on a pool session
# left idle that long and, with 0, on every pool session before it ends (PowerShellPool.dispose). A remoting
# session left open would otherwise stay on the user's host until WinRM's idle timeout; a pool session killed
# (a timeout, a cancel) cannot close its sessions, so each is opened with that same idle timeout (at least WinRM's
# minimum of 60 s), after which the host drops it once no client keeps it alive.

$global:__HvlmHosts = @{
    # "<host lower case>|<user name>" -> @{ Session; Helpers (name -> text defined there); LastUsed (UTC) }
    Sessions    = @{}
    IdleSeconds = [double]600
    Base        = @('__HvlmErrorFacts')
}

function global:Test-OnComputer([string]$ComputerName) {
    # True when this session runs on $ComputerName: Get-VMHost without -ComputerName answers for the computer
    # it runs on (an admin's workstation without Hyper-V answers nothing).
    $here = $null
    try { $here = [string](Get-VMHost -ErrorAction Stop).ComputerName } catch { $here = $null }
    [bool]($here -and $here -eq ($ComputerName -split '\.')[0])
}

function global:__HvlmHostSessionKey([string]$ComputerName, $Credential) {
    $user = ''
    if ($Credential) { $user = [string]$Credential.UserName }
    '{0}|{1}' -f $ComputerName.Trim().ToLowerInvariant(), $user.ToLowerInvariant()
}

function global:__HvlmRemoveHostSession($Entry) {
    # Cleanup only: a session that cannot be closed (its host gone) is dropped all the same.
    try { Remove-PSSession -Session $Entry.Session -ErrorAction Stop } catch { $null = $_ }
}

# After a call in the session to $ComputerName failed with $Record: a failure of the connection itself (a
# PSRemotingTransportException anywhere in the error, e.g. "... the shell was not found on the server" once the host
# restarted or dropped the shell) closes and forgets the session, whatever state it still reports, so that the next call
# opens a new one instead of failing in it again. An error of the block leaves the session as it is.
function global:__HvlmForgetFailedHostSession($Record, [string]$ComputerName, $Credential) {
    $exception = $null
    if ($null -ne $Record) { $exception = $Record.Exception }
    $transport = $false
    while ($null -ne $exception) {
        if ($exception -is [System.Management.Automation.Remoting.PSRemotingTransportException]) { $transport = $true }
        $exception = $exception.InnerException
    }
    if (-not $transport) { return }
    $key = __HvlmHostSessionKey $ComputerName $Credential
    $entry = $global:__HvlmHosts.Sessions[$key]
    if ($null -eq $entry) { return }
    $global:__HvlmHosts.Sessions.Remove($key)
    __HvlmRemoveHostSession $entry
}

# Closes the host sessions unused for $IdleSeconds or longer (0: all of them); answers how many it closed.
function global:__HvlmCloseHostSessions([double]$IdleSeconds) {
    $state = $global:__HvlmHosts
    $now = [datetime]::UtcNow
    $closing = @(foreach ($key in @($state.Sessions.Keys)) {
            if ($IdleSeconds -le 0 -or ($now - $state.Sessions[$key].LastUsed).TotalSeconds -ge $IdleSeconds) { $key }
        })
    foreach ($key in $closing) {
        $entry = $state.Sessions[$key]
        $state.Sessions.Remove($key)
        __HvlmRemoveHostSession $entry
    }
    $closing.Count
}

function global:__HvlmHostSessionOption {
    # WinRM's idle timeout for a session no client keeps alive: the pool's idle time, and at least its minimum, 60 s.
    # (New-PSSessionOption has no -IdleTimeout in PowerShell 7 off Windows; the option object has it everywhere.)
    $option = New-Object System.Management.Automation.Remoting.PSSessionOption
    $option.IdleTimeout = [timespan]::FromMilliseconds([System.Math]::Max(60000, [System.Math]::Min(43200000, $global:__HvlmHosts.IdleSeconds * 1000)))
    $option
}

# The entries of the sessions to $ComputerName for $Credential, opened (together, as New-PSSession fans out) where
# there is none or the one there is not Opened. Answers @{ Entries = host -> entry; Failures = host -> error record }.
function global:__HvlmOpenHostSessions([string[]]$ComputerName, $Credential) {
    $state = $global:__HvlmHosts
    $entries = @{}
    $failures = @{}
    $missing = New-Object System.Collections.Generic.List[string]
    foreach ($computer in $ComputerName) {
        $key = __HvlmHostSessionKey $computer $Credential
        $entry = $state.Sessions[$key]
        # PSSession.State is type data over this (Types.ps1xml): read at its source.
        if ($null -ne $entry -and [string]$entry.Session.Runspace.RunspaceStateInfo.State -ne 'Opened') {
            $state.Sessions.Remove($key)
            __HvlmRemoveHostSession $entry
            $entry = $null
        }
        if ($null -ne $entry) { $entries[$computer] = $entry } else { $missing.Add($computer) }
    }
    if ($missing.Count -eq 0) { return @{ Entries = $entries; Failures = $failures } }
    $open = @{ ComputerName = $missing.ToArray(); SessionOption = (__HvlmHostSessionOption); ErrorAction = 'SilentlyContinue'; ErrorVariable = 'problems' }
    if ($Credential) { $open.Credential = $Credential }
    $problems = $null
    $opened = @(New-PSSession @open)
    foreach ($computer in $missing) {
        $session = @($opened | Where-Object { [string]$_.ComputerName -eq $computer })[0]
        if ($null -ne $session) {
            $entry = @{ Session = $session; Helpers = @{}; LastUsed = [datetime]::UtcNow }
            $state.Sessions[(__HvlmHostSessionKey $computer $Credential)] = $entry
            $entries[$computer] = $entry
        }
    }
    foreach ($computer in $missing) {
        if ($entries.ContainsKey($computer)) { continue }
        $failures[$computer] = __HvlmHostOfErrors @($problems) $computer $missing.Count
    }
    @{ Entries = $entries; Failures = $failures }
}

# The error among $Records that concerns $ComputerName: by the computer it came from or names, else (one host
# asked) the first one.
function global:__HvlmHostOfErrors([object[]]$Records, [string]$ComputerName, [int]$Asked) {
    foreach ($record in $Records) {
        if ($record -is [System.Management.Automation.Runspaces.RemotingErrorRecord] -and $record.OriginInfo) {
            if ([string]$record.OriginInfo.PSComputerName -eq $ComputerName) { return $record }
            continue
        }
        $target = $record.TargetObject
        if ($target -is [string] -and $target -eq $ComputerName) { return $record }
        if ($null -ne $target -and $target.PSObject.Properties['ComputerName'] -and [string]$target.ComputerName -eq $ComputerName) { return $record }
        if ([string]$record -match ('\b' + [regex]::Escape($ComputerName) + '\b')) { return $record }
    }
    if ($Asked -eq 1 -and @($Records).Count -gt 0) { return @($Records)[0] }
    $null
}

# The helper texts an entry's session still needs: the base helpers and $Helper, as the calling script has them.
function global:__HvlmHelperTexts($Entry, [string[]]$Helper) {
    $texts = @{}
    foreach ($name in @($global:__HvlmHosts.Base) + @($Helper)) {
        if (-not $name -or $texts.ContainsKey($name)) { continue }
        $text = (Get-Command -Name $name -CommandType Function -ErrorAction Stop).ScriptBlock.ToString()
        if ($Entry.Helpers[$name] -ne $text) { $texts[$name] = $text }
    }
    $texts
}

# What runs in a host session: defines the helpers it is sent (at the session's top scope, where a block sent with
# Invoke-Command -Session runs, so they stay), then runs the block in a scope of its own (its variables do not stay
# for the next call).
$global:__HvlmHosts.Runner = {
    param([hashtable]$HvlmHelpers, [string]$HvlmBlock, [object[]]$HvlmArguments)
    foreach ($name in @($HvlmHelpers.Keys)) { Set-Item -Path ('function:script:' + $name) -Value ([scriptblock]::Create([string]$HvlmHelpers[$name])) }
    $HvlmHelpers = $null
    & ([scriptblock]::Create($HvlmBlock)) @HvlmArguments
}

function global:Invoke-OnHost {
    param(
        [Parameter(Mandatory = $true)][string]$ComputerName,
        $Credential,
        [Parameter(Mandatory = $true)][scriptblock]$ScriptBlock,
        [object[]]$ArgumentList = @(),
        [string[]]$Helper = @()
    )
    $ErrorActionPreference = 'Stop'
    if (Test-OnComputer $ComputerName) { return & $ScriptBlock @ArgumentList }
    $null = __HvlmCloseHostSessions $global:__HvlmHosts.IdleSeconds
    $opened = __HvlmOpenHostSessions @($ComputerName) $Credential
    if ($opened.Failures.ContainsKey($ComputerName)) {
        $failure = $opened.Failures[$ComputerName]
        if ($null -eq $failure) { throw "No remoting session to $ComputerName could be opened." }
        throw $failure
    }
    $entry = $opened.Entries[$ComputerName]
    $texts = __HvlmHelperTexts $entry $Helper
    try {
        Invoke-Command -Session $entry.Session -ScriptBlock $global:__HvlmHosts.Runner -ArgumentList $texts, $ScriptBlock.ToString(), $ArgumentList -ErrorAction Stop
        foreach ($name in $texts.Keys) { $entry.Helpers[$name] = $texts[$name] }
    } catch {
        __HvlmForgetFailedHostSession $_ $ComputerName $Credential
        throw
    } finally {
        $entry.LastUsed = [datetime]::UtcNow
    }
}

function global:Open-OnHosts {
    param([Parameter(Mandatory = $true)][string[]]$ComputerName, $Credential, [switch]$ThrowOnFailure)
    $ErrorActionPreference = 'Stop'
    $remote = @($ComputerName | Where-Object { $_ -and -not (Test-OnComputer $_) } | Select-Object -Unique)
    if ($remote.Count -eq 0) { return 0 }
    $null = __HvlmCloseHostSessions $global:__HvlmHosts.IdleSeconds
    $opened = __HvlmOpenHostSessions $remote $Credential
    foreach ($entry in $opened.Entries.Values) { $entry.LastUsed = [datetime]::UtcNow }
    if ($ThrowOnFailure) {
        foreach ($computer in $remote) {
            if (-not $opened.Failures.ContainsKey($computer)) { continue }
            $failure = $opened.Failures[$computer]
            if ($null -eq $failure) { throw "No remoting session to $computer could be opened." }
            throw $failure
        }
    }
    $opened.Entries.Count
}

function global:Invoke-OnHosts {
    param(
        [Parameter(Mandatory = $true)][string[]]$ComputerName,
        $Credential,
        [Parameter(Mandatory = $true)][scriptblock]$ScriptBlock,
        [object[]]$ArgumentList = @(),
        [string[]]$Helper = @()
    )
    $ErrorActionPreference = 'Stop'
    $names = @($ComputerName | Where-Object { $_ } | Select-Object -Unique)
    $outputs = @{}
    $errors = @{}
    foreach ($computer in $names) { $outputs[$computer] = New-Object System.Collections.Generic.List[object] }
    $remote = New-Object System.Collections.Generic.List[string]
    foreach ($computer in $names) {
        if (-not (Test-OnComputer $computer)) { $remote.Add($computer); continue }
        try { foreach ($item in @(& $ScriptBlock @ArgumentList)) { $outputs[$computer].Add($item) } } catch { $errors[$computer] = $_ }
    }
    if ($remote.Count -gt 0) {
        $null = __HvlmCloseHostSessions $global:__HvlmHosts.IdleSeconds
        $opened = __HvlmOpenHostSessions $remote.ToArray() $Credential
        foreach ($computer in $opened.Failures.Keys) { $errors[$computer] = $opened.Failures[$computer] }
        # One Invoke-Command per set of helper texts to send (all hosts but a newly opened one need the same).
        $groups = @{}
        foreach ($computer in $remote) {
            $entry = $opened.Entries[$computer]
            if ($null -eq $entry) { continue }
            $texts = __HvlmHelperTexts $entry $Helper
            $signature = (@($texts.Keys) | Sort-Object) -join ','
            if (-not $groups.ContainsKey($signature)) { $groups[$signature] = @{ Texts = $texts; Hosts = New-Object System.Collections.Generic.List[string] } }
            $groups[$signature].Hosts.Add($computer)
        }
        foreach ($group in $groups.Values) {
            $sessions = @(foreach ($computer in $group.Hosts) { $opened.Entries[$computer].Session })
            $problems = $null
            $answers = @()
            $refused = $null
            try {
                $answers = @(Invoke-Command -Session $sessions -ScriptBlock $global:__HvlmHosts.Runner -ArgumentList $group.Texts, $ScriptBlock.ToString(), $ArgumentList -ThrottleLimit 32 -ErrorAction SilentlyContinue -ErrorVariable problems)
            } catch {
                # Invoke-Command refuses the whole call when none of its sessions is open any more (each closed or
                # broken since it was found open: "No valid sessions were specified", InvokeCommandCommand.BeginProcessing):
                # each host of the group answers that error, the other groups and hosts still answer, and the next call
                # finds the sessions not open and opens them again.
                $refused = $_
            } finally {
                foreach ($computer in $group.Hosts) { $opened.Entries[$computer].LastUsed = [datetime]::UtcNow }
            }
            if ($null -ne $refused) {
                foreach ($computer in $group.Hosts) { $errors[$computer] = $refused }
                continue
            }
            foreach ($answer in $answers) {
                $computer = @($group.Hosts | Where-Object { $_ -eq [string]$answer.PSComputerName })[0]
                if ($computer) { $outputs[$computer].Add($answer) }
            }
            foreach ($computer in $group.Hosts) {
                $failure = __HvlmHostOfErrors @($problems) $computer $group.Hosts.Count
                if ($null -ne $failure) {
                    $errors[$computer] = $failure
                    __HvlmForgetFailedHostSession $failure $computer $Credential
                    continue
                }
                $entry = $opened.Entries[$computer]
                foreach ($name in $group.Texts.Keys) { $entry.Helpers[$name] = $group.Texts[$name] }
            }
        }
    }
    foreach ($computer in $names) {
        $facts = $null
        if ($errors.ContainsKey($computer)) {
            $record = $errors[$computer]
            if ($null -eq $record) {
                $facts = [ordered]@{ message = "No remoting session to $computer could be opened."; category = 'ConnectionError'; errorId = 'PSSessionOpenFailed'; exceptionType = 'System.Management.Automation.Remoting.PSRemotingTransportException'; targetObject = $computer; chain = @() }
            } else {
                $facts = __HvlmErrorFacts $record
            }
        }
        [pscustomobject]@{ computer = $computer; output = $outputs[$computer].ToArray(); error = $facts }
    }
}
