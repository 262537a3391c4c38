namespace ReportJob.NetFlow;

public enum IngestStatus
{
    /// <summary>Decoded, aggregated and committed with its ledger entry.</summary>
    Ingested,

    /// <summary>The ledger already holds the same content: nothing written.</summary>
    AlreadyIngested,

    /// <summary>Rolled back: nothing of the file is stored.</summary>
    Failed,
}
