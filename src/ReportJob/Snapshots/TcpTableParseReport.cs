namespace ReportJob.Snapshots;

/// <summary>
/// Counts of one parse of a connection table. Malformed lines are data, not exceptions: they are counted and the
/// first few are kept with their line numbers for the log and the report.
/// </summary>
public sealed class TcpTableParseReport
{
    /// <summary>How many malformed lines are kept with their reason; the rest are only counted.</summary>
    public const int MaxSamples = 10;

    private readonly List<MalformedLine> _samples = [];

    /// <summary>Header lines seen (one per table: /proc/net/tcp and tcp6 each have one, the CSV has one).</summary>
    public int HeaderLines { get; private set; }

    /// <summary>Rows read into connections.</summary>
    public int Rows { get; private set; }

    public int MalformedLines { get; private set; }

    public IReadOnlyList<MalformedLine> Samples => _samples;

    internal void Header() => HeaderLines++;

    internal void Row() => Rows++;

    internal void Malformed(string source, int lineNumber, string reason)
    {
        MalformedLines++;
        if (_samples.Count < MaxSamples)
        {
            _samples.Add(new MalformedLine(source, lineNumber, reason));
        }
    }

    public override string ToString() => MalformedLines == 0
        ? $"{Rows} rows"
        : $"{Rows} rows, {MalformedLines} malformed lines ({string.Join("; ", _samples)})";
}
