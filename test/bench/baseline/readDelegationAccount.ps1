function Get-ADArgument($Credential) {
    # What every AD cmdlet of a script is given: the host's stored credential when there is one, else nothing (the
    # admin's own sign-in). AD is read and written from the admin's session, never through a host's session.
    $arguments = @{}
    if ($Credential) { $arguments.Credential = $Credential }
    $arguments
}

function Read-DelegationAccount([string]$ComputerName, $Credential) {
    # The AD computer account of the host as configured, where constrained delegation is read: { account,
    # accountError }. Found by the configured name, never by a name the host gives itself: an FQDN by its
    # dNSHostName (Get-ADComputer -Identity takes a name, SID, GUID or DN, not a DNS name), a short name as the
    # account's identity. The dNSHostName it answers is what confirms the account (hostName.ts adNameProblem).
    # A failed AD read is reported as facts of its error (the ActiveDirectory module may be missing where
    # the host answers fine), beside whatever else the script read.
    $name = $ComputerName.Trim().TrimEnd('.')
    $adArguments = Get-ADArgument $Credential
    $adArguments.Properties = @('msDS-AllowedToDelegateTo', 'TrustedToAuthForDelegation')
    try {
        if ($name -notmatch '^[A-Za-z0-9.-]+$') {
            Write-Error -Message "'$name' is not a host name AD can be asked for." -Category InvalidArgument -ErrorId 'HostNameInvalid' -TargetObject $name -ErrorAction Stop
        }
        if ($name.Contains('.')) {
            # Letters, digits, hyphens and dots only (checked above): nothing in the value can end the filter's string.
            $ad = @(Get-ADComputer -Filter ("DNSHostName -eq '{0}'" -f $name) @adArguments -ErrorAction Stop)[0]
            if ($null -eq $ad) {
                Write-Error -Message "AD has no computer whose dNSHostName is $name." -Category ObjectNotFound -ErrorId 'ADComputerNotFound' -TargetObject $name -ErrorAction Stop
            }
        } else {
            $ad = Get-ADComputer -Identity $name @adArguments -ErrorAction Stop
        }
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
