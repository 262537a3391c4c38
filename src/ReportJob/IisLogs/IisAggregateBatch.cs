namespace ReportJob.IisLogs;

/// <summary>What an <see cref="IisAggregator"/> held, as rows to add to the store.</summary>
internal sealed record IisAggregateBatch(
    IReadOnlyList<IisClientRow> Clients,
    IReadOnlyList<IisDetailRow> Protocols,
    IReadOnlyList<IisDetailRow> UserAgents,
    IReadOnlyList<IisDetailRow> Users)
{
    public bool IsEmpty => Clients.Count == 0;
}
