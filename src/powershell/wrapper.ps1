# The session wrapper of the Hyper-V Live Migration extension (Windows PowerShell 5.1 and PowerShell 7).
#
# Loaded once when a session starts. Afterwards every call is one line that PowerShell parses,
#     __HvlmInvoke '<script key>' '<script text, base64 UTF-8; empty once cached>' <length of the next line>
# so nothing but base64, a hex key and a number ever becomes part of a command, followed on stdin by three
# data lines that __HvlmInvoke reads itself from the host's stdin reader before anything else:
#     #<call, base64 UTF-8 JSON>
#     #<password of the credential: 4 hex digits per UTF-16 code unit; nothing after # without one>
#     #<password of the destination credential, the same way>
# PowerShell never parses them, so script block logging, transcription and AMSI (which see the text PowerShell
# parses) never see a password; each starts with # so that, were one ever parsed, it would only be a comment.
# The call JSON is
#     {"params": <anything>, "credential": {"userName": "..."} | null,
#      "destinationCredential": {...} | null}     (bound to $DestinationCredential, for scripts that declare it)
# and every answer is one line on stdout: the marker, then the base64 of the UTF-8 JSON envelope
#     {"ok":true,"data":...,"warnings":[...]}  or  {"ok":false,"error":{...},"warnings":[...]}
# The TypeScript side classifies the error facts into the kinds the UI understands.

$global:__HvlmState = @{
    Marker         = ''
    # The reader the host reads its commands from, one line at a time, executing each complete line before it
    # reads the next: PowerShell 7 keeps the Console.In it first read from (ConsoleHost.ConsoleIn); the first
    # open-source ConsoleHostUserInterface.ReadLineFromFile read Console.In on each call, and Windows PowerShell
    # 5.1's console host is assumed to do the same (its source is not public). Reading the data lines from it
    # leaves the host exactly the lines after them. Nothing may set [Console]::InputEncoding: .NET then replaces
    # Console.In by a new reader, and what the old one had buffered (the data lines among it) would be read by
    # the host as commands (all input is ASCII, so no input encoding is needed).
    Input          = [Console]::In
    Scripts        = @{}
    Utf8           = New-Object System.Text.UTF8Encoding $false
    DateKind       = $false
    EnumsAsStrings = $false
    # From 7.2 on, redirecting the error stream no longer makes a native tool's stderr a terminating
    # error under $ErrorActionPreference = 'Stop', so non-terminating errors can be collected as records.
    RedirectErrors = $PSVersionTable.PSVersion -ge [version]'7.2'
}

function global:__HvlmFromBase64([string]$Text) {
    $global:__HvlmState.Utf8.GetString([Convert]::FromBase64String($Text))
}

function global:__HvlmFromJson([string]$Json) {
    # PowerShell 7.5+ would otherwise turn date-like strings into DateTime values.
    if ($global:__HvlmState.DateKind) {
        ConvertFrom-Json -InputObject $Json -DateKind String
    } else {
        ConvertFrom-Json -InputObject $Json
    }
}

# Windows PowerShell 5.1 has no -EnumsAsStrings: turn enums into their names (and dates into ISO 8601)
# before ConvertTo-Json sees the value. PowerShell 7 never calls this.
function global:__HvlmPlain($Value, [int]$Depth) {
    if ($null -eq $Value) { return $null }
    if ($Value -is [enum]) { return $Value.ToString() }
    if ($Value -is [datetime]) { return $Value.ToString('o') }
    # Without the members remoting or Get-Content add (PSComputerName, PSPath): 5.1 writes such a string as an object.
    if ($Value -is [string]) { return [string]$Value }
    if ($Value -is [ValueType]) { return $Value }
    if ($Depth -le 0) { return [string]$Value }
    if ($Value -is [System.Collections.IDictionary]) {
        $map = [ordered]@{}
        foreach ($key in $Value.Keys) { $map[[string]$key] = (__HvlmPlain $Value[$key] ($Depth - 1)) }
        return $map
    }
    if ($Value -is [System.Collections.IEnumerable]) {
        $list = New-Object System.Collections.Generic.List[object]
        foreach ($item in $Value) { $list.Add((__HvlmPlain $item ($Depth - 1))) }
        return , $list.ToArray()
    }
    $map = [ordered]@{}
    foreach ($property in $Value.PSObject.Properties) {
        $propertyValue = $null
        try { $propertyValue = $property.Value } catch { $propertyValue = $null }
        $map[$property.Name] = (__HvlmPlain $propertyValue ($Depth - 1))
    }
    return $map
}

