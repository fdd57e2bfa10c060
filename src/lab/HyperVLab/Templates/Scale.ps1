# The Scale lab: by default 30 hosts and 250 VMs (or -Hosts n with -VmsPerHost m), deterministic.
# Hosts come in pods of six that repeat the default lab's six kinds of host (Intel mid, Intel newest,
# AMD, old 2019 host with migration off and CredSSP, two cluster nodes); the VMs on each host are the
# default lab's kinds for that host, so every situation of the default lab appears in every pod.

param
(
    [System.Int32] $Hosts = 30,
    [System.Int32] $VmsPerHost = 0,
    [System.Int32] $VmCount = 250
)

$domain = 'contoso.lab'
$templateVmsPerHost = if ($VmsPerHost -gt 0) { $VmsPerHost } else { $null }
$state = New-LabStateRecord -Template 'Scale' -Hosts $Hosts -VmsPerHost $templateVmsPerHost -Domain $domain
$dn = $state.domain.distinguishedName
if ($VmsPerHost -gt 0) { $VmCount = $Hosts * $VmsPerHost }

$names = @(for ($i = 1; $i -le $Hosts; $i++) { 'HV{0:D2}' -f $i })
$hostRecords = @()
$adRecords = @()
$clusters = @()
for ($i = 0; $i -lt $Hosts; $i++)
{
    $name = $names[$i]
    $podStart = $i - ($i % 6)
    $subnet = '10.{0}.1.0/24' -f (10 + [System.Math]::Floor($i / 6))
    $rid = 2000 + $i
    switch ($i % 6)
    {
        0
        {
            $hostRecords += New-LabHostRecord -Name $name -Domain $domain -Processor 'IntelMid' -MemoryGB 512 -Switches 'LAN1', 'Storage' -MigrationSubnet $subnet
            $targets = @(if ($podStart + 1 -lt $Hosts) { $names[$podStart + 1] })
            $adRecords += New-LabAdComputerRecord -Name $name -Domain $domain -DomainDn $dn -Rid $rid -DelegateTo $targets -AnyProtocol $true
        }
        1
        {
            $hostRecords += New-LabHostRecord -Name $name -Domain $domain -Processor 'IntelNewest' -MemoryGB 768 -DataVolumeGB 8192 -Switches 'LAN1', 'Backup' -MigrationSubnet $subnet
            $targets = @($names[$podStart]; if ($podStart + 2 -lt $Hosts) { $names[$podStart + 2] })
            $adRecords += New-LabAdComputerRecord -Name $name -Domain $domain -DomainDn $dn -Rid $rid -DelegateTo $targets -AnyProtocol $false
        }
        2
        {
            $hostRecords += New-LabHostRecord -Name $name -Domain $domain -Processor 'AmdMid' -MemoryGB 512 -Switches 'LAN-Prod' -MigrationSubnet $subnet
            $adRecords += New-LabAdComputerRecord -Name $name -Domain $domain -DomainDn $dn -Rid $rid
        }
        3
        {
            $hostRecords += New-LabHostRecord -Name $name -Domain $domain -Os 'WS2019' -Processor 'IntelOld' -MemoryGB 256 -DataVolumeGB 2048 `
                -DataVolumeOtherUsedGB 1700 -MigrationEnabled $false -AuthenticationType 'CredSSP' -MigrationSubnet $null -LinkSpeedBps 1000000000
            $adRecords += New-LabAdComputerRecord -Name $name -Domain $domain -DomainDn $dn -Rid $rid
        }
        default
        {
            $partner = if ($i % 6 -eq 4) { $i + 1 } else { $i - 1 }
            $guardians = @(if ($i % 6 -eq 5) { "$name UntrustedGuardian" })
            $hostRecords += New-LabHostRecord -Name $name -Domain $domain -Processor 'IntelMid' -MemoryGB 768 -MigrationSubnet $subnet -KeyProtectorGuardians $guardians
            $targets = @($names[$podStart]; if ($partner -lt $Hosts) { $names[$partner] })
            $adRecords += New-LabAdComputerRecord -Name $name -Domain $domain -DomainDn $dn -Rid $rid -DelegateTo $targets -AnyProtocol $true
            if ($i % 6 -eq 5)
            {
                $clusterName = 'CL{0}' -f ([System.Math]::Floor($i / 6) + 1)
                $clusters += New-LabClusterRecord -Name $clusterName -Domain $domain -Nodes $names[$i - 1], $name
                $adRecords += New-LabAdComputerRecord -Name $clusterName -Domain $domain -DomainDn $dn -Rid (3000 + $i) -OrganizationalUnit 'CN=Computers'
            }
        }
    }
}
foreach ($cluster in $clusters)
{
    foreach ($node in $cluster.nodes)
    {
        $h = $hostRecords | Where-Object { $_.name -eq $node }
        $h.volumes += [ordered]@{ path = 'C:\ClusterStorage\Volume1\'; size = 16384 * $script:GB; otherUsed = 300 * $script:GB }
    }
}

# The kinds of VM each kind of host carries, cycled as the host fills up.
$kinds = @{
    0 = @('web', 'sql', 'build', 'web')
    1 = @('app', 'web')
    2 = @('web', 'build')
    3 = @('legacy', 'dc')
    4 = @('erp', 'web')
    5 = @('vault', 'erp')
}
$vhd = 'D:\Hyper-V\Virtual Hard Disks'
$vms = @()
$clusterOfNode = @{}
foreach ($cluster in $clusters) { foreach ($node in $cluster.nodes) { $clusterOfNode[$node] = $cluster } }
$perHost = [System.Math]::Floor($VmCount / [System.Math]::Max($Hosts, 1))
$extra = $VmCount - $perHost * $Hosts
$serial = 0
for ($i = 0; $i -lt $Hosts; $i++)
{
    $h = $hostRecords[$i]
    $hostKind = $i % 6
    $count = $perHost + $(if ($i -lt $extra) { 1 } else { 0 })
    for ($k = 0; $k -lt $count; $k++)
    {
        $serial++
        $kind = $kinds[$hostKind][$k % $kinds[$hostKind].Count]
        if ($hostKind -ge 4 -and -not $clusterOfNode.ContainsKey($h.name) -and $kind -eq 'erp') { $kind = 'web' }
        $name = '{0}{1:D3}' -f $kind, $serial
        $level = $h.processor.featureLevel
        $mac = 0x1000 + $serial
        switch ($kind)
        {
            'web' { $vm = New-LabVmRecord -Name $name -HostName $h.name -MemoryGB 2 -FeatureLevelInUse $level -MacSeed $mac -Adapters @($h.switches[0].name) -HardDrives @(New-LabDiskRecord -Path "$vhd\$name.vhdx" -SizeGB 40 -FileSizeGB 14) }
            'sql' { $vm = New-LabVmRecord -Name $name -HostName $h.name -MemoryGB 32 -ProcessorCount 8 -FeatureLevelInUse $level -MacSeed $mac -Adapters 'LAN1', 'Storage' -HardDrives @(
                        New-LabDiskRecord -Path "$vhd\$name-data.vhdx" -SizeGB 1024 -FileSizeGB 412 -ControllerLocation 0
                        New-LabDiskRecord -Path "$vhd\$name-log.vhdx" -SizeGB 200 -FileSizeGB 200 -VhdType 'Fixed' -ControllerLocation 1) }
            'build' { $vm = New-LabVmRecord -Name $name -HostName $h.name -State 'Off' -MemoryGB 4 -ProcessorCount 4 -MacSeed $mac -Adapters @($h.switches[0].name) -IsoPath 'D:\ISO\en-us_windows_server_2022_x64_dvd.iso' }
            'app' { $vm = New-LabVmRecord -Name $name -HostName $h.name -MemoryGB 8 -ProcessorCount 4 -FeatureLevelInUse $level -MacSeed $mac }
            'legacy' { $vm = New-LabVmRecord -Name $name -HostName $h.name -Generation 1 -Version '8.0' -MemoryGB 4 -FeatureLevelInUse $level -MacSeed $mac }
            'dc' { $vm = New-LabVmRecord -Name $name -HostName $h.name -Version '9.0' -MemoryGB 4 -FeatureLevelInUse $level -MacSeed $mac -HardDrives @(
                        New-LabDiskRecord -Path "$vhd\$name.vhdx" -SizeGB 80 -FileSizeGB 22
                        New-LabPassThroughDiskRecord -DiskNumber (2 + $k) -SizeGB 200) }
            'erp' { $vm = New-LabVmRecord -Name $name -HostName $h.name -MemoryGB 16 -ProcessorCount 4 -FeatureLevelInUse $level -MacSeed $mac -VmRoot 'C:\ClusterStorage\Volume1' -VhdRoot "C:\ClusterStorage\Volume1\$name" }
            'vault' { $vm = New-LabVmRecord -Name $name -HostName $h.name -MemoryGB 4 -FeatureLevelInUse $level -MacSeed $mac -Tpm $true -Guardian "$($h.name) UntrustedGuardian" }
        }
        if ($kind -eq 'erp')
        {
            $cluster = $clusterOfNode[$h.name]
            $cluster.groups += New-LabClusterGroupRecord -ClusterName $cluster.name -Vm $vm
        }
        $vms += $vm
    }
}

$state.hosts = $hostRecords
$state.clusters = $clusters
$state.vms = $vms
$state.adComputers = $adRecords
$state
