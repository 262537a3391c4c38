using System.Diagnostics;
using System.Globalization;
using ReportJob.NetFlow;
using ReportJob.NetFlow.Decoding;

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

        // The machine may be shared: CPU seconds say what decoding costs whatever else runs (they include
        // the JIT's background compilations, which is part of the honest cost of a round).
        var self = Process.GetCurrentProcess();
        var rates = new List<(double Wall, double Cpu)>();
        for (var round = 0; round <= rounds; round++)
        {
            // A fresh session per round: templates are learnt again from the capture.
            var decoder = new FlowDecoder(new FlowDecoderOptions { TemplateIdleTimeout = TimeSpan.Zero });
            var sink = new SummingSink();
            self.Refresh();
            var cpu0 = self.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            foreach (var (exporter, payload) in datagrams)
            {
                decoder.Decode(exporter, payload, ref sink);
            }

            sw.Stop();
            self.Refresh();
            var cpu = (self.TotalProcessorTime - cpu0).TotalSeconds;
            var wallRate = sink.Records / sw.Elapsed.TotalSeconds / 1e6;
            var cpuRate = cpu > 0 ? sink.Records / cpu / 1e6 : double.PositiveInfinity;
            if (round > 0)
            {
                rates.Add((wallRate, cpuRate));
            }

            var label = round == 0 ? "warm-up" : $"round {round}";
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{label,-8}: {sink.Records:N0} records in {sw.Elapsed.TotalMilliseconds:F1} ms = {wallRate:F2} M records/s, {payloadBytes / sw.Elapsed.TotalSeconds / 1e6:F0} MB/s; {cpu * 1000:F1} ms CPU = {cpuRate:F2} M records per CPU-second (checksum {sink.Bytes})"));
        }

        if (rates.Count > 0)
        {
            var wall = rates.Select(r => r.Wall).Order().ToArray();
            var perCpu = rates.Select(r => r.Cpu).Order().ToArray();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"median  : {wall[wall.Length / 2]:F2} M records/s wall (best {wall[^1]:F2}), {perCpu[perCpu.Length / 2]:F2} M records per CPU-second (best {perCpu[^1]:F2}); load average {LoadAverage()}"));
        }

        return Task.FromResult(0);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    // Counts records and keeps the last one: storing the whole record makes the JIT compute every field,
    // as a real sink (the aggregator) needs, instead of only the few the checksum reads.
    private struct SummingSink : IFlowSink
    {
        public long Records;
        public ulong Bytes;
        public FlowRecord Last;

        public void OnFlow(in FlowRecord record, FlowFields fields)
        {
            Records++;
            Bytes += record.Bytes + record.Packets + record.SourcePort;
            Last = record;
        }

        public void OnOptions(in OptionsRecord record, FlowFields fields)
        {
        }

        public void OnTemplate(in TemplateEvent templateEvent)
        {
        }
    }
}
