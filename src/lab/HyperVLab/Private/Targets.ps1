# Reaching a host of the lab the way a cmdlet reaches a Hyper-V host: the name must resolve, the
# host must be reachable (faults), and each call aimed at it pays its simulated latency.

$script:LabTemplatesPath = Join-Path -Path (Split-Path -Path $PSScriptRoot -Parent) -ChildPath 'Templates'

$script:LabUnreachableText = 'WinRM cannot complete the operation. Verify that the specified computer name is valid, that the computer is accessible over the network, and that a firewall exception for the WinRM service is enabled and allows access from this computer. By default, the WinRM firewall exception for public profiles limits access to remote computers within the same local subnet.'

# The host an Invoke-Command script block runs on while it runs ($null outside one), and how that
# session was authenticated (Default, or Credssp, which carries the caller's credentials on).
$script:LabRemoteHost = $null
$script:LabRemoteAuthentication = $null

function Get-LabLocalHostName
{
    # The computer the lab's cmdlets run "on" when -ComputerName is omitted: the lab's first host, or the
    # host an Invoke-Command script block is running on.
    param ([System.Object] $Index)

    # Inside Invoke-Command's script block, the host the block runs on.
    if ($null -ne $script:LabRemoteHost) { return $script:LabRemoteHost }
    $first = @($Index.State.hosts)[0]
    if ($null -eq $first) { return $null }
    return $first.name
}

function Resolve-LabComputerName
{
    # -ComputerName as the cmdlets see it: omitted, 'localhost' or '.' mean the local (first) host.
    param ([System.String[]] $ComputerName, [System.Object] $Index)

    if ($null -eq $ComputerName -or $ComputerName.Count -eq 0) { return , @(Get-LabLocalHostName -Index $Index) }
    $names = foreach ($name in $ComputerName)
    {
        if ($name -in 'localhost', '.', '127.0.0.1', '::1') { Get-LabLocalHostName -Index $Index } else { $name }
    }
    return , @($names)
}

function Get-LabFault
{
    param ([System.Object] $State, [System.String] $HostName)

    if ($null -eq $State.faults) { return $null }
    $property = $State.faults.PSObject.Properties[$HostName]
    if ($null -eq $property) { return $null }
    return $property.Value
}

function Get-LabReportedName
{
    # The name a host gives itself (VMHost and VM ComputerName, Win32_ComputerSystem): its own, or the name its
    # fault says (Set-HyperVLabFault -ReportsName). Hyper-V's ComputerName is the NetBIOS form of the name DNS
    # resolves, cut to 15 characters (ServerNames.Resolve, GetNetBiosNameFromFullName): an alias, a stale DNS
    # record or a long name make it differ from the name the host was reached by. Which name then is the knob's.
    param ([System.Object] $State, [System.Object] $HostRecord)

    $fault = Get-LabFault -State $State -HostName $HostRecord.name
    if ($null -ne $fault -and $null -ne $fault.PSObject.Properties['reportsName'] -and $fault.reportsName) { return [System.String] $fault.reportsName }
    return [System.String] $HostRecord.name
}

function New-LabUnreachableError
{
    param ([System.String] $HostName)

    return New-LabErrorRecord -Category ConnectionError -ErrorId 'HostUnreachable' -TargetObject $HostName `
        -ExceptionType 'System.Net.WebException' -Message "The operation on computer '$HostName' failed: $script:LabUnreachableText"
}

$script:LabLatencyPaid = @{}

function Register-LabLatency
{
    # True when the host's latency is still to be paid in this top-level command (and marks it paid).
    # Top-level commands are told apart by the history id of the outermost frame.
    param ([System.String] $HostName, [System.Management.Automation.PSCmdlet] $Cmdlet)

    # A cmdlet's invocation carries the history id of the top-level command it runs in (cheaper than the
    # call stack, which every cmdlet aimed at a slow host would otherwise walk).
    $command = if ($null -ne $Cmdlet) { $Cmdlet.MyInvocation.HistoryId } else { (Get-PSCallStack)[-1].InvocationInfo.HistoryId }
    $key = '{0}|{1}' -f $command, $HostName.ToUpperInvariant()
    if ($script:LabLatencyPaid.ContainsKey($key)) { return $false }
    if ($script:LabLatencyPaid.Count -gt 1000) { $script:LabLatencyPaid.Clear() }
    $script:LabLatencyPaid[$key] = $true
    return $true
}

function Invoke-LabLatency
{
    # A host's simulated network latency, paid once per host per top-level command: a script that asks
    # one host ten things in one round trip waits once. That is exact for a script run on the host through
    # one remote session (Invoke-Command); cmdlets given -ComputerName make a connection each on real
    # hosts, so the lab flatters them.
    param ([System.String] $HostName, [System.Int32] $Milliseconds, [System.Management.Automation.PSCmdlet] $Cmdlet)

    if (Register-LabLatency -HostName $HostName -Cmdlet $Cmdlet) { Start-Sleep -Milliseconds $Milliseconds }
}

function New-LabRemotingError
{
    # What Invoke-Command writes for a computer it cannot open a session on: WinRM's transport error, aimed
    # at the computer name, with the name in front of the message as PowerShell puts it.
    param ([System.String] $ComputerName, [System.String] $Reason, [System.String] $ErrorId)

    return New-LabTransportError -ComputerName $ComputerName -ErrorId "$ErrorId,PSSessionStateBroken" `
        -Message "Connecting to remote server $ComputerName failed with the following error message : $Reason For more information, see the about_Remote_Troubleshooting Help topic."
}

