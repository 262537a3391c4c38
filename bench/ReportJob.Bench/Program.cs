using ReportJob.Bench;

// One entry per benchmark; each prints its own figures (rates, seconds, peak memory).
var benchmarks = new Dictionary<string, (string Usage, Func<string[], Task<int>> Run)>(StringComparer.OrdinalIgnoreCase)
{
    ["iis-parse"] = (IisParseBench.Usage, IisParseBench.RunAsync),
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
