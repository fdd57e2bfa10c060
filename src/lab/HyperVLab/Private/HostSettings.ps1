# The lab-only cmdlets that change a host's record (Set-HyperVLabFault, Set-HyperVLabHost).

function Update-LabHostRecord
{
    # For each name: ShouldProcess (target the name), then the change run on the host's record inside
    # Update-LabState; a name that is no host of the lab is written as an error. The change block gets the
    # state and the record, and runs in the caller's scope chain, so it sees the cmdlet's variables (the locals
    # here are prefixed so that they never hide one of them).
    param
    (
        [System.Management.Automation.PSCmdlet] $Cmdlet,
        [System.String[]] $ComputerName,
        [System.String] $Action,
        [System.Management.Automation.ScriptBlock] $Change
    )

    foreach ($labHostName in $ComputerName)
    {
        if (-not $Cmdlet.ShouldProcess($labHostName, $Action)) { continue }
        $labHostProblem = Update-LabState {
            param ($labHostState)
            $labHostRecord = Find-LabHostRecord -State $labHostState -Name $labHostName
            if ($null -eq $labHostRecord)
            {
                return New-LabErrorRecord -Category ObjectNotFound -ErrorId 'ComputerNotFound' -TargetObject $labHostName `
                    -Message "The computer '$labHostName' could not be resolved. Make sure you typed the machine name correctly and that you have network access."
            }
            & $Change $labHostState $labHostRecord
        }
        if ($labHostProblem -is [System.Management.Automation.ErrorRecord]) { $Cmdlet.WriteError($labHostProblem) }
    }
}

function Add-LabFaultRecord
{
    # The host's fault in a state being updated (Update-LabState); a healthy one is added when it has none.
    param ([System.Object] $State, [System.String] $HostName)

    if ($null -eq $State.faults) { $State | Add-Member -NotePropertyName 'faults' -NotePropertyValue ([pscustomobject]@{}) -Force }
    $existing = $State.faults.PSObject.Properties[$HostName]
    if ($null -ne $existing) { return $existing.Value }
    $fault = [pscustomobject]@{ unreachable = $false; latencyMs = 0; failMoveAtPercent = $null; failMoveMessage = $null }
    $State.faults | Add-Member -NotePropertyName $HostName -NotePropertyValue $fault
    return $fault
}
