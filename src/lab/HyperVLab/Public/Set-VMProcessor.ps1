function Set-VMProcessor
{
    <#
        .SYNOPSIS
            Changes the processor settings of lab VMs (Hyper-V's Set-VMProcessor). As in Hyper-V, the
            count and the compatibility settings change only while the VM is off.
    #>
    [CmdletBinding(DefaultParameterSetName = 'VMName', SupportsShouldProcess = $true)]
    [OutputType('Microsoft.HyperV.PowerShell.VMProcessor')]
    param
    (
        [Parameter(ParameterSetName = 'VMName', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $VMName,

        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [PSTypeName('Microsoft.HyperV.PowerShell.VirtualMachine')]
        [System.Management.Automation.PSObject[]]
        $VM,

        [Parameter(ParameterSetName = 'VMProcessor', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [PSTypeName('Microsoft.HyperV.PowerShell.VMProcessor')]
        [System.Management.Automation.PSObject[]]
        $VMProcessor,

        [Parameter(ParameterSetName = 'VMName')]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $ComputerName,

        [Parameter(ParameterSetName = 'VMName')]
        [System.Management.Automation.PSCredential[]]
        $Credential,

        [Parameter()]
        [ValidateRange(1, 240)]
        [System.Nullable[System.Int64]]
        $Count,

        [Parameter()]
        [System.Nullable[System.Boolean]]
        $CompatibilityForMigrationEnabled,

        [Parameter()]
        [System.Nullable[System.Boolean]]
        $CompatibilityForOlderOperatingSystemsEnabled,

        [Parameter()]
        [System.Management.Automation.SwitchParameter]
        $Passthru
    )

    process
    {
        # Script-module functions do not see the caller's preference; Hyper-V's cmdlets do.
        if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
        $objects = $VM
        if ($PSCmdlet.ParameterSetName -eq 'VMProcessor')
        {
            $objects = @(foreach ($p in $VMProcessor) { [pscustomobject]@{ Id = $p.VMId; Name = $p.VMName; ComputerName = $p.ComputerName } })
        }
        $bound = $PSBoundParameters
        Invoke-LabVmChange -Cmdlet $PSCmdlet -Operation 'Set-VMProcessor' -VM $objects -Name $VMName -ComputerName $ComputerName -Passthru $Passthru -Change {
            param ($state, $record)
            if ($record.state -ne 'Off')
            {
                return New-LabInvalidStateError -Vm $record -Operation "failed to modify device 'Processor'."
            }
            if ($bound.ContainsKey('Count')) { $record.processor.count = [System.Int64] $Count }
            if ($bound.ContainsKey('CompatibilityForMigrationEnabled')) { $record.processor.compatibilityForMigrationEnabled = [System.Boolean] $CompatibilityForMigrationEnabled }
            if ($bound.ContainsKey('CompatibilityForOlderOperatingSystemsEnabled')) { $record.processor.compatibilityForOlderOperatingSystemsEnabled = [System.Boolean] $CompatibilityForOlderOperatingSystemsEnabled }
        } -Output {
            param ($vm, $hostRecord)
            ConvertTo-LabVMProcessor -Vm $vm -HostRecord $hostRecord
        }
    }
}
