using ReportJob.Snapshots;

namespace ReportJob.Reports.Model;

// The report model: every record the HTML report, the workbook, the e-mail and the charts read, in one file so that a
// reader sees the whole model at once (an exception to one type per file: these are plain data, read together).
// Times are local to DailyReport.TimeZoneId unless named Utc.

/// <summary>Everything one day's report, workbook and e-mail show. <see cref="Protocols"/> is empty when no IIS log was imported for the day.</summary>
public sealed record DailyReport(
    DateOnly Day,
    string TimeZoneId,
    DateTime GeneratedAtUtc,
    DateTime WindowStartLocal,
    DateTime WindowEndLocal,
    Headline Headline,
    ConnectionSection Connections,
    IReadOnlyList<ProtocolUsage> Protocols,
    FlowSection Flows,
    DataQuality Quality)
{
    /// <summary>The daily roll-ups of the last <see cref="ReportOptions.TrendDays"/> days up to this one; null when not read.</summary>
    public ConnectionTrend? Trend { get; init; }
}

public sealed record Headline(
    int Servers,
    int Clients,
    long PeakConnections,
    DateTime? PeakAtLocal,
    double AverageConnections,
    int Sites,
    long Flows,
    long Bytes,
    IReadOnlyList<string> Alerts);

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
    IReadOnlyList<TopClientRow> TopClients,
    IReadOnlyList<LongLivedConnection> LongLived,
    IReadOnlyList<CreatedMinute> CreatedPerMinute,
    IReadOnlyList<BurstMinute> Bursts,
    IReadOnlyList<HistogramBucket> SourcePorts,
    IReadOnlyList<string> SourcePortGaps,
    IReadOnlyList<SiteSummary> Sites);

/// <summary>Average number of connections per state in one server's snapshots.</summary>
public sealed record ServerStates(string Server, IReadOnlyDictionary<string, double> AveragePerState);

/// <summary>Average connections per state (all servers) in the snapshots of one local hour.</summary>
public sealed record HourStates(int Hour, IReadOnlyDictionary<string, double> AveragePerState);

/// <summary>
/// One series over the day: a server's connections at each round (aligned with <see cref="ConnectionSection.RoundTimes"/>)
/// or an exporter's bytes per bucket (aligned with <see cref="FlowSection.BucketTimes"/>); NaN where a server missed a round.
/// </summary>
public sealed record ServerSeries(string Server, IReadOnlyList<double> Values);

/// <summary>
/// One server's share of the load: its average connections, its share of all servers' connections, the largest
/// deviation from an even split in any round, and how many rounds exceeded the imbalance threshold.
/// </summary>
public sealed record ServerShare(string Server, double AverageConnections, long PeakConnections, double Share, double MaxDeviation, int RoundsFlagged)
{
    public bool Flagged => RoundsFlagged > 0;
}

public sealed record HistogramBucket(string Label, long Low, long High, long Count);

public sealed record Percentiles(double P50, double P90, double P99, double Max);

/// <summary>
/// A row of the top-clients table: one client seen three ways. The server's view: its peak connections (the most it
/// held at once, all servers together) from the snapshots. The application's: <see cref="Protocols"/>,
/// <see cref="UserAgents"/> and <see cref="Users"/> from IIS logs (empty when none were imported). The network's:
/// its traffic in the day's flows (bytes to and from it, flows, the service ports it used most), zero when no flow
/// names it.
/// </summary>
public sealed record TopClientRow(
    string Address,
    string? DnsName,
    string Site,
    long PeakConnections,
    double AverageConnections,
    int Servers,
    DateTime FirstSeenLocal,
    DateTime LastSeenLocal,
    IReadOnlyList<string> Protocols,
    IReadOnlyList<string> UserAgents,
    IReadOnlyList<string> Users,
    long BytesIn = 0,
    long BytesOut = 0,
    long Flows = 0,
    IReadOnlyList<string>? ServicePorts = null);

/// <summary>A connection open for long; Age comes from its creation time, or from when it was first seen.</summary>
public sealed record LongLivedConnection(string Server, string Client, int ClientPort, string State, TimeSpan Age, bool AgeFromCreationTime);

