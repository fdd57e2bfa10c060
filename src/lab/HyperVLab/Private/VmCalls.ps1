# The loops the VM and host cmdlets share: the VMs a call names (-VM objects, or -Name/-VMName with
# -ComputerName, through Resolve-LabVm, which writes Hyper-V's errors for what cannot be found), then either a
# change to each VM's record in the lab file (Start-VM, Stop-VM, Suspend-VM, Resume-VM, Set-VM, Set-VMProcessor,
# Set-VMDvdDrive) or the objects each VM holds (the Get-VM* readers); and the hosts a call names, then either a
# change to each host's record (Enable-VMMigration, Set-VMHost, Add-VMMigrationNetwork, New-VMSwitch) or what a
# host reader writes of each (Get-VMHost, Get-VMSwitch, Get-VM, Get-VHD, ...). Also what Connect- and
# Disconnect-VMNetworkAdapter, and Compare-VM and Move-VM, share. The blocks a cmdlet passes run in its scope,
# so they see its parameters; the locals here are prefixed so that they never hide one of them.

function Invoke-LabVmChange
{
    # Hyper-V's state-changing VM cmdlets: ShouldProcess (target the VM's name, action the cmdlet's name),
    # the change run on the VM's record inside Update-LabState (a VM gone from the file since is not found),
    # a refusal (an ErrorRecord the change returns) written before going on with the next VM, and with
    # -Passthru the VM as Get-VM shows it after the change, or with an output block what that block makes
    # of the VM's record after the change and its host record (Set-VMProcessor's processor). The change
    # block gets the state and the record. -Pair instead of -VM/-Name: VMs the cmdlet has resolved itself,
    # objects with Host and Vm and what else the blocks need (Set-VMDvdDrive's drive location); both
    # blocks get the pair last.
    param
    (
        [System.Management.Automation.PSCmdlet] $Cmdlet,
        [System.String] $Operation,
        [System.Object[]] $VM,
        [System.String[]] $Name,
        [System.String[]] $ComputerName,
        [System.Object[]] $Pair,
        [System.Boolean] $Passthru,
        [System.Management.Automation.ScriptBlock] $Change,
        [System.Management.Automation.ScriptBlock] $Output
    )

    if (-not $PSBoundParameters.ContainsKey('Pair'))
    {
        $labChangeIndex = Enter-LabCall
        $Pair = Resolve-LabVm -Index $labChangeIndex -Cmdlet $Cmdlet -VM $VM -Name $Name -ComputerName $ComputerName
    }
    foreach ($labChangePair in $Pair)
    {
        $labChangeName = $labChangePair.Vm.name
        if (-not $Cmdlet.ShouldProcess($labChangeName, $Operation)) { continue }
        $labChangeId = [System.String] $labChangePair.Vm.id
        $labChangeHost = $labChangePair.Host.name
        $labChangeResult = Update-LabState {
            param ($labChangeState)
            $labChangeRecord = Find-LabVmRecord -State $labChangeState -Id $labChangeId -HostName $labChangeHost
            if ($null -eq $labChangeRecord) { return New-LabVmNotFoundError -Name $labChangeName -HostName $labChangeHost }
            return & $Change $labChangeState $labChangeRecord $labChangePair
        }
        if ($labChangeResult -is [System.Management.Automation.ErrorRecord]) { $Cmdlet.WriteError($labChangeResult); continue }
        if (-not $Passthru) { continue }
        if ($null -eq $Output) { Write-LabVmOutput -Id $labChangeId -HostName $labChangeHost; continue }
        $labChangeFresh = Get-LabIndex
        foreach ($labChangeVm in (Get-LabVmOnHost -Index $labChangeFresh -HostName $labChangeHost))
        {
            if ($labChangeVm.id -eq $labChangeId) { & $Output $labChangeVm $labChangeFresh.Hosts[$labChangeHost] $labChangePair }
        }
    }
}

