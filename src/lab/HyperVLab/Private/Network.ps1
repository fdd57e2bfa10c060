# The lab's network cost model (STATE.md, "Remoting sessions and network cost"): opening a connection
# to a host costs the lab's connect latency, a call in an open session its call latency; a host's fault
# latency adds on top. Every connection and call is also counted in the traffic file beside the lab
# (`<lab>.traffic.<process>.<runspace>`, one line each), which Get-HyperVLabTraffic reads, so tests count round trips
# instead of timing them.

# Latencies for a lab file that predates the model (no `network`), and for New-HyperVLab: an assumption
# of the order of a WinRM connection (Kerberos, shell creation) and a round trip in an open one.
$script:LabDefaultConnectLatencyMs = 300
$script:LabDefaultCallLatencyMs = 50

function Get-LabNetwork
{
    # The lab's latencies: { connectLatencyMs, callLatencyMs }.
    param ([System.Object] $State)

    $network = $State.network
    $connect = $script:LabDefaultConnectLatencyMs
    $call = $script:LabDefaultCallLatencyMs
    if ($null -ne $network)
    {
        if ($null -ne $network.connectLatencyMs) { $connect = [System.Int32] $network.connectLatencyMs }
        if ($null -ne $network.callLatencyMs) { $call = [System.Int32] $network.callLatencyMs }
    }
    return [pscustomobject]@{ connectLatencyMs = $connect; callLatencyMs = $call }
}

function New-LabNetworkRecord
{
    # The lab file's `network`: each latency as given, or (-1) the environment's
    # HYPERV_LAB_CONNECT_LATENCY_MS / HYPERV_LAB_CALL_LATENCY_MS (how test runs make the labs the extension
    # creates free), or the default.
    param ([System.Int32] $ConnectLatencyMs = -1, [System.Int32] $CallLatencyMs = -1)

    $pick = {
        param ([System.Int32] $Given, [System.String] $Variable, [System.Int32] $Default)
        if ($Given -ge 0) { return $Given }
        $value = 0
        $text = [System.Environment]::GetEnvironmentVariable($Variable)
        if (-not [System.String]::IsNullOrWhiteSpace($text) -and [System.Int32]::TryParse($text, [ref] $value) -and $value -ge 0) { return $value }
        return $Default
    }
    return [ordered]@{
        connectLatencyMs = & $pick $ConnectLatencyMs 'HYPERV_LAB_CONNECT_LATENCY_MS' $script:LabDefaultConnectLatencyMs
        callLatencyMs    = & $pick $CallLatencyMs 'HYPERV_LAB_CALL_LATENCY_MS' $script:LabDefaultCallLatencyMs
    }
}

function Get-LabFaultLatency
{
    param ([System.Object] $Index, [System.String] $HostName)

    $fault = Get-LabFault -State $Index.State -HostName $HostName
    if ($null -eq $fault -or -not ($fault.latencyMs -gt 0)) { return 0 }
    return [System.Int32] $fault.latencyMs
}

function Register-LabConnectCost
{
    # A connection opened to a host (New-PSSession, Invoke-Command -ComputerName, New-CimSession, a cmdlet
    # given -ComputerName): counted, and its cost in ms returned (connect latency, plus the host's fault
    # latency when this top-level command has not paid it yet). The caller waits (Wait-LabCost): hosts
    # reached at once wait for the largest.
    param ([System.Object] $Index, [System.String] $HostName, [System.Management.Automation.PSCmdlet] $Cmdlet)

    Add-LabTraffic -Kind 'connect' -HostName $HostName
    $cost = (Get-LabNetwork -State $Index.State).connectLatencyMs
    $fault = Get-LabFaultLatency -Index $Index -HostName $HostName
    if ($fault -gt 0 -and (Register-LabLatency -HostName $HostName -Cmdlet $Cmdlet)) { $cost += $fault }
    return $cost
}

function Register-LabCallCost
{
    # A call in an open session (Invoke-Command -Session, a cmdlet given -CimSession): counted, and its
    # cost returned (call latency plus the host's fault latency: every call is a round trip).
    param ([System.Object] $Index, [System.String] $HostName)

    Add-LabTraffic -Kind 'call' -HostName $HostName
    return (Get-LabNetwork -State $Index.State).callLatencyMs + (Get-LabFaultLatency -Index $Index -HostName $HostName)
}

