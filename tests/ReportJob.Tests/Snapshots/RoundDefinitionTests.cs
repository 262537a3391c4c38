using System.Net;
using Microsoft.Extensions.Options;
using ReportJob.Reports;
using ReportJob.Sites;
using ReportJob.Snapshots;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Snapshots;

/// <summary>One definition of a round for the connections verbs and the report (they used to differ at minute boundaries).</summary>
public sealed class RoundDefinitionTests
{
    /// <summary>
    /// EX01 at 10:00:50 and EX02 at 10:01:05 are one collection run: one round for <c>connections top</c> and for the
    /// report (the report used calendar minutes and made it two, with the client's peak 1 instead of 2). EX01 again at
    /// 10:01:20 is the next round: a server collects once per round.
    /// </summary>
    [Fact]
    public async Task SnapshotsAcrossAMinute_OneRoundEverywhere()
    {
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        var store = db.Get<SnapshotStore>();
        var t = new DateTime(2026, 11, 20, 10, 0, 50, DateTimeKind.Utc);
        TcpConnection Conn(int port) => new(IPAddress.Parse("10.0.0.10"), 443, IPAddress.Parse("10.2.1.5"), port, TcpState.Established);
        await store.SaveAsync(new Snapshot("EX01", "ssh", t, [Conn(50000)], TimeSpan.Zero), default);
        await store.SaveAsync(new Snapshot("EX02", "ssh", t.AddSeconds(15), [Conn(50001)], TimeSpan.Zero), default);
        await store.SaveAsync(new Snapshot("EX01", "ssh", t.AddSeconds(30), [Conn(50000)], TimeSpan.Zero), default);

        var queries = db.Get<ConnectionQueries>();
        var rounds = await queries.FindRoundsAsync(t.Date, t.Date.AddDays(1), default);
        Assert.Equal([(t, 2), (t.AddSeconds(30), 1)], rounds.Select(r => (r.StartUtc, r.SnapshotIds.Count)));
        var summary = await queries.SummarizeAsync(rounds, SiteMap.Empty, default);
        Assert.Equal((2, 1.5), (summary.Top(1)[0].Connections, summary.Top(1)[0].Average));

        var options = db.Get<IOptions<ReportOptions>>().Value;
        var aggregator = new ConnectionDayAggregator(TimeZoneInfo.Utc, options);
        await db.Get<ConnectionDayReader>().ReadAsync(t.Date, t.Date.AddDays(1), aggregator, default);
        var section = aggregator.Build(SiteMap.Empty, _ => null);
        Assert.Equal([t.AddSeconds(-50), t.AddSeconds(10)], section.RoundTimes);
        Assert.Equal((2L, 1.5), (section.TopClients[0].PeakConnections, section.TopClients[0].AverageConnections));
    }
}
