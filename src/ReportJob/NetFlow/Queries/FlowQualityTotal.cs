using System.Globalization;

namespace ReportJob.NetFlow;

/// <summary>
/// Loss and sampling over a window, from the files whose exports overlap it; and what sloppy exporters were decoded
/// despite: datagrams per deviation (<see cref="ReportJob.NetFlow.Decoding.ExportDeviations"/>) and captures that
/// ended in the middle of a record (ingested up to it).
/// </summary>
public sealed record FlowQualityTotal(long Files, long FlowRecords, long SequenceLost, long MissingTemplateSets, long UndecodableSets, IReadOnlyList<string> SamplingNotes)
{
    public long TrailingBytes { get; init; }

    public long ZeroExportTime { get; init; }

    public long ShortCounters { get; init; }

    public long UnpaddedSets { get; init; }

    public long CutFiles { get; init; }

    /// <summary>One sentence per deviation met (none when the exports were clean), numbers in <paramref name="culture"/>.</summary>
    public IReadOnlyList<string> DeviationNotes(CultureInfo culture)
    {
        var notes = new List<string>();
        Add(TrailingBytes, "datagram(s) with bytes after the message (decoded by the message's length)");
        Add(ZeroExportTime, "datagram(s) with export time 0 (the capture's time used instead)");
        Add(ShortCounters, "datagram(s) with 1-3 byte byte/packet counters (read at that size)");
        Add(UnpaddedSets, "datagram(s) with a v9 FlowSet not padded to 4 bytes (walked by its length)");
        Add(CutFiles, "capture(s) cut short in the middle of the last record (ingested up to the cut)");
        return notes;

        void Add(long count, string what)
        {
            if (count > 0)
            {
                notes.Add(string.Format(culture, "{0:N0} {1}", count, what));
            }
        }
    }
}
