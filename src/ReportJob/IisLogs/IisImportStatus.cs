namespace ReportJob.IisLogs;

public enum IisImportStatus
{
    /// <summary>New requests were counted (the whole log, or what it grew by since the last import).</summary>
    Imported,

    /// <summary>Everything in the log was counted before.</summary>
    UpToDate,

    /// <summary>A file with the same content (the same bytes, compressed or not) was counted before.</summary>
    AlreadyImported,

    /// <summary>No complete request line yet (only the header): nothing to count.</summary>
    Empty,
}
