namespace ReportJob.Snapshots;

/// <summary>What one CSV file holds: its snapshots (filtered), the data rows read, and the date format detected.</summary>
public sealed record CsvSnapshotFile(IReadOnlyList<Snapshot> Snapshots, long RowsRead, long RowsKept, CsvDateFormat? DateFormat);
