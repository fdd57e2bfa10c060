function Get-VMSnapshot
{
    <#
        .SYNOPSIS
            Gets the checkpoints of lab VMs (Hyper-V's Get-VMSnapshot).
    #>
    [CmdletBinding(DefaultParameterSetName = 'VMName')]
    [OutputType('Microsoft.HyperV.PowerShell.VMSnapshot')]
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

        [Parameter(ParameterSetName = 'VMName', Position = 1)]
        [Parameter(ParameterSetName = 'VMObject', Position = 1)]
        [ValidateNotNullOrEmpty()]
        [System.String]
        $Name,

        [Parameter(ParameterSetName = 'VMName')]
        [Parameter(ParameterSetName = 'VMObject')]
        [Alias('VMRecoveryCheckpoint')]
        [ValidateSet('Standard', 'Recovery', 'Planned', 'Missing', 'Replica', 'AppConsistentReplica', 'SyncedReplica')]
        [System.String]
        $SnapshotType,

        [Parameter(ParameterSetName = 'VMName')]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $ComputerName,

        [Parameter(ParameterSetName = 'VMName')]
        [System.Management.Automation.PSCredential[]]
        $Credential
    )

    process
    {
        # Script-module functions do not see the caller's preference; Hyper-V's cmdlets do.
        if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
        Get-LabVmPart -Cmdlet $PSCmdlet -VM $VM -VMName $VMName -ComputerName $ComputerName -Part {
            param ($pair, $index)
            foreach ($snapshot in @($pair.Vm.snapshots))
            {
                if ($Name -and -not (Test-LabNameMatch -Name $snapshot.name -Pattern $Name)) { continue }
                if ($SnapshotType -and $snapshot.snapshotType -ne $SnapshotType) { continue }
                # Get-LabView inlined: the tree asks for every VM's checkpoints on every refresh.
                $key = 'snapshot|{0}|{1}|{2}' -f $pair.Host.name, $pair.Vm.id, $snapshot.id
                $view = $null
                if (-not $index.Views.TryGetValue($key, [ref] $view))
                {
                    $view = ConvertTo-LabVMSnapshot -Vm $pair.Vm -Snapshot $snapshot -HostRecord $pair.Host
                    $index.Views[$key] = $view
                }
                $view.PSObject.Copy()
            }
        }
    }
}
