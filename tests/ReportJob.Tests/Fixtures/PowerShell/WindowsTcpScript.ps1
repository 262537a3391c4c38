# Runs the command ReportJob sends to a Windows server over ssh (powershell -EncodedCommand BASE64) against the
# stand-in's connections: the base64 is decoded and run as it would be there.
param([string] $Connections, [string] $EncodedCommand)
. (Join-Path $PSScriptRoot 'NetTcpConnection.ps1')
$script:NetTcpConnections = @(Read-NetTcpConnections $Connections)
& ([scriptblock]::Create([Text.Encoding]::Unicode.GetString([Convert]::FromBase64String($EncodedCommand))))