function Wait-LabCost
{
    # Waits for the largest of the costs (connections and calls made at once).
    param ([System.Object[]] $Costs)

    $wait = 0
    foreach ($cost in $Costs) { if ($cost -gt $wait) { $wait = [System.Int32] $cost } }
    if ($wait -gt 0) { Start-Sleep -Milliseconds $wait }
}

function Get-LabTrafficFile
{
    # Every traffic file of the lab at $Path (every process and runspace that counted), for reading or clearing.
    param ([System.String] $Path)

    $directory = [System.IO.Path]::GetDirectoryName($Path)
    if (-not [System.IO.Directory]::Exists($directory)) { return @() }
    return @([System.IO.Directory]::GetFiles($directory, [System.IO.Path]::GetFileName($Path) + '.traffic*'))
}

function Add-LabTraffic
{
    # One line (`connect HV02` / `call HV02`) appended to this runspace's own traffic file,
    # `<lab>.traffic.<process id>.<runspace id>`: .NET's FileMode.Append writes at the end it saw when it opened
    # the file, not with O_APPEND, so two writers of one file at the same instant overwrite each other's line (a
    # call went uncounted with five pools reading at once). A runspace runs one command at a time: its file has
    # one writer.
    param ([System.String] $Kind, [System.String] $HostName)

    $runspace = [System.Management.Automation.Runspaces.Runspace]::DefaultRunspace
    $suffix = '{0}.{1}' -f $PID, $(if ($null -ne $runspace) { $runspace.Id } else { 0 })
    $bytes = [System.Text.Encoding]::UTF8.GetBytes(('{0} {1}{2}' -f $Kind, $HostName.ToUpperInvariant(), "`n"))
    $share = [System.IO.FileShare]::ReadWrite -bor [System.IO.FileShare]::Delete
    $stream = [System.IO.FileStream]::new(((Get-LabPath) + '.traffic.' + $suffix), [System.IO.FileMode]::Append, [System.IO.FileAccess]::Write, $share)
    try { $stream.Write($bytes, 0, $bytes.Length) } finally { $stream.Dispose() }
}

function Get-LabNotFoundReason
{
    # WinRM's reason when a computer name does not resolve.
    param ([System.String] $ComputerName)

    return "WinRM cannot process the request. The following error occurred while using Kerberos authentication: Cannot find the computer $ComputerName. Verify that the computer exists on the network and that the name provided is spelled correctly."
}

$script:LabCostInvocation = $null
$script:LabCostHosts = $null

function Invoke-LabCmdletCost
{
    <#
        What a cmdlet pays to reach a host (called by Enter-LabHost, before the host's fault latency): given
        -ComputerName naming another computer than the one it runs on, it opens a connection of its own
        (the Hyper-V and CIM cmdlets make a CIM session per call), so the connect latency, once per host per
        cmdlet call; given -CimSession, one call in that open session. A cmdlet acting on the computer it
        runs on (inside an Invoke-Command block: the block's host) and objects that carry their connection
        (-Connected) pay nothing more.
    #>
    param ([System.Object] $Index, [System.String] $HostName, [System.Management.Automation.PSCmdlet] $Cmdlet)

    if ($null -eq $Cmdlet) { return }
    $bound = $Cmdlet.MyInvocation.BoundParameters
    if ($bound.ContainsKey('CimSession') -and $null -ne $bound['CimSession'])
    {
        Add-LabTraffic -Kind 'call' -HostName $HostName
        $wait = (Get-LabNetwork -State $Index.State).callLatencyMs
    }
    elseif ($bound.ContainsKey('ComputerName') -and $null -ne $bound['ComputerName'])
    {
        if (Test-LabSameText -A (Get-LabLocalHostName -Index $Index) -B $HostName) { return }
        if (-not [System.Object]::ReferenceEquals($script:LabCostInvocation, $Cmdlet.MyInvocation))
        {
            $script:LabCostInvocation = $Cmdlet.MyInvocation
            $script:LabCostHosts = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
        }
        if (-not $script:LabCostHosts.Add($HostName)) { return }
        Add-LabTraffic -Kind 'connect' -HostName $HostName
        $wait = (Get-LabNetwork -State $Index.State).connectLatencyMs
    }
    else { return }
    if ($wait -gt 0) { Start-Sleep -Milliseconds $wait }
}
