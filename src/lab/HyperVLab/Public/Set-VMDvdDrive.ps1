function Set-VMDvdDrive
{
    <#
        .SYNOPSIS
            Attaches an ISO to, or ejects (-Path $null) the media of, lab VM DVD drives (Hyper-V's
            Set-VMDvdDrive).
    #>
    [CmdletBinding(DefaultParameterSetName = 'VMName', SupportsShouldProcess = $true)]
    [OutputType('Microsoft.HyperV.PowerShell.DvdDrive')]
    param
    (
        [Parameter(ParameterSetName = 'Object', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [PSTypeName('Microsoft.HyperV.PowerShell.DvdDrive')]
        [System.Management.Automation.PSObject[]]
        $VMDvdDrive,

        [Parameter(ParameterSetName = 'VMName', Mandatory = $true, Position = 0)]
        [ValidateNotNullOrEmpty()]
        [System.String]
        $VMName,

        [Parameter(ParameterSetName = 'VMName', Position = 1)]
        [System.Nullable[System.Int32]]
        $ControllerNumber,

        [Parameter(ParameterSetName = 'VMName', Position = 2)]
        [System.Nullable[System.Int32]]
        $ControllerLocation,

        [Parameter(Position = 3)]
        [AllowNull()]
        [AllowEmptyString()]
        [System.String]
        $Path,

        [Parameter(ParameterSetName = 'VMName')]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $ComputerName,

        [Parameter(ParameterSetName = 'VMName')]
        [System.Management.Automation.PSCredential[]]
        $Credential,

        [Parameter()]
        [System.Management.Automation.SwitchParameter]
        $Passthru
    )

    process
    {
        # Script-module functions do not see the caller's preference; Hyper-V's cmdlets do.
        if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
        $index = Enter-LabCall
        $media = if ([System.String]::IsNullOrEmpty($Path)) { $null } else { $Path }
        $targets = New-Object -TypeName 'System.Collections.Generic.List[object]'
        if ($PSCmdlet.ParameterSetName -eq 'Object')
        {
            foreach ($drive in $VMDvdDrive)
            {
                if (Test-LabReportCopy -Object $drive)
                {
                    $copy = Set-LabReportDvdDrive -Drive $drive -Path $media
                    if ($Passthru) { $copy }
                    continue
                }
                foreach ($pair in (Resolve-LabVm -Index $index -Cmdlet $PSCmdlet -VM @([pscustomobject]@{ Id = $drive.VMId; Name = $drive.VMName; ComputerName = $drive.ComputerName })))
                {
                    $targets.Add([pscustomobject]@{ Host = $pair.Host; Vm = $pair.Vm; Number = $drive.ControllerNumber; Location = $drive.ControllerLocation })
                }
            }
        }
        else
        {
            foreach ($pair in (Resolve-LabVm -Index $index -Cmdlet $PSCmdlet -Name @($VMName) -ComputerName $ComputerName))
            {
                $targets.Add([pscustomobject]@{ Host = $pair.Host; Vm = $pair.Vm; Number = $ControllerNumber; Location = $ControllerLocation })
            }
        }
        Invoke-LabVmChange -Cmdlet $PSCmdlet -Operation 'Set-VMDvdDrive' -Pair $targets -Passthru $Passthru -Change {
            param ($state, $record, $target)
            $changed = @()
            foreach ($drive in @($record.dvdDrives))
            {
                if (-not (Test-LabDriveAt -Drive $drive -Number $target.Number -Location $target.Location)) { continue }
                $drive.path = $media
                $changed += $drive
            }
            if ($changed.Count -eq 0)
            {
                return New-LabErrorRecord -Category ObjectNotFound -ErrorId 'ObjectNotFound' -TargetObject $record.name `
                    -Message "Hyper-V was unable to find a DVD drive of virtual machine '$($record.name)' at the given controller location."
            }
        } -Output {
            param ($vm, $hostRecord, $target)
            foreach ($drive in @($vm.dvdDrives))
            {
                if (Test-LabDriveAt -Drive $drive -Number $target.Number -Location $target.Location) { ConvertTo-LabDvdDrive -Vm $vm -Drive $drive -HostRecord $hostRecord }
            }
        }
    }
}
