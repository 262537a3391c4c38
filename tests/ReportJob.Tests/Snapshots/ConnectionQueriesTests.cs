using ReportJob.Sites;
using ReportJob.Snapshots;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Snapshots;

public sealed class ConnectionQueriesTests
{
    private static readonly DateTime Round0805 = new(2026, 11, 20, 7, 5, 0, DateTimeKind.Utc);

    private static async Task<TestDatabase> FixturesAsync(StorageProvider provider)
    {
        var drop = Path.Combine(Path.GetTempPath(), "reportjob-tests", Guid.NewGuid().ToString("N"), "drop");
        var db = await TestDatabase.CreateAsync(provider, CsvImportTests.DropFolderSettings(drop));
        await CsvImportTests.ImportFixturesAsync(db, drop);
        await db.Get<SiteStore>().ImportAsync(CsvTestData.Sites, default);
        return db;
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task FindRoundAt_BetweenRounds_NearestAtOrBefore(StorageProvider provider)
    {
        await using var db = await FixturesAsync(provider);
        var queries = db.Get<ConnectionQueries>();

        var round = await queries.FindRoundAtAsync(Round0805.AddMinutes(4), default);

        Assert.NotNull(round);
        Assert.Equal(Round0805, round.StartUtc); // EX01 at 07:05:00 and EX02 at 07:05:01 are one round
        Assert.Equal(["EX01", "EX02"], round.Servers);
        Assert.Null(await queries.FindRoundAtAsync(Round0805.AddSeconds(-1), default));
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Summaries_OneRound_HandComputed(StorageProvider provider)
    {
        await using var db = await FixturesAsync(provider);
        var queries = db.Get<ConnectionQueries>();
        var round = (await queries.FindRoundAtAsync(Round0805, default))!;
        var summary = await queries.SummarizeAsync([round], await db.Get<SiteStore>().LoadAsync(default), default);

        var top = summary.Top(2);
        Assert.Equal(("10.2.1.5", 4, 2, "Berlin"), (top[0].RemoteAddress, top[0].Connections, top[0].Servers, top[0].Site));
        Assert.Equal(("10.2.1.6", 2), (top[1].RemoteAddress, top[1].Connections)); // 10.2.1.6 before 10.3.4.7 (same count, address order)
        Assert.Equal(Round0805.AddSeconds(1), top[0].LastSeenUtc);

        var servers = summary.Servers();
        Assert.Equal([("EX01", 6), ("EX02", 4)], servers.Select(s => (s.Server, s.Connections)));
        Assert.Equal([KeyValuePair.Create("Established", 4.0), KeyValuePair.Create("CloseWait", 1.0), KeyValuePair.Create("TimeWait", 1.0)], servers[0].States);

        Assert.Equal([("Established", 7), ("TimeWait", 2), ("CloseWait", 1)], summary.States().Select(s => (s.State, s.Connections)));
        Assert.Equal(70.0, summary.States()[0].Percent, 6);

        // Berlin: 10.2.1.5 (4) and 10.2.1.6 (2) → 2 clients, avg (4+2)/2 = 3, max 4.
        // Munich: 10.3.4.7 (2) and 10.3.4.8 (1) → 2 clients, avg 1.5, max 2. (unknown): 192.168.9.9 (1).
        Assert.Equal(
            [("Berlin", 2, 3.0, 4), ("Munich", 2, 1.5, 2), (SiteMap.Unknown, 1, 1.0, 1)],
            summary.Sites().Select(s => (s.Site, s.Clients, s.AverageConnections, s.MaxConnections)));
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Summaries_Day_PeakAndAverageOverRounds(StorageProvider provider)
    {
        await using var db = await FixturesAsync(provider);
        var queries = db.Get<ConnectionQueries>();
        var day = ReportJob.Reports.DayWindow.For(new DateOnly(2026, 11, 20), CsvTestData.Berlin);
        var rounds = await queries.FindRoundsAsync(day.StartUtc, day.EndUtc, default);
        var summary = await queries.SummarizeAsync(rounds, SiteMap.Empty, default);

        Assert.Equal(2, rounds.Count);
        // 10.2.1.5: 4 connections at 08:05, 2 at 08:10 (EX01:50000, EX02:50010) → peak 4, average 3.
        var top = summary.Top(1).Single();
        Assert.Equal(("10.2.1.5", 4, 3.0), (top.RemoteAddress, top.Connections, top.Average));
        // EX01: 6 then 2 → peak 6, average 4; its 10.2.1.5:50000 was first seen at 08:05.
        var ex01 = summary.Servers()[0];
        Assert.Equal((2, 6, 4.0), (ex01.Snapshots, ex01.Connections, ex01.Average));
        Assert.Equal(Round0805, top.FirstSeenUtc);
    }
}
