function Get-VMSwitch
{
    <#
        .SYNOPSIS
            Gets the virtual switches of lab hosts (Hyper-V's Get-VMSwitch).
    #>
    [CmdletBinding(DefaultParameterSetName = 'Name')]
    [OutputType('Microsoft.HyperV.PowerShell.VMSwitch')]
    param
    (
        [Parameter(ParameterSetName = 'Name', Position = 0)]
        [Alias('SwitchName')]
        [ValidateNotNullOrEmpty()]
        [System.String]
        $Name,

        [Parameter(ParameterSetName = 'Id', Position = 0, ValueFromPipeline = $true)]
        [Alias('SwitchId')]
        [System.Guid[]]
        $Id,

        [Parameter()]
        [ValidateSet('Private', 'Internal', 'External')]
        [System.String[]]
        $SwitchType,

        [Parameter()]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $ComputerName,

        [Parameter()]
        [System.Management.Automation.PSCredential[]]
        $Credential
    )

    process
    {
        # Script-module functions do not see the caller's preference; Hyper-V's cmdlets do.
        if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
        Get-LabHostPart -Cmdlet $PSCmdlet -ComputerName $ComputerName -Part {
            param ($hostRecord, $index)
            $found = $false
            foreach ($switch in @($hostRecord.switches))
            {
                if ($Name -and -not (Test-LabNameMatch -Name $switch.name -Pattern $Name)) { continue }
                if ($Id -and ([System.Guid] $switch.id) -notin $Id) { continue }
                if ($SwitchType -and $switch.switchType -notin $SwitchType) { continue }
                $found = $true
                Get-LabView -Index $index -Key ('switch|{0}|{1}' -f $hostRecord.name, $switch.id) -Convert { ConvertTo-LabVMSwitch -Switch $switch -HostRecord $hostRecord }
            }
            if (-not $found -and $Name -and -not [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($Name))
            {
                $PSCmdlet.WriteError((New-LabSwitchNotFoundError -Name $Name))
            }
        }
    }
}
