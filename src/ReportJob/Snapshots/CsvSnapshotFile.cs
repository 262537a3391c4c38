namespace ReportJob.Snapshots;

/// <summary>What one CSV file holds: its snapshots (filtered), the data rows read, and the formats detected for <c>datetime</c> and <c>CreationTime</c>.</summary>
public sealed record CsvSnapshotFile(IReadOnlyList<Snapshot> Snapshots, long RowsRead, long RowsKept, CsvDateFormat? DateFormat, CsvDateFormat? CreationFormat);
