using System.Net;
using Dapper;
using Microsoft.Extensions.Options;
using ReportJob.Reports;
using ReportJob.Sites;
using ReportJob.Snapshots;
using ReportJob.Storage;
using ReportJob.Tests.Snapshots.Oracle;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Snapshots;

/// <summary>
/// A store of the kind written before runs (one row per connection per snapshot, as the old SnapshotStore wrote them)
/// migrated by script 0012: the report's connection section and every round's connections read the same before
/// (from the rows, by the per-round aggregation) and after (from the runs).
/// </summary>
public sealed class ConnectionRunMigrationTests
{
    private static readonly BulkColumn[] OldColumns =
    [
        new("snapshot_id", BulkType.Int64), new("local_address", BulkType.Text), new("local_port", BulkType.Int32), new("remote_address", BulkType.Text),
        new("remote_port", BulkType.Int32), new("state", BulkType.Text), new("created_at", BulkType.DateTime), new("first_seen", BulkType.DateTime),
        new("process_id", BulkType.Int32), new("is_loopback", BulkType.Boolean),
    ];

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Migrate_StoreOfRows_SameFiguresFromRuns(StorageProvider provider)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:MigrateOnStart"] = "false",
            ["Reports:TimeZone"] = "Europe/Paris",
            ["Reports:LongLivedThreshold"] = "00:20:00",
            ["Reports:TopLongLived"] = "5",
            ["Reports:BurstThreshold"] = "3",
            ["Reports:TopClients"] = "10",
        };
        await using var db = await TestDatabase.CreateAsync(provider, settings);
        var migrator = db.Get<SchemaMigrator>();
        await migrator.MigrateAsync(11, default);
        Assert.DoesNotContain(12, await migrator.AppliedVersionsAsync(default));
        await File.WriteAllTextAsync(Path.Combine(db.Directory, "sites.csv"), "subnet,site\n10.2.0.0/16,Paris\n2001:db8::/64,Berlin\n");
        await db.Get<SiteStore>().ImportAsync(Path.Combine(db.Directory, "sites.csv"), default);
        var items = RandomDay.Generate(21, new DateTime(2026, 10, 24, 21, 0, 0, DateTimeKind.Utc), 310);
        await WriteOldStoreAsync(db, items);

        var options = db.Get<IOptions<ReportOptions>>().Value;
        var window = DayWindow.For(new DateOnly(2026, 10, 25), options.Zone());
        var sites = await db.Get<SiteStore>().LoadAsync(default);
        var (stored, rowCount) = await ReadOldStoreAsync(db);
        var (before, beforeRows) = OracleDay.Section(stored.Keys.Cast<object>().ToList(), window.StartUtc, window.EndUtc, options.Zone(), options, sites, stored);
        var rounds = await db.Get<ConnectionQueries>().FindRoundsAsync(window.StartUtc, window.EndUtc, default);
        var byServerAndTime = stored.Keys.ToDictionary(s => (s.Server, s.TakenAtUtc));
        var roundsBefore = rounds.Select(r => OracleDay.Round(stored, r.Servers.Select(server => byServerAndTime.Single(kv =>
            kv.Key.Server == server && r.StartUtc <= kv.Key.TakenAtUtc && kv.Key.TakenAtUtc < r.StartUtc + ConnectionRound.Window).Value))).ToList();

        var applied = await migrator.MigrateAsync(default);

        Assert.Contains(applied, s => s.Version == 12);
        var aggregator = new ConnectionDayAggregator(options.Zone(), options);
        await db.Get<ConnectionDayReader>().ReadAsync(window.StartUtc, window.EndUtc, aggregator, default);
        var after = aggregator.Build(sites, _ => null);
        Assert.True(before.HasData);
        Assert.Equal(beforeRows, aggregator.Rows);
        Assert.Equal(OracleDay.ToJson(before), OracleDay.ToJson(after));
        var roundsAfter = new List<IReadOnlyList<StoredConnection>>();
        await foreach (var (_, connections) in db.Get<ConnectionQueries>().ReadRoundsAsync(rounds, default))
        {
            roundsAfter.Add(connections);
        }

        Assert.Equal(roundsBefore.Count, roundsAfter.Count);
        for (var i = 0; i < roundsBefore.Count; i++)
        {
            Assert.Equal(roundsBefore[i], roundsAfter[i]);
        }

        var (_, runs) = await StoredRuns.DumpAsync(db);
        Assert.Equal(rowCount, await StoredRuns.ConnectionRoundsAsync(db));
        Assert.True(runs.Count * 4 < rowCount, $"{runs.Count} runs for {rowCount} rows");
        await using var c = await db.Get<IDbConnectionFactory>().OpenAsync(default);
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM connection"));
    }

    [Fact]
    public async Task Migrate_TwoSnapshotsInOneMillisecond_FailsNamingThemAndKeepsTheStore()
    {
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite, new Dictionary<string, string?> { ["Storage:MigrateOnStart"] = "false" });
        var migrator = db.Get<SchemaMigrator>();
        await migrator.MigrateAsync(11, default);
        var t = new DateTime(2026, 11, 20, 8, 0, 0, DateTimeKind.Utc);
        var c = new TcpConnection(IPAddress.Parse("10.0.0.1"), 443, IPAddress.Parse("10.2.1.5"), 50000, TcpState.Established);
        await WriteOldStoreAsync(db, [new Snapshot("EX1", "ssh", t, [c], TimeSpan.Zero), new Snapshot("EX1", "ssh", t.AddTicks(3_000), [c], TimeSpan.Zero)]);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => migrator.MigrateAsync(default));

        Assert.Contains("Snapshots 1 and 2 of EX1 were taken in the same millisecond", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(12, await migrator.AppliedVersionsAsync(default));
        await using var check = await db.Get<IDbConnectionFactory>().OpenAsync(default);
        Assert.Equal(2, await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM connection"));
    }

    /// <summary>Snapshots and their rows as the store before runs wrote them, first-seen times as it carried them over.</summary>
    private static async Task WriteOldStoreAsync(TestDatabase db, IReadOnlyList<object> items)
    {
        var factory = db.Get<IDbConnectionFactory>();
        var rows = OracleDay.OldRows(items);
        await using var c = await factory.OpenAsync(default);
        await using var tx = await c.BeginTransactionAsync();
        foreach (var item in items)
        {
            var (server, source, taken, status, error, count) = item switch
            {
                Snapshot s => (s.Server, s.Source, s.TakenAtUtc, "ok", (string?)null, s.Connections.Count),
                SnapshotFailure f => (f.Server, f.Source, f.AttemptedAtUtc, "failed", f.Error, 0),
                _ => throw new ArgumentException("not a snapshot", nameof(items)),
            };
            var returning = db.Provider == StorageProvider.SqlServer ? "OUTPUT INSERTED.id VALUES" : "VALUES";
            var id = await c.ExecuteScalarAsync<long>(
                $"INSERT INTO snapshot (server, source, taken_at, status, error, connection_count, duration_ms) {returning} (@server, @source, @taken, @status, @error, @count, 0){(db.Provider == StorageProvider.SqlServer ? "" : " RETURNING id")}",
                new { server, source, taken, status, error, count }, tx);
            if (item is Snapshot snapshot)
            {
                await db.Get<BulkInserter>().InsertAsync(c, tx, "connection", OldColumns, rows[snapshot].Zip(snapshot.Connections), (in (StoredConnection Row, TcpConnection Source) r, BulkValues v) =>
                {
                    v.Int64(id);
                    v.Text(r.Row.LocalAddress);
                    v.Int32(r.Row.LocalPort);
                    v.Text(r.Row.RemoteAddress);
                    v.Int32(r.Row.RemotePort);
                    v.Text(r.Row.State);
                    v.DateTime(r.Row.CreatedAtUtc);
                    v.DateTime(r.Row.FirstSeenUtc);
                    v.Int32(r.Source.ProcessId);
                    v.Boolean(r.Source.IsLoopback);
                }, default);
            }
        }

        await tx.CommitAsync();
    }

    /// <summary>The ok snapshots and their rows, read back from the old table as its queries read them.</summary>
    private static async Task<(Dictionary<Snapshot, List<StoredConnection>> Rows, long Count)> ReadOldStoreAsync(TestDatabase db)
    {
        await using var c = await db.Get<IDbConnectionFactory>().OpenAsync(default);
        var rows = (await c.QueryAsync<OldRow>("""
            SELECT s.server AS Server, s.taken_at AS TakenAt, c.local_address AS LocalAddress, c.local_port AS LocalPort,
                   c.remote_address AS RemoteAddress, c.remote_port AS RemotePort, c.state AS State, c.created_at AS CreatedAt, c.first_seen AS FirstSeen
            FROM connection c JOIN snapshot s ON s.id = c.snapshot_id
            """)).ToList();
        var snapshots = await c.QueryAsync<(string Server, DateTime TakenAt)>("SELECT server, taken_at FROM snapshot WHERE status = 'ok'");
        var result = new Dictionary<Snapshot, List<StoredConnection>>(ReferenceEqualityComparer.Instance);
        var bySnapshot = rows.ToLookup(r => (r.Server, DbTime.Utc(r.TakenAt)));
        foreach (var (server, takenAt) in snapshots)
        {
            var taken = DbTime.Utc(takenAt);
            var mine = bySnapshot[(server, taken)].ToList();
            var snapshot = new Snapshot(server, "ssh", taken, mine.Select(r => new TcpConnection(IPAddress.Parse(r.LocalAddress), r.LocalPort,
                IPAddress.Parse(r.RemoteAddress), r.RemotePort, Enum.Parse<TcpState>(r.State), DbTime.Utc(r.CreatedAt))).ToList(), TimeSpan.Zero);
            result[snapshot] = mine.Select(r => new StoredConnection(server, taken, r.LocalAddress, r.LocalPort, r.RemoteAddress, r.RemotePort, r.State,
                DbTime.Utc(r.CreatedAt), DbTime.Utc(r.FirstSeen))).ToList();
        }

        return (result, rows.Count);
    }

    private sealed class OldRow
    {
        public string Server { get; set; } = "";

        public DateTime TakenAt { get; set; }

        public string LocalAddress { get; set; } = "";

        public int LocalPort { get; set; }

        public string RemoteAddress { get; set; } = "";

        public int RemotePort { get; set; }

        public string State { get; set; } = "";

        public DateTime? CreatedAt { get; set; }

        public DateTime FirstSeen { get; set; }
    }
}
