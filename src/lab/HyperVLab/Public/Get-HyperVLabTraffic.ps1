function Get-HyperVLabTraffic
{
    <#
        .SYNOPSIS
            The connections opened to lab hosts and the calls made in open sessions since the lab was made
            or Clear-HyperVLabTraffic, by every process using the lab (STATE.md, "Remoting sessions and network
            cost"): Connections, Calls, and per host (Hosts: Name, Connections, Calls, in name order). Tests
            count round trips with it instead of timing them. Lab only.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param ()

    $byHost = [System.Collections.Generic.SortedDictionary[string, object]]::new([System.StringComparer]::OrdinalIgnoreCase)
    $connections = 0
    $calls = 0
    foreach ($path in (Get-LabTrafficFile -Path (Get-LabPath)))
    {
        $share = [System.IO.FileShare]::ReadWrite -bor [System.IO.FileShare]::Delete
        try
        {
            $reader = [System.IO.StreamReader]::new([System.IO.FileStream]::new($path, [System.IO.FileMode]::Open, [System.IO.FileAccess]::Read, $share))
        }
        catch [System.IO.FileNotFoundException]
        {
            continue # cleared meanwhile
        }
        try { $text = $reader.ReadToEnd() } finally { $reader.Dispose() }
        foreach ($line in $text.Split([char] "`n"))
        {
            $parts = $line.Split([char] ' ')
            if ($parts.Count -ne 2) { continue }
            if (-not $byHost.ContainsKey($parts[1])) { $byHost[$parts[1]] = [pscustomobject]@{ Name = $parts[1]; Connections = 0; Calls = 0 } }
            if ($parts[0] -eq 'connect')
            {
                $byHost[$parts[1]].Connections++
                $connections++
            }
            elseif ($parts[0] -eq 'call')
            {
                $byHost[$parts[1]].Calls++
                $calls++
            }
        }
    }
    [pscustomobject]@{ Connections = $connections; Calls = $calls; Hosts = @($byHost.Values) }
}
