namespace ReportJob.NetFlow.Decoding;

/// <summary>
/// What decoding one datagram met, gathered as its sets are walked and returned as its <see cref="DecodeResult"/>: the
/// records counted, the problems (status flags), the deviations decoded despite, and what was lost.
/// </summary>
internal struct DatagramTally
{
    public DecodeStatus Status;
    public ExportDeviations Deviations;
    public int Flows;
    public int Options;
    public int Templates;

    /// <summary>A data set of the current message waited for its template (IPFIX sequence tracking restarts).</summary>
    public bool Pended;

    public int SequenceGaps;
    public long SequenceLost;
    public int PendingSetsDropped;
    public int UndecodableSets;

    /// <summary>Something that could not be read (a set, a template, the whole datagram) was skipped.</summary>
    public void Skip(DecodeStatus why)
    {
        Status |= why;
        UndecodableSets++;
    }

    public readonly DecodeResult Result(NetFlowVersion version) => new(Status, version, Flows, Options, Templates)
    {
        Deviations = Deviations,
        SequenceGaps = SequenceGaps,
        SequenceLost = SequenceLost,
        PendingSetsDropped = PendingSetsDropped,
        UndecodableSets = UndecodableSets,
    };
}
