function Get-CimInstance
{
    <#
    .SYNOPSIS
        The lab's stand-in for Get-CimInstance: answers the WMI classes the extension reads from a
        Hyper-V host (Win32_OperatingSystem, Win32_Processor, Win32_LogicalDisk, Win32_Volume) and, when the lab's
        migration simulation provides it, root\virtualization\v2 Msvm_MigrationJob. Property names and
        units are WMI's (FreePhysicalMemory in KB, FreeSpace in bytes).
    #>
    [CmdletBinding(DefaultParameterSetName = 'ClassNameComputerSet')]
    param
    (
        [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'ClassNameComputerSet')]
        [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'ClassNameSessionSet')]
        [System.String]
        $ClassName,

        [Parameter(ParameterSetName = 'ClassNameComputerSet')]
        [Parameter(ParameterSetName = 'ClassNameSessionSet')]
        [System.String]
        $Namespace = 'root\cimv2',

        [Parameter(ParameterSetName = 'ClassNameComputerSet')]
        [Parameter(ParameterSetName = 'ClassNameSessionSet')]
        [System.String]
        $Filter,

        [Parameter(ParameterSetName = 'ClassNameComputerSet', ValueFromPipelineByPropertyName = $true)]
        [Alias('CN', 'ServerName')]
        [System.String[]]
        $ComputerName,

        [Parameter(Mandatory = $true, ParameterSetName = 'ClassNameSessionSet')]
        [System.Object[]]
        $CimSession,

        [Parameter()]
        [System.UInt32]
        $OperationTimeoutSec
    )

    if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
    $index = Enter-LabCall
    $targets = if ($PSCmdlet.ParameterSetName -eq 'ClassNameSessionSet') { @($CimSession | ForEach-Object { [System.String] $_.ComputerName }) } else { Resolve-LabComputerName -ComputerName $ComputerName -Index $index }
    foreach ($computer in $targets)
    {
        $hostRecord = Enter-LabHost -ComputerName $computer -Index $index -Cmdlet $PSCmdlet
        if ($null -eq $hostRecord) { continue }
        $instances = Get-LabCimClassInstance -Index $index -HostRecord $hostRecord -ClassName $ClassName -Namespace $Namespace
        if ($null -eq $instances)
        {
            $PSCmdlet.WriteError((New-LabErrorRecord -Category ObjectNotFound -ErrorId 'HRESULT 0x80041010,Microsoft.Management.Infrastructure.CimCmdlets.GetCimInstanceCommand' `
                -TargetObject $ClassName -ExceptionType 'System.InvalidOperationException' -Message 'Invalid class '))
            continue
        }
        if (-not $Filter) { $instances; continue }
        foreach ($instance in $instances)
        {
            if (Test-LabCimFilter -Instance $instance -Filter $Filter) { $instance }
        }
    }
}
