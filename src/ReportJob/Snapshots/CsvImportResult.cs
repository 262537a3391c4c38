namespace ReportJob.Snapshots;

/// <summary>The outcome of one file: counts, the error when it failed, and where the file went.</summary>
public sealed record CsvImportResult(
    string File,
    CsvImportStatus Status,
    int Snapshots,
    long Rows,
    int DuplicateSnapshots,
    string? Error,
    string? MovedTo);
