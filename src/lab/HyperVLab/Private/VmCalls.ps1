# The loops the VM cmdlets share: the VMs a call names (-VM objects, or -Name/-VMName with -ComputerName,
# through Resolve-LabVm, which writes Hyper-V's errors for what cannot be found), then either a change to
# each VM's record in the lab file (Start-VM, Stop-VM, Suspend-VM, Resume-VM) or the objects each VM holds
# (the Get-VM* readers); and the hosts a host reader names (Get-VMHost, Get-VMSwitch, ...). The blocks a
# cmdlet passes run in its scope, so they see its parameters; the locals here are prefixed so that they never
# hide one of them.

function Invoke-LabVmChange
{
    # Hyper-V's state-changing VM cmdlets: ShouldProcess (target the VM's name, action the cmdlet's name),
    # the change run on the VM's record inside Update-LabState (a VM gone from the file since is not found),
    # a refusal (an ErrorRecord the change returns) written before going on with the next VM, and with
    # -Passthru the VM as Get-VM shows it after the change. The change block gets the state and the record.
    param
    (
        [System.Management.Automation.PSCmdlet] $Cmdlet,
        [System.String] $Operation,
        [System.Object[]] $VM,
        [System.String[]] $Name,
        [System.String[]] $ComputerName,
        [System.Boolean] $Passthru,
        [System.Management.Automation.ScriptBlock] $Change
    )

    $labChangeIndex = Enter-LabCall
    foreach ($labChangePair in (Resolve-LabVm -Index $labChangeIndex -Cmdlet $Cmdlet -VM $VM -Name $Name -ComputerName $ComputerName))
    {
        $labChangeName = $labChangePair.Vm.name
        if (-not $Cmdlet.ShouldProcess($labChangeName, $Operation)) { continue }
        $labChangeId = [System.String] $labChangePair.Vm.id
        $labChangeHost = $labChangePair.Host.name
        $labChangeResult = Update-LabState {
            param ($labChangeState)
            $labChangeRecord = Find-LabVmRecord -State $labChangeState -Id $labChangeId -HostName $labChangeHost
            if ($null -eq $labChangeRecord) { return New-LabVmNotFoundError -Name $labChangeName -HostName $labChangeHost }
            return & $Change $labChangeState $labChangeRecord
        }
        if ($labChangeResult -is [System.Management.Automation.ErrorRecord]) { $Cmdlet.WriteError($labChangeResult); continue }
        if ($Passthru) { Write-LabVmOutput -Id $labChangeId -HostName $labChangeHost }
    }
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
