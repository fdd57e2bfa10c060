# Active Directory as the lab simulates it: computer accounts with constrained delegation
# (msDS-AllowedToDelegateTo) and "use any authentication protocol" (TrustedToAuthForDelegation).

$script:LabUacWorkstationTrust = 0x1000
$script:LabUacTrustedToAuthForDelegation = 0x1000000
$script:LabAdWritableAttributes = @('msDS-AllowedToDelegateTo', 'userAccountControl', 'description')

function Resolve-LabAdComputer
{
    # An AD computer record from an identity: a name, sAMAccountName, DN, GUID, SID, DNS name, or an object carrying one.
    param ([System.Object] $State, [System.Object] $Identity)

    $keys = @()
    if ($Identity -is [System.String] -or $Identity -is [System.Guid])
    {
        $keys = @([System.String] $Identity)
    }
    else
    {
        foreach ($property in 'DistinguishedName', 'ObjectGUID', 'SID', 'SamAccountName', 'Name')
        {
            if ($Identity.PSObject.Properties[$property] -and $Identity.$property) { $keys += [System.String] $Identity.$property }
        }
    }
    foreach ($key in $keys)
    {
        foreach ($computer in @($State.adComputers))
        {
            foreach ($candidate in $computer.name, $computer.samAccountName, $computer.distinguishedName, $computer.objectGuid, $computer.sid, $computer.dnsHostName)
            {
                if ([System.String]::Equals([System.String] $candidate, $key, [System.StringComparison]::OrdinalIgnoreCase)) { return $computer }
            }
        }
    }
    return $null
}

function Invoke-LabAdComputerChange
{
    # Set-ADObject and Set-ADAccountControl: the computer -Identity names (the directory's error when none is),
    # ShouldProcess (its distinguished name, 'Set'), -Change run on its record inside Update-LabState (a refusal,
    # an ErrorRecord it returns, is written and nothing is saved; no -Change, nothing to write), and with -PassThru
    # the computer as it is then. The block runs in the cmdlet's scope (it sees its parameters).
    param ([System.Management.Automation.PSCmdlet] $Cmdlet, [System.Object] $Identity, [System.Boolean] $PassThru, [System.Management.Automation.ScriptBlock] $Change)

    $labAdState = Get-LabState
    $labAdComputer = Resolve-LabAdComputer -State $labAdState -Identity $Identity
    if ($null -eq $labAdComputer) { $Cmdlet.WriteError((New-LabAdNotFoundError -State $labAdState -Identity $Identity)); return }
    if (-not $Cmdlet.ShouldProcess($labAdComputer.distinguishedName, 'Set')) { return }
    $labAdDn = $labAdComputer.distinguishedName
    if ($null -ne $Change)
    {
        $labAdResult = Update-LabState {
            param ($labAdFresh)
            return & $Change (Resolve-LabAdComputer -State $labAdFresh -Identity $labAdDn)
        }
        if ($labAdResult -is [System.Management.Automation.ErrorRecord]) { $Cmdlet.WriteError($labAdResult); return }
    }
    if ($PassThru) { ConvertTo-LabAdComputer -Computer (Resolve-LabAdComputer -State (Get-LabState) -Identity $labAdDn) -Properties @() }
}

function New-LabAdNotFoundError
{
    param ([System.Object] $State, [System.Object] $Identity)

    $text = if ($Identity -is [System.String]) { $Identity } elseif ($Identity.PSObject.Properties['Name']) { $Identity.Name } else { [System.String] $Identity }
    return New-LabErrorRecord -Category ObjectNotFound -ErrorId 'ActiveDirectoryCmdlet:Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException' `
        -TargetObject $text -ExceptionType 'System.Management.Automation.ItemNotFoundException' `
        -Message "Cannot find an object with identity: '$text' under: '$($State.domain.distinguishedName)'."
}

function Get-LabAdUserAccountControl
{
    param ([System.Object] $Computer)

    $uac = $script:LabUacWorkstationTrust
    if ($Computer.trustedToAuthForDelegation) { $uac = $uac -bor $script:LabUacTrustedToAuthForDelegation }
    if (-not $Computer.enabled) { $uac = $uac -bor 0x2 }
    return $uac
}

