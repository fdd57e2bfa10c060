function Test-OnComputer([string]$ComputerName) {
    # True when this session runs on $ComputerName: Get-VMHost without -ComputerName answers for the computer
    # it runs on (an admin's workstation without Hyper-V answers nothing).
    $here = $null
    try { $here = [string](Get-VMHost -ErrorAction Stop).ComputerName } catch { $here = $null }
    [bool]($here -and $here -eq ($ComputerName -split '\.')[0])
}

function Invoke-OnSource([string]$ComputerName, $Credential, [bool]$Here, [scriptblock]$Block, [object[]]$Arguments, [string[]]$Functions) {
    # Runs $Block with $Arguments on $ComputerName, with this session's functions $Functions defined for it, and
    # returns its output. $Here (Test-OnComputer): in this session, in the admin's own sign-in, which reaches
    # other hosts with no second hop. Else in one remoting session there, which sees none of this session's
    # functions (their texts go with the block) and reaches other hosts only with a credential passed in.
    $texts = @{}
    foreach ($name in $Functions) { $texts[$name] = (Get-Command -Name $name -CommandType Function).ScriptBlock.ToString() }
    $run = {
        param([string]$BlockText, [hashtable]$Functions, [object[]]$BlockArguments)
        foreach ($name in $Functions.Keys) { Set-Item -Path "function:$name" -Value ([scriptblock]::Create($Functions[$name])) }
        & ([scriptblock]::Create($BlockText)) @BlockArguments
    }
    if ($Here) { return & $run $Block.ToString() $texts $Arguments }
    $invoke = @{ ComputerName = $ComputerName; ScriptBlock = $run; ArgumentList = @($Block.ToString(), $texts, $Arguments); ErrorAction = 'Stop' }
    if ($Credential) { $invoke.Credential = $Credential }
    Invoke-Command @invoke
}
