function Get-HostFunctions([string[]]$Name) {
    # The texts of functions this session has (a script's helpers, the session's __HvlmErrorFacts), for a
    # script block that runs on a host through Invoke-Command and defines them there: a remote session
    # sees none of this one's functions.
    $texts = @{}
    foreach ($function in $Name) { $texts[$function] = (Get-Command -Name $function -CommandType Function).ScriptBlock.ToString() }
    $texts
}
