using System.Net;
using System.Net.Sockets;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using ReportJob.Snapshots;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Snapshots;

public sealed class SshSourceAcceptanceTests
{
    [ToolTheory("sshd", "ssh", "ssh-keygen")]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Collect_SshLinux_SameRowsAsLocalSource(StorageProvider provider)
    {
        using var sshd = await SshTestServer.StartAsync();
        using var held = await LoopbackConnections.OpenAsync(clientsPerListener: 6);
        var settings = sshd.Settings(0, "viassh");
        settings["Snapshots:Servers:1:Name"] = "local";
        settings["Snapshots:Servers:1:Source"] = "Local";
        settings["Snapshots:LocalPorts:0"] = held.Port4.ToString();
        settings["Snapshots:LocalPorts:1"] = held.Port6.ToString();
        settings["Snapshots:Timeout"] = "00:00:20";
        await using var db = await TestDatabase.CreateAsync(provider, settings);

        var results = await db.Get<SnapshotCollector>().CollectAsync([], null, default);

        Assert.All(results, r => Assert.True(r.Status == CollectionStatus.Ok, $"{r.Server}: {r.Error}"));
        var viaSsh = results.Single(r => r.Server == "viassh").Connections.Select(LoopbackConnections.Key).Order(StringComparer.Ordinal).ToList();
        var local = results.Single(r => r.Server == "local").Connections.Select(LoopbackConnections.Key).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(12, local.Count); // 10 established + 2 close-wait on the two listeners' ports
        Assert.Equal(local, viaSsh);
        Assert.Equal("ssh", results.Single(r => r.Server == "viassh").Source);

        var queries = db.Get<ConnectionQueries>();
        var stored = new List<StoredConnection>();
        await foreach (var (_, connections) in queries.ReadRoundsAsync(await queries.FindRoundsAsync(DateTime.UnixEpoch, new DateTime(2100, 1, 1, 0, 0, 0, DateTimeKind.Utc), default), default))
        {
            stored.AddRange(connections);
        }

        List<string> Stored(string server) => stored.Where(r => r.Server == server)
            .Select(r => $"{r.LocalAddress}:{r.LocalPort} {r.RemoteAddress}:{r.RemotePort} {r.State}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(local, Stored("viassh"));
        Assert.Equal(local, Stored("local"));
    }

    [ToolTheory("ssh")]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Collect_UnreachableServer_FailedWithErrorStoredDataKeptOtherServerOk(StorageProvider provider)
    {
        var closedPort = ClosedPort();
        var settings = new Dictionary<string, string?>
        {
            ["Snapshots:Servers:0:Name"] = "down",
            ["Snapshots:Servers:0:Source"] = "Ssh",
            ["Snapshots:Servers:0:Host"] = "127.0.0.1",
            ["Snapshots:Servers:0:Port"] = closedPort.ToString(),
            ["Snapshots:Servers:1:Name"] = "local",
            ["Snapshots:Servers:1:Source"] = "Local",
            ["Snapshots:Timeout"] = "00:00:20",
        };
        await using var db = await TestDatabase.CreateAsync(provider, settings);
        var before = new DateTime(2026, 11, 20, 8, 0, 0, DateTimeKind.Utc);
        await db.Get<SnapshotStore>().SaveAsync(new Snapshot("down", "ssh", before,
            [new TcpConnection(IPAddress.Parse("10.0.0.10"), 443, IPAddress.Parse("10.2.1.5"), 50000, TcpState.Established)], TimeSpan.FromSeconds(1)), default);

        var results = await db.Get<SnapshotCollector>().CollectAsync([], null, default);

        var down = results.Single(r => r.Server == "down");
        Assert.Equal(CollectionStatus.Failed, down.Status);
        Assert.StartsWith($"ssh to 127.0.0.1:{closedPort} failed: ", down.Error, StringComparison.Ordinal);
        Assert.Contains("Connection refused", down.Error, StringComparison.Ordinal);
        Assert.Equal(CollectionStatus.Ok, results.Single(r => r.Server == "local").Status);
        await using var c = await db.Get<IDbConnectionFactory>().OpenAsync(default);
        var snapshots = (await c.QueryAsync<(long Id, string Status, string? Error, int Count)>(
            "SELECT id, status, error, connection_count FROM snapshot WHERE server = 'down' ORDER BY id")).ToList();
        Assert.Equal(2, snapshots.Count);
        Assert.Equal(("ok", 1), (snapshots[0].Status, snapshots[0].Count));
        Assert.Equal(("failed", down.Error, 0), (snapshots[1].Status, snapshots[1].Error, snapshots[1].Count));
        var queries = db.Get<ConnectionQueries>();
        var stored = await queries.LoadRoundAsync((await queries.FindRoundAtAsync(before, default))!, default);
        Assert.Equal(["down 10.2.1.5:50000"], stored.Select(r => $"{r.Server} {r.RemoteAddress}:{r.RemotePort}"));
    }

    [ToolFact("ssh")]
    public async Task Collect_SilentServer_KilledAtTimeout()
    {
        // A listener that accepts and never sends the SSH banner: only the whole-call timeout ends the call.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var settings = new Dictionary<string, string?>
        {
            ["Snapshots:Servers:0:Name"] = "silent",
            ["Snapshots:Servers:0:Source"] = "Ssh",
            ["Snapshots:Servers:0:Host"] = "127.0.0.1",
            ["Snapshots:Servers:0:Port"] = port.ToString(),
            ["Snapshots:Timeout"] = "00:00:02",
        };
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite, settings);

        var result = Assert.Single(await db.Get<SnapshotCollector>().CollectAsync([], null, default));

        Assert.Equal(CollectionStatus.Failed, result.Status);
        Assert.InRange(result.Duration, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(15));
        Assert.True(
            result.Error!.StartsWith("no answer within 2 s", StringComparison.Ordinal) || result.Error.Contains("timed out", StringComparison.OrdinalIgnoreCase),
            result.Error);
    }

    [ToolFact("sshd", "ssh", "ssh-keygen")]
    public async Task Read_UnknownHostKey_RefusedWithSshMessage()
    {
        using var sshd = await SshTestServer.StartAsync();
        File.WriteAllText(sshd.KnownHostsFile, "");
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        var source = db.Services.GetServices<ISnapshotSource>().Single(s => s.Kind == SnapshotSourceKind.Ssh);

        var ex = await Assert.ThrowsAsync<SnapshotSourceException>(() => source.ReadAsync(sshd.Server("strict"), default));

        Assert.Contains("Host key verification failed", ex.Message, StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }
}
