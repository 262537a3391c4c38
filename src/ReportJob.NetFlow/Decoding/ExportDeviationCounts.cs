namespace ReportJob.NetFlow.Decoding;

/// <summary>Datagrams counted per <see cref="ExportDeviations"/> flag: what sloppy exporters were decoded despite.</summary>
public sealed class ExportDeviationCounts
{
    /// <summary>Datagrams with non-zero bytes after the message (<see cref="ExportDeviations.TrailingBytes"/>).</summary>
    public long TrailingBytes { get; private set; }

    /// <summary>Datagrams with an export time of 0 (<see cref="ExportDeviations.ZeroExportTime"/>).</summary>
    public long ZeroExportTime { get; private set; }

    /// <summary>Datagrams with 1 to 3-byte byte or packet counters (<see cref="ExportDeviations.ShortCounters"/>).</summary>
    public long ShortCounters { get; private set; }

    /// <summary>Datagrams with a v9 FlowSet not padded to 4 bytes (<see cref="ExportDeviations.UnpaddedSet"/>).</summary>
    public long UnpaddedSets { get; private set; }

    /// <summary>Counts one datagram's deviations.</summary>
    public void Count(ExportDeviations deviations)
    {
        if (deviations == ExportDeviations.None)
        {
            return;
        }

        TrailingBytes += (deviations & ExportDeviations.TrailingBytes) != 0 ? 1 : 0;
        ZeroExportTime += (deviations & ExportDeviations.ZeroExportTime) != 0 ? 1 : 0;
        ShortCounters += (deviations & ExportDeviations.ShortCounters) != 0 ? 1 : 0;
        UnpaddedSets += (deviations & ExportDeviations.UnpaddedSet) != 0 ? 1 : 0;
    }
}
