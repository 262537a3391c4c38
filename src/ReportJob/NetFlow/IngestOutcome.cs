namespace ReportJob.NetFlow;

/// <summary>What became of one capture file.</summary>
public sealed record IngestOutcome(string Path, IngestStatus Status, long Datagrams, long FlowRecords, long SkippedRecords, long Rows, double Seconds, string? Error)
{
    public static IngestOutcome Failure(string path, string error) => new(path, IngestStatus.Failed, 0, 0, 0, 0, 0, error);
}
