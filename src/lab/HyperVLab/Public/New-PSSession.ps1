function New-PSSession
{
    <#
        .SYNOPSIS
            The lab's New-PSSession -ComputerName: opens a persistent session to each lab host
            (https://learn.microsoft.com/powershell/module/microsoft.powershell.core/new-pssession). Opening costs
            the lab's connect latency (hosts at once: the largest once); Invoke-Command -Session runs blocks in
            it, keeping their functions and variables between calls. The session belongs to this PowerShell
            process (Get-PSSession lists it) until Remove-PSSession. A host that cannot be reached gets WinRM's
            transport error (`<reason>,PSSessionOpenFailed`, category OpenError) and no session.
    #>
    [CmdletBinding(DefaultParameterSetName = 'ComputerName')]
    [OutputType('System.Management.Automation.Runspaces.PSSession')]
    param
    (
        [Parameter(Position = 0, ValueFromPipeline = $true, ParameterSetName = 'ComputerName')]
        [Alias('Cn')]
        [ValidateNotNullOrEmpty()]
        [System.String[]]
        $ComputerName,

        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [System.Management.Automation.PSCredential]
        $Credential,

        [Parameter()]
        [System.String[]]
        $Name,

        [Parameter()]
        [System.Int32]
        $ThrottleLimit = 32,

        [Parameter(ParameterSetName = 'ComputerName')]
        [System.Management.Automation.Remoting.PSSessionOption]
        $SessionOption,

        [Parameter(ParameterSetName = 'ComputerName')]
        [System.Management.Automation.Runspaces.AuthenticationMechanism]
        $Authentication = 'Default'
    )

    begin
    {
        # Script-module functions do not see the caller's preference; PowerShell's cmdlets do.
        if (-not $PSBoundParameters.ContainsKey('ErrorAction')) { $ErrorActionPreference = $PSCmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
        $computers = [System.Collections.Generic.List[string]]::new()
    }

    process
    {
        # Without -ComputerName, New-PSSession connects to the local computer.
        if ($null -eq $ComputerName -or $ComputerName.Count -eq 0) { $computers.Add('localhost') }
        else { foreach ($computer in $ComputerName) { $computers.Add($computer) } }
    }

    end
    {
        $index = Enter-LabCall
        $reached = Open-LabConnection -Index $index -Cmdlet $PSCmdlet -ComputerName $computers -NewError 'New-LabSessionOpenError'
        $i = 0
        foreach ($target in $reached)
        {
            $sessionName = if ($null -ne $Name -and $i -lt $Name.Count) { $Name[$i] } else { $null }
            $i++
            New-LabSession -ComputerName $target.Name -HostName $target.HostName -Name $sessionName -Authentication ([System.String] $Authentication) -Credential $Credential
        }
    }
}
