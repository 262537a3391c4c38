namespace ReportJob.IisLogs;

/// <summary>What one pass over the drop folder did: a result per file imported or skipped, the files that failed, and those left for later.</summary>
public sealed record IisInboxResult(IReadOnlyList<IisImportResult> Files, IReadOnlyList<IisBadLine> Failed, int Waiting);
