namespace ReportJob.Storage;

/// <summary>One file counted into the store: its content hash makes a second import of the same bytes a no-op.</summary>
public sealed record LedgerEntry(string Sha256, string Kind, string FileName, long SizeBytes, long RowCount, DateTime IngestedAt);