function Test-LabSecondHop
{
    <#
        The second hop: a cmdlet in an Invoke-Command block on one host that reaches another host. A
        remoting session authenticated with Kerberos holds no credentials to pass on, so PowerShell remoting
        (learn.microsoft.com, "Making the second hop in PowerShell Remoting") lets the hop through only with
        credentials passed in (-Credential, -DestinationCredential, a CIM session made with them) or a CredSSP
        session; delegation set up for the hop (resource-based or constrained) is not modelled. $null when
        allowed, else the error the call gets.
    #>
    param ([System.Object] $Index, [System.Object] $HostRecord, [System.Management.Automation.PSCmdlet] $Cmdlet)

    $from = $script:LabRemoteHost
    if ($null -eq $from -or (Test-LabSameText -A $from -B $HostRecord.name)) { return $null }
    if ($script:LabRemoteAuthentication -eq 'Credssp') { return $null }
    if ($null -ne $Cmdlet)
    {
        $bound = $Cmdlet.MyInvocation.BoundParameters
        foreach ($name in 'Credential', 'DestinationCredential', 'CimSession') { if ($bound.ContainsKey($name) -and $null -ne $bound[$name]) { return $null } }
    }
    # The connection refused: Hyper-V's ServerConnectionException (ThrowHelper.CreateServerException, text
    # ConnectionIssue_AccessDenied), which its ExceptionHelper writes as VirtualizationException, Unspecified,
    # NotSpecified, no target.
    $record = New-LabErrorRecord -Category NotSpecified -ErrorId 'Unspecified' -ExceptionType 'System.Exception' `
        -Message ("You do not have the required permission to complete this task. Contact the administrator of the authorization policy for the computer '{0}'." -f $HostRecord.name)
    $record.CategoryInfo.Reason = 'VirtualizationException'
    return $record
}

function Enter-LabHost
{
    # The host record for a computer name, after the host's faults are applied; $null (and an error
    # written through the calling cmdlet) when the name does not resolve or the host is unreachable.
    # -Connected: the call rides on a connection made earlier (a compatibility report's), so it makes no
    # second hop of its own.
    param
    (
        [System.String] $ComputerName,
        [System.Object] $Index,
        [System.Management.Automation.PSCmdlet] $Cmdlet,
        [System.Management.Automation.SwitchParameter] $Connected
    )

    $record = $null
    if (-not $Index.Hosts.TryGetValue($ComputerName, [ref] $record))
    {
        $Cmdlet.WriteError((New-LabErrorRecord -Category ObjectNotFound -ErrorId 'ComputerNotFound' -TargetObject $ComputerName `
            -Message "The computer '$ComputerName' could not be resolved. Make sure you typed the machine name correctly and that you have network access."))
        return $null
    }
    # Given -ComputerName or -CimSession, the cmdlet pays for its connection (the check inline: hot path).
    if (-not $Connected -and $null -ne $Cmdlet -and ($Cmdlet.MyInvocation.BoundParameters.ContainsKey('ComputerName') -or $Cmdlet.MyInvocation.BoundParameters.ContainsKey('CimSession')))
    {
        Invoke-LabCmdletCost -Index $Index -HostName $record.name -Cmdlet $Cmdlet
    }
    $fault = Get-LabFault -State $Index.State -HostName $record.name
    if ($null -ne $fault)
    {
        # Inside an Invoke-Command block, its own host was paid for by the block's round trip.
        if ($fault.latencyMs -gt 0 -and -not (Test-LabSameText -A $script:LabRemoteHost -B $record.name)) { Invoke-LabLatency -HostName $record.name -Milliseconds ([System.Int32] $fault.latencyMs) -Cmdlet $Cmdlet }
        if ($fault.unreachable)
        {
            $Cmdlet.WriteError((New-LabUnreachableError -HostName $record.name))
            return $null
        }
    }
    if ($null -ne $script:LabRemoteHost -and -not $Connected)
    {
        $denied = Test-LabSecondHop -Index $Index -HostRecord $record -Cmdlet $Cmdlet
        if ($null -ne $denied)
        {
            $Cmdlet.WriteError($denied)
            return $null
        }
    }
    return $record
}

