param($Params)
# Rebuilds the lab file from the template it was made from.
$null = Reset-HyperVLab
[pscustomobject]@{ hosts = @(Get-HyperVLabHost | ForEach-Object { [string]$_.Name }) }
