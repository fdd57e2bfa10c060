function Compare-VM
{
    <#
        .SYNOPSIS
            Compares a lab VM with a destination host for a move and returns a VMCompatibilityReport
            (Hyper-V's Compare-VM). The report's VM is a copy: fix the Source of an incompatibility on
            it, compare again with -CompatibilityReport, then Move-VM -CompatibilityReport.
    #>
    [CmdletBinding(DefaultParameterSetName = 'NameSingleDestination')]
    [OutputType('Microsoft.HyperV.PowerShell.VMCompatibilityReport')]
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
        $Vhds
    )

    process
    {
        # Script-module functions do not see the caller's preference; Hyper-V's cmdlets do.
        if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
        $index = Enter-LabCall
        if ($PSCmdlet.ParameterSetName -eq 'CompatibilityReport')
        {
            # No -ComputerName in this set: the VM is the report VM's Id on this computer (FIDELITY.md).
            $reportVm = $CompatibilityReport.VM
            $target = Resolve-LabReportTarget -Cmdlet $PSCmdlet -Index $index -Report $CompatibilityReport
            if ($null -eq $target) { return }
            New-LabCompatibilityReport -Index $index -Vm $target.Vm -SourceHost $target.Source -DestinationHost $target.Destination `
                -Options $CompatibilityReport.LabOptions -ReportVm $reportVm
            return
        }
        $call = Resolve-LabMoveCall -Cmdlet $PSCmdlet -Index $index -Bound $PSBoundParameters -Name $Name -VM $VM -ComputerName $ComputerName -DestinationHost $DestinationHost
        if ($null -eq $call) { return }
        $target = $call.Target
        $options = $call.Options
        $vhdsProblem = Get-LabMoveVhdsProblem -Vm $target.Vm -Options $options
        if ($null -ne $vhdsProblem)
        {
            $PSCmdlet.WriteError((New-LabMoveError -Vm $target.Vm -At 'source' -HostName $target.Source.name -Category InvalidArgument -ErrorId 'InvalidParameter' -Detail $vhdsProblem))
            return
        }
        # The compare stages a planned VM on the destination, replacing an earlier one of the same Id.
        $movesStorage = [System.Boolean] $options.IncludeStorage -or @($options.Vhds | Where-Object { $null -ne $_ }).Count -gt 0
        $vmId = [System.String] $target.Vm.id
        $sourceName = [System.String] $target.Source.name
        $destinationName = [System.String] $target.Destination.name
        $null = Update-LabState { param ($state) Add-LabStagedVm -State $state -Vm (Find-LabVmRecord -State $state -Id $vmId -HostName $sourceName) `
                -SourceName $sourceName -DestinationName $destinationName -MovesStorage $movesStorage }
        New-LabCompatibilityReport -Index (Enter-LabCall) -Vm $target.Vm -SourceHost $target.Source -DestinationHost $target.Destination -Options $options
    }
}
