using ReportJob.Reports;
using ReportJob.Sites;

namespace ReportJob.Tests.Reports;

public sealed class ConnectionDayAggregatorTests
{
    private static readonly DateTime Taken = new(2026, 11, 20, 8, 0, 7, DateTimeKind.Utc);

    [Fact]
    public void Build_MoreStatesThanSlots_CountsFoldIntoLastLongLivedKeepsOwnState()
    {
        var aggregator = new ConnectionDayAggregator(TimeZoneInfo.Utc, new ReportOptions { LongLivedThreshold = TimeSpan.FromHours(1), TopLongLived = 40 });
        aggregator.BeginSnapshot(new SnapshotInfo(1, "EX01", Taken, true, null));
        var client = aggregator.ClientIndex("10.2.1.50");
        var rows = Enumerable.Range(0, 40).Select(i => new ConnectionRow(client, aggregator.StateIndex($"S{i:00}"), 1000 + i, Taken.AddHours(-2).Ticks - i, Taken.Ticks)).ToArray();
        aggregator.Add(rows);

        var section = aggregator.Build(SiteMap.Empty, _ => null);

        Assert.Equal(32, section.States.Count);
        Assert.Equal(9, section.StatesPerServer[0].AveragePerState["S31"]);
        Assert.Equal("S31", section.States[0]);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"S{i:00}").Reverse(), section.LongLived.Select(l => l.State));
    }

    [Fact]
    public void Build_SnapshotsOfOneMinute_OneRound()
    {
        var aggregator = new ConnectionDayAggregator(TimeZoneInfo.Utc, new ReportOptions());
        var established = aggregator.StateIndex("Established");
        foreach (var (id, server, taken) in new[] { (1L, "EX01", Taken), (2L, "EX02", Taken.AddSeconds(40)), (3L, "EX01", Taken.AddMinutes(5)) })
        {
            aggregator.BeginSnapshot(new SnapshotInfo(id, server, taken, true, null));
            aggregator.Add([new ConnectionRow(aggregator.ClientIndex("10.2.1.50"), established, 50000, ConnectionRow.NoCreationTime, Taken.Ticks)]);
        }

        var section = aggregator.Build(SiteMap.Empty, _ => null);

        Assert.Equal([Taken.AddSeconds(-7), Taken.AddSeconds(-7).AddMinutes(5)], section.RoundTimes);
        Assert.Equal(2, section.TopClients[0].PeakConnections);
        Assert.Equal(3, aggregator.Rows);
    }
}
