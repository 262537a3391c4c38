namespace ReportJob.Snapshots;

/// <summary>Progress of an import: the file being read (1-based of how many) and its rows read so far.</summary>
public readonly record struct CsvImportProgress(string File, int FileNumber, int FileCount, long RowsRead);
