using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using ReportJob.Snapshots;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Snapshots;

public sealed class SnapshotCollectorTests
{
    private static readonly IPAddress Server = IPAddress.Parse("10.0.0.10");

    private static TcpConnection Conn(int localPort, string remote, int remotePort, TcpState state = TcpState.Established) =>
        new(Server, localPort, IPAddress.Parse(remote), remotePort, state);

    private static Dictionary<string, string?> Servers(params (string Name, string Source)[] servers)
    {
        var settings = new Dictionary<string, string?> { ["Snapshots:LocalPorts:0"] = "443", ["Snapshots:Timeout"] = "00:00:01" };
        for (var i = 0; i < servers.Length; i++)
        {
            settings[$"Snapshots:Servers:{i}:Name"] = servers[i].Name;
            settings[$"Snapshots:Servers:{i}:Source"] = servers[i].Source;
            if (servers[i].Source == "Csv")
            {
                settings[$"Snapshots:Servers:{i}:DropFolder"] = "/tmp/none";
            }
        }

        return settings;
    }

    private static Task<TestDatabase> CreateAsync(StorageProvider provider, Dictionary<string, string?> settings, params FakeSnapshotSource[] fakes) =>
        TestDatabase.CreateAsync(provider, settings, services =>
        {
            foreach (var f in fakes)
            {
                services.AddSingleton<ISnapshotSource>(f);
            }
        });

