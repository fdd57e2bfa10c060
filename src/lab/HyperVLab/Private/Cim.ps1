# The WMI view of a lab host: the instances real Hyper-V hosts answer for the classes the extension
# reads. Other modules of the lab may answer more classes by defining Get-LabCimInstanceExtension
# (-Index -HostRecord -ClassName -Namespace; $null when the class is not theirs).

function Get-LabCimClassInstance
{
    param ([System.Object] $Index, [System.Object] $HostRecord, [System.String] $ClassName, [System.String] $Namespace)

    $ns = $Namespace.TrimStart('\', '/').Replace('/', '\')
    if ($ns -eq 'root\cimv2' -and $ClassName -in 'Win32_OperatingSystem', 'Win32_ComputerSystem', 'Win32_Processor', 'Win32_LogicalDisk', 'Win32_Volume')
    {
        # These depend only on the lab file's version: converted once per version of it.
        return , (Get-LabView -Index $Index -Key ('cim|{0}|{1}' -f $HostRecord.name, $ClassName) -List -Convert {
                ConvertTo-LabCimv2Instance -Index $Index -HostRecord $HostRecord -ClassName $ClassName })
    }
    if ($null -eq $script:LabCimExtension)
    {
        $script:LabCimExtension = [System.Boolean] (Get-Command -Name Get-LabCimInstanceExtension -CommandType Function -ErrorAction SilentlyContinue)
    }
    if ($script:LabCimExtension)
    {
        return Get-LabCimInstanceExtension -Index $Index -HostRecord $HostRecord -ClassName $ClassName -Namespace $ns
    }
    return $null
}

function ConvertTo-LabCimv2Instance
{
    # The root\cimv2 instances of a host for Win32_OperatingSystem, Win32_Processor, Win32_LogicalDisk and Win32_Volume.
    param ([System.Object] $Index, [System.Object] $HostRecord, [System.String] $ClassName)

    switch ($ClassName)
    {
        'Win32_OperatingSystem'
        {
            $available = Get-LabHostMemoryAvailable -Index $Index -HostRecord $HostRecord
            return , @([pscustomobject][ordered]@{
                    CSName                 = $HostRecord.name
                    Caption                = 'Microsoft {0}' -f $HostRecord.osName
                    Version                = $HostRecord.osVersion
                    # Restart-Computer -Wait tells a restart by it (Private/Restart.ps1).
                    LastBootUpTime         = ConvertTo-LabDate -Value (Get-LabHostBootTime -HostRecord $HostRecord)
                    TotalVisibleMemorySize = [System.UInt64] ([System.Int64] $HostRecord.memoryCapacity / 1KB)
                    FreePhysicalMemory     = [System.UInt64] ([System.Int64] $available / 1KB)
                    PSComputerName         = $HostRecord.name
                })
        }
        'Win32_ComputerSystem'
        {
            # DNSHostName is the host's own label and Domain its DNS domain (learn.microsoft.com,
            # Win32_ComputerSystem): the FQDN is the two joined, as VMHost.FullyQualifiedDomainName is only
            # the domain (FIDELITY.md).
            # A host that reports another name (Set-HyperVLabFault -ReportsName) gives it here too.
            $reported = Get-LabReportedName -State $Index.State -HostRecord $HostRecord
            $dnsHostName = if ($reported -ne $HostRecord.name) { $reported } else { ([System.String] $HostRecord.fqdn).Split('.')[0] }
            return , @([pscustomobject][ordered]@{
                    Name           = $reported.ToUpperInvariant()
                    DNSHostName    = $dnsHostName
                    Domain         = [System.String] $Index.State.domain.name
                    PartOfDomain   = $true
                    Workgroup      = $null
                    PSComputerName = $HostRecord.name
                })
        }
        'Win32_Processor'
        {
            return , @([pscustomobject][ordered]@{
                    DeviceID                  = 'CPU0'
                    Manufacturer              = if ($HostRecord.processor.vendor -eq 'AMD') { 'AuthenticAMD' } else { 'GenuineIntel' }
                    Name                      = $HostRecord.processor.name
                    NumberOfLogicalProcessors = [System.UInt32] $HostRecord.logicalProcessorCount
                    PSComputerName            = $HostRecord.name
                })
        }
        'Win32_LogicalDisk'
        {
            # Drive letters only: a volume mounted in a folder (C:\ClusterStorage\Volume1\) is no logical disk.
            # https://learn.microsoft.com/windows/win32/cimwin32prov/win32-logicaldisk
            return , @(foreach ($volume in (Get-LabVolumeReport -Index $Index -HostRecord $HostRecord))
                {
                    if ($volume.Path -notmatch '^[A-Za-z]:\\$') { continue }
                    [pscustomobject][ordered]@{
                        DeviceID       = $volume.Path.TrimEnd('\')
                        DriveType      = [System.UInt32] 3
                        FreeSpace      = [System.UInt64] $volume.FreeSpace
                        Size           = [System.UInt64] $volume.Size
                        PSComputerName = $HostRecord.name
                    }
                })
        }
        'Win32_Volume'
        {
            # Every mounted volume, named by its mount path with a trailing '\' (a drive letter, or a folder as a
            # cluster shared volume's C:\ClusterStorage\VolumeN\); DriveLetter only for a drive-letter root.
            # https://learn.microsoft.com/previous-versions/windows/desktop/vdswmi/win32-volume
            # Assumptions: FileSystem CSVFS under C:\ClusterStorage\ (what Get-Volume shows for a CSV), NTFS
            # elsewhere; no labels; DeviceID a volume GUID path derived from the host and the mount path.
            return , @(foreach ($volume in (Get-LabVolumeReport -Index $Index -HostRecord $HostRecord))
                {
                    $name = $volume.Path.TrimEnd('\') + '\'
                    [pscustomobject][ordered]@{
                        Name           = $name
                        Caption        = $name
                        DeviceID       = '\\?\Volume{{{0}}}\' -f (New-LabGuid -Seed ('volume:{0}/{1}' -f $HostRecord.name, $name.ToUpperInvariant()))
                        DriveLetter    = if ($name -match '^[A-Za-z]:\\$') { $name.Substring(0, 2) } else { $null }
                        DriveType      = [System.UInt32] 3
                        FileSystem     = if ($name -like 'C:\ClusterStorage\*') { 'CSVFS' } else { 'NTFS' }
                        Label          = $null
                        Capacity       = [System.UInt64] $volume.Size
                        FreeSpace      = [System.UInt64] $volume.FreeSpace
                        PSComputerName = $HostRecord.name
                    }
                })
        }
    }
}

function Test-LabCimFilter
{
    # WQL filters of the form "Prop=Value" or "Prop = 'Value'" joined by AND: all the extension uses.
    param ([System.Object] $Instance, [System.String] $Filter)

    foreach ($clause in ($Filter -split '\s+AND\s+'))
    {
        if ($clause -notmatch '^\s*(\w+)\s*=\s*''?([^'']*)''?\s*$') { return $false }
        $property = $Instance.PSObject.Properties[$Matches[1]]
        if ($null -eq $property -or [System.String] $property.Value -ne $Matches[2]) { return $false }
    }
    return $true
}
