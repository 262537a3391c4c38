namespace ReportJob.NetFlow.Decoding;

/// <summary>Running counters of a <see cref="FlowDecoder"/> session.</summary>
public sealed class FlowDecoderStatistics
{
    /// <summary>Datagrams passed to Decode.</summary>
    public long Datagrams { get; internal set; }

    /// <summary>NetFlow v5 packets.</summary>
    public long V5Packets { get; internal set; }

    /// <summary>NetFlow v9 packets.</summary>
    public long V9Packets { get; internal set; }

    /// <summary>IPFIX messages (a datagram may hold several).</summary>
    public long IpfixMessages { get; internal set; }

    /// <summary>Datagrams with a status other than Ok.</summary>
    public long DatagramsWithErrors { get; internal set; }

    /// <summary>Datagrams of an unknown version.</summary>
    public long UnknownVersion { get; internal set; }

    /// <summary>Datagrams or sets cut short.</summary>
    public long Truncated { get; internal set; }

    /// <summary>Flow records decoded.</summary>
    public long FlowRecords { get; internal set; }

    /// <summary>Options data records decoded.</summary>
    public long OptionsRecords { get; internal set; }

    /// <summary>Template and options template records read.</summary>
    public long TemplateRecords { get; internal set; }

    /// <summary>Templates added for the first time.</summary>
    public long TemplatesAdded { get; internal set; }

    /// <summary>Templates re-sent unchanged.</summary>
    public long TemplatesRefreshed { get; internal set; }

    /// <summary>Templates replaced by a different definition.</summary>
    public long TemplatesReplaced { get; internal set; }

    /// <summary>Templates withdrawn (IPFIX).</summary>
    public long TemplatesWithdrawn { get; internal set; }

    /// <summary>Templates dropped after the idle timeout.</summary>
    public long TemplatesExpired { get; internal set; }

    /// <summary>Templates rejected as invalid or over the limits.</summary>
    public long TemplatesRejected { get; internal set; }

    /// <summary>Exporter restarts detected (templates cleared).</summary>
    public long ExporterResets { get; internal set; }

    /// <summary>Data sets that arrived before their template.</summary>
    public long DataSetsWithoutTemplate { get; internal set; }

    /// <summary>Pending data sets decoded once their template arrived.</summary>
    public long PendingSetsDecoded { get; internal set; }

    /// <summary>Pending data sets evicted undecoded (undecodable data).</summary>
    public long PendingSetsDropped { get; internal set; }

    /// <summary>Sets with a reserved set id, skipped by length.</summary>
    public long ReservedSets { get; internal set; }

    /// <summary>Sets or records that were malformed and skipped.</summary>
    public long MalformedSets { get; internal set; }

    /// <summary>Sequence gaps seen.</summary>
    public long SequenceGaps { get; internal set; }

    /// <summary>Units lost per the sequence numbers (v5 flows, v9 packets, IPFIX records).</summary>
    public long SequenceLost { get; internal set; }

    /// <summary>Datagrams that arrived out of order (sequence behind the expected one).</summary>
    public long SequenceReordered { get; internal set; }

    /// <summary>Datagrams decoded despite each deviation from the RFCs.</summary>
    public ExportDeviationCounts Deviations { get; } = new();

    /// <summary>Adds one datagram's result to the running totals.</summary>
    internal void Count(in DecodeResult result)
    {
        var status = result.Status;
        if (status != DecodeStatus.Ok)
        {
            DatagramsWithErrors++;
            Truncated += (status & DecodeStatus.Truncated) != 0 ? 1 : 0;
            UnknownVersion += (status & DecodeStatus.UnknownVersion) != 0 ? 1 : 0;
        }

        SequenceGaps += result.SequenceGaps;
        SequenceLost += result.SequenceLost;
        PendingSetsDropped += result.PendingSetsDropped;
        Deviations.Count(result.Deviations);
    }
}