function global:__HvlmToJson($Value, [System.Collections.Generic.List[string]]$Warnings) {
    $truncated = $null
    if ($global:__HvlmState.EnumsAsStrings) {
        $json = ConvertTo-Json -InputObject $Value -Depth 12 -Compress -EnumsAsStrings -WarningAction SilentlyContinue -WarningVariable truncated
    } else {
        $json = ConvertTo-Json -InputObject (__HvlmPlain $Value 12) -Depth 12 -Compress -WarningAction SilentlyContinue -WarningVariable truncated
    }
    foreach ($warning in $truncated) { $Warnings.Add([string]$warning.Message) }
    $json
}

# A script whose last statement is @(...) (or return @(...)) answers an array even for one item:
# the pipeline would otherwise unroll it.
function global:__HvlmEndsWithArray([ScriptBlock]$Block) {
    $end = $Block.Ast.EndBlock
    if ($null -eq $end -or $end.Statements.Count -eq 0) { return $false }
    $last = $end.Statements[$end.Statements.Count - 1]
    if ($last -is [System.Management.Automation.Language.ReturnStatementAst]) { $last = $last.Pipeline }
    if ($last -isnot [System.Management.Automation.Language.PipelineAst] -or $last.PipelineElements.Count -ne 1) { return $false }
    $element = $last.PipelineElements[0]
    ($element -is [System.Management.Automation.Language.CommandExpressionAst]) -and
    ($element.Expression -is [System.Management.Automation.Language.ArrayExpressionAst])
}

# The facts of an error record, as a failed call reports them. Scripts use it too, to report an error as
# data beside what did work (one part of a read, one host of a batch), so it is classified the same way.
function global:__HvlmErrorFacts([System.Management.Automation.ErrorRecord]$Record) {
    $exception = $Record.Exception
    $message = $exception.Message
    if ($null -ne $Record.ErrorDetails -and $Record.ErrorDetails.Message) { $message = $Record.ErrorDetails.Message }
    $chain = New-Object System.Collections.Generic.List[object]
    $current = $exception
    while ($null -ne $current -and $chain.Count -lt 8) {
        $chain.Add([ordered]@{
                type    = $current.GetType().FullName
                message = $current.Message
                hresult = ('{0:X8}' -f $current.HResult)
            })
        $current = $current.InnerException
    }
    $target = $null
    if ($Record.TargetObject -is [string]) { $target = $Record.TargetObject }
    [ordered]@{
        message       = $message
        category      = [string]$Record.CategoryInfo.Category
        errorId       = [string]$Record.FullyQualifiedErrorId
        exceptionType = $exception.GetType().FullName
        targetObject  = $target
        chain         = $chain.ToArray()
    }
}

function global:__HvlmAnswer([string]$DataJson, $ErrorRecord, [System.Collections.Generic.List[string]]$Warnings) {
    $state = $global:__HvlmState
    if ($null -eq $ErrorRecord) {
        $json = '{"ok":true,"data":' + $DataJson + ',"warnings":' + (__HvlmToJson $Warnings.ToArray() $Warnings) + '}'
    } else {
        $facts = __HvlmToJson (__HvlmErrorFacts $ErrorRecord) $Warnings
        $json = '{"ok":false,"error":' + $facts + ',"warnings":' + (__HvlmToJson $Warnings.ToArray() $Warnings) + '}'
    }
    [Console]::Out.WriteLine($state.Marker + [Convert]::ToBase64String($state.Utf8.GetBytes($json)))
}

function global:__HvlmInitialize([string]$Options) {
    $ErrorActionPreference = 'Stop'
    $state = $global:__HvlmState
    $warnings = New-Object System.Collections.Generic.List[string]
    $settings = __HvlmFromJson (__HvlmFromBase64 $Options)
    $state.Marker = $settings.marker
    try {
        try { [Console]::OutputEncoding = $state.Utf8 } catch { $warnings.Add('Console output encoding: ' + $_.Exception.Message) }
        $global:OutputEncoding = $state.Utf8
        $global:ProgressPreference = 'SilentlyContinue'
        $global:ConfirmPreference = 'None'
        $state.DateKind = (Get-Command ConvertFrom-Json).Parameters.ContainsKey('DateKind')
        $state.EnumsAsStrings = (Get-Command ConvertTo-Json).Parameters.ContainsKey('EnumsAsStrings')
        if ($null -ne $settings.hostSessionIdleSeconds) { $global:__HvlmHosts.IdleSeconds = [double]$settings.hostSessionIdleSeconds }
        foreach ($module in @($settings.modules)) {
            if ($module) { Import-Module -Name $module -Global -DisableNameChecking -WarningAction SilentlyContinue }
        }
        $version = [ordered]@{ version = $PSVersionTable.PSVersion.ToString(); edition = [string]$PSVersionTable.PSEdition }
        __HvlmAnswer (__HvlmToJson $version $warnings) $null $warnings
    } catch {
        __HvlmAnswer $null $_ $warnings
    }
}

