function Get-PSSession
{
    <#
        .SYNOPSIS
            The lab's Get-PSSession: the sessions New-PSSession opened in this PowerShell process and
            Remove-PSSession has not removed, in opening order, filtered by -Name (wildcards), -Id or
            -InstanceId (https://learn.microsoft.com/powershell/module/microsoft.powershell.core/get-pssession).
            -ComputerName contacts each computer (a connection, with its cost and WinRM's error when the host
            cannot be reached) and lists this process's sessions to it; sessions other processes opened on
            the host are not listed (the lab keeps sessions per process).
    #>
    [CmdletBinding(DefaultParameterSetName = 'Name')]
    [OutputType('System.Management.Automation.Runspaces.PSSession')]
    param
    (
        [Parameter(ParameterSetName = 'Name', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'ComputerName')]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $Name,

        [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'ComputerName', ValueFromPipelineByPropertyName = $true)]
        [Alias('Cn')]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $ComputerName,

        [Parameter(ParameterSetName = 'ComputerName')]
        [System.Management.Automation.PSCredential]
        $Credential,

        [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Id', ValueFromPipelineByPropertyName = $true)]
        [ValidateNotNull()]
        [System.Int32[]]
        $Id,

        [Parameter(ParameterSetName = 'InstanceId', ValueFromPipelineByPropertyName = $true)]
        [ValidateNotNull()]
        [System.Guid[]]
        $InstanceId
    )

    if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
    $hosts = $null
    if ($PSCmdlet.ParameterSetName -eq 'ComputerName')
    {
        $index = Enter-LabCall
        $hosts = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
        $costs = [System.Collections.Generic.List[object]]::new()
        foreach ($computer in $ComputerName)
        {
            $hostName = @(Resolve-LabComputerName -ComputerName @($computer) -Index $index)[0]
            if (-not $index.Hosts.ContainsKey($hostName))
            {
                $PSCmdlet.WriteError((New-LabRemotingError -ComputerName $computer -ErrorId 'ComputerNotFound' -Reason (Get-LabNotFoundReason -ComputerName $computer)))
                continue
            }
            $costs.Add((Register-LabConnectCost -Index $index -HostName $hostName -Cmdlet $PSCmdlet))
            if (-not (Test-LabHostReachable -Index $index -HostName $hostName))
            {
                $PSCmdlet.WriteError((New-LabRemotingError -ComputerName $computer -ErrorId 'WinRMOperationTimeout' -Reason $script:LabUnreachableText))
                continue
            }
            $null = $hosts.Add($index.Hosts[$hostName].name)
        }
        Wait-LabCost -Costs $costs
    }
    foreach ($session in @($script:LabSessions))
    {
        if ($null -ne $hosts -and -not $hosts.Contains((Get-LabSessionRecord -Session $session).HostName)) { continue }
        if ($PSBoundParameters.ContainsKey('Name') -and -not (Test-LabNameMatch -Name $session.Name -Pattern $Name)) { continue }
        if ($PSBoundParameters.ContainsKey('Id') -and $Id -notcontains $session.Id) { continue }
        if ($PSBoundParameters.ContainsKey('InstanceId') -and $InstanceId -notcontains $session.InstanceId) { continue }
        $session
    }
}
