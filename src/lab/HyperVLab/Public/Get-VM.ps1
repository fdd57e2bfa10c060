function Get-VM
{
    <#
        .SYNOPSIS
            Gets the virtual machines of one or more lab hosts (Hyper-V's Get-VM).
    #>
    [CmdletBinding(DefaultParameterSetName = 'Name')]
    [OutputType('Microsoft.HyperV.PowerShell.VirtualMachine')]
    param
    (
        [Parameter(ParameterSetName = 'Name', Position = 0, ValueFromPipeline = $true)]
        [Alias('VMName')]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $Name,

        [Parameter(ParameterSetName = 'Id', Position = 0, ValueFromPipeline = $true)]
        [System.Nullable[System.Guid]]
        $Id,

        [Parameter(ParameterSetName = 'ClusterObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [System.Management.Automation.PSObject]
        $ClusterObject,

        [Parameter(ParameterSetName = 'Name')]
        [Parameter(ParameterSetName = 'Id')]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $ComputerName,

        [Parameter(ParameterSetName = 'Name')]
        [Parameter(ParameterSetName = 'Id')]
        [System.Management.Automation.PSCredential[]]
        $Credential
    )

    process
    {
        # Script-module functions do not see the caller's preference; Hyper-V's cmdlets do.
        if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
        if ($PSCmdlet.ParameterSetName -eq 'ClusterObject')
        {
            $index = Enter-LabCall
            $vmId = [System.String] $ClusterObject.LabVmId
            $owner = [System.String] $ClusterObject.OwnerNode
            $hostRecord = Enter-LabHost -ComputerName $owner -Index $index -Cmdlet $PSCmdlet
            if ($null -eq $hostRecord) { return }
            foreach ($vm in (Get-LabVmOnHost -Index $index -HostName $hostRecord.name))
            {
                if ($vm.id -eq $vmId) { Get-LabVirtualMachineView -Index $index -Vm $vm -HostRecord $hostRecord }
            }
            return
        }
        Get-LabHostPart -Cmdlet $PSCmdlet -ComputerName $ComputerName -Part {
            param ($hostRecord, $index)
            $onHost = Get-LabVmOnHost -Index $index -HostName $hostRecord.name
            if ($PSCmdlet.ParameterSetName -eq 'Id')
            {
                $found = $false
                foreach ($vm in $onHost)
                {
                    if ($null -eq $Id -or $vm.id -eq $Id.ToString())
                    {
                        $found = $true
                        Get-LabVirtualMachineView -Index $index -Vm $vm -HostRecord $hostRecord
                    }
                }
                if (-not $found -and $null -ne $Id)
                {
                    # By Id, Hyper-V finds a planned VM too (the WQL on CIM_ComputerSystem matches
                    # Msvm_PlannedComputerSystem): how Windows Admin Center reaches the one Compare-VM staged.
                    $planned = Find-LabPlannedVm -State $index.State -Id $Id.ToString() -HostName $hostRecord.name
                    if ($null -ne $planned)
                    {
                        ConvertTo-LabVirtualMachine -Index $index -Vm $planned -HostRecord $hostRecord
                        return
                    }
                    $PSCmdlet.WriteError((New-LabErrorRecord -Category InvalidArgument -ErrorId 'InvalidParameter' -TargetObject $Id `
                        -ExceptionType 'System.ArgumentException' -Message "Hyper-V was unable to find a virtual machine with id `"$Id`"."))
                }
                return
            }
            if ($null -eq $Name -or $Name.Count -eq 0)
            {
                foreach ($vm in $onHost) { Get-LabVirtualMachineView -Index $index -Vm $vm -HostRecord $hostRecord }
                return
            }
            foreach ($pattern in $Name)
            {
                $found = $false
                foreach ($vm in $onHost)
                {
                    if (Test-LabNameMatch -Name $vm.name -Pattern $pattern)
                    {
                        $found = $true
                        Get-LabVirtualMachineView -Index $index -Vm $vm -HostRecord $hostRecord
                    }
                }
                if (-not $found -and -not [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($pattern))
                {
                    $PSCmdlet.WriteError((New-LabVmNotFoundError -Name $pattern -HostName $hostRecord.name))
                }
            }
        }
    }
}
