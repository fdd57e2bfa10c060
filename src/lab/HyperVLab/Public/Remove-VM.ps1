function Remove-VM
{
    <#
        .SYNOPSIS
            Deletes lab virtual machines (Hyper-V's Remove-VM): a planned VM (the object Get-VM -Id or a
            compatibility report gives), or a realized VM that is off or saved. Its virtual hard disk files stay, as
            with Hyper-V.
    #>
    [CmdletBinding(DefaultParameterSetName = 'Name', SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    [OutputType('Microsoft.HyperV.PowerShell.VirtualMachine')]
    param
    (
        [Parameter(ParameterSetName = 'Name', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [Alias('VMName')]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $Name,

        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [PSTypeName('Microsoft.HyperV.PowerShell.VirtualMachine')]
        [System.Management.Automation.PSObject[]]
        $VM,

        [Parameter(ParameterSetName = 'Name')]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $ComputerName,

        [Parameter(ParameterSetName = 'Name')]
        [System.Management.Automation.PSCredential[]]
        $Credential,

        [Parameter()]
        [System.Management.Automation.SwitchParameter]
        $Force
    )

    process
    {
        # Script-module functions do not see the caller's preference; Hyper-V's cmdlets do.
        if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
        $index = Enter-LabCall
        $targets = New-Object -TypeName 'System.Collections.Generic.List[object]'
        if ($PSCmdlet.ParameterSetName -eq 'VMObject')
        {
            foreach ($object in @($VM))
            {
                if ($null -eq $object) { continue }
                if ([System.String] $object.VirtualMachineType -eq 'PlannedVirtualMachine')
                {
                    # VirtualMachine.IRemovable.Remove deletes any computer system, a planned one included,
                    # over the connection the object came with.
                    $hostRecord = Enter-LabHost -ComputerName ([System.String] $object.ComputerName) -Index $index -Cmdlet $PSCmdlet -Connected
                    if ($null -eq $hostRecord) { continue }
                    $targets.Add([pscustomobject]@{ Id = [System.String] $object.Id; Name = [System.String] $object.Name; HostName = $hostRecord.name; Planned = $true })
                    continue
                }
                foreach ($pair in (Resolve-LabVm -Index $index -Cmdlet $PSCmdlet -VM @($object)))
                {
                    $targets.Add([pscustomobject]@{ Id = [System.String] $pair.Vm.id; Name = $pair.Vm.name; HostName = $pair.Host.name; Planned = $false })
                }
            }
        }
        else
        {
            foreach ($pair in (Resolve-LabVm -Index $index -Cmdlet $PSCmdlet -Name $Name -ComputerName $ComputerName))
            {
                $targets.Add([pscustomobject]@{ Id = [System.String] $pair.Vm.id; Name = $pair.Vm.name; HostName = $pair.Host.name; Planned = $false })
            }
        }
        foreach ($target in $targets)
        {
            if (-not $PSCmdlet.ShouldProcess($target.Name, 'Remove-VM')) { continue }
            if (-not $Force -and -not $PSCmdlet.ShouldContinue("Are you sure you want to remove the virtual machine '$($target.Name)'?", 'Remove-VM')) { continue }
            $result = Update-LabState {
                param ($state)
                if ($target.Planned)
                {
                    if (Remove-LabPlannedVm -State $state -Id $target.Id -HostName $target.HostName) { return $true }
                    return New-LabErrorRecord -Category ObjectNotFound -ErrorId 'ObjectNotFound' -TargetObject $target.Id -ExceptionType 'System.ArgumentException' `
                        -Message "Hyper-V was unable to find a virtual machine with id `"$($target.Id.ToUpperInvariant())`"."
                }
                $record = Find-LabVmRecord -State $state -Id $target.Id -HostName $target.HostName
                # Msvm_VirtualSystemManagementService.DestroySystem: "must be in the powered off or saved state".
                if ($null -eq $record -or $record.state -notin 'Off', 'Saved' -or $index.ClusterGroupOfVm.ContainsKey($target.Id))
                {
                    return New-LabInvalidStateError -Vm $target -Operation 'failed to delete.'
                }
                $state.vms = @($state.vms | Where-Object { $_ -ne $record })
                return $true
            }
            if ($result -is [System.Management.Automation.ErrorRecord])
            {
                $PSCmdlet.WriteError($result)
            }
        }
    }
}
