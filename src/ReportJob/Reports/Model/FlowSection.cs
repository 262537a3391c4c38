namespace ReportJob.Reports.Model;

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
    IReadOnlyList<Scanner> Scanners);
