namespace ReportJob.Snapshots;

/// <summary>
/// Whose files are imported: the server of a file of one local address (or of every row, when
/// <paramref name="SplitByLocalAddress"/> is false), and the zone of its local times.
/// </summary>
public sealed record CsvImportTarget(string? Server, TimeZoneInfo TimeZone, bool SplitByLocalAddress = true);
