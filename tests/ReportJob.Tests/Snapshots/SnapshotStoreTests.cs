using System.Globalization;
using System.Net;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReportJob.Scheduling;
using ReportJob.Snapshots;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Snapshots;

public sealed class SnapshotStoreTests
{
    private static readonly DateTime T0 = new(2026, 11, 20, 8, 0, 0, DateTimeKind.Utc);

    private static TcpConnection Conn(string remote, int port, TcpState state = TcpState.Established, DateTime? created = null) =>
        new(IPAddress.Parse("10.0.0.10"), 443, IPAddress.Parse(remote), port, state, created);

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    [ProviderData(StorageProvider.SqlServer)]
    public async Task Save_TwoSnapshots_FirstSeenCarriedOver(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = db.Get<SnapshotStore>();
        await store.SaveAsync(new Snapshot("ex01", "local", T0, [Conn("10.2.1.5", 50000), Conn("10.2.1.6", 50001)], TimeSpan.FromMilliseconds(12)), default);
        await store.SaveAsync(new Snapshot("ex01", "local", T0.AddMinutes(5), [Conn("10.2.1.5", 50000), Conn("10.2.1.7", 50002, TcpState.TimeWait)], TimeSpan.FromMilliseconds(9)), default);

        var rows = await RoundAsync(db, T0.AddMinutes(5));
        Assert.Equal(2, rows.Count);
        Assert.Equal(("10.2.1.5", "Established", T0), (rows[0].RemoteAddress, rows[0].State, rows[0].FirstSeenUtc));
        Assert.Equal(("10.2.1.7", "TimeWait", T0.AddMinutes(5)), (rows[1].RemoteAddress, rows[1].State, rows[1].FirstSeenUtc));
        var (_, runs) = await StoredRuns.DumpAsync(db);
        Assert.Equal(3, runs.Count); // 10.2.1.5 once for both snapshots
    }

    /// <summary>
    /// A CSV file can list the same addresses and ports twice in one snapshot (PowerShell's routine counts both rows, and
    /// so did the store of one row per connection): both are kept, in every snapshot, each in its own run, also while the
    /// open runs are carried in snapshot_server (the third snapshot is stored by a new process, which reads them back).
    /// </summary>
    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Save_SameConnectionListedTwice_BothKeptInEverySnapshot(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var twice = Conn("10.2.1.5", 50000);
        var other = Conn("10.2.1.5", 50000, TcpState.TimeWait);
        await db.Get<SnapshotStore>().SaveAsync(new Snapshot("ex01", "csv", T0, [twice, twice, Conn("10.2.1.6", 50001)], TimeSpan.Zero), default);
        await db.Get<SnapshotStore>().SaveAsync(new Snapshot("ex01", "csv", T0.AddMinutes(5), [twice, twice], TimeSpan.Zero), default);
        using (var again = db.SecondHost())
        {
            await again.Services.GetRequiredService<SnapshotStore>().SaveAsync(new Snapshot("ex01", "csv", T0.AddMinutes(10), [twice, other, twice], TimeSpan.Zero), default);
        }

        Assert.Equal(["Established", "Established", "Established"], (await RoundAsync(db, T0)).Select(r => r.State));
        Assert.Equal(["Established", "Established"], (await RoundAsync(db, T0.AddMinutes(5))).Select(r => r.State));
        Assert.Equal(["Established", "Established", "TimeWait"], (await RoundAsync(db, T0.AddMinutes(10))).Select(r => r.State).Order(StringComparer.Ordinal));
        Assert.Equal(8, await StoredRuns.ConnectionRoundsAsync(db));
        var (_, runs) = await StoredRuns.DumpAsync(db);
        // Copy 0 goes on through all three snapshots; copy 1 through the first two, then the TimeWait row is copy 1 and
        // the third listing copy 2.
        Assert.Equal(5, runs.Count);
        Assert.Contains(runs, r => r.Contains(":443/2 ", StringComparison.Ordinal));
    }

