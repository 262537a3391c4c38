namespace ReportJob.NetFlow.Decoding;

/// <summary>What went wrong (if anything) while decoding one datagram. Flags: several can be set.</summary>
[Flags]
public enum DecodeStatus
{
    /// <summary>Everything in the datagram was decoded.</summary>
    Ok = 0,

    /// <summary>Shorter than the version's header.</summary>
    TooShort = 1 << 0,

    /// <summary>Not version 5, 9 or 10.</summary>
    UnknownVersion = 1 << 1,

    /// <summary>A header or set length points past the end of the datagram.</summary>
    Truncated = 1 << 2,

    /// <summary>A set or template was inconsistent and was skipped by its declared length.</summary>
    MalformedSet = 1 << 3,

    /// <summary>A data set arrived before its template and was kept in the pending buffer.</summary>
    MissingTemplate = 1 << 4,

    /// <summary>A template was rejected (bad id, too many fields, zero record length…).</summary>
    InvalidTemplate = 1 << 5,

    /// <summary>Pending data sets were evicted without ever being decoded.</summary>
    PendingDropped = 1 << 7,

    /// <summary>The sequence number shows lost export packets/records.</summary>
    SequenceGap = 1 << 8,

    /// <summary>The exporter restarted; its templates and options state were cleared.</summary>
    ExporterReset = 1 << 9,

    /// <summary>The v5 header count is impossible (0 or more than 30).</summary>
    InvalidCount = 1 << 10,
}
