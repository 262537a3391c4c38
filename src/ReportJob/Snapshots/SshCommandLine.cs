using System.Globalization;

namespace ReportJob.Snapshots;

/// <summary>
/// The arguments of the system OpenSSH client for one server. BatchMode never prompts (key authentication only), and
/// StrictHostKeyChecking=yes refuses an unknown or changed host key instead of trusting it on first use.
/// </summary>
internal static class SshCommandLine
{
    public static List<string> Build(ServerOptions server, TimeSpan timeout, string remoteCommand)
    {
        var connectSeconds = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds));
        var args = new List<string>
        {
            "-o", "BatchMode=yes",
            "-o", "ConnectTimeout=" + connectSeconds.ToString(CultureInfo.InvariantCulture),
            "-o", "StrictHostKeyChecking=yes",
        };
        if (!string.IsNullOrWhiteSpace(server.KnownHostsFile))
        {
            args.Add("-o");
            args.Add("UserKnownHostsFile=" + Path.GetFullPath(server.KnownHostsFile));
        }

        if (!string.IsNullOrWhiteSpace(server.IdentityFile))
        {
            args.Add("-i");
            args.Add(Path.GetFullPath(server.IdentityFile));
        }

        if (server.Port != 22)
        {
            args.Add("-p");
            args.Add(server.Port.ToString(CultureInfo.InvariantCulture));
        }

        args.Add(Destination(server));
        args.Add(remoteCommand);
        return args;
    }

    /// <summary><c>[user@]host</c>; the host defaults to the server's name.</summary>
    public static string Destination(ServerOptions server)
    {
        var host = string.IsNullOrWhiteSpace(server.Host) ? server.Name : server.Host;
        return string.IsNullOrWhiteSpace(server.User) ? host : server.User + "@" + host;
    }
}
