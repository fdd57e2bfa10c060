function Get-VHD
{
    <#
        .SYNOPSIS
            Gets the virtual hard disk files of a lab host, by path or by VM id (Hyper-V's Get-VHD).
    #>
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    [OutputType('Microsoft.Vhd.PowerShell.VirtualHardDisk')]
    param
    (
        [Parameter(ParameterSetName = 'Path', Mandatory = $true, Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)]
        [Alias('FullName')]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $Path,

        [Parameter(ParameterSetName = 'VMId', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [Alias('Id')]
        [System.Guid[]]
        $VMId,

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
            $onHost = Get-LabVmOnHost -Index $index -HostName $hostRecord.name
            # Files the host cannot read (Set-HyperVLabFault -MissingVhd): an error for each such path, the
            # other paths of the call still answer.
            $missing = $null
            $fault = Get-LabFault -State $index.State -HostName $hostRecord.name
            if ($null -ne $fault -and $null -ne $fault.PSObject.Properties['missingVhds']) { $missing = @($fault.missingVhds) }
            if ($PSCmdlet.ParameterSetName -eq 'VMId')
            {
                foreach ($id in $VMId)
                {
                    foreach ($vm in $onHost)
                    {
                        if ($vm.id -ne $id.ToString()) { continue }
                        foreach ($drive in @($vm.hardDrives))
                        {
                            if ($null -ne $missing -and $missing -contains $drive.path) { $PSCmdlet.WriteError((New-LabVhdNotFoundError -Path $drive.path)) }
                            elseif ($null -eq $drive.diskNumber) { Get-LabView -Index $index -Key ('vhd|{0}|{1}' -f $hostRecord.name, $drive.path) -Convert { ConvertTo-LabVirtualHardDisk -Vm $vm -Drive $drive -HostRecord $hostRecord } }
                        }
                    }
                }
                return
            }
            $vhdsByPath = (Get-LabHostLookup -Index $index -HostName $hostRecord.name).VhdsByPath
            foreach ($wanted in $Path)
            {
                $found = $null
                if ($null -ne $missing -and $missing -contains $wanted)
                {
                    $PSCmdlet.WriteError((New-LabVhdNotFoundError -Path $wanted))
                }
                elseif ($vhdsByPath.TryGetValue($wanted, [ref] $found))
                {
                    foreach ($entry in $found)
                    {
                        # Get-LabView inlined: the tree asks for every disk of a host on every refresh.
                        $key = 'vhd|{0}|{1}' -f $hostRecord.name, $entry.Drive.path
                        $view = $null
                        if (-not $index.Views.TryGetValue($key, [ref] $view))
                        {
                            $view = ConvertTo-LabVirtualHardDisk -Vm $entry.Vm -Drive $entry.Drive -HostRecord $hostRecord
                            $index.Views[$key] = $view
                        }
                        $view.PSObject.Copy()
                    }
                }
                else
                {
                    $PSCmdlet.WriteError((New-LabVhdNotFoundError -Path $wanted))
                }
            }
        }
    }
}