function ConvertTo-LabAdComputer
{
    # An ADComputer: the default properties, plus those asked for with -Properties (or all with '*').
    param ([System.Object] $Computer, [System.String[]] $Properties)

    $object = [pscustomobject][ordered]@{
        DistinguishedName = $Computer.distinguishedName
        DNSHostName       = $Computer.dnsHostName
        Enabled           = [System.Boolean] $Computer.enabled
        Name              = $Computer.name
        ObjectClass       = 'computer'
        ObjectGUID        = [System.Guid] $Computer.objectGuid
        SamAccountName    = $Computer.samAccountName
        SID               = $Computer.sid
        UserPrincipalName = $null
    }
    $extended = [ordered]@{
        'msDS-AllowedToDelegateTo'   = @($Computer.allowedToDelegateTo)
        'TrustedToAuthForDelegation' = [System.Boolean] $Computer.trustedToAuthForDelegation
        'TrustedForDelegation'       = $false
        'userAccountControl'         = Get-LabAdUserAccountControl -Computer $Computer
        'servicePrincipalName'       = @("HOST/$($Computer.name)", "HOST/$($Computer.dnsHostName)",
            "Microsoft Virtual System Migration Service/$($Computer.name)", "Microsoft Virtual System Migration Service/$($Computer.dnsHostName)")
        'Description'                = $Computer.description
        'CanonicalName'              = '{0}/{1}' -f ($Computer.dnsHostName -replace '^[^.]+\.', ''), $Computer.name
        'CN'                         = $Computer.name
    }
    foreach ($wanted in @($Properties))
    {
        foreach ($key in $extended.Keys)
        {
            if ($wanted -eq '*' -or [System.String]::Equals($key, $wanted, [System.StringComparison]::OrdinalIgnoreCase))
            {
                if (-not $object.PSObject.Properties[$key]) { $object | Add-Member -NotePropertyName $key -NotePropertyValue $extended[$key] }
            }
        }
    }
    return Add-LabTypeName -Object $object -TypeName 'Microsoft.ActiveDirectory.Management.ADComputer', 'Microsoft.ActiveDirectory.Management.ADAccount',
        'Microsoft.ActiveDirectory.Management.ADPrincipal', 'Microsoft.ActiveDirectory.Management.ADObject'
}

