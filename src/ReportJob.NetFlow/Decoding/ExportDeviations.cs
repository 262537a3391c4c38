namespace ReportJob.NetFlow.Decoding;

/// <summary>
/// Ways an exporter departs from the letter of RFC 3954 / RFC 7011 that a datagram was decoded despite, whole: none of
/// them costs a record. Flags: several can be set. Wireshark reads such exports the same way.
/// </summary>
[Flags]
public enum ExportDeviations
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>
    /// Non-zero bytes after the message: an IPFIX message length (RFC 7011 §3.1) or a v5 record count shorter than
    /// the datagram. The message is decoded by its length and the rest ignored.
    /// </summary>
    TrailingBytes = 1 << 0,

    /// <summary>An export time of 0 in the header (RFC 3954 §5.1 unix_secs, RFC 7011 §3.1 Export Time): the capture's receive time stands in.</summary>
    ZeroExportTime = 1 << 1,

    /// <summary>
    /// Byte or packet counters (IE 1, 2, 23, 24, 85, 86) of 1 to 3 bytes in a template: read as unsigned integers of
    /// that length (RFC 7011 §6.2 reduced-size encoding), which wraps early.
    /// </summary>
    ShortCounters = 1 << 2,

    /// <summary>A v9 FlowSet whose length is not a multiple of 4 (RFC 3954 §5.3: padded to a 32-bit boundary): the next set starts where its length says.</summary>
    UnpaddedSet = 1 << 3,
}
