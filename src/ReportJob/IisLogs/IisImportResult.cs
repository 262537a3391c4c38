namespace ReportJob.IisLogs;

/// <summary>
/// What an import of one file did. <see cref="StartOffset"/> &gt; 0 when it continued a log that grew;
/// <see cref="PendingBytes"/> is an incomplete last line left for the next import.
/// </summary>
public sealed record IisImportResult(
    string File,
    IisImportStatus Status,
    long Records,
    long BadLines,
    IReadOnlyList<IisBadLine> BadLineSamples,
    long StartOffset,
    long ContentBytes,
    long PendingBytes,
    TimeSpan Elapsed);
