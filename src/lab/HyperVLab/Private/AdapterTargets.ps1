# The network adapters a cmdlet names (adapter objects, or -VMName/-Name/-ComputerName) and the switch
# change Connect-VMNetworkAdapter and Disconnect-VMNetworkAdapter make on them.

function Resolve-LabNetworkAdapter
{
    # The (host, VM, adapter record) triples from adapter objects (pipeline) or -VMName/-Name/-ComputerName.
    param
    (
        [System.Object] $Index,
        [System.Management.Automation.PSCmdlet] $Cmdlet,
        [System.Object[]] $VMNetworkAdapter,
        [System.String[]] $VMName,
        [System.String[]] $Name,
        [System.String[]] $ComputerName
    )

    $triples = New-Object -TypeName 'System.Collections.Generic.List[object]'
    if ($null -ne $VMNetworkAdapter -and $VMNetworkAdapter.Count -gt 0)
    {
        foreach ($object in $VMNetworkAdapter)
        {
            $pairs = Resolve-LabVm -Index $Index -Cmdlet $Cmdlet -VM @([pscustomobject]@{ Id = $object.VMId; Name = $object.VMName; ComputerName = $object.ComputerName })
            foreach ($pair in $pairs)
            {
                $match = $null
                foreach ($adapter in @($pair.Vm.networkAdapters))
                {
                    if ([System.String]::Equals($adapter.id, [System.String] $object.AdapterId, [System.StringComparison]::OrdinalIgnoreCase)) { $match = $adapter }
                }
                if ($null -eq $match)
                {
                    $Cmdlet.WriteError((New-LabErrorRecord -Category ObjectNotFound -ErrorId 'ObjectNotFound' -TargetObject $object.Name `
                        -Message "Hyper-V was unable to find the network adapter '$($object.Name)' of virtual machine '$($pair.Vm.name)'."))
                    continue
                }
                $triples.Add([pscustomobject]@{ Host = $pair.Host; Vm = $pair.Vm; Adapter = $match })
            }
        }
        return , $triples
    }
    foreach ($pair in (Resolve-LabVm -Index $Index -Cmdlet $Cmdlet -Name $VMName -ComputerName $ComputerName))
    {
        $found = $false
        foreach ($adapter in @($pair.Vm.networkAdapters))
        {
            if (Test-LabNameMatch -Name $adapter.name -Pattern $Name)
            {
                $found = $true
                $triples.Add([pscustomobject]@{ Host = $pair.Host; Vm = $pair.Vm; Adapter = $adapter })
            }
        }
        if (-not $found -and $Name)
        {
            $Cmdlet.WriteError((New-LabErrorRecord -Category ObjectNotFound -ErrorId 'ObjectNotFound' -TargetObject ($Name -join ',') `
                -Message "Hyper-V was unable to find the network adapter '$($Name -join ',')' of virtual machine '$($pair.Vm.name)'."))
        }
    }
    return , $triples
}

function Set-LabNetworkAdapterSwitch
{
    # Connects (SwitchName) or disconnects ($null) the adapters in the lab file; returns the changed
    # adapters as objects.
    param
    (
        [System.Management.Automation.PSCmdlet] $Cmdlet,
        [System.Object] $Triples,
        [System.String] $SwitchName,
        [System.Object] $SwitchObject
    )

    $changed = New-Object -TypeName 'System.Collections.Generic.List[object]'
    foreach ($triple in $Triples)
    {
        $name = $SwitchName
        if ($null -ne $SwitchObject) { $name = [System.String] $SwitchObject.Name }
        if ([System.String]::IsNullOrEmpty($name)) { $name = $null }
        if ($null -ne $name)
        {
            $exists = $false
            foreach ($switch in @($triple.Host.switches)) { if ($switch.name -eq $name) { $exists = $true } }
            if (-not $exists)
            {
                $Cmdlet.WriteError((New-LabSwitchNotFoundError -Name $name))
                continue
            }
        }
        $vmId = [System.String] $triple.Vm.id
        $hostName = $triple.Host.name
        $adapterId = $triple.Adapter.id
        Update-LabState {
            param ($state)
            $vm = Find-LabVmRecord -State $state -Id $vmId -HostName $hostName
            foreach ($adapter in @($vm.networkAdapters))
            {
                if ($adapter.id -eq $adapterId) { $adapter.switchName = $name }
            }
        }
        $index = Get-LabIndex
        $vm = $null
        foreach ($candidate in (Get-LabVmOnHost -Index $index -HostName $hostName)) { if ($candidate.id -eq $vmId) { $vm = $candidate } }
        foreach ($adapter in @($vm.networkAdapters))
        {
            if ($adapter.id -eq $adapterId) { $changed.Add((ConvertTo-LabNetworkAdapter -Vm $vm -Adapter $adapter -HostRecord $index.Hosts[$hostName])) }
        }
    }
    return , $changed
}
