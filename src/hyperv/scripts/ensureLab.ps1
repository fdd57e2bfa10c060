param($Params)
# Creates the lab file from the Default template when it does not exist yet; answers the lab's host names.
$path = [string]$Params.Path
$created = $false
if (-not (Test-Path -LiteralPath $path)) {
    $folder = Split-Path -Parent $path
    if ($folder -and -not (Test-Path -LiteralPath $folder)) { $null = New-Item -ItemType Directory -Path $folder -Force }
    $null = New-HyperVLab -Path $path -Template Default
    $created = $true
}
[pscustomobject]@{ created = $created; hosts = @(Get-HyperVLabHost | ForEach-Object { [string]$_.Name }) }