    /// <summary>
    /// A failed snapshot ends no run and breaks no first-seen chain; runs end at a UTC midnight, first-seen times go on
    /// across it; a connection in another state starts a new run that keeps its first-seen time; one not seen for more
    /// than 30 minutes (no snapshot in between) is seen anew.
    /// </summary>
    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Save_FailureStateChangeGapAndMidnight_RunsAndFirstSeen(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = db.Get<SnapshotStore>();
        var t = new DateTime(2026, 11, 20, 23, 35, 0, DateTimeKind.Utc);
        var a = Conn("10.2.1.5", 50000);
        await store.SaveAsync(new Snapshot("ex01", "ssh", t, [a], TimeSpan.Zero), default);
        await store.SaveFailureAsync(new SnapshotFailure("ex01", "ssh", t.AddMinutes(5), "timed out", TimeSpan.Zero), default);
        await store.SaveAsync(new Snapshot("ex01", "ssh", t.AddMinutes(10), [a], TimeSpan.Zero), default);
        await store.SaveAsync(new Snapshot("ex01", "ssh", t.AddMinutes(25), [a], TimeSpan.Zero), default);
        await store.SaveAsync(new Snapshot("ex01", "ssh", t.AddMinutes(30), [a with { State = TcpState.CloseWait }], TimeSpan.Zero), default);
        await store.SaveAsync(new Snapshot("ex01", "ssh", t.AddMinutes(75), [a with { State = TcpState.CloseWait }], TimeSpan.Zero), default);

        Assert.Equal(t, (await RoundAsync(db, t.AddMinutes(10))).Single().FirstSeenUtc);
        Assert.Equal(t, (await RoundAsync(db, t.AddMinutes(25))).Single().FirstSeenUtc);
        Assert.Equal(t, (await RoundAsync(db, t.AddMinutes(30))).Single().FirstSeenUtc);
        Assert.Equal(t.AddMinutes(75), (await RoundAsync(db, t.AddMinutes(75))).Single().FirstSeenUtc);
        var (_, runs) = await StoredRuns.DumpAsync(db);
        var key = (DateTime x) => RunTime.Key(x).ToString(CultureInfo.InvariantCulture);
        // 23:35, 23:40 failed, 23:45 | midnight | 00:00 | 00:05 in another state | 45 minutes without a snapshot | 00:50.
        Assert.Equal(
        [
            $"ex01 {key(t)} {key(t.AddMinutes(10))} 10.0.0.10:443 10.2.1.5:50000 Established  ",
            $"ex01 {key(t.AddMinutes(25))} {key(t.AddMinutes(25))} 10.0.0.10:443 10.2.1.5:50000 Established  {t.Ticks}",
            $"ex01 {key(t.AddMinutes(30))} {key(t.AddMinutes(30))} 10.0.0.10:443 10.2.1.5:50000 CloseWait  {t.Ticks}",
            $"ex01 {key(t.AddMinutes(75))} {RunTime.Open} 10.0.0.10:443 10.2.1.5:50000 CloseWait  ",
        ], runs);
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Save_SameServerSameMillisecond_RefusedAndNothingStored(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = db.Get<SnapshotStore>();
        await store.SaveAsync(new Snapshot("ex01", "local", T0, [Conn("10.2.1.5", 50000)], TimeSpan.Zero), default);
        var before = await StoredRuns.DumpAsync(db);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.SaveAsync(new Snapshot("ex01", "local", T0.AddTicks(4_000), [Conn("10.2.1.6", 1)], TimeSpan.Zero), default));

        Assert.Contains("A snapshot of ex01 taken 2026-11-20 08:00:00.000Z is stored already", error.Message, StringComparison.Ordinal);
        var after = await StoredRuns.DumpAsync(db);
        Assert.Equal(before.Snapshots, after.Snapshots);
        Assert.Equal(before.Runs, after.Runs);
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task SaveFailure_Recorded_WithError(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await db.Get<SnapshotStore>().SaveFailureAsync(new SnapshotFailure("ex02", "ssh", T0, "ssh: connect to host ex02 port 22: Connection refused", TimeSpan.FromSeconds(3)), default);
        await using var c = await db.Get<IDbConnectionFactory>().OpenAsync(default);
        var (status, error) = await c.QuerySingleAsync<(string, string)>("SELECT status, error FROM snapshot WHERE server = 'ex02'");
        Assert.Equal("failed", status);
        Assert.Contains("Connection refused", error, StringComparison.Ordinal);
    }

    /// <summary>
    /// The retention job deletes snapshots by age; a server's runs of a UTC day go with its last snapshot of that day,
    /// and what is left reads as before.
    /// </summary>
    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Retention_OldSnapshotsDeleted_TheirRunsGoTheOthersStay(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var items = RandomDay.Generate(9, new DateTime(2026, 10, 24, 21, 0, 0, DateTimeKind.Utc), 60);
        await ConnectionDayDifferentialTests.StoreAsync(db, items);
        var midnight = new DateTime(2026, 10, 25, 0, 0, 0, DateTimeKind.Utc);
        var laterRounds = await StoredRuns.ConnectionRoundsAsync(db) - items.OfType<Snapshot>().Where(s => s.TakenAtUtc < midnight).Sum(s => s.Connections.Count);
        var rule = new RetentionRule { Table = "snapshot", TimeColumn = "taken_at", Days = 1 };
        var settings = new SchedulingOptions { Retention = new RetentionOptions { BatchSize = 100, Tables = [rule] } };
        var now = midnight.AddDays(1);

        await new RetentionWork(db.Get<IDbConnectionFactory>(), Options.Create(settings), new FixedTimeProvider(now), NullLogger<RetentionWork>.Instance).RunAsync(now, default);

        var (snapshots, runs) = await StoredRuns.DumpAsync(db);
        Assert.Equal(items.Count(i => i is Snapshot s ? s.TakenAtUtc >= midnight : ((SnapshotFailure)i).AttemptedAtUtc >= midnight), snapshots.Count);
        Assert.All(runs, r => Assert.True(long.Parse(r.Split(' ')[1], CultureInfo.InvariantCulture) >= RunTime.Key(midnight), r));
        Assert.NotEmpty(runs);
        Assert.Equal(laterRounds, await StoredRuns.ConnectionRoundsAsync(db));
    }

    private static async Task<IReadOnlyList<StoredConnection>> RoundAsync(TestDatabase db, DateTime at)
    {
        var queries = db.Get<ConnectionQueries>();
        var round = await queries.FindRoundAtAsync(at, default);
        Assert.NotNull(round);
        Assert.Equal(at, round.StartUtc);
        return await queries.LoadRoundAsync(round, default);
    }
}
