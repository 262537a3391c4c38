using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ReportJob.Snapshots;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Snapshots;

/// <summary>
/// A real OpenSSH server on 127.0.0.1 and an ephemeral port, with a host key, a user key and a known_hosts file of
/// the test's own (PLATFORM-NOTES: "Real servers for tests"). The login user is the one running the tests (root
/// in CI, allowed with keys only).
/// </summary>
internal sealed class SshTestServer : IDisposable
{
    private readonly Process _sshd;

    private SshTestServer(string directory, int port, Process sshd)
    {
        Directory = directory;
        Port = port;
        _sshd = sshd;
    }

    public string Directory { get; }

    public int Port { get; }

    public string IdentityFile => Path.Combine(Directory, "user_key");

    public string KnownHostsFile => Path.Combine(Directory, "known_hosts");

    public static string User => Environment.UserName;

    public ServerOptions Server(string name, RemoteOs os = RemoteOs.Linux) => new()
    {
        Name = name,
        Source = SnapshotSourceKind.Ssh,
        Host = "127.0.0.1",
        Port = Port,
        User = User,
        IdentityFile = IdentityFile,
        KnownHostsFile = KnownHostsFile,
        Os = os,
    };

    /// <summary>The settings of <see cref="Server"/> as configuration keys of server number <paramref name="index"/>.</summary>
    public Dictionary<string, string?> Settings(int index, string name) => new()
    {
        [$"Snapshots:Servers:{index}:Name"] = name,
        [$"Snapshots:Servers:{index}:Source"] = "Ssh",
        [$"Snapshots:Servers:{index}:Host"] = "127.0.0.1",
        [$"Snapshots:Servers:{index}:Port"] = Port.ToString(),
        [$"Snapshots:Servers:{index}:User"] = User,
        [$"Snapshots:Servers:{index}:IdentityFile"] = IdentityFile,
        [$"Snapshots:Servers:{index}:KnownHostsFile"] = KnownHostsFile,
        [$"Snapshots:Servers:{index}:Os"] = "Linux",
    };

    public static async Task<SshTestServer> StartAsync()
    {
        var sshdPath = ExternalTools.Require("sshd");
        ExternalTools.Require("ssh");
        var dir = Path.Combine(Path.GetTempPath(), "reportjob-sshd", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        ExternalTools.Run("ssh-keygen", ["-q", "-N", "", "-t", "ed25519", "-f", Path.Combine(dir, "host_key")]);
        ExternalTools.Run("ssh-keygen", ["-q", "-N", "", "-t", "ed25519", "-f", Path.Combine(dir, "user_key")]);
        File.Copy(Path.Combine(dir, "user_key.pub"), Path.Combine(dir, "authorized_keys"));
        // sshd refuses to start without its privilege separation directory, which only the service unit creates.
        if (Environment.UserName == "root")
        {
            System.IO.Directory.CreateDirectory("/run/sshd");
        }

        File.WriteAllText(Path.Combine(dir, "sshd_config"), $"""
            ListenAddress 127.0.0.1
            HostKey {dir}/host_key
            AuthorizedKeysFile {dir}/authorized_keys
            PidFile {dir}/sshd.pid
            StrictModes no
            UsePAM no
            PermitRootLogin prohibit-password
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            LogLevel ERROR
            """);

        // The port is taken from a socket closed just before sshd binds it: another process may grab it in between,
        // so a failed start is tried again on a new port.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var psi = new ProcessStartInfo(sshdPath) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in new[] { "-D", "-e", "-f", Path.Combine(dir, "sshd_config"), "-p", port.ToString() })
            {
                psi.ArgumentList.Add(a);
            }

            var sshd = Process.Start(psi)!;
            var stderr = sshd.StandardError.ReadToEndAsync();
            if (await WaitListeningAsync(port, sshd))
            {
                var hostKey = File.ReadAllText(Path.Combine(dir, "host_key.pub")).Split(' ');
                File.WriteAllText(Path.Combine(dir, "known_hosts"), $"[127.0.0.1]:{port} {hostKey[0]} {hostKey[1]}\n");
                return new SshTestServer(dir, port, sshd);
            }

            if (!sshd.HasExited)
            {
                sshd.Kill(entireProcessTree: true);
            }

            await sshd.WaitForExitAsync();
            if (attempt == 3)
            {
                throw new InvalidOperationException($"sshd did not start: {await stderr}");
            }
        }
    }

    private static int FreePort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    private static async Task<bool> WaitListeningAsync(int port, Process sshd)
    {
        for (var i = 0; i < 100 && !sshd.HasExited; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        return false;
    }

    public void Dispose()
    {
        try
        {
            if (!_sshd.HasExited)
            {
                _sshd.Kill(entireProcessTree: true);
                _sshd.WaitForExit(5000);
            }
        }
        finally
        {
            _sshd.Dispose();
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
