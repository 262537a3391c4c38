namespace ReportJob.NetFlow;

/// <summary>What became of one capture file.</summary>
public sealed record IngestOutcome(string Path, IngestStatus Status, long Datagrams, long FlowRecords, long SkippedRecords, long Rows, double Seconds, string? Error)
{
    public static IngestOutcome Failure(string path, string error) => new(path, IngestStatus.Failed, 0, 0, 0, 0, 0, error);

    /// <summary>Where the time went (for the benchmark and the debug log); zero when nothing was ingested.</summary>
    public IngestPhases Phases { get; init; }

    /// <summary>Said about an ingested file that was not whole, e.g. a capture cut short in its last record; else null.</summary>
    public string? Warning { get; init; }
}

/// <summary>
/// Seconds per phase of one file's ingest: hashing the file (on another thread, overlapping the decoding), reading +
/// decoding + aggregating (the decoding thread), the decoding thread waiting for the writer (a drain's rows not yet
/// made) and, at the end, making the last drain's rows and waiting for the writer to write them, the writer's own busy time (top N + rows + inserts, overlapping the decoding), and the rest (opening,
/// templates, quality rows, ledger, commit).
/// </summary>
public readonly record struct IngestPhases(double Hash, double Decode, double WaitForWriter, double Writer, double Finish);
