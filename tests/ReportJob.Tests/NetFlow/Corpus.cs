using ReportJob.NetFlow;
using ReportJob.NetFlow.Decoding;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.NetFlow;

/// <summary>Reads corpus files in place (never copied into the repository).</summary>
internal static class Corpus
{
    public static readonly FlowAddress LogstashExporter = FlowAddress.Parse("192.0.2.1");

    public static string Path(params string[] parts) => System.IO.Path.Combine([RepoPaths.Corpora, .. parts]);

    /// <summary>Decodes every datagram of the given capture files (in order) with one decoder session.</summary>
    public static (RecordingSink Sink, FlowDecoder Decoder, List<DecodeResult> Results) DecodeCaptures(IEnumerable<string> files, FlowDecoder? decoder = null, CaptureReaderOptions? options = null)
    {
        decoder ??= new FlowDecoder();
        var sink = new RecordingSink();
        var results = new List<DecodeResult>();
        foreach (var file in files)
        {
            using var stream = File.OpenRead(file);
            using var reader = CaptureReader.Open(stream, options);
            while (reader.TryRead(out var datagram))
            {
                results.Add(decoder.Decode(in datagram, ref sink));
            }
        }

        return (sink, decoder, results);
    }

    /// <summary>The flow count in an nfdump CSV (its summary line; data rows as fallback).</summary>
    public static int NfdumpFlowCount(string csv)
    {
        var lines = File.ReadAllLines(csv);
        for (var i = 0; i < lines.Length - 1; i++)
        {
            if (lines[i].StartsWith("flows,", StringComparison.Ordinal))
            {
                return int.Parse(lines[i + 1].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return lines.Count(l => l.Length > 4 && char.IsDigit(l[0]) && l[4] == '-');
    }
}