function Test-LabDriveAt
{
    # Whether a drive record is at the controller number and location a call names ($null: any).
    param ([System.Object] $Drive, [System.Object] $Number, [System.Object] $Location)

    return ($null -eq $Number -or $Drive.controllerNumber -eq $Number) -and ($null -eq $Location -or $Drive.controllerLocation -eq $Location)
}

function Get-LabVmPart
{
    # The Get-VM* readers: for each VM the call names, what the block writes of it. The block gets the
    # (Host, Vm) pair and the index.
    param
    (
        [System.Management.Automation.PSCmdlet] $Cmdlet,
        [System.Object[]] $VM,
        [System.String[]] $VMName,
        [System.String[]] $ComputerName,
        [System.Management.Automation.ScriptBlock] $Part
    )

    $labPartIndex = Enter-LabCall
    foreach ($labPartPair in (Resolve-LabVm -Index $labPartIndex -Cmdlet $Cmdlet -VM $VM -Name $VMName -ComputerName $ComputerName))
    {
        & $Part $labPartPair $labPartIndex
    }
}

function Get-LabHostPart
{
    # The host readers (Get-VMHost, Get-VMHostSupportedVersion, Get-VMMigrationNetwork, Get-VMSwitch): for
    # each host -ComputerName names (none, 'localhost' or '.': the local host) that Enter-LabHost reaches
    # (it writes the error for one it does not), what the block writes of it. The block gets the host record
    # and the index.
    param
    (
        [System.Management.Automation.PSCmdlet] $Cmdlet,
        [System.String[]] $ComputerName,
        [System.Management.Automation.ScriptBlock] $Part
    )

    $labHostIndex = Enter-LabCall
    foreach ($labHostComputer in (Resolve-LabComputerName -ComputerName $ComputerName -Index $labHostIndex))
    {
        $labHostRecord = Enter-LabHost -ComputerName $labHostComputer -Index $labHostIndex -Cmdlet $Cmdlet
        if ($null -ne $labHostRecord) { & $Part $labHostRecord $labHostIndex }
    }
}

function Invoke-LabHostChange
{
    # Hyper-V's state-changing host cmdlets (Enable-VMMigration, Set-VMHost, Add-VMMigrationNetwork,
    # New-VMSwitch): for each host -ComputerName names that Enter-LabHost reaches, ShouldProcess (target the
    # host's name), the change run on the host's record inside Update-LabState, a refusal (an ErrorRecord the
    # change returns) written before going on with the next host, and with -Passthru what the output block
    # makes of the change's output and the host record (without a block: the host as Get-VMHost shows it
    # after the change). The change block gets the state and the host's record in it.
    param
    (
        [System.Management.Automation.PSCmdlet] $Cmdlet,
        [System.String] $Operation,
        [System.String[]] $ComputerName,
        [System.Boolean] $Passthru,
        [System.Management.Automation.ScriptBlock] $Change,
        [System.Management.Automation.ScriptBlock] $Output
    )

    $labHostIndex = Enter-LabCall
    foreach ($labHostComputer in (Resolve-LabComputerName -ComputerName $ComputerName -Index $labHostIndex))
    {
        $labHostRecord = Enter-LabHost -ComputerName $labHostComputer -Index $labHostIndex -Cmdlet $Cmdlet
        if ($null -eq $labHostRecord -or -not $Cmdlet.ShouldProcess($labHostRecord.name, $Operation)) { continue }
        $labHostName = $labHostRecord.name
        $labHostResult = Update-LabState {
            param ($labHostState)
            & $Change $labHostState (Find-LabHostRecord -State $labHostState -Name $labHostName)
        }
        if ($labHostResult -is [System.Management.Automation.ErrorRecord]) { $Cmdlet.WriteError($labHostResult); continue }
        if (-not $Passthru) { continue }
        if ($null -ne $Output) { & $Output $labHostResult $labHostRecord; continue }
        $labHostFresh = Get-LabIndex
        ConvertTo-LabVMHost -Index $labHostFresh -HostRecord $labHostFresh.Hosts[$labHostName]
    }
}

