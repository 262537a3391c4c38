using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace ReportJob.NetFlow;

/// <summary>
/// How far the decoding of a file got: for the early ledger check (<see cref="EarlyDuplicateCheck"/>, on another
/// thread) and for the caller's <see cref="IProgress{T}"/>, which the decoding thread tells at most every quarter of a
/// second (checked every few dozen datagrams) and once the file is read.
/// </summary>
internal sealed class FileProgress(IProgress<IngestProgress>? sink = null, int number = 1, int count = 1)
{
    private static readonly long Interval = Stopwatch.Frequency / 4;
    private long _due;
    private string _name = "";
    private Stream? _stream;

    public long Datagrams;

    public volatile bool Decoded;

    /// <summary>The file being read, whose position is the progress.</summary>
    public void Start(string path, Stream stream)
    {
        (_name, _stream) = (Path.GetFileName(path), stream);
        _due = Stopwatch.GetTimestamp() + Interval;
    }

    /// <summary>Tells the caller, when a report is due.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Tick(long records)
    {
        if (sink is not null && Stopwatch.GetTimestamp() >= _due)
        {
            Report(records, end: false);
        }
    }

    /// <summary>The file is read to its end.</summary>
    public void Done(long records)
    {
        Decoded = true;
        if (sink is not null)
        {
            Report(records, end: true);
        }
    }

    private void Report(long records, bool end)
    {
        _due = Stopwatch.GetTimestamp() + Interval;
        if (_stream is { } stream)
        {
            sink!.Report(new IngestProgress(_name, number, count, end ? stream.Length : stream.Position, stream.Length, records));
        }
    }
}
