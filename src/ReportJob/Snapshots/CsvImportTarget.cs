namespace ReportJob.Snapshots;

/// <summary>Whose files are imported: the server the rows belong to when a file names none, and the zone of its local times.</summary>
public sealed record CsvImportTarget(string? Server, TimeZoneInfo TimeZone);
