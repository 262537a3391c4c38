using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ReportJob.Snapshots;

/// <summary>
/// A remote server through the system's OpenSSH client, run as a child process: Linux targets <c>cat</c> their
/// /proc/net/tcp{,6}, Windows targets run <see cref="WindowsTcpScript"/>. The collector's per-server timeout cancels
/// the token, which kills ssh and its children; ssh's stderr becomes the error message.
/// </summary>
internal sealed class SshSnapshotSource(IOptions<SnapshotsOptions> options, ILogger<SshSnapshotSource> logger) : ISnapshotSource
{
    /// <summary>tcp6 is missing when the target's kernel has IPv6 disabled; tcp must be there.</summary>
    internal const string LinuxCommand = "cat /proc/net/tcp && if [ -e /proc/net/tcp6 ]; then cat /proc/net/tcp6; fi";

    private const int MaxErrorChars = 2000;

    public SnapshotSourceKind Kind => SnapshotSourceKind.Ssh;

    public async Task<TcpTable> ReadAsync(ServerOptions server, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var command = server.Os == RemoteOs.Windows ? WindowsTcpScript.Command(o.LocalPorts) : LinuxCommand;
        var args = SshCommandLine.Build(server, o.Timeout, command);
        var (exitCode, stdout, stderr) = await RunAsync(args, cancellationToken);
        var destination = SshCommandLine.Destination(server) + ":" + server.Port.ToString(CultureInfo.InvariantCulture);
        if (exitCode == 255)
        {
            // 255 is ssh's own failure: no connection, host key refused, authentication failed.
            throw new SnapshotSourceException($"ssh to {destination} failed: {Clip(stderr, "no message")}");
        }

        if (exitCode != 0)
        {
            throw new SnapshotSourceException($"the remote command on {destination} exited with {exitCode}: {Clip(stderr, "no message")}");
        }

        var report = new TcpTableParseReport();
        var rows = new List<TcpConnection>();
        var source = "ssh " + destination;
        if (server.Os == RemoteOs.Windows)
        {
            WindowsTcpOutputParser.Parse(Encoding.UTF8.GetString(stdout), rows, report, source);
        }
        else
        {
            ProcNetTcpParser.Parse(stdout, rows, report, source);
        }

        if (report.HeaderLines == 0)
        {
            var first = Encoding.UTF8.GetString(stdout.AsSpan(0, Math.Min(stdout.Length, 200))).Split('\n')[0].Trim();
            throw new SnapshotSourceException($"the output of the remote command on {destination} is not a connection table (first line: '{first}')");
        }

        return new TcpTable(rows, report);
    }

    private async Task<(int ExitCode, byte[] StdOut, string StdErr)> RunAsync(List<string> args, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo("ssh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        Log.SshStarting(logger, string.Join(' ', args.Take(args.Count - 1)));
        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new SnapshotSourceException($"cannot start ssh (is the OpenSSH client installed and on PATH?): {ex.Message}", ex);
        }

        process.StandardInput.Close();
        using var output = new MemoryStream();
        var stdoutTask = process.StandardOutput.BaseStream.CopyToAsync(output, CancellationToken.None);
        var stderrTask = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Timeout or shutdown: ssh (and a ProxyCommand or askpass it may have started) must not outlive the call.
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited meanwhile.
            }

            try
            {
                // Killed, the pipes close: let the readers finish before their buffers go away.
                await Task.WhenAll(stdoutTask, stderrTask).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
            }
            catch (Exception ex) when (ex is IOException or TimeoutException or ObjectDisposedException)
            {
            }

            throw;
        }

        await Task.WhenAll(stdoutTask, stderrTask);
        return (process.ExitCode, output.ToArray(), stderrTask.Result);
    }

    private static string Clip(string text, string empty)
    {
        var t = text.Trim();
        if (t.Length == 0)
        {
            return empty;
        }

        return t.Length <= MaxErrorChars ? t : string.Concat(t.AsSpan(0, MaxErrorChars), "…");
    }
}
