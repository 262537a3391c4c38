namespace ReportJob.NetFlow.Decoding;

/// <summary>
/// Where a capture ends in the middle of a record (the capturing program was killed, the disk filled): everything
/// before <paramref name="Offset"/> was read, the incomplete record is not.
/// </summary>
/// <param name="Offset">Byte offset of the incomplete record.</param>
/// <param name="Reason">What is missing, e.g. "a pcap record announces 1,420 bytes, 610 present".</param>
public sealed record CaptureCut(long Offset, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => $"cut short in the middle of its last record at byte offset {Offset} ({Reason})";
}
