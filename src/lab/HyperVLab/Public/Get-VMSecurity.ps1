function Get-VMSecurity
{
    <#
        .SYNOPSIS
            Gets the security settings of lab VMs (Hyper-V's Get-VMSecurity): TpmEnabled is a vTPM.
    #>
    [CmdletBinding(DefaultParameterSetName = 'VMName')]
    [OutputType('Microsoft.HyperV.PowerShell.VMSecurity')]
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
            $security = $pair.Vm.security
            $object = [pscustomobject][ordered]@{
                TpmEnabled                        = [System.Boolean] $security.tpmEnabled
                KsdEnabled                        = $false
                Shielded                          = [System.Boolean] $security.shielded
                EncryptStateAndVmMigrationTraffic = $false
                VirtualizationBasedSecurityOptOut = $false
                BindToHostTpm                     = $false
                VMName                            = $pair.Vm.name
                VMId                              = [System.Guid] $pair.Vm.id
                ComputerName                      = $pair.Host.name
                IsDeleted                         = $false
                LabKeyProtectorGuardian           = $security.keyProtectorGuardian
            }
            Add-LabTypeName -Object $object -TypeName 'Microsoft.HyperV.PowerShell.VMSecurity'
        }
    }
}