/// <summary>Connections created in one local minute, all servers together (needs creation times: Windows sources).</summary>
public sealed record CreatedMinute(DateTime MinuteLocal, long Created);

/// <summary>A minute in which many connections were created on one server, with the client that opened most of them.</summary>
public sealed record BurstMinute(DateTime MinuteLocal, string Server, long Created, string TopClient, long TopClientCreated);

/// <summary>Per site: clients, connections per client (by each client's peak), and flow traffic in and out.</summary>
public sealed record SiteSummary(string Site, int Clients, double AverageConnectionsPerClient, long MaxConnectionsPerClient, long BytesIn, long BytesOut);

/// <summary>One Exchange protocol (from IIS logs): how many client addresses used it, with how many requests.</summary>
public sealed record ProtocolUsage(string Protocol, long Clients, long Requests);

/// <summary>What the day's NetFlow/IPFIX aggregates say. Empty when no capture was ingested for the day.</summary>
public sealed record FlowSection(
    bool HasData,
    IReadOnlyList<DateTime> BucketTimes,
    IReadOnlyList<ServerSeries> BytesPerExporter,
    IReadOnlyList<FlowTotal> TopSources,
    IReadOnlyList<FlowTotal> TopDestinations,
    IReadOnlyList<FlowTotal> TopConversations,
    IReadOnlyList<FlowTotal> Protocols,
    IReadOnlyList<FlowTotal> Ports,
    IReadOnlyList<Scanner> Scanners)
{
    /// <summary>Heavy hitters, DoS targets and mail fan-out (none when there is no flow data).</summary>
    public FlowDetections Detections { get; init; } = FlowDetections.None;
}

/// <summary>A key (host, conversation, protocol or port) with its traffic, sampling already applied.</summary>
public sealed record FlowTotal(string Key, string? Site, long Flows, long Packets, long Bytes);

/// <summary>A source that touched many ports or hosts with tiny or SYN-only flows, with the evidence.</summary>
public sealed record Scanner(string Source, string Site, int DistinctPorts, int DistinctHosts, long Flows, DateTime FirstSeenLocal, DateTime LastSeenLocal, string Evidence);

/// <summary>What the day's flows say about attacks and heavy users: heavy hitters, DoS/DDoS targets and mail fan-out (the scanners are in <see cref="FlowSection.Scanners"/>).</summary>
public sealed record FlowDetections(IReadOnlyList<HeavyHitter> HeavyHitters, IReadOnlyList<DosTarget> DosTargets, IReadOnlyList<MailSender> MailSenders)
{
    public static FlowDetections None { get; } = new([], [], []);
}

/// <summary>A host that moved a large share of an hour's bytes or packets, as source ("source") or destination ("destination").</summary>
public sealed record HeavyHitter(string Host, string Site, string Role, DateTime HourLocal, long Bytes, long Packets, double ByteShare, double PacketShare, string Evidence);

/// <summary>A destination of tiny or SYN-only flows from many sources or with many packets, with its peak packet rate and busiest sources.</summary>
public sealed record DosTarget(
    string Destination, string Site, int DistinctSources, long Flows, long Packets, double PeakPacketsPerSecond, DateTime FirstSeenLocal, DateTime LastSeenLocal, string Evidence);

/// <summary>A source of SMTP flows to many distinct destinations (a spam bot, unless it is a mail server to allow).</summary>
public sealed record MailSender(string Source, string Site, int DistinctDestinations, long Flows, DateTime FirstSeenLocal, DateTime LastSeenLocal, string Evidence);

public sealed record DataQuality(
    IReadOnlyList<SnapshotCoverage> Servers,
    long ExportPacketsLost,
    long UndecodableRecords,
    IReadOnlyList<string> SamplingNotes,
    IReadOnlyList<string> Notes)
{
    /// <summary>What sloppy exporters were decoded despite (deviations from the RFCs, captures cut short), one sentence each.</summary>
    public IReadOnlyList<string> DecodingNotes { get; init; } = [];
}

/// <summary>Snapshots expected, taken and failed for one server over the day, with the last error.</summary>
public sealed record SnapshotCoverage(string Server, int Expected, int Taken, int Failed, string? LastError, DateTime? LastErrorAtLocal);
