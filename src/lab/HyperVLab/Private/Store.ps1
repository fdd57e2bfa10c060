# The lab's state store: the one place that opens the lab file (see STATE.md).
# Readers get a cached, validated state; writers go through Update-LabState, which locks, loads,
# mutates, validates and saves atomically. A file that fails to load is never written over.

$script:LabCache = $null
$script:LabSchemaVersion = 1

function New-LabErrorRecord
{
    [CmdletBinding()]
    [OutputType([System.Management.Automation.ErrorRecord])]
    param
    (
        [Parameter(Mandatory = $true)]
        [System.String]
        $Message,

        [Parameter(Mandatory = $true)]
        [System.Management.Automation.ErrorCategory]
        $Category,

        [Parameter()]
        [System.String]
        $ErrorId = 'Unspecified',

        [Parameter()]
        [System.Object]
        $TargetObject,

        [Parameter()]
        [System.String]
        $ExceptionType = 'System.InvalidOperationException'
    )

    $exception = [System.Activator]::CreateInstance([System.Type] $ExceptionType, [System.Object[]] @($Message))
    return [System.Management.Automation.ErrorRecord]::new($exception, $ErrorId, $Category, $TargetObject)
}

function Get-LabPath
{
    [CmdletBinding()]
    [OutputType([System.String])]
    param ()

    $path = $env:HYPERV_LAB_PATH
    if ([System.String]::IsNullOrWhiteSpace($path))
    {
        $PSCmdlet.ThrowTerminatingError((New-LabErrorRecord -Category ObjectNotFound -ErrorId 'LabPathNotSet' `
            -Message 'No lab file: set the environment variable HYPERV_LAB_PATH to a lab file made by New-HyperVLab.'))
    }
    $full = [System.IO.Path]::GetFullPath($path)
    if (-not [System.IO.File]::Exists($full))
    {
        $PSCmdlet.ThrowTerminatingError((New-LabErrorRecord -Category ObjectNotFound -ErrorId 'LabFileNotFound' `
            -TargetObject $full -ExceptionType 'System.IO.FileNotFoundException' `
            -Message "The lab file '$full' does not exist. Make one with New-HyperVLab -Path '$full'."))
    }
    return $full
}

function Get-LabFileStamp
{
    param ([System.String] $Path)

    # $null for a missing file. Enter-LabCall compares the same stamp inline: change both together.
    $info = [System.IO.FileInfo]::new($Path)
    if (-not $info.Exists) { return $null }
    return '{0}:{1}' -f $info.LastWriteTimeUtc.Ticks, $info.Length
}

function ConvertTo-LabDate
{
    [CmdletBinding()]
    [OutputType([System.DateTime])]
    param ([Parameter(ValueFromPipeline = $true)] [System.Object] $Value)

    process
    {
        if ($null -eq $Value) { return $null }
        if ($Value -is [System.DateTime]) { return $Value.ToUniversalTime() }
        return [System.DateTime]::Parse([System.String] $Value, [System.Globalization.CultureInfo]::InvariantCulture,
            [System.Globalization.DateTimeStyles]::AdjustToUniversal -bor [System.Globalization.DateTimeStyles]::AssumeUniversal)
    }
}

function ConvertTo-LabDateString
{
    param ([System.DateTime] $Date)

    return $Date.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ss.fffZ', [System.Globalization.CultureInfo]::InvariantCulture)
}

function Test-LabStateShape
{
    # Returns the first problem found as a sentence, or $null when the state is a valid lab.
    param ([System.Object] $State)

    if ($State -isnot [System.Management.Automation.PSCustomObject]) { return 'the top level is not a JSON object' }
    if ($State.schemaVersion -ne $script:LabSchemaVersion)
    {
        return "schemaVersion is '$($State.schemaVersion)', expected $script:LabSchemaVersion"
    }
    foreach ($list in 'hosts', 'vms', 'clusters', 'adComputers')
    {
        if ($null -eq $State.PSObject.Properties[$list]) { return "the required field '$list' is missing" }
        if ($null -ne $State.$list -and $State.$list -isnot [System.Array]) { return "'$list' is not an array" }
    }
    if ($null -eq $State.template -or [System.String]::IsNullOrEmpty($State.template.name))
    {
        return "the required field 'template.name' is missing"
    }
    if ($null -ne $State.network)
    {
        foreach ($field in 'connectLatencyMs', 'callLatencyMs')
        {
            $value = $State.network.$field
            if ($null -ne $value -and -not ($value -is [System.ValueType] -and $value -ge 0)) { return "network.$field '$value' is not a number of milliseconds" }
        }
    }

    $hostNames = New-Object -TypeName 'System.Collections.Generic.HashSet[string]' -ArgumentList ([System.StringComparer]::OrdinalIgnoreCase)
    $i = 0
    foreach ($h in @($State.hosts))
    {
        if ([System.String]::IsNullOrEmpty($h.name)) { return "hosts[$i].name is missing" }
        if (-not $hostNames.Add($h.name)) { return "hosts[$i].name '$($h.name)' appears twice" }
        foreach ($field in 'fqdn', 'processor', 'memoryCapacity', 'migration', 'supportedVersions', 'switches', 'volumes')
        {
            if ($null -eq $h.$field) { return "hosts[$i] ('$($h.name)') has no '$field'" }
        }
        if ($h.processor.vendor -notin 'Intel', 'AMD') { return "hosts[$i].processor.vendor '$($h.processor.vendor)' is not Intel or AMD" }
        if ($h.migration.authenticationType -notin 'Kerberos', 'CredSSP')
        {
            return "hosts[$i].migration.authenticationType '$($h.migration.authenticationType)' is not Kerberos or CredSSP"
        }
        $i++
    }

    $vmIds = New-Object -TypeName 'System.Collections.Generic.HashSet[string]' -ArgumentList ([System.StringComparer]::OrdinalIgnoreCase)
    $i = 0
    foreach ($vm in @($State.vms))
    {
        if ([System.String]::IsNullOrEmpty($vm.name)) { return "vms[$i].name is missing" }
        $guid = [System.Guid]::Empty
        if (-not [System.Guid]::TryParse([System.String] $vm.id, [ref] $guid)) { return "vms[$i].id '$($vm.id)' ('$($vm.name)') is not a GUID" }
        if (-not $vmIds.Add("$($vm.id)|$($vm.host)")) { return "vms[$i].id '$($vm.id)' appears twice on host '$($vm.host)'" }
        if (-not $hostNames.Contains([System.String] $vm.host)) { return "vms[$i].host '$($vm.host)' ('$($vm.name)') is not a host of the lab" }
        if (-not $script:LabEnums.VMState.Contains([System.String] $vm.state))
        {
            return "vms[$i].state '$($vm.state)' ('$($vm.name)') is not a VMState"
        }
        foreach ($field in 'memoryStartup', 'processor', 'version', 'generation')
        {
            if ($null -eq $vm.$field) { return "vms[$i] ('$($vm.name)') has no '$field'" }
        }
        foreach ($list in 'networkAdapters', 'hardDrives', 'dvdDrives', 'snapshots')
        {
            if ($null -ne $vm.$list -and $vm.$list -isnot [System.Array]) { return "vms[$i].$list ('$($vm.name)') is not an array" }
        }
        $i++
    }

    $i = 0
    foreach ($c in @($State.clusters))
    {
        if ([System.String]::IsNullOrEmpty($c.name)) { return "clusters[$i].name is missing" }
        foreach ($node in @($c.nodes))
        {
            if (-not $hostNames.Contains([System.String] $node)) { return "clusters[$i].nodes: '$node' is not a host of the lab" }
        }
        $i++
    }

    $i = 0
    foreach ($a in @($State.adComputers))
    {
        if ([System.String]::IsNullOrEmpty($a.name)) { return "adComputers[$i].name is missing" }
        if ([System.String]::IsNullOrEmpty($a.distinguishedName)) { return "adComputers[$i].distinguishedName ('$($a.name)') is missing" }
        $i++
    }
    return $null
}

function Read-LabFile
{
    # Parses and validates the lab file; a terminating InvalidData error names the file and the problem.
    [CmdletBinding()]
    param ([Parameter(Mandatory = $true)] [System.String] $Path)

    $text = [System.IO.File]::ReadAllText($Path, [System.Text.Encoding]::UTF8)
    $state = $null
    try
    {
        if ($PSVersionTable.PSVersion -ge [System.Version] '7.5')
        {
            $state = ConvertFrom-Json -InputObject $text -DateKind String -ErrorAction Stop
        }
        else
        {
            $state = ConvertFrom-Json -InputObject $text -ErrorAction Stop
        }
    }
    catch
    {
        $PSCmdlet.ThrowTerminatingError((New-LabErrorRecord -Category InvalidData -ErrorId 'LabFileInvalidJson' -TargetObject $Path `
            -ExceptionType 'System.IO.InvalidDataException' -Message "The lab file '$Path' is not valid JSON: $($_.Exception.Message)"))
    }
    $problem = Test-LabStateShape -State $state
    if ($null -ne $problem)
    {
        $PSCmdlet.ThrowTerminatingError((New-LabErrorRecord -Category InvalidData -ErrorId 'LabFileInvalid' -TargetObject $Path `
            -ExceptionType 'System.IO.InvalidDataException' -Message "The lab file '$Path' is not a valid lab: $problem."))
    }
    return $state
}

function Get-LabState
{
    # The current state, parsed once per version of the file. Treat it as read-only.
    [CmdletBinding()]
    param ()

    $path = Get-LabPath
    $stamp = Get-LabFileStamp -Path $path
    $cache = $script:LabCache
    if ($null -ne $cache -and $cache.Path -eq $path -and $cache.Stamp -eq $stamp)
    {
        return $cache.State
    }
    $state = Read-LabFile -Path $path
    $script:LabCache = @{ Path = $path; Stamp = $stamp; State = $state; Index = $null }
    return $state
}

function Get-LabIndex
{
    # Case-insensitive lookups over the cached state, built once per version of the file.
    [CmdletBinding()]
    param ()

    $state = Get-LabState
    $cache = $script:LabCache
    if ($null -ne $cache.Index) { return $cache.Index }

    $comparer = [System.StringComparer]::OrdinalIgnoreCase
    $index = @{
        State            = $state
        Hosts            = New-Object -TypeName 'System.Collections.Generic.Dictionary[string,object]' -ArgumentList $comparer
        Vms              = New-Object -TypeName 'System.Collections.Generic.Dictionary[string,object]' -ArgumentList $comparer
        VmsByHost        = New-Object -TypeName 'System.Collections.Generic.Dictionary[string,object]' -ArgumentList $comparer
        Clusters         = New-Object -TypeName 'System.Collections.Generic.Dictionary[string,object]' -ArgumentList $comparer
        ClusterOfNode    = New-Object -TypeName 'System.Collections.Generic.Dictionary[string,object]' -ArgumentList $comparer
        ClusterGroupOfVm = New-Object -TypeName 'System.Collections.Generic.Dictionary[string,object]' -ArgumentList $comparer
        AdComputers      = New-Object -TypeName 'System.Collections.Generic.Dictionary[string,object]' -ArgumentList $comparer
        # Objects converted once per version of the file (Get-LabView), and VMs' parsed start times (Get-LabVmUptime).
        Views            = New-Object -TypeName 'System.Collections.Generic.Dictionary[string,object]'
        StartedAt        = New-Object -TypeName 'System.Collections.Generic.Dictionary[string,datetime]'
    }
    foreach ($h in @($state.hosts))
    {
        $index.Hosts[$h.name] = $h
        $index.Hosts[$h.fqdn] = $h
        # The name a host reports of itself resolves to it too (objects it gave out carry that name).
        $reported = Get-LabReportedName -State $state -HostRecord $h
        if (-not $index.Hosts.ContainsKey($reported)) { $index.Hosts[$reported] = $h }
        $index.VmsByHost[$h.name] = New-Object -TypeName 'System.Collections.Generic.List[object]'
    }
    foreach ($vm in @($state.vms))
    {
        if ($vm.vmType -ne 'PlannedVirtualMachine') { $index.Vms["$($vm.id)"] = $vm }
        $index.VmsByHost[$vm.host].Add($vm)
    }
    foreach ($c in @($state.clusters))
    {
        $index.Clusters[$c.name] = $c
        if ($c.fqdn) { $index.Clusters[$c.fqdn] = $c }
        foreach ($node in @($c.nodes)) { $index.ClusterOfNode[$node] = $c }
        foreach ($g in @($c.groups))
        {
            if ($g.groupType -eq 'VirtualMachine' -and $g.vmId) { $index.ClusterGroupOfVm["$($g.vmId)"] = $g }
        }
    }
    foreach ($a in @($state.adComputers))
    {
        $index.AdComputers[$a.name] = $a
        if ($a.dnsHostName) { $index.AdComputers[$a.dnsHostName] = $a }
    }
    $cache.Index = $index
    return $index
}

function Invoke-WithLabLock
{
    # Runs the block while holding the lab's cross-process lock (<lab>.lock opened with FileShare None).
    [CmdletBinding()]
    param
    (
        [Parameter(Mandatory = $true)] [System.String] $LockedPath,
        [Parameter(Mandatory = $true)] [System.Management.Automation.ScriptBlock] $Action
    )

    $labLockPath = "$LockedPath.lock"
    $labLockTimeoutMs = 10000
    if ($env:HYPERV_LAB_LOCK_TIMEOUT_MS) { $labLockTimeoutMs = [System.Int32] $env:HYPERV_LAB_LOCK_TIMEOUT_MS }
    $labLockWatch = [System.Diagnostics.Stopwatch]::StartNew()
    $labLock = $null
    while ($null -eq $labLock)
    {
        try
        {
            $labLock = [System.IO.File]::Open($labLockPath, [System.IO.FileMode]::OpenOrCreate, [System.IO.FileAccess]::ReadWrite,
                [System.IO.FileShare]::None)
        }
        catch [System.IO.IOException]
        {
            $labLock = $null
        }
        if ($null -eq $labLock)
        {
            if ($labLockWatch.ElapsedMilliseconds -ge $labLockTimeoutMs)
            {
                $labLockSeconds = [System.Math]::Round($labLockTimeoutMs / 1000, 1)
                $PSCmdlet.ThrowTerminatingError((New-LabErrorRecord -Category ResourceBusy -ErrorId 'LabFileLocked' -TargetObject $LockedPath `
                    -Message "The lab file '$LockedPath' is locked by another session ('$labLockPath'); gave up after $labLockSeconds s."))
            }
            Start-Sleep -Milliseconds 15
        }
    }
    try
    {
        & $Action
    }
    finally
    {
        $labLock.Dispose()
    }
}

