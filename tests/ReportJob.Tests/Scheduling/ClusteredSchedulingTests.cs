using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Hangfire;
using ReportJob.Scheduling;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;
using Xunit.Abstractions;

namespace ReportJob.Tests.Scheduling;

public sealed class ClusteredSchedulingTests(ITestOutputHelper output)
{
    /// <summary>
    /// Two `reportjob run` processes on one real PostgreSQL database, collecting every 2 s and reading the IIS inbox every
    /// 3 s (each occurrence a job of its own: CatchUp with CatchUpMissedReports All): every occurrence runs exactly once,
    /// and both job servers do work. Then a server stops answering ssh mid-collection; the process running that
    /// collection is killed (no shutdown), and the other process takes the job up again and finishes it.
    /// </summary>
    [Theory]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Run_TwoProcessesOnPostgres_EachOccurrenceOnceAndKilledJobFinishedByTheOther(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        using var ssh = new StallingListener();
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:ConnectionString"] = db.ConnectionString,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:ReportJob.Scheduling"] = "Information",
            ["Status:Enabled"] = "false",
            ["Snapshots:Timeout"] = "00:00:30",
            ["Snapshots:Servers:0:Name"] = "local",
            ["Snapshots:Servers:0:Source"] = "Local",
            ["Snapshots:Servers:1:Name"] = "ex03",
            ["Snapshots:Servers:1:Source"] = "Ssh",
            ["Snapshots:Servers:1:Host"] = "127.0.0.1",
            ["Snapshots:Servers:1:Port"] = ssh.Port.ToString(CultureInfo.InvariantCulture),
            ["Snapshots:Servers:1:KnownHostsFile"] = Path.Combine(db.Directory, "known_hosts"),
            ["IisLogs:InboxPath"] = Path.Combine(db.Directory, "iis"),
            ["NetFlow:InboxPath"] = Path.Combine(db.Directory, "netflow"),
            ["Scheduling:InvisibilityTimeout"] = "00:00:05",
            ["Scheduling:CatchUpMissedReports"] = "All",
            ["Scheduling:Jobs:collect-snapshots:Cron"] = "*/2 * * * * *",
            ["Scheduling:Jobs:collect-snapshots:CatchUp"] = "true",
            ["Scheduling:Jobs:ingest-iis-logs:Cron"] = "*/3 * * * * *",
            ["Scheduling:Jobs:ingest-iis-logs:CatchUp"] = "true",
            ["Scheduling:Jobs:ingest-captures:Enabled"] = "false",
            ["Scheduling:Jobs:daily-report:Enabled"] = "false",
            ["Scheduling:Jobs:mail-report:Enabled"] = "false",
            ["Scheduling:Jobs:retention:Enabled"] = "false",
        };
        var config = ReportJobProcess.WriteConfig(Path.Combine(db.Directory, "settings.json"), settings);
        var storage = JobStorageFactory.Create(
            new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = db.ConnectionString },
            new SchedulingOptions { InvisibilityTimeout = TimeSpan.FromSeconds(5) });
        var nodes = new[] { "a", "b" }.ToDictionary(n => n, n =>
        {
            var dir = Directory.CreateDirectory(Path.Combine(db.Directory, n)).FullName;
            return ReportJobProcess.Start(dir, "run", "--config", config);
        });
        try
        {
            string NodeOf(string serverId) => nodes.Single(n => serverId.Contains($":{n.Value.Id}:", StringComparison.Ordinal)).Key;
            await SchedulerHost.WaitUntilAsync(() => storage.GetMonitoringApi().Servers().Count == 2, TimeSpan.FromSeconds(60), "both job servers registered");
            // 12 s from a multiple of 6 s on: 6 occurrences of the 2 s cron and 4 of the 3 s one.
            var from = DateTimeOffset.FromUnixTimeSeconds((TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() / 6 + 1) * 6);
            var to = from.AddSeconds(12);

            // Every occurrence in [from, to) of both jobs: one job each, run once, by either server.
            IReadOnlyList<HangfireJob> window = [];
            await SchedulerHost.WaitUntilAsync(() =>
            {
                window = HangfireJob.ReadAll(storage).Where(j => j.Time >= from && j.Time < to).ToList();
                return window.Count == 6 + 4 && window.All(j => j.State == "Succeeded");
            }, TimeSpan.FromSeconds(40), "the 10 occurrences of 12 s succeeded");
            foreach (var job in window)
            {
                output.WriteLine($"{job.Name} {job.Time:HH:mm:ss} job {job.Id} on {string.Join(",", job.Servers.Select(NodeOf))}");
            }

            Assert.Equal(Enumerable.Range(0, 6).Select(i => from.AddSeconds(2 * i)), window.Where(j => j.Name == JobNames.CollectSnapshots).Select(j => j.Time!.Value).Order());
            Assert.Equal(
                Enumerable.Range(0, 4).Select(i => from.AddSeconds(3 * i)),
                window.Where(j => j.Name == JobNames.IngestIisLogs).Select(j => j.Time!.Value).Order());
            Assert.All(window, j => Assert.Single(j.Servers));

            // Which server's worker wakes first is up to their polling: one may take every job of a 12 s window (seen
            // once on a loaded machine, 10 to 0). Over a longer stretch both take work, and still no occurrence runs twice.
            IReadOnlyList<HangfireJob> since = [];
            await SchedulerHost.WaitUntilAsync(() =>
            {
                since = HangfireJob.ReadAll(storage).Where(j => j.Time >= from && j.State == "Succeeded").ToList();
                return since.Select(j => NodeOf(j.Servers[0])).Distinct().Count() == 2;
            }, TimeSpan.FromSeconds(60), "both job servers ran jobs");
            Assert.Equal(since.Count, since.Select(j => (j.Name, j.Time)).Distinct().Count());

            // ex03 stops answering: the next collection hangs in ssh. Its process is killed mid-job.
            var stalled = ssh.StallNext();
            var sshPid = await stalled.WaitAsync(TimeSpan.FromSeconds(20));
            var victim = nodes.Single(n => n.Value.Id == ParentOf(sshPid)).Key;
            var survivor = victim == "a" ? "b" : "a";
            var hung = HangfireJob.ReadAll(storage)
                .Where(j => j.Name == JobNames.CollectSnapshots && j.State == "Processing" && NodeOf(j.Servers[^1]) == victim)
                .OrderBy(j => j.Time).First();
            var killed = Stopwatch.StartNew();
            nodes[victim].Kill();
            output.WriteLine($"collect-snapshots {hung.Time:HH:mm:ss} (job {hung.Id}) hung on {victim}, killed");

            HangfireJob? finished = null;
            await SchedulerHost.WaitUntilAsync(() =>
            {
                finished = HangfireJob.Read(storage, hung.Id);
                return finished?.State == "Succeeded";
            }, TimeSpan.FromSeconds(45), $"job {hung.Id} finished by {survivor}");
            output.WriteLine($"finished by {NodeOf(finished!.Servers[^1])} {killed.Elapsed.TotalSeconds:0.0} s after the kill; servers {string.Join(",", finished.Servers.Select(NodeOf))}");
            Assert.Equal([victim, survivor], finished.Servers.Select(NodeOf));
            Assert.False(nodes[survivor].HasExited, nodes[survivor].Output);
        }
        catch
        {
            foreach (var (name, node) in nodes)
            {
                output.WriteLine($"--- {name} (pid {node.Id}) ---\n{node.Output}");
            }

            throw;
        }
        finally
        {
            foreach (var node in nodes.Values)
            {
                node.Dispose();
            }
        }
    }

    /// <summary>The parent process id, from /proc (the ssh client's parent is the reportjob process that runs it).</summary>
    private static int ParentOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // pid (comm) state ppid ...: comm may hold spaces, so read after its closing parenthesis.
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A TCP port in place of a server's sshd: it closes every connection at once (ssh fails fast), except the one after
    /// <see cref="StallNext"/>, which it holds open without a word (ssh waits for the banner); it reports the pid of the
    /// ssh client that made that one.
    /// </summary>
    private sealed class StallingListener : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly List<TcpClient> _held = [];
        private readonly CancellationTokenSource _stop = new();
        private TaskCompletionSource<int>? _stall;

        public StallingListener()
        {
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _ = AcceptAsync();
        }

        public int Port { get; }

        public Task<int> StallNext()
        {
            _stall = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            return _stall.Task;
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            foreach (var c in _held)
            {
                c.Dispose();
            }
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
                {
                    return;
                }

                if (Interlocked.Exchange(ref _stall, null) is { } stall)
                {
                    _held.Add(client);
                    stall.TrySetResult(SshPidOf(((IPEndPoint)client.Client.RemoteEndPoint!).Port));
                }
                else
                {
                    client.Dispose();
                }
            }
        }

        /// <summary>The process whose socket has this local port, as `ss -tnp` shows it: users:(("ssh",pid=123,fd=3)).</summary>
        private static int SshPidOf(int localPort)
        {
            var line = ExternalTools.Run("ss", ["-tnpH", "state", "established", $"( sport = :{localPort} )"]);
            var at = line.IndexOf("pid=", StringComparison.Ordinal) + 4;
            return int.Parse(line[at..line.IndexOf(',', at)], CultureInfo.InvariantCulture);
        }
    }
}
