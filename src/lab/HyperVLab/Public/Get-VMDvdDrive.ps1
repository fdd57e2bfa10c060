function Get-VMDvdDrive
{
    <#
        .SYNOPSIS
            Gets the DVD drives of lab VMs (Hyper-V's Get-VMDvdDrive); Path is the attached ISO, if any.
    #>
    [CmdletBinding(DefaultParameterSetName = 'VMName')]
    [OutputType('Microsoft.HyperV.PowerShell.DvdDrive')]
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

        [Parameter()]
        [System.Nullable[System.Int32]]
        $ControllerNumber,

        [Parameter()]
        [System.Nullable[System.Int32]]
        $ControllerLocation,

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
            param ($pair)
            foreach ($drive in @($pair.Vm.dvdDrives))
            {
                if (-not (Test-LabDriveAt -Drive $drive -Number $ControllerNumber -Location $ControllerLocation)) { continue }
                ConvertTo-LabDvdDrive -Vm $pair.Vm -Drive $drive -HostRecord $pair.Host
            }
        }
    }
}
