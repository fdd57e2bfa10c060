# Purges the Kerberos tickets of the host's computer account (LocalSystem, logon session 0x3e7), so its next
# live migration asks for tickets that carry the new delegation (after AD has replicated the change).
$null = klist.exe purge -li 0x3e7; if ($LASTEXITCODE) { throw "klist purge -li 0x3e7 failed with exit code $LASTEXITCODE." }
