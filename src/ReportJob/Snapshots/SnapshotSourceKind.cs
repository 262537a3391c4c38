namespace ReportJob.Snapshots;

/// <summary>Where a server's connection table comes from.</summary>
public enum SnapshotSourceKind
{
    /// <summary>This machine: /proc/net/tcp{,6} on Linux, the OS API on Windows.</summary>
    Local,

    /// <summary>A remote server through the system's OpenSSH client.</summary>
    Ssh,

    /// <summary>A drop folder of CSV files written by the existing PowerShell script.</summary>
    Csv,
}
