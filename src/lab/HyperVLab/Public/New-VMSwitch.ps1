function New-VMSwitch
{
    <#
        .SYNOPSIS
            Creates a virtual switch on lab hosts (Hyper-V's New-VMSwitch): External on a network
            adapter (-NetAdapterName / -NetAdapterInterfaceDescription), or -SwitchType Internal/Private.
    #>
    [CmdletBinding(DefaultParameterSetName = 'NetAdapterName', SupportsShouldProcess = $true)]
    [OutputType('Microsoft.HyperV.PowerShell.VMSwitch')]
    param
    (
        [Parameter(Mandatory = $true, Position = 0)]
        [Alias('SwitchName')]
        [ValidateNotNullOrEmpty()]
        [System.String]
        $Name,

        [Parameter(ParameterSetName = 'NetAdapterName', Mandatory = $true)]
        [Alias('InterfaceAlias')]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $NetAdapterName,

        [Parameter(ParameterSetName = 'NetAdapterInterfaceDescription', Mandatory = $true)]
        [Alias('InterfaceDescription')]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $NetAdapterInterfaceDescription,

        [Parameter(ParameterSetName = 'SwitchType', Mandatory = $true)]
        [ValidateSet('Internal', 'Private')]
        [System.String]
        $SwitchType,

        [Parameter(ParameterSetName = 'NetAdapterName')]
        [Parameter(ParameterSetName = 'NetAdapterInterfaceDescription')]
        [System.Boolean]
        $AllowManagementOS = $true,

        [Parameter()]
        [System.String]
        $Notes = '',

        [Parameter(ParameterSetName = 'NetAdapterName')]
        [Parameter(ParameterSetName = 'NetAdapterInterfaceDescription')]
        [Parameter(ParameterSetName = 'SwitchType')]
        [Alias('PSComputerName')]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $ComputerName,

        [Parameter(ParameterSetName = 'NetAdapterName')]
        [Parameter(ParameterSetName = 'NetAdapterInterfaceDescription')]
        [Parameter(ParameterSetName = 'SwitchType')]
        [System.Management.Automation.PSCredential[]]
        $Credential
    )

    # Script-module functions do not see the caller's preference; Hyper-V's cmdlets do.
    if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
    $type = if ($PSCmdlet.ParameterSetName -eq 'SwitchType') { $SwitchType } else { 'External' }
    $description = switch ($PSCmdlet.ParameterSetName)
    {
        'NetAdapterName' { "Intel(R) Ethernet Controller X710 for 10GbE SFP+ ($($NetAdapterName[0]))" }
        'NetAdapterInterfaceDescription' { $NetAdapterInterfaceDescription[0] }
        default { $null }
    }
    # New-VMSwitch always writes the switch it made.
    Invoke-LabHostChange -Cmdlet $PSCmdlet -Operation "New-VMSwitch $Name" -ComputerName $ComputerName -Passthru $true -Change {
        param ($state, $target)
        foreach ($existing in @($target.switches))
        {
            if ($existing.name -eq $Name)
            {
                return New-LabErrorRecord -Category ResourceExists -ErrorId 'ObjectAlreadyExists' -TargetObject $Name `
                    -Message "Failed while adding virtual Ethernet switch connections.`r`nA virtual switch named '$Name' already exists on '$($target.name)'."
            }
            if ($type -eq 'External' -and $existing.netAdapterInterfaceDescription -eq $description)
            {
                return New-LabErrorRecord -Category InvalidOperation -ErrorId 'InvalidOperation' -TargetObject $Name `
                    -Message "Failed while adding virtual Ethernet switch connections.`r`nExternal Ethernet adapter '$description' is already bound to the virtual switch '$($existing.name)'."
            }
        }
        $record = [pscustomobject][ordered]@{
            name                           = $Name
            id                             = [System.Guid]::NewGuid().ToString()
            switchType                     = $type
            netAdapterInterfaceDescription = $description
            allowManagementOS              = if ($type -eq 'Private') { $false } elseif ($type -eq 'Internal') { $true } else { $AllowManagementOS }
            notes                          = $Notes
        }
        $target.switches = @($target.switches) + $record
        $record
    } -Output {
        param ($created, $hostRecord)
        ConvertTo-LabVMSwitch -Switch $created -HostRecord $hostRecord
    }
}
