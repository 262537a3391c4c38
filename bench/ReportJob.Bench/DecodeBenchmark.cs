using System.Diagnostics;
using System.Globalization;
using ReportJob.NetFlow;

namespace ReportJob.Bench;

/// <summary>Decode throughput: loads a capture's datagrams into memory, then decodes them several times on one core.</summary>
internal static class DecodeBenchmark
{
    public const string Usage = "FILE [ROUNDS]: decode-only records/s of a capture held in memory";

    public static Task<int> RunAsync(string[] args)
    {
        if (args.Length < 1)
        {
            Console.Error.WriteLine("usage: decode " + Usage);
            return Task.FromResult(2);
        }

        args = ["decode", .. args];
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
        var datagrams = new List<(FlowAddress Exporter, byte[] Payload)>();
        long payloadBytes = 0;
        using (var stream = File.OpenRead(args[1]))
        using (var reader = CaptureReader.Open(stream))
        {
            var read = Stopwatch.StartNew();
            while (reader.TryRead(out var d))
            {
                datagrams.Add((d.Exporter, d.Payload.ToArray()));
                payloadBytes += d.Payload.Length;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"read {datagrams.Count:N0} datagrams ({payloadBytes / 1e6:F1} MB payload) from {reader.Format} in {read.Elapsed.TotalSeconds:F2} s"));
        }

        for (var round = 0; round <= rounds; round++)
        {
            // A fresh session per round: templates are learnt again from the capture.
            var decoder = new FlowDecoder(new FlowDecoderOptions { TemplateIdleTimeout = TimeSpan.Zero });
            var sink = new SummingSink();
            var sw = Stopwatch.StartNew();
            foreach (var (exporter, payload) in datagrams)
            {
                decoder.Decode(exporter, payload, ref sink);
            }

            sw.Stop();
            var label = round == 0 ? "warm-up" : $"round {round}";
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{label,-8}: {sink.Records:N0} records in {sw.Elapsed.TotalMilliseconds:F1} ms = {sink.Records / sw.Elapsed.TotalSeconds / 1e6:F2} M records/s, {payloadBytes / sw.Elapsed.TotalSeconds / 1e6:F0} MB/s (checksum {sink.Bytes})"));
        }

        return Task.FromResult(0);
    }

    private struct SummingSink : IFlowSink
    {
        public long Records;
        public ulong Bytes;

        public void OnFlow(in FlowRecord record, FlowFields fields)
        {
            Records++;
            Bytes += record.Bytes + record.Packets + record.SourcePort;
        }

        public void OnOptions(in OptionsRecord record, FlowFields fields)
        {
        }

        public void OnTemplate(in TemplateEvent templateEvent)
        {
        }
    }
}