function Write-LabFileAtomically
{
    param ([System.String] $Path, [System.Object] $State)

    $json = ConvertTo-Json -InputObject $State -Depth 32
    $directory = [System.IO.Path]::GetDirectoryName($Path)
    $temp = [System.IO.Path]::Combine($directory, ('.{0}.{1}.tmp' -f [System.IO.Path]::GetFileName($Path), [System.Guid]::NewGuid().ToString('N')))
    $encoding = New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false
    try
    {
        $stream = New-Object -TypeName System.IO.FileStream -ArgumentList @($temp, [System.IO.FileMode]::CreateNew,
            [System.IO.FileAccess]::Write, [System.IO.FileShare]::None)
        try
        {
            $bytes = $encoding.GetBytes($json)
            $stream.Write($bytes, 0, $bytes.Length)
            $stream.Flush($true)
        }
        finally
        {
            $stream.Dispose()
        }
        if ([System.IO.File]::Exists($Path))
        {
            [System.IO.File]::Replace($temp, $Path, [System.Management.Automation.Language.NullString]::Value)
        }
        else
        {
            [System.IO.File]::Move($temp, $Path)
        }
    }
    finally
    {
        if ([System.IO.File]::Exists($temp)) { [System.IO.File]::Delete($temp) }
    }
}

