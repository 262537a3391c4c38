using System.Globalization;
using ReportJob.Bench;

// One entry per benchmark; each prints its own figures (rates, seconds, peak memory).
var benchmarks = new Dictionary<string, (string Usage, Func<string[], Task<int>> Run)>(StringComparer.OrdinalIgnoreCase)
{
    ["decode"] = (DecodeBenchmark.Usage, DecodeBenchmark.RunAsync),
    ["ingest"] = (IngestBenchmark.Usage, IngestBenchmark.RunAsync),
    ["listen"] = (ListenBenchmark.Usage, ListenBenchmark.RunAsync),
    ["generate-v9"] = ("FILE RECORDS [SPREAD_SECONDS]: write a softflowd-like NetFlow v9 pcap of random hosts and ports (flows ending up to SPREAD_SECONDS, at most 604800, before their export: many buckets at once)", a =>
    {
        ReportJob.NetFlow.SampleCapture.Write(a[0], int.Parse(a[1], CultureInfo.InvariantCulture),
            endSpreadSeconds: a.Length > 2 ? uint.Parse(a[2], CultureInfo.InvariantCulture) : 0);
        Console.WriteLine($"wrote {a[0]}");
        return Task.FromResult(0);
    }),
    ["snapshot-store"] = (SnapshotStoreBenchmark.Usage, SnapshotStoreBenchmark.RunAsync),
    ["proc-parse"] = (ProcParseBenchmark.Usage, ProcParseBenchmark.RunAsync),
    ["iis-parse"] = (IisParseBench.Usage, IisParseBench.RunAsync),
    ["report"] = (ReportBenchmark.Usage, ReportBenchmark.RunAsync),
};

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var bench))
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/ReportJob.Bench -- <benchmark> [args]");
    foreach (var (name, (usage, _)) in benchmarks.OrderBy(b => b.Key))
    {
        Console.Error.WriteLine($"  {name,-14} {usage}");
    }

    return 2;
}

return await bench.Run(args[1..]);