    [Fact]
    public async Task Collect_SameConnectionReadTwice_StoredOnce()
    {
        // /proc/net/tcp read while sockets change can list an entry twice (seen with the ssh source in a full test run).
        var ssh = new FakeSnapshotSource(SnapshotSourceKind.Ssh, (_, _) => Task.FromResult(FakeSnapshotSource.Table(
            Conn(443, "10.2.1.5", 50000),
            Conn(443, "10.2.1.5", 50000),
            Conn(443, "10.2.1.5", 50001))));
        await using var db = await CreateAsync(StorageProvider.Sqlite, Servers(("ex01", "Ssh")), ssh);

        var results = await db.Get<SnapshotCollector>().CollectAsync([], null, default);

        Assert.Equal(2, results.Single().Rows);
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Collect_OneServerFails_OthersStoredAndFailureRecorded(StorageProvider provider)
    {
        var ssh = new FakeSnapshotSource(SnapshotSourceKind.Ssh, (s, _) => s.Name == "ex02"
            ? throw new SnapshotSourceException("ssh to ex02:22 failed: Connection refused")
            : Task.FromResult(FakeSnapshotSource.Table(
                Conn(443, "10.2.1.5", 50000),
                Conn(443, "10.2.1.6", 50001, TcpState.TimeWait),
                Conn(444, "10.0.0.11", 50002),                       // back-end port: filtered out
                Conn(443, "0.0.0.0", 0, TcpState.Listen))));        // listener: filtered out
        await using var db = await CreateAsync(provider, Servers(("ex01", "Ssh"), ("ex02", "Ssh"), ("ex03", "Ssh")), ssh);

        var results = await db.Get<SnapshotCollector>().CollectAsync([], null, default);

        Assert.Equal(["ex01", "ex02", "ex03"], results.Select(r => r.Server));
        Assert.Equal([CollectionStatus.Ok, CollectionStatus.Failed, CollectionStatus.Ok], results.Select(r => r.Status));
        Assert.Equal([2, 0, 2], results.Select(r => r.Rows));
        Assert.Equal("ssh to ex02:22 failed: Connection refused", results[1].Error);
        await using var c = await db.Get<IDbConnectionFactory>().OpenAsync(default);
        var snapshots = (await c.QueryAsync<(string Server, string Source, string Status, string? Error, int Count)>(
            "SELECT server, source, status, error, connection_count FROM snapshot ORDER BY server")).ToList();
        Assert.Equal(
            [("ex01", "ssh", "ok", null, 2), ("ex02", "ssh", "failed", "ssh to ex02:22 failed: Connection refused", 0), ("ex03", "ssh", "ok", null, 2)],
            snapshots);
        Assert.Equal(4, await StoredRuns.ConnectionRoundsAsync(db));
    }

    [Fact]
    public async Task Collect_SourceHangs_FailsAfterTimeoutOthersOk()
    {
        var ssh = new FakeSnapshotSource(SnapshotSourceKind.Ssh, async (s, ct) =>
        {
            if (s.Name == "slow")
            {
                await Task.Delay(Timeout.Infinite, ct);
            }

            return FakeSnapshotSource.Table(Conn(443, "10.2.1.5", 50000));
        });
        await using var db = await CreateAsync(StorageProvider.Sqlite, Servers(("slow", "Ssh"), ("fast", "Ssh")), ssh);

        var results = await db.Get<SnapshotCollector>().CollectAsync([], null, default);

        Assert.Equal(CollectionStatus.Failed, results[0].Status);
        Assert.Equal("no answer within 1 s (Snapshots:Timeout)", results[0].Error);
        Assert.InRange(results[0].Duration, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
        Assert.Equal(CollectionStatus.Ok, results[1].Status);
    }

    [Fact]
    public async Task Collect_ManyServers_AtMostMaxParallelAtOnce()
    {
        var ssh = new FakeSnapshotSource(SnapshotSourceKind.Ssh, async (_, ct) =>
        {
            await Task.Delay(50, ct);
            return FakeSnapshotSource.Table();
        });
        var settings = Servers(Enumerable.Range(1, 9).Select(i => ($"ex{i:00}", "Ssh")).ToArray());
        settings["Snapshots:MaxParallel"] = "3";
        await using var db = await CreateAsync(StorageProvider.Sqlite, settings, ssh);

        var results = await db.Get<SnapshotCollector>().CollectAsync([], null, default);

        Assert.Equal(9, results.Count);
        Assert.All(results, r => Assert.Equal(CollectionStatus.Ok, r.Status));
        Assert.Equal(9, ssh.Calls);
        Assert.InRange(ssh.MaxConcurrent, 2, 3);
    }

    [Fact]
    public async Task Collect_CsvAndDisabledServers_NotCollectedUnlessNamed()
    {
        var ssh = new FakeSnapshotSource(SnapshotSourceKind.Ssh, (_, _) => Task.FromResult(FakeSnapshotSource.Table()));
        var csv = new FakeSnapshotSource(SnapshotSourceKind.Csv, (_, _) => throw new InvalidOperationException("Csv must not be collected"));
        var settings = Servers(("ex01", "Ssh"), ("drop", "Csv"), ("off", "Ssh"));
        settings["Snapshots:Servers:2:Enabled"] = "false";
        await using var db = await CreateAsync(StorageProvider.Sqlite, settings, ssh, csv);
        var collector = db.Get<SnapshotCollector>();

        var all = await collector.CollectAsync([], null, default);
        var named = await collector.CollectAsync(["OFF", "drop"], null, default);

        Assert.Equal(["ex01"], all.Select(r => r.Server));
        Assert.Equal(["off"], named.Select(r => r.Server));
        Assert.Equal(0, csv.Calls);
        Assert.Equal(["nope"], collector.UnknownNames(["ex01", "nope"]));
        Assert.Throws<ArgumentException>(() => collector.Select(["nope"]));
    }

    [Fact]
    public async Task Collect_MalformedLines_StoredWithCount()
    {
        var report = new TcpTableParseReport();
        ProcNetTcpParser.Parse("  sl\n   0: 0A00000A:01BB 0501020A:C350 01 0\n   1: bad\n"u8, [], report, "x");
        var ssh = new FakeSnapshotSource(SnapshotSourceKind.Ssh, (_, _) => Task.FromResult(new TcpTable([Conn(443, "10.2.1.5", 50000)], report)));
        await using var db = await CreateAsync(StorageProvider.Sqlite, Servers(("ex01", "Ssh")), ssh);

        var result = Assert.Single(await db.Get<SnapshotCollector>().CollectAsync([], null, default));

        Assert.Equal((CollectionStatus.Ok, 1, 1), (result.Status, result.Rows, result.MalformedLines));
    }

    [Fact]
    public async Task Collect_Progress_ReportedPerServer()
    {
        var ssh = new FakeSnapshotSource(SnapshotSourceKind.Ssh, (_, _) => Task.FromResult(FakeSnapshotSource.Table()));
        await using var db = await CreateAsync(StorageProvider.Sqlite, Servers(("a", "Ssh"), ("b", "Ssh")), ssh);
        var seen = new List<string>();

        await db.Get<SnapshotCollector>().CollectAsync([], new SynchronousProgress(r => { lock (seen) { seen.Add(r.Server); } }), default);

        Assert.Equal(["a", "b"], seen.Order());
    }

    private sealed class SynchronousProgress(Action<ServerCollection> report) : IProgress<ServerCollection>
    {
        public void Report(ServerCollection value) => report(value);
    }
}
