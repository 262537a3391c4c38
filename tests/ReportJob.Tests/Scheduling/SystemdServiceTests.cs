using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using ReportJob.Scheduling;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Scheduling;

public sealed class SystemdServiceTests
{
    /// <summary>
    /// `reportjob run` as a systemd Type=notify service: started by a process named systemd with NOTIFY_SOCKET set (what
    /// systemd does for such a unit), it sends READY=1 once the job server is running, and on SIGTERM sends STOPPING=1,
    /// stops and exits 0. The test's socket stands in for systemd's.
    /// </summary>
    [ToolFact("bash")]
    public async Task Run_UnderSystemd_NotifiesReadyThenStoppingOnSigterm()
    {
        var dir = Path.Combine(Path.GetTempPath(), "reportjob-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        var socketPath = Path.Combine(dir, "notify.sock");
        notify.Bind(new UnixDomainSocketEndPoint(socketPath));
        var settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = $"Data Source={Path.Combine(dir, "reportjob.db")}",
            ["Status:Enabled"] = "false",
        };
        foreach (var job in new[] { JobNames.CollectSnapshots, JobNames.IngestCaptures, JobNames.IngestIisLogs, JobNames.DailyReport, JobNames.MailReport })
        {
            settings[$"Scheduling:Jobs:{job}:Enabled"] = "false";
        }

        var config = ReportJobProcess.WriteConfig(Path.Combine(dir, "settings.json"), settings);
        // systemd recognises its services by their parent: a shell under that name plays it.
        var systemd = Path.Combine(dir, "systemd");
        File.Copy(ExternalTools.Require("bash"), systemd);
        var psi = new ProcessStartInfo(systemd) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = dir };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add($"dotnet '{Path.Combine(AppContext.BaseDirectory, "reportjob.dll")}' run --config '{config}'; exit $?");
        psi.Environment["NOTIFY_SOCKET"] = socketPath;
        using var parent = Process.Start(psi)!;
        var stderr = parent.StandardError.ReadToEndAsync();
        _ = parent.StandardOutput.ReadToEndAsync();
        try
        {
            Assert.Equal("READY=1", await ReceiveAsync(notify, TimeSpan.FromSeconds(60)));
            var service = ChildOf(parent.Id);
            Assert.Equal(0, ExternalTools.RunRaw("kill", ["-TERM", service.ToString(System.Globalization.CultureInfo.InvariantCulture)]).ExitCode);
            Assert.Equal("STOPPING=1", await ReceiveAsync(notify, TimeSpan.FromSeconds(30)));
            await parent.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
            Assert.True(parent.ExitCode == 0, await stderr);
        }
        finally
        {
            if (!parent.HasExited)
            {
                parent.Kill(entireProcessTree: true);
            }

            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<string> ReceiveAsync(Socket socket, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[1024];
        var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
        return Encoding.ASCII.GetString(buffer, 0, n).Trim();
    }

    /// <summary>The one child process of a process (the shell's dotnet), from /proc.</summary>
    private static int ChildOf(int pid)
    {
        var children = File.ReadAllText($"/proc/{pid}/task/{pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return int.Parse(Assert.Single(children), System.Globalization.CultureInfo.InvariantCulture);
    }
}
