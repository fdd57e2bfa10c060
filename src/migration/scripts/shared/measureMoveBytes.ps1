function Measure-MoveBytes($Vm, [string[]]$Paths, [hashtable]$Remote = @{}) {
    # What a shared-nothing move of $Vm carries: the memory of a live VM, the VHD files at $Paths with their
    # parent chains (each file once, however many disks share it), and its checkpoints. Runs on the VM's host
    # (a helper of Invoke-OnHost, hostSession.ps1), where $Remote stays empty; elsewhere $Remote reaches the
    # host (ComputerName, Credential). A file Hyper-V cannot read (missing, on a share the host cannot
    # reach) counts 0 bytes: its error names it; any other error (the host itself) still stops the count.
    $memoryBytes = [int64]0
    if ([string]$Vm.State -in 'Running', 'Paused', 'Saved') {
        $memoryBytes = [int64]$Vm.MemoryAssigned
        if ($memoryBytes -le 0) { $memoryBytes = [int64]$Vm.MemoryStartup }
    }
    $diskBytes = [int64]0
    $counted = @{}
    $pending = @($Paths)
    while ($pending.Count -gt 0) {
        $parents = @()
        $problems = $null
        foreach ($vhd in @(Get-VHD -Path $pending @Remote -ErrorAction SilentlyContinue -ErrorVariable problems)) {
            $key = ([string]$vhd.Path).ToUpperInvariant()
            if ($counted.ContainsKey($key)) { continue }
            $counted[$key] = $true
            $diskBytes += [int64]$vhd.FileSize
            if ($vhd.ParentPath -and -not $counted.ContainsKey(([string]$vhd.ParentPath).ToUpperInvariant())) { $parents += [string]$vhd.ParentPath }
        }
        foreach ($problem in @($problems)) {
            $text = [string]$problem.Exception.Message
            $named = @($pending | Where-Object { $text.IndexOf("'$_'", [System.StringComparison]::OrdinalIgnoreCase) -ge 0 })
            if ($named.Count -eq 0) { throw $problem }
        }
        $pending = $parents
    }
    $checkpointBytes = [int64]0
    foreach ($snapshot in @(Get-VMSnapshot -VM $Vm)) { $checkpointBytes += [int64]$snapshot.SizeOfSystemFiles }
    [pscustomobject]@{ memoryBytes = $memoryBytes; diskBytes = $diskBytes; checkpointBytes = $checkpointBytes }
}