# Reads one password data line into a SecureString, one hex digit at a time: the password never becomes a string,
# and no more of it than one UTF-16 code unit is ever held elsewhere. Always reads to the line's end; $null when
# the line is not one of hex digits in fours.
function global:__HvlmReadSecret([System.IO.TextReader]$Reader) {
    $first = $Reader.Read()
    if ($first -eq 10 -or $first -eq -1) { return $null }
    $secure = New-Object System.Security.SecureString
    $wellFormed = $first -eq 35
    $code = 0
    $digits = 0
    while ($true) {
        $next = $Reader.Read()
        if ($next -eq 10 -or $next -eq -1) { break }
        if ($next -eq 13) { continue }
        if ($next -ge 48 -and $next -le 57) { $code = $code * 16 + $next - 48 }
        elseif ($next -ge 97 -and $next -le 102) { $code = $code * 16 + $next - 87 }
        else { $wellFormed = $false; continue }
        $digits++
        if ($digits % 4 -eq 0) {
            $secure.AppendChar([char]$code)
            $code = 0
        }
    }
    $code = 0
    if (-not $wellFormed -or $digits % 4 -ne 0) {
        $secure.Dispose()
        return $null
    }
    $secure.MakeReadOnly()
    $secure
}

function global:__HvlmInvoke([string]$Key, [string]$Text, [int]$Length) {
    $ErrorActionPreference = 'Stop'
    # A function of a script module (the lab's cmdlets) does not see this scope's preference variables,
    # but it does get the parameters bound here: -ErrorAction Stop makes its errors stop the script as a
    # compiled cmdlet's do. A script that tolerates an error says so with its own -ErrorAction.
    $PSDefaultParameterValues = @{ '*:ErrorAction' = 'Stop' }
    $ProgressPreference = 'SilentlyContinue'
    $state = $global:__HvlmState
    # The data lines first, whatever happens next: a line left unread would be the host's next command.
    $callLine = $state.Input.ReadLine()
    $password = __HvlmReadSecret $state.Input
    $destinationPassword = __HvlmReadSecret $state.Input
    $warnings = New-Object System.Collections.Generic.List[string]
    $items = New-Object System.Collections.Generic.List[object]
    try {
        if ($null -eq $callLine -or $callLine.Length -ne $Length -or -not $callLine.StartsWith('#') -or
            $null -eq $password -or $null -eq $destinationPassword) {
            throw 'The call line was not followed by its data lines.'
        }
        $entry = $state.Scripts[$Key]
        if ($null -eq $entry) {
            if (-not $Text) { throw "The session has no script with key $Key." }
            try { $block = [ScriptBlock]::Create((__HvlmFromBase64 $Text)) }
            catch { if ($_.Exception.InnerException) { throw $_.Exception.InnerException } else { throw } }
            $entry = @{ Block = $block; AsArray = (__HvlmEndsWithArray $block) }
            $state.Scripts[$Key] = $entry
        }
        $request = __HvlmFromJson (__HvlmFromBase64 $callLine.Substring(1))
        $bound = @{ Params = $request.params }
        if ($null -ne $request.credential) {
            $bound.Credential = New-Object System.Management.Automation.PSCredential ($request.credential.userName, $password)
        }
        if ($null -ne $request.destinationCredential) {
            $bound.DestinationCredential = New-Object System.Management.Automation.PSCredential ($request.destinationCredential.userName, $destinationPassword)
        }
        $request = $null
        $callLine = $null
        $password = $null
        $destinationPassword = $null
        $collect = {
            if ($_ -is [System.Management.Automation.WarningRecord]) { $warnings.Add($_.Message) }
            elseif ($_ -is [System.Management.Automation.ErrorRecord]) { $warnings.Add($_.ToString()) }
            elseif ($_ -isnot [System.Management.Automation.InformationalRecord] -and
                $_ -isnot [System.Management.Automation.InformationRecord]) { $items.Add($_) }
        }
        if ($state.RedirectErrors) {
            & $entry.Block @bound 2>&1 3>&1 4>&1 5>&1 6>&1 | ForEach-Object $collect
        } else {
            & $entry.Block @bound 3>&1 4>&1 5>&1 6>&1 | ForEach-Object $collect
        }
        $bound = $null
        $data = $null
        if ($entry.AsArray -or $items.Count -gt 1) { $data = $items.ToArray() }
        elseif ($items.Count -eq 1) { $data = $items[0] }
        __HvlmAnswer (__HvlmToJson $data $warnings) $null $warnings
    } catch {
        $bound = $null
        $password = $null
        $destinationPassword = $null
        __HvlmAnswer $null $_ $warnings
    }
}
