namespace ReportJob.Reports.Model;

/// <summary>What the day's connection snapshots say. Empty lists when no snapshot was taken.</summary>
public sealed record ConnectionSection(
    bool HasData,
    IReadOnlyList<string> Servers,
    IReadOnlyList<string> States,
    IReadOnlyList<ServerStates> StatesPerServer,
    IReadOnlyList<HourStates> StatesPerHour,
    IReadOnlyList<DateTime> RoundTimes,
    IReadOnlyList<ServerSeries> ConnectionsPerServer,
    IReadOnlyList<ServerShare> Balance,
    double ImbalanceThreshold,
    IReadOnlyList<HistogramBucket> ClientDistribution,
    Percentiles ClientPercentiles,
    IReadOnlyList<TopClient> TopClients,
    IReadOnlyList<LongLivedConnection> LongLived,
    IReadOnlyList<BurstMinute> Bursts,
    IReadOnlyList<HistogramBucket> SourcePorts,
    IReadOnlyList<string> SourcePortGaps,
    IReadOnlyList<SiteSummary> Sites);
