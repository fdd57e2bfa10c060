function Move-VM
{
    <#
        .SYNOPSIS
            Moves a lab VM (and, with -IncludeStorage / -Vhds, its storage) to another lab host
            (Hyper-V's Move-VM). The move takes simulated time, shows progress, can be cancelled
            (Ctrl-C, Stop-Job on -AsJob, or the Msvm_MigrationJob) and leaves the VM running on its
            source when it fails.
    #>
    [CmdletBinding(DefaultParameterSetName = 'NameSingleDestination')]
    [OutputType('Microsoft.HyperV.PowerShell.VirtualMachine')]
    param
    (
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true, ParameterSetName = 'NameSingleDestination')]
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true, ParameterSetName = 'NameMultipleDestinations')]
        [ValidateNotNullOrEmpty()]
        [System.String]
        $Name,

        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true, ParameterSetName = 'VMSingleDestination')]
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true, ParameterSetName = 'VMMultipleDestinations')]
        [PSTypeName('Microsoft.HyperV.PowerShell.VirtualMachine')]
        [System.Management.Automation.PSObject]
        $VM,

        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true, ParameterSetName = 'CompatibilityReport')]
        [PSTypeName('Microsoft.HyperV.PowerShell.VMCompatibilityReport')]
        [System.Management.Automation.PSObject]
        $CompatibilityReport,

        [Parameter(Mandatory = $true, Position = 1, ParameterSetName = 'NameSingleDestination')]
        [Parameter(Mandatory = $true, Position = 1, ParameterSetName = 'NameMultipleDestinations')]
        [Parameter(Mandatory = $true, Position = 1, ParameterSetName = 'VMSingleDestination')]
        [Parameter(Mandatory = $true, Position = 1, ParameterSetName = 'VMMultipleDestinations')]
        [ValidateNotNullOrEmpty()]
        [System.String]
        $DestinationHost,

        [Parameter(ParameterSetName = 'NameSingleDestination')]
        [Parameter(ParameterSetName = 'NameMultipleDestinations')]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $ComputerName,

        [Parameter(ParameterSetName = 'NameSingleDestination')]
        [Parameter(ParameterSetName = 'NameMultipleDestinations')]
        [System.Management.Automation.PSCredential[]]
        $Credential,

        [Parameter(ParameterSetName = 'NameSingleDestination')]
        [Parameter(ParameterSetName = 'NameMultipleDestinations')]
        [Parameter(ParameterSetName = 'VMSingleDestination')]
        [Parameter(ParameterSetName = 'VMMultipleDestinations')]
        [System.Management.Automation.PSCredential]
        $DestinationCredential,

        [Parameter(ParameterSetName = 'NameSingleDestination')]
        [Parameter(ParameterSetName = 'VMSingleDestination')]
        [System.Management.Automation.SwitchParameter]
        $IncludeStorage,

        [Parameter(ParameterSetName = 'NameSingleDestination')]
        [Parameter(ParameterSetName = 'VMSingleDestination')]
        [System.String]
        $DestinationStoragePath,

        [Parameter(ParameterSetName = 'NameMultipleDestinations')]
        [Parameter(ParameterSetName = 'VMMultipleDestinations')]
        [System.String]
        $VirtualMachinePath,

        [Parameter(ParameterSetName = 'NameMultipleDestinations')]
        [Parameter(ParameterSetName = 'VMMultipleDestinations')]
        [Alias('CheckpointFileLocation', 'SnapshotFileLocation')]
        [System.String]
        $SnapshotFilePath,

        [Parameter(ParameterSetName = 'NameMultipleDestinations')]
        [Parameter(ParameterSetName = 'VMMultipleDestinations')]
        [System.String]
        $SmartPagingFilePath,

        [Parameter(ParameterSetName = 'NameMultipleDestinations')]
        [Parameter(ParameterSetName = 'VMMultipleDestinations')]
        [System.Collections.Hashtable[]]
        $Vhds,

        [Parameter()]
        [System.Management.Automation.SwitchParameter]
        $AsJob,

        [Parameter()]
        [System.Management.Automation.SwitchParameter]
        $Passthru
    )

    process
    {
        # Script-module functions do not see the caller's preference; Hyper-V's cmdlets do.
        if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
        if ($AsJob)
        {
            Start-LabMoveJob -Bound $PSBoundParameters -ModulePath (Join-Path -Path (Split-Path -Path $PSScriptRoot -Parent) -ChildPath 'HyperVLab.psd1')
            return
        }
        $index = Enter-LabCall
        if ($PSCmdlet.ParameterSetName -eq 'CompatibilityReport')
        {
            # No -ComputerName in this set: the VM is the report VM's Id on this computer (FIDELITY.md).
            $target = Resolve-LabReportTarget -Cmdlet $PSCmdlet -Index $index -Report $CompatibilityReport
            $options = $CompatibilityReport.LabOptions
            $override = Get-LabReportOverride -ReportVm $CompatibilityReport.VM
        }
        else
        {
            $call = Resolve-LabMoveCall -Cmdlet $PSCmdlet -Index $index -Bound $PSBoundParameters -Name $Name -VM $VM -ComputerName $ComputerName -DestinationHost $DestinationHost
            $target = $call.Target
            $options = $call.Options
            $override = $null
        }
        if ($null -eq $target) { return }
        $request = [pscustomobject]@{
            VmId        = [System.String] $target.Vm.id
            VmName      = $target.Vm.name
            Source      = $target.Source.name
            Destination = $target.Destination.name
            Options     = $options
            Override    = $override
        }
        $started = Update-LabState { param ($state) Start-LabMove -State $state -Index (Get-LabIndex) -Request $request }
        if ($started -is [System.Management.Automation.ErrorRecord])
        {
            $PSCmdlet.WriteError($started)
            return
        }
        $final = Wait-LabMove -Move $started
        switch ($final.state)
        {
            'Completed'
            {
                if ($Passthru) { Write-LabVmOutput -Id $final.vmId -HostName $final.destination }
            }
            'Terminated'
            {
                $PSCmdlet.WriteError((New-LabMoveError -Vm $target.Vm -At 'source' -HostName $final.source -Category OperationStopped -ErrorId 'OperationCancelled' -Detail $final.errorDescription))
            }
            default
            {
                $PSCmdlet.WriteError((New-LabMoveError -Vm $target.Vm -At 'source' -HostName $final.source -Category NotSpecified -ErrorId 'OperationFailed' -Detail $final.errorDescription))
            }
        }
    }
}
