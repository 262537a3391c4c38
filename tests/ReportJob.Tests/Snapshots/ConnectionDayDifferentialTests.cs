using Microsoft.Extensions.Options;
using ReportJob.Reports;
using ReportJob.Sites;
using ReportJob.Snapshots;
using ReportJob.Storage;
using ReportJob.Tests.Reports;
using ReportJob.Tests.Snapshots.Oracle;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Snapshots;

/// <summary>
/// The report's connection section and every round's connections, read from runs, against what the per-round
/// aggregation over the raw rounds gives (the report before runs, <see cref="PerRoundConnectionAggregator"/>): the
/// fixture day, random days and the benchmark's day, on SQLite and PostgreSQL.
/// </summary>
public sealed class ConnectionDayDifferentialTests
{
    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task FixtureDay_RunsAndPerRound_SameModel(StorageProvider provider)
    {
        await using var db = await ReportFixture.CreateAsync(provider);
        var options = db.Get<IOptions<ReportOptions>>().Value;
        await AssertSameAsync(db, ReportFixture.Snapshots(), DayWindow.For(ReportFixture.Day, options.Zone()), options);
    }

    /// <summary>A day of Europe/Paris with 25 hours (daylight saving ends): its runs begin on two UTC days.</summary>
    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task RandomDays_RunsAndPerRound_SameModel(StorageProvider provider)
    {
        foreach (var seed in new[] { 1, 2, 3 })
        {
            var settings = new Dictionary<string, string?>
            {
                ["Reports:TimeZone"] = "Europe/Paris",
                ["Reports:LongLivedThreshold"] = "00:20:00",
                ["Reports:TopLongLived"] = "5",
                ["Reports:BurstThreshold"] = "3",
                ["Reports:TopBursts"] = "5",
                ["Reports:TopClients"] = "10",
            };
            await using var db = await TestDatabase.CreateAsync(provider, settings);
            await File.WriteAllTextAsync(Path.Combine(db.Directory, "sites.csv"), "subnet,site\n10.2.0.0/16,Paris\n10.3.0.0/16,Lyon\n2001:db8::/64,Berlin\n");
            await db.Get<SiteStore>().ImportAsync(Path.Combine(db.Directory, "sites.csv"), default);
            var items = RandomDay.Generate(seed, new DateTime(2026, 10, 24, 21, 0, 0, DateTimeKind.Utc), 310);
            await StoreAsync(db, items);
            var options = db.Get<IOptions<ReportOptions>>().Value;
            await AssertSameAsync(db, items, DayWindow.For(new DateOnly(2026, 10, 25), options.Zone()), options);
        }
    }

    /// <summary>The benchmark's day (<see cref="BenchDay"/>: 288 rounds × 4 servers, 10 % churn and 2 % state changes per round), at a fifth of its connections.</summary>
    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task BenchDay_RunsAndPerRound_SameModel(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var day = new BenchDay(new DateTime(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc), 288, 4, 2_000, 4_000);
        var items = Enumerable.Range(0, day.Rounds).SelectMany(day.Round).Cast<object>().ToList();
        await StoreAsync(db, items);
        var options = db.Get<IOptions<ReportOptions>>().Value;
        await AssertSameAsync(db, items, DayWindow.For(new DateOnly(2026, 11, 20), options.Zone()), options, roundsToCompare: 12);
    }

    internal static async Task StoreAsync(TestDatabase db, IEnumerable<object> items)
    {
        var store = db.Get<SnapshotStore>();
        foreach (var item in items)
        {
            await (item is Snapshot snapshot ? store.SaveAsync(snapshot, default) : store.SaveFailureAsync((SnapshotFailure)item, default));
        }
    }

    /// <summary>The report's connection section, and the connections of the rounds (all, or spread over the day), are those of the raw rounds.</summary>
    internal static async Task AssertSameAsync(TestDatabase db, IReadOnlyList<object> items, DayWindow window, ReportOptions options, int? roundsToCompare = null)
    {
        var sites = await db.Get<SiteStore>().LoadAsync(default);
        var (expected, expectedRows) = OracleDay.Section(items, window.StartUtc, window.EndUtc, options.Zone(), options, sites);
        var aggregator = new ConnectionDayAggregator(options.Zone(), options);
        await db.Get<ConnectionDayReader>().ReadAsync(window.StartUtc, window.EndUtc, aggregator, default);
        var actual = aggregator.Build(sites, _ => null);
        Assert.True(expected.HasData);
        Assert.Equal(expectedRows, aggregator.Rows);
        Assert.Equal(OracleDay.ToJson(expected), OracleDay.ToJson(actual));

        var queries = db.Get<ConnectionQueries>();
        var rounds = await queries.FindRoundsAsync(window.StartUtc, window.EndUtc, default);
        var rows = OracleDay.OldRows(items);
        var byServerAndTime = items.OfType<Snapshot>().ToDictionary(s => (s.Server, s.TakenAtUtc));
        var chosen = roundsToCompare is { } n ? rounds.Where((_, i) => i % Math.Max(1, rounds.Count / n) == 0).ToList() : rounds;
        var compared = 0;
        await foreach (var (round, connections) in queries.ReadRoundsAsync(chosen, default))
        {
            var snapshots = round.Servers.Select(server => byServerAndTime.Single(kv => kv.Key.Server == server && round.StartUtc <= kv.Key.TakenAtUtc && kv.Key.TakenAtUtc < round.StartUtc + ConnectionRound.Window).Value);
            Assert.Equal(OracleDay.Round(rows, snapshots), connections);
            compared++;
        }

        Assert.Equal(chosen.Count, compared);
    }
}
