# HyperVLab: a simulated Hyper-V fleet (with Active Directory and failover clustering) kept in the
# JSON file named by $env:HYPERV_LAB_PATH. Every Public/*.ps1 file holds one exported cmdlet named
# for it; Private/*.ps1 hold the state store and the simulation.

$privateFiles = @(Get-ChildItem -Path (Join-Path -Path $PSScriptRoot -ChildPath 'Private') -Filter '*.ps1' -File | Sort-Object -Property Name)
$publicFiles = @(Get-ChildItem -Path (Join-Path -Path $PSScriptRoot -ChildPath 'Public') -Filter '*.ps1' -File | Sort-Object -Property Name)

# Enums.ps1 defines what the other private files validate against: load it first.
foreach ($file in @($privateFiles | Where-Object -Property Name -EQ 'Enums.ps1') + @($privateFiles | Where-Object -Property Name -NE 'Enums.ps1') + $publicFiles)
{
    . $file.FullName
}

Export-ModuleMember -Function @($publicFiles | ForEach-Object -Process { $_.BaseName })