function Test-LabAdFilter
{
    # The -Filter forms scripts use: '*', or "<Property> -eq|-like '<value>'" joined by -and.
    param ([System.Object] $Computer, [System.String] $Filter)

    if ($Filter.Trim() -eq '*') { return $true }
    foreach ($clause in ($Filter -split '\s+-and\s+'))
    {
        if ($clause -notmatch '^\s*\(?\s*(\w+)\s+-(eq|like|ne)\s+[''"]([^''"]*)[''"]\s*\)?\s*$')
        {
            throw (New-LabErrorRecord -Category ParserError -ErrorId 'ActiveDirectoryCmdlet:Microsoft.ActiveDirectory.Management.ADFilterParsingException' `
                -TargetObject $Filter -ExceptionType 'System.ArgumentException' -Message "Error parsing query: '$Filter' Error Message: 'syntax error' at position: '1'.")
        }
        $value = switch ($Matches[1])
        {
            'Name' { $Computer.name }
            'DNSHostName' { $Computer.dnsHostName }
            'SamAccountName' { $Computer.samAccountName }
            'DistinguishedName' { $Computer.distinguishedName }
            'Enabled' { [System.String] $Computer.enabled }
            default { $null }
        }
        $ok = switch ($Matches[2])
        {
            'eq' { [System.String]::Equals([System.String] $value, $Matches[3], [System.StringComparison]::OrdinalIgnoreCase) }
            'ne' { -not [System.String]::Equals([System.String] $value, $Matches[3], [System.StringComparison]::OrdinalIgnoreCase) }
            'like' { [System.String] $value -like $Matches[3] }
        }
        if (-not $ok) { return $false }
    }
    return $true
}

function Set-LabAdAttribute
{
    # Applies Set-ADObject's -Add/-Remove/-Replace/-Clear to a computer record, all or nothing, with
    # the directory's refusals (a value added twice, a value removed that is not there).
    param ([System.Object] $Computer, [System.Collections.Hashtable] $Add, [System.Collections.Hashtable] $Remove,
        [System.Collections.Hashtable] $Replace, [System.String[]] $Clear)

    $values = @{
        'msds-allowedtodelegateto' = [System.Collections.Generic.List[string]] @([System.String[]] @($Computer.allowedToDelegateTo | Where-Object { $null -ne $_ }))
        'description'              = [System.Collections.Generic.List[string]] @([System.String[]] @($Computer.description | Where-Object { $null -ne $_ }))
        'useraccountcontrol'       = [System.Collections.Generic.List[string]] @([System.String] (Get-LabAdUserAccountControl -Computer $Computer))
    }
    $steps = @()
    foreach ($name in @($Clear)) { if ($name) { $steps += , @('Clear', $name, @()) } }
    if ($Replace) { foreach ($key in $Replace.Keys) { $steps += , @('Replace', $key, @($Replace[$key])) } }
    if ($Remove) { foreach ($key in $Remove.Keys) { $steps += , @('Remove', $key, @($Remove[$key])) } }
    if ($Add) { foreach ($key in $Add.Keys) { $steps += , @('Add', $key, @($Add[$key])) } }
    foreach ($step in $steps)
    {
        $operation, $attribute, $given = $step
        $list = $values[([System.String] $attribute).ToLowerInvariant()]
        if ($null -eq $list)
        {
            return New-LabErrorRecord -Category InvalidArgument -ErrorId 'ActiveDirectoryServer:8317' -TargetObject $attribute `
                -ExceptionType 'System.ArgumentException' -Message "The specified directory service attribute or value does not exist`r`nParameter name: $attribute"
        }
        switch ($operation)
        {
            'Clear' { $list.Clear() }
            'Replace' { $list.Clear(); foreach ($v in $given) { $list.Add([System.String] $v) } }
            'Remove'
            {
                foreach ($v in $given)
                {
                    $at = -1
                    for ($i = 0; $i -lt $list.Count; $i++) { if ([System.String]::Equals($list[$i], [System.String] $v, [System.StringComparison]::OrdinalIgnoreCase)) { $at = $i } }
                    if ($at -lt 0)
                    {
                        return New-LabErrorRecord -Category InvalidOperation -ErrorId 'ActiveDirectoryServer:8317' -TargetObject $Computer.distinguishedName `
                            -Message 'The specified directory service attribute or value does not exist'
                    }
                    $list.RemoveAt($at)
                }
            }
            'Add'
            {
                foreach ($v in $given)
                {
                    foreach ($existing in $list)
                    {
                        if ([System.String]::Equals($existing, [System.String] $v, [System.StringComparison]::OrdinalIgnoreCase))
                        {
                            return New-LabErrorRecord -Category InvalidOperation -ErrorId 'ActiveDirectoryServer:8321' -TargetObject $Computer.distinguishedName `
                                -Message 'The specified value already exists'
                        }
                    }
                    $list.Add([System.String] $v)
                }
            }
        }
    }
    $Computer.allowedToDelegateTo = @($values['msds-allowedtodelegateto'])
    $description = @($values['description'])
    if ($null -eq $Computer.PSObject.Properties['description']) { $Computer | Add-Member -NotePropertyName 'description' -NotePropertyValue $null }
    $Computer.description = if ($description.Count -gt 0) { $description[0] } else { $null }
    $uac = [System.Int32] (@($values['useraccountcontrol']) | Select-Object -First 1)
    $Computer.trustedToAuthForDelegation = (($uac -band $script:LabUacTrustedToAuthForDelegation) -ne 0)
    $Computer.enabled = (($uac -band 0x2) -eq 0)
}