function Save-LabState
{
    # Writes a whole new state (New-HyperVLab, Reset-HyperVLab) under the lock, atomically.
    [CmdletBinding()]
    param
    (
        [Parameter(Mandatory = $true)] [System.String] $Path,
        [Parameter(Mandatory = $true)] [System.Object] $State
    )

    $full = [System.IO.Path]::GetFullPath($Path)
    Invoke-WithLabLock -LockedPath $full -Action {
        Write-LabFileAtomically -Path $full -State $State
    }
    $script:LabCache = $null
}

function Update-LabState
{
    # Lock, load, run the block on the state, validate, save atomically, unlock. Returns the block's output.
    [CmdletBinding()]
    param
    (
        [Parameter(Mandatory = $true, Position = 0)]
        [System.Management.Automation.ScriptBlock]
        $ScriptBlock
    )

    $labUpdatePath = Get-LabPath
    Invoke-WithLabLock -LockedPath $labUpdatePath -Action {
        $labUpdateState = Get-LabState
        try
        {
            $labUpdateOutput = & $ScriptBlock $labUpdateState
            if ($labUpdateOutput -is [System.Management.Automation.ErrorRecord])
            {
                # The change was refused: nothing is written, and the cached state (maybe half changed) is dropped.
                $script:LabCache = $null
                return $labUpdateOutput
            }
            $labUpdateProblem = Test-LabStateShape -State $labUpdateState
            if ($null -ne $labUpdateProblem)
            {
                throw (New-LabErrorRecord -Category InvalidData -ErrorId 'LabStateInvalid' -TargetObject $labUpdatePath `
                    -Message "The change would leave the lab file '$labUpdatePath' invalid: $labUpdateProblem.")
            }
            $labUpdateState.revision = [System.Int64] $labUpdateState.revision + 1
            Write-LabFileAtomically -Path $labUpdatePath -State $labUpdateState
            $script:LabCache = @{ Path = $labUpdatePath; Stamp = (Get-LabFileStamp -Path $labUpdatePath); State = $labUpdateState; Index = $null }
            $labUpdateOutput
        }
        catch
        {
            $script:LabCache = $null
            throw
        }
    }
}