function Set-LabAdapterConnection
{
    # Connect-VMNetworkAdapter and Disconnect-VMNetworkAdapter: the adapters a call names (objects taken from a
    # compatibility report are changed on the report; the others, or -VMName/-Name/-ComputerName, through
    # Resolve-LabNetworkAdapter), one ShouldProcess for all of them (target 'vm/adapter, ...', action "Connect to
    # '<switch>'" or 'Disconnect'), then the switch set on each (-SwitchName or -VMSwitch; neither: disconnected);
    # with -Passthru the changed adapters.
    param
    (
        [System.Management.Automation.PSCmdlet] $Cmdlet,
        [System.Object[]] $VMNetworkAdapter,
        [System.String[]] $VMName,
        [System.String[]] $Name,
        [System.String[]] $ComputerName,
        [System.String] $SwitchName,
        [System.Object] $VMSwitch,
        [System.Boolean] $Passthru
    )

    $index = Enter-LabCall
    $reportCopies = @($VMNetworkAdapter | Where-Object { Test-LabReportCopy -Object $_ })
    $live = @($VMNetworkAdapter | Where-Object { $null -ne $_ -and -not (Test-LabReportCopy -Object $_) })
    $triples = @()
    if ($live.Count -gt 0 -or $VMName)
    {
        $triples = Resolve-LabNetworkAdapter -Index $index -Cmdlet $Cmdlet -VMNetworkAdapter $live -VMName $VMName -Name $Name -ComputerName $ComputerName
    }
    $action = if ($VMSwitch) { "Connect to '$($VMSwitch.Name)'" } elseif ($SwitchName) { "Connect to '$SwitchName'" } else { 'Disconnect' }
    if (-not $Cmdlet.ShouldProcess(($triples | ForEach-Object { "$($_.Vm.name)/$($_.Adapter.name)" }) -join ', ', $action)) { return }
    $copies = @(foreach ($copy in $reportCopies) { Set-LabReportNetworkAdapter -Adapter $copy -Switch $VMSwitch -SwitchName $(if ($VMSwitch) { $null } else { $SwitchName }) })
    $changed = Set-LabNetworkAdapterSwitch -Cmdlet $Cmdlet -Triples $triples -SwitchName $SwitchName -SwitchObject $VMSwitch
    if ($Passthru) { $copies; $changed }
}

function Resolve-LabMoveCall
{
    # Compare-VM and Move-VM by name or VM object: the storage options of the call (an entry of -Vhds
    # without both paths is Hyper-V's parameter error) and its VM, source and destination
    # (Resolve-LabMoveTarget). $null after writing the error.
    param
    (
        [System.Management.Automation.PSCmdlet] $Cmdlet,
        [System.Object] $Index,
        [System.Collections.IDictionary] $Bound,
        [System.String] $Name,
        [System.Object] $VM,
        [System.String[]] $ComputerName,
        [System.String] $DestinationHost
    )

    $options = New-LabMoveOption -Bound $Bound
    $parameterProblem = Get-LabVhdsParameterProblem -Options $options
    if ($null -ne $parameterProblem)
    {
        $Cmdlet.WriteError((New-LabErrorRecord -Category InvalidArgument -ErrorId 'InvalidParameter' -Message $parameterProblem))
        return $null
    }
    $target = Resolve-LabMoveTarget -Cmdlet $Cmdlet -Index $Index -Name $Name -VM $VM -ComputerName $ComputerName -DestinationHost $DestinationHost
    if ($null -eq $target) { return $null }
    return [pscustomobject]@{ Options = $options; Target = $target }
}

function New-LabSwitchNotFoundError
{
    # Hyper-V's error for a virtual switch name that names no switch of the host (Get-VMSwitch -Name,
    # Connect-VMNetworkAdapter -SwitchName).
    param ([System.String] $Name)

    return New-LabErrorRecord -Category InvalidArgument -ErrorId 'InvalidParameter' -TargetObject $Name -ExceptionType 'System.ArgumentException' `
        -Message "Hyper-V was unable to find a virtual switch with name `"$Name`"."
}
