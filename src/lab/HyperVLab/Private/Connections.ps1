# Opening new remoting connections to lab hosts, as New-PSSession, Invoke-Command -ComputerName and Get-PSSession -ComputerName do
# (Invoke-Command -Session rides on connections already open: Sessions.ps1).

function Open-LabConnection
{
    # The hosts a new connection reaches: each name resolved (Resolve-LabComputerName: 'localhost' and the
    # like are the local host), its connect cost registered and paid once for all (Wait-LabCost: hosts are
    # connected at once), and WinRM's transport error written through the cmdlet for a name no lab host has
    # or a host that cannot be reached. -NewError names the function that makes that error (the error id
    # differs: New-LabRemotingError for Invoke-Command and Get-PSSession, New-LabSessionOpenError for New-PSSession). Returns
    # { Name (as given), HostName } per host reached, in the order given.
    param
    (
        [System.Object] $Index,
        [System.Management.Automation.PSCmdlet] $Cmdlet,
        [System.String[]] $ComputerName,
        [System.String] $NewError
    )

    $reached = [System.Collections.Generic.List[object]]::new()
    $costs = [System.Collections.Generic.List[object]]::new()
    foreach ($computer in $ComputerName)
    {
        $hostName = @(Resolve-LabComputerName -ComputerName @($computer) -Index $Index)[0]
        $record = $null
        if (-not $Index.Hosts.TryGetValue($hostName, [ref] $record))
        {
            $Cmdlet.WriteError((& $NewError -ComputerName $computer -ErrorId 'ComputerNotFound' -Reason (Get-LabNotFoundReason -ComputerName $computer)))
            continue
        }
        $costs.Add((Register-LabConnectCost -Index $Index -HostName $record.name -Cmdlet $Cmdlet))
        if (-not (Test-LabHostReachable -Index $Index -HostName $record.name))
        {
            $Cmdlet.WriteError((& $NewError -ComputerName $computer -ErrorId 'WinRMOperationTimeout' -Reason $script:LabUnreachableText))
            continue
        }
        $reached.Add([pscustomobject]@{ Name = $computer; HostName = $record.name })
    }
    Wait-LabCost -Costs $costs
    return , $reached
}
