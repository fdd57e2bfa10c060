function Read-DelegationAccount([string]$ComputerName, $Credential) {
    # The host's AD computer account, where constrained delegation is read: { account, accountError }. A
    # failed AD read is reported as facts of its error (the ActiveDirectory module may be missing where
    # the host answers fine), beside whatever else the script read.
    $adArguments = @{ Identity = $ComputerName; Properties = @('msDS-AllowedToDelegateTo', 'TrustedToAuthForDelegation') }
    if ($Credential) { $adArguments.Credential = $Credential }
    try {
        $ad = Get-ADComputer @adArguments -ErrorAction Stop
        $account = [pscustomobject]@{
            name                       = [string]$ad.Name
            dnsHostName                = [string]$ad.DNSHostName
            allowedToDelegateTo        = @($ad.'msDS-AllowedToDelegateTo' | ForEach-Object { [string]$_ })
            trustedToAuthForDelegation = [bool]$ad.TrustedToAuthForDelegation
        }
        [pscustomobject]@{ account = $account; accountError = $null }
    } catch {
        [pscustomobject]@{ account = $null; accountError = (__HvlmErrorFacts $_) }
    }
}