function Test-LabNameMatch
{
    # Hyper-V's -Name matching: wildcards when the pattern has them, else a case-insensitive equality.
    param ([System.String] $Name, [System.String[]] $Pattern)

    if ($null -eq $Pattern -or $Pattern.Count -eq 0) { return $true }
    foreach ($p in $Pattern)
    {
        if ([System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($p))
        {
            if ($Name -like $p) { return $true }
        }
        elseif ([System.String]::Equals($Name, $p, [System.StringComparison]::OrdinalIgnoreCase))
        {
            return $true
        }
    }
    return $false
}

function Get-LabHostLookup
{
    # Per host, built once per version of the lab file (kept on the index): the realized VMs in lab order
    # (planned VMs left by failed moves are not listed, as in Hyper-V), those VMs by id, and the VHD files
    # of their drives by path (each with its VM and drive). $null for a name that is not a host.
    param ([System.Object] $Index, [System.String] $HostName)

    if (-not $Index.ContainsKey('HostLookups'))
    {
        $Index.HostLookups = New-Object -TypeName 'System.Collections.Generic.Dictionary[string,object]' -ArgumentList ([System.StringComparer]::OrdinalIgnoreCase)
    }
    $lookup = $null
    if ($Index.HostLookups.TryGetValue($HostName, [ref] $lookup)) { return $lookup }
    $list = $null
    if (-not $Index.VmsByHost.TryGetValue($HostName, [ref] $list)) { return $null }
    $comparer = [System.StringComparer]::OrdinalIgnoreCase
    $byId = New-Object -TypeName 'System.Collections.Generic.Dictionary[string,object]' -ArgumentList $comparer
    $vhdsByPath = New-Object -TypeName 'System.Collections.Generic.Dictionary[string,object]' -ArgumentList $comparer
    $realized = New-Object -TypeName 'System.Collections.Generic.List[object]'
    foreach ($vm in $list)
    {
        if ($vm.vmType -eq 'PlannedVirtualMachine') { continue }
        $realized.Add($vm)
        $byId[[System.String] $vm.id] = $vm
        foreach ($drive in @($vm.hardDrives))
        {
            if ($null -ne $drive.diskNumber -or [System.String]::IsNullOrEmpty($drive.path)) { continue }
            $found = $null
            if (-not $vhdsByPath.TryGetValue($drive.path, [ref] $found))
            {
                $found = New-Object -TypeName 'System.Collections.Generic.List[object]'
                $vhdsByPath[$drive.path] = $found
            }
            $found.Add([pscustomobject]@{ Vm = $vm; Drive = $drive })
        }
    }
    $lookup = [pscustomobject]@{ Vms = $realized.ToArray(); VmsById = $byId; VhdsByPath = $vhdsByPath }
    $Index.HostLookups[$HostName] = $lookup
    return $lookup
}

function Get-LabVmOnHost
{
    # The realized VMs on a host (planned VMs left by failed moves are not listed, as in Hyper-V).
    param ([System.Object] $Index, [System.String] $HostName)

    $lookup = Get-LabHostLookup -Index $Index -HostName $HostName
    if ($null -eq $lookup) { return , @() }
    return , $lookup.Vms
}

function New-LabVmNotFoundError
{
    param ([System.String] $Name, [System.String] $HostName)

    return New-LabErrorRecord -Category InvalidArgument -ErrorId 'InvalidParameter' -TargetObject $Name `
        -ExceptionType 'System.ArgumentException' -Message "Hyper-V was unable to find a virtual machine with name `"$Name`"."
}

function Resolve-LabVm
{
    # The (host, VM) pairs a VM-targeting cmdlet acts on, from VM objects (-VM, pipeline) or from
    # -Name/-VMName with -ComputerName. Writes Hyper-V's errors for what cannot be found.
    param
    (
        [System.Object] $Index,
        [System.Management.Automation.PSCmdlet] $Cmdlet,
        [System.Object[]] $VM,
        [System.String[]] $Name,
        [System.String[]] $ComputerName
    )

    $pairs = New-Object -TypeName 'System.Collections.Generic.List[object]'
    if ($null -ne $VM -and $VM.Count -gt 0)
    {
        # Each host is entered once for all its VMs (one round trip); a host that fails writes its error per VM.
        $entered = New-Object -TypeName 'System.Collections.Generic.Dictionary[string,object]' -ArgumentList ([System.StringComparer]::OrdinalIgnoreCase)
        foreach ($object in $VM)
        {
            $computer = [System.String] $object.ComputerName
            $reached = $null
            if (-not $entered.TryGetValue($computer, [ref] $reached))
            {
                # An object comes with the connection it was read over: no second hop of its own.
                $hostRecord = Enter-LabHost -ComputerName $computer -Index $Index -Cmdlet $Cmdlet -Connected
                if ($null -eq $hostRecord) { continue }
                $reached = @{ Record = $hostRecord; Lookup = (Get-LabHostLookup -Index $Index -HostName $hostRecord.name) }
                $entered[$computer] = $reached
            }
            $hostRecord = $reached.Record
            $match = $null
            $null = $reached.Lookup.VmsById.TryGetValue([System.String] $object.Id, [ref] $match)
            if ($null -eq $match)
            {
                $Cmdlet.WriteError((New-LabVmNotFoundError -Name $object.Name -HostName $hostRecord.name))
                continue
            }
            $pairs.Add([pscustomobject]@{ Host = $hostRecord; Vm = $match })
        }
        return , $pairs
    }

    foreach ($computer in (Resolve-LabComputerName -ComputerName $ComputerName -Index $Index))
    {
        $hostRecord = Enter-LabHost -ComputerName $computer -Index $Index -Cmdlet $Cmdlet
        if ($null -eq $hostRecord) { continue }
        $onHost = Get-LabVmOnHost -Index $Index -HostName $hostRecord.name
        foreach ($pattern in $Name)
        {
            $found = $false
            foreach ($candidate in $onHost)
            {
                if (Test-LabNameMatch -Name $candidate.name -Pattern $pattern)
                {
                    $pairs.Add([pscustomobject]@{ Host = $hostRecord; Vm = $candidate })
                    $found = $true
                }
            }
            if (-not $found -and -not [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($pattern))
            {
                $Cmdlet.WriteError((New-LabVmNotFoundError -Name $pattern -HostName $hostRecord.name))
            }
        }
    }
    return , $pairs
}

function Find-LabVmRecord
{
    # The VM's record in a state being updated (Update-LabState), by id and host.
    param ([System.Object] $State, [System.String] $Id, [System.String] $HostName)

    foreach ($vm in $State.vms)
    {
        if ([System.String]::Equals([System.String] $vm.id, $Id, [System.StringComparison]::OrdinalIgnoreCase) -and
            [System.String]::Equals([System.String] $vm.host, $HostName, [System.StringComparison]::OrdinalIgnoreCase))
        {
            return $vm
        }
    }
    return $null
}

function Find-LabHostRecord
{
    param ([System.Object] $State, [System.String] $Name)

    foreach ($h in $State.hosts)
    {
        if ([System.String]::Equals([System.String] $h.name, $Name, [System.StringComparison]::OrdinalIgnoreCase)) { return $h }
    }
    return $null
}

function Enter-LabCall
{
    # What every cmdlet does first: settle moves that have ended by now (lab part 2's Sync-LabMove,
    # when the module has it), then return the index of the current state. A plain function, not an
    # advanced one: it runs a dozen times per host read, and binding an advanced function costs more
    # than its warm path.

    if ($null -eq $script:LabMoveSync)
    {
        $script:LabMoveSync = [System.Boolean] (Get-Command -Name 'Sync-LabMove' -CommandType Function -ErrorAction SilentlyContinue)
    }
    # Every cmdlet of a script comes here (a host's inventory is a dozen calls): while the file is the one
    # cached, one stat decides, without the nested calls of Get-LabIndex.
    $index = $null
    $cache = $script:LabCache
    $path = $env:HYPERV_LAB_PATH
    if ($null -ne $cache -and $null -ne $cache.Index -and -not [System.String]::IsNullOrWhiteSpace($path) -and [System.IO.Path]::GetFullPath($path) -eq $cache.Path)
    {
        # Get-LabFileStamp's stamp, inlined (a function call here is a tenth of a host's read).
        $info = [System.IO.FileInfo]::new($cache.Path)
        if ($info.Exists -and ('{0}:{1}' -f $info.LastWriteTimeUtc.Ticks, $info.Length) -eq $cache.Stamp) { $index = $cache.Index }
    }
    if ($null -eq $index) { $index = Get-LabIndex }
    if ($script:LabMoveSync -and @($index.State.moves).Count -gt 0)
    {
        Sync-LabMove
        $index = Get-LabIndex
    }
    # Restarts (Private/Restart.ps1): while one is in the file, and once per version of the file.
    if ($null -ne $index.State.reboots -or -not $index.ContainsKey('LabBootChecked')) { $index = Sync-LabReboot -Index $index }
    return $index
}

function Test-LabReportCopy
{
    # True for the objects of a Compare-VM report's VM copy (lab part 2): they are changed on the
    # report, never in the lab file.
    param ([System.Object] $Object)

    return ($null -ne $Object -and $null -ne $Object.PSObject.Properties['LabCompatibilityReportId'] -and $null -ne $Object.LabCompatibilityReportId)
}
