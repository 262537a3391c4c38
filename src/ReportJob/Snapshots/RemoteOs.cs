namespace ReportJob.Snapshots;

/// <summary>What runs on an SSH target: decides the remote command.</summary>
public enum RemoteOs
{
    /// <summary>Reads /proc/net/tcp and /proc/net/tcp6.</summary>
    Linux,

    /// <summary>Runs Get-NetTCPConnection through powershell -EncodedCommand.</summary>
    Windows,
}
