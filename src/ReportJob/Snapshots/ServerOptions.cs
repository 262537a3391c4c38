using System.ComponentModel.DataAnnotations;

namespace ReportJob.Snapshots;

/// <summary>One server whose connections are collected.</summary>
public sealed class ServerOptions
{
    /// <summary>The name shown in reports (e.g. the Exchange server's host name).</summary>
    [Required(AllowEmptyStrings = false)]
    public string Name { get; set; } = "";

    /// <summary><c>Local</c>, <c>Ssh</c> or <c>Csv</c>.</summary>
    public SnapshotSourceKind Source { get; set; } = SnapshotSourceKind.Local;

    /// <summary>Ssh: the host name or address to connect to (default: <see cref="Name"/>).</summary>
    public string? Host { get; set; }

    /// <summary>Ssh: the TCP port of sshd.</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 22;

    /// <summary>Ssh: the remote user (default: ssh's own default).</summary>
    public string? User { get; set; }

    /// <summary>Ssh: the private key file (key authentication only; BatchMode never asks for a password).</summary>
    public string? IdentityFile { get; set; }

    /// <summary>Ssh: a known_hosts file to check the host key against (default: ssh's own).</summary>
    public string? KnownHostsFile { get; set; }

    /// <summary>Ssh: <c>Linux</c> (reads /proc/net/tcp*) or <c>Windows</c> (Get-NetTCPConnection).</summary>
    public RemoteOs Os { get; set; } = RemoteOs.Linux;

    /// <summary>Csv: the drop folder the PowerShell script writes to; imported files move to done/, bad ones to failed/.</summary>
    public string? DropFolder { get; set; }

    /// <summary>
    /// Csv: the time zone the server wrote its local times in (Export-Csv writes <c>Get-Date</c> and CreationTime as
    /// local time without an offset): an IANA id (<c>Europe/Berlin</c>) or a Windows id (<c>W. Europe Standard Time</c>).
    /// Default: <c>Snapshots:TimeZone</c>.
    /// </summary>
    public string? TimeZone { get; set; }

    /// <summary>Collect this server (false keeps it configured but skipped).</summary>
    public bool Enabled { get; set; } = true;
}
