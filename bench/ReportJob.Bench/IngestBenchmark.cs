using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ReportJob.Hosting;
using ReportJob.NetFlow;
using ReportJob.NetFlow.Decoding;
using ReportJob.Tests.NetFlow;

namespace ReportJob.Bench;

/// <summary>
/// End-to-end NetFlow figures for one v9 capture (softflowd from synthetic traffic, ≥ 1,000,000 records by default):
/// decode-only records/s on one core, ingest (capture → aggregates committed) into SQLite and, with --postgres,
/// PostgreSQL, each with its peak memory; beside them the same flows through nfdump -A srcip,dstip,proto,dstport
/// (from the nfcapd files of the same export) and through tshark's decode of the capture.
/// </summary>
internal static class IngestBenchmark
{
    public const string Usage = "[--flows N] [--capture FILE --nfcapd DIR] [--postgres CONNSTRING] [--work DIR] [--only aggregate|ingest|fresh|service [--rounds N]] [--warm-up yes|no]: decode, ingest → SQLite/PostgreSQL, nfdump, tshark (--only: that stage N times, 3 by default; fresh: the SQLite ingest as the first file of N new processes, with their median; service: N files in one host and database, as the scheduled job, with the memory held between them; --warm-up no: without the decoding path's warm-up that `reportjob ingest` starts before its host)";

    public static async Task<int> RunAsync(string[] args)
    {
        var flows = 620_000;
        var rounds = 3;
        var warmUp = true;
        string? capture = null, nfcapd = null, postgres = null, only = null;
        var work = Path.Combine(Path.GetTempPath(), "reportjob-bench-ingest");
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--flows": flows = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--capture": capture = args[i + 1]; break;
                case "--nfcapd": nfcapd = args[i + 1]; break;
                case "--postgres": postgres = args[i + 1]; break;
                case "--work": work = args[i + 1]; break;
                case "--only": only = args[i + 1]; break;
                case "--rounds": rounds = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--warm-up": warmUp = args[i + 1] != "no"; break;
                default:
                    Console.Error.WriteLine("usage: ingest " + Usage);
                    return 2;
            }
        }

        Directory.CreateDirectory(work);
        var port = 2055 + 20_000 + (Environment.ProcessId % 1000);
        if (capture is null)
        {
            var traffic = Path.Combine(work, "traffic.pcap");
            var sw = Stopwatch.StartNew();
            // Conversations of 1–8 packets each way (softflowd exports one record per direction): about 1.1 M records.
            var packets = SyntheticTraffic.Write(traffic, flows, seed: 1, span: TimeSpan.FromHours(1), maxPacketsPerFlow: 8, scanner: true, maxPacketSize: 64);
            Print($"synthetic traffic: {packets:N0} packets, {new FileInfo(traffic).Length / 1e6:F1} MB in {sw.Elapsed.TotalSeconds:F1} s");
            sw.Restart();
            (capture, nfcapd) = SoftflowdExport.Run(traffic, 9, work, port);
            Print($"softflowd -v 9 → tcpdump + nfcapd: {new FileInfo(capture).Length / 1e6:F1} MB capture in {sw.Elapsed.TotalSeconds:F1} s");
            File.Delete(traffic);
        }

        var rows = new List<(string What, long Records, double Seconds, string Memory)>();
        if (only == "aggregate")
        {
            for (var round = 0; round < rounds; round++)
            {
                rows.Add(Aggregate(capture));
            }
        }

        if (only == "ingest")
        {
            for (var round = 0; round < rounds; round++)
            {
                rows.Add(await IngestAsync("ingest → SQLite (end to end)", capture, "Sqlite", $"Data Source={Path.Combine(work, $"bench-{round}.db")}", work, warmUp));
            }
        }

        if (only == "service")
        {
            rows.AddRange(await OneHostAsync(capture, work, rounds));
        }

        if (only == "fresh")
        {
            rows.AddRange(await FreshProcessesAsync(capture, work, rounds, warmUp));
        }

        if (only is not null)
        {
            PrintTable(rows);
            return 0;
        }

        rows.Add(await IngestAsync("ingest → SQLite (end to end)", capture, "Sqlite", $"Data Source={Path.Combine(work, "bench.db")}", work, warmUp));
        if (postgres is not null)
        {
            rows.Add(await IngestAsync("ingest → PostgreSQL (end to end)", capture, "Postgres", postgres, work, warmUp));
        }

        rows.Add(DecodeOnly(capture));
        rows.Add(Aggregate(capture));

        if (nfcapd is not null)
        {
            var sw = Stopwatch.StartNew();
            var outFile = Path.Combine(work, "nfdump-aggregated.txt");
            var result = ReportJob.Tests.TestSupport.ExternalTools.RunRaw("nfdump", ["-R", nfcapd, "-A", "srcip,dstip,proto,dstport", "-q", "-o", "fmt:%sa %da %pr %dp %pkt %byt %fl", "-w", outFile], TimeSpan.FromMinutes(30));
            var nfdumpSeconds = sw.Elapsed.TotalSeconds;
            var totals = SoftflowdExport.NfdumpTotals(nfcapd);
            rows.Add(("nfdump -A srcip,dstip,proto,dstport", totals.Flows, nfdumpSeconds, result.ExitCode == 0 ? "(separate process)" : $"exit {result.ExitCode}"));
            Print($"nfdump totals: {totals.Flows:N0} flows, {totals.Packets:N0} packets, {totals.Bytes:N0} bytes, sequence failures {totals.SequenceFailures}");
        }

        using (var stream = File.OpenRead(capture))
        using (var reader = CaptureReader.Open(stream))
        {
            // The export's UDP port, for tshark's "decode as" (a given capture was not made on this run's port).
            port = reader.TryRead(out var first) ? first.DestinationPort : port;
        }

        var tsharkWatch = Stopwatch.StartNew();
        var tsharkRecords = SoftflowdExport.TsharkRecordCount(capture, port);
        rows.Add(("tshark -T fields (cflow decode)", tsharkRecords, tsharkWatch.Elapsed.TotalSeconds, "(separate process)"));

        PrintTable(rows);
        return 0;
    }

    /// <summary>
    /// The SQLite ingest as the first file of <paramref name="count"/> new processes of this benchmark, one after the
    /// other (the figure the target is about, and the one the JIT and a cold process weigh on most); prints each
    /// child's line and the median, fastest and slowest.
    /// </summary>
    private static async Task<List<(string, long, double, string)>> FreshProcessesAsync(string capture, string work, int count, bool warmUp)
    {
        var self = Environment.ProcessPath!;
        var entry = typeof(IngestBenchmark).Assembly.Location;
        var rows = new List<(string, long, double, string)>();
        for (var i = 0; i < count; i++)
        {
            var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            {
                start.ArgumentList.Add(entry);
            }

            foreach (var a in new[] { "ingest", "--capture", capture, "--work", Path.Combine(work, "fresh"), "--only", "ingest", "--rounds", "1", "--warm-up", warmUp ? "yes" : "no" })
            {
                start.ArgumentList.Add(a);
            }

            using var child = Process.Start(start)!;
            var output = await child.StandardOutput.ReadToEndAsync();
            await child.WaitForExitAsync();
            var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("ingest → SQLite (end to end):", StringComparison.Ordinal));
            var table = output.Split('\n').FirstOrDefault(l => l.StartsWith("ingest → SQLite (end to end) ", StringComparison.Ordinal));
            if (child.ExitCode != 0 || line is null || table is null)
            {
                throw new InvalidOperationException($"fresh process {i + 1} failed (exit {child.ExitCode}):\n{output}");
            }

            Print($"fresh process {i + 1}: {line["ingest → SQLite (end to end): ".Length..]}");
            // The table's columns: what, records, seconds, records/s, peak.
            var cells = table["ingest → SQLite (end to end)".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            rows.Add(("first file of a new process (SQLite)", long.Parse(cells[0], NumberStyles.AllowThousands, CultureInfo.InvariantCulture),
                double.Parse(cells[1], CultureInfo.InvariantCulture), string.Join(' ', cells[3..])));
        }

        var seconds = rows.Select(r => r.Item3).Order().ToList();
        Print($"first file of {count} new processes: median {seconds[count / 2]:F2} s = {rows[0].Item2 / seconds[count / 2]:N0} flows/s (fastest {seconds[0]:F2} s, slowest {seconds[^1]:F2} s)");
        return rows;
    }

    private static void PrintTable(List<(string What, long Records, double Seconds, string Memory)> rows)
    {
        Console.WriteLine();
        Console.WriteLine($"{"what",-38} {"records",12} {"seconds",9} {"records/s",12}  peak memory");
        foreach (var (what, records, seconds, memory) in rows)
        {
            Print($"{what,-38} {records,12:N0} {seconds,9:F2} {records / seconds,12:N0}  {memory}");
        }

        Print($"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
    }

    /// <summary>The tables an ingest writes rows into (besides the ledger and the templates): emptied between runs on one database.</summary>
    private static readonly string[] FlowTables = ["flow_exporter", "flow_host", "flow_conversation", "flow_port", "flow_site", "flow_scan_evidence", "flow_peer_evidence", "flow_quality"];

    /// <summary>The benchmark's SQLite files, so that each run starts on a fresh one (a pooled connection may still hold a deleted one open).</summary>
    private static void DeleteSqliteFiles(string work)
    {
        foreach (var f in Directory.GetFiles(work, "bench*.db*"))
        {
            File.Delete(f);
        }
    }

    private static async Task<IHost> StartHostAsync(string provider, string connectionString)
    {
        var host = AppHost.CreateBuilder(AppConfiguration.Build(null, new Dictionary<string, string?>
        {
            ["Storage:Provider"] = provider,
            ["Storage:ConnectionString"] = connectionString,
            ["Logging:LogLevel:Default"] = "Warning",
        })).Build();
        await AppHost.StartAsync(host.Services, migrate: true, CancellationToken.None);
        return host;
    }

    /// <summary>
    /// The capture ingested <paramref name="count"/> times by one host into one SQLite database, as the scheduled job
    /// ingests file after file in a long-running process (the file's rows and ledger entry are deleted in between, so
    /// that it is not a duplicate): each file's time and peak, and the memory the process holds between files.
    /// </summary>
    private static async Task<List<(string, long, double, string)>> OneHostAsync(string capture, string work, int count)
    {
        DeleteSqliteFiles(work);
        using var host = await StartHostAsync("Sqlite", $"Data Source={Path.Combine(work, "bench-service.db")}");
        var factory = host.Services.GetRequiredService<ReportJob.Storage.IDbConnectionFactory>();
        var ingestor = host.Services.GetRequiredService<FlowIngestor>();
        var rows = new List<(string, long, double, string)>();
        for (var i = 0; i < count; i++)
        {
            await using (var c = await factory.OpenAsync(CancellationToken.None))
            await using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = "DELETE FROM ingest_ledger; " + string.Concat(FlowTables.Select(t => $"DELETE FROM {t}; "));
                await cmd.ExecuteNonQueryAsync();
            }

            GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
            var held = Environment.WorkingSet;
            PeakMemory.Reset();
            var outcome = await ingestor.IngestFileAsync(capture, CancellationToken.None);
            if (outcome.Status != IngestStatus.Ingested)
            {
                throw new InvalidOperationException($"ingest {outcome.Status}: {outcome.Error}");
            }

            var memory = PeakMemory.Describe();
            Print($"file {i + 1} in one host: {outcome.Seconds:F2} s, {memory}; held before it {held / 1e6:F0} MB working set; after it {GC.GetTotalMemory(true) / 1e6:F0} MB live on the GC heap");
            rows.Add(($"file {i + 1} in one host (SQLite)", outcome.FlowRecords, outcome.Seconds, memory));
        }

        var later = rows.Skip(1).Select(r => r.Item3).Order().ToList();
        if (later.Count > 0)
        {
            Print($"files 2 to {count} in one host: median {later[later.Count / 2]:F2} s = {rows[0].Item2 / later[later.Count / 2]:N0} flows/s (fastest {later[0]:F2} s, slowest {later[^1]:F2} s)");
        }

        return rows;
    }

    private static async Task<(string, long, double, string)> IngestAsync(string label, string capture, string provider, string connectionString, string work, bool warmUp)
    {
        if (provider == "Sqlite")
        {
            DeleteSqliteFiles(work);
        }

        if (warmUp)
        {
            // As `reportjob ingest` does before it starts its host.
            _ = FlowIngestor.WarmUpInBackground();
        }

        using var host = await StartHostAsync(provider, connectionString);
        if (provider == "Postgres")
        {
            // A rerun of the benchmark on the same database must not be a ledger no-op.
            var factory = host.Services.GetRequiredService<ReportJob.Storage.IDbConnectionFactory>();
            await using var c = await factory.OpenAsync(CancellationToken.None);
            await using var cmd = c.CreateCommand();
            cmd.CommandText = $"DELETE FROM ingest_ledger WHERE kind = 'netflow'; TRUNCATE {string.Join(", ", FlowTables)}, flow_template;";
            await cmd.ExecuteNonQueryAsync();
        }

        GC.Collect();
        GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
        Print($"before ingest: {Environment.WorkingSet / 1e6:F0} MB working set, {GC.GetTotalMemory(true) / 1e6:F0} MB live on the GC heap, LOH {GC.GetGCMemoryInfo().GenerationInfo[3].SizeAfterBytes / 1e6:F0} MB");
        PeakMemory.Reset();
        var (gc0, gc1, gc2, paused) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
        var (jitTime, jitMethods) = (System.Runtime.JitInfo.GetCompilationTime(), System.Runtime.JitInfo.GetCompiledMethodCount());
        IngestOutcome outcome;
        using (var sampler = new PeakMemory.Sampler())
        {
            outcome = await host.Services.GetRequiredService<FlowIngestor>().IngestFileAsync(capture, CancellationToken.None);
            Print($"{sampler.Stop()}");
        }

        var memory = PeakMemory.Describe();
        Print($"GC during the ingest: {GC.CollectionCount(0) - gc0} gen-0, {GC.CollectionCount(1) - gc1} gen-1, {GC.CollectionCount(2) - gc2} gen-2 collections, paused {(GC.GetTotalPauseDuration() - paused).TotalSeconds:F3} s; {GC.GetTotalAllocatedBytes() / 1e6:F0} MB allocated since start");
        Print($"JIT during the ingest: {System.Runtime.JitInfo.GetCompiledMethodCount() - jitMethods} methods compiled in {(System.Runtime.JitInfo.GetCompilationTime() - jitTime).TotalSeconds:F3} s (all threads, background tier-up included)");
        if (outcome.Status != IngestStatus.Ingested)
        {
            throw new InvalidOperationException($"ingest {outcome.Status}: {outcome.Error}");
        }

        if (provider == "Sqlite")
        {
            // The next round's file has another name: a pooled connection to this one would keep its page cache (up to
            // 16 MB) for the rest of the run, which a process writing to one database does not.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }

        var p = outcome.Phases;
        Print($"{label}: {outcome.FlowRecords:N0} records, {outcome.Datagrams:N0} datagrams, {outcome.Rows:N0} rows in {outcome.Seconds:F2} s: decode + aggregate {p.Decode:F3} s, waiting for the writer and the last rows {p.WaitForWriter:F3} s (writer busy {p.Writer:F3} s), the rest (open, templates, quality, ledger, commit) {p.Finish:F3} s; hash beside the decoding {p.Hash:F3} s");
        return (label, outcome.FlowRecords, outcome.Seconds, memory);
    }

    private static (string, long, double, string) DecodeOnly(string capture)
    {
        var datagrams = new List<(FlowAddress Exporter, byte[] Payload)>();
        using (var stream = File.OpenRead(capture))
        using (var reader = CaptureReader.Open(stream))
        {
            while (reader.TryRead(out var d))
            {
                datagrams.Add((d.Exporter, d.Payload.ToArray()));
            }
        }

        // Ten rounds after two warm-up rounds (the JIT's tiers settle in the first ones); the median is the figure.
        var times = new List<double>();
        long records = 0;
        for (var round = 0; round < 12; round++)
        {
            var decoder = new FlowDecoder();
            var sink = new CountingSink();
            var sw = Stopwatch.StartNew();
            foreach (var (exporter, payload) in datagrams)
            {
                decoder.Decode(exporter, payload, ref sink);
            }

            if (round >= 2)
            {
                times.Add(sw.Elapsed.TotalSeconds);
            }

            records = sink.Records;
        }

        times.Sort();
        var median = times[times.Count / 2];
        Print($"decode only: median {records / median / 1e6:F1} M records/s, best {records / times[0] / 1e6:F1} M, worst {records / times[^1] / 1e6:F1} M over {times.Count} rounds");
        return ("decode only (1 core, in memory, median)", records, median, "(capture held in memory)");
    }

    /// <summary>Decode + aggregate in memory (default options), draining as the ingest does, without the store.</summary>
    private static (string, long, double, string) Aggregate(string capture)
    {
        var settings = new IngestSettings(new NetFlowOptions());
        GC.Collect();
        PeakMemory.Reset();
        Print($"before aggregate: {Environment.WorkingSet >> 20} MB working set");
        var self = Process.GetCurrentProcess();
        var cpu0 = self.TotalProcessorTime;
        var gc0 = GC.CollectionCount(2);
        var drains = 0;
        var sw = Stopwatch.StartNew();
        var aggregator = new FlowAggregator(settings);
        var sink = new AggregatingSink(aggregator);
        var decoder = new FlowDecoder();
        var resolver = new SiteResolver(ReportJob.Sites.SiteMap.Empty);
        var totals = new BucketTotals();
        long rows = 0;
        double drain = 0;
        using (var stream = new FileStream(capture, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        using (var reader = CaptureReader.Open(stream))
        {
            var n = 0;
            while (reader.TryRead(out var d))
            {
                decoder.Decode(d.Exporter, d.Payload.Span, d.TimestampUtc, ref sink);
                if (++n % 64 == 0 && aggregator.EntryCount >= settings.MaxEntriesInMemory)
                {
                    var t = sw.Elapsed.TotalSeconds;
                    var taken = aggregator.TakeOverBudget();
                    rows += taken.ToBatch(resolver, settings.TopN, totals).RowCount;
                    aggregator.ReturnConversations(taken);
                    drain += sw.Elapsed.TotalSeconds - t;
                    drains++;
                }
            }
        }

        var t2 = sw.Elapsed.TotalSeconds;
        rows += aggregator.TakeAll().ToBatch(resolver, settings.TopN, totals).RowCount;
        drain += sw.Elapsed.TotalSeconds - t2;
        self.Refresh();
        var info = GC.GetGCMemoryInfo();
        Print($"GC: heap {info.HeapSizeBytes >> 20} MB, committed {info.TotalCommittedBytes >> 20} MB, fragmented {info.FragmentedBytes >> 20} MB, promoted {info.PromotedBytes >> 20} MB, total allocated {GC.GetTotalAllocatedBytes() >> 20} MB; gen0 budget {AppContext.GetData("GCgen0size")}; working set {Environment.WorkingSet >> 20} MB");
        Print($"decode + aggregate: {aggregator.FlowRecords:N0} records → {rows:N0} rows; of {sw.Elapsed.TotalSeconds:F2} s ({(self.TotalProcessorTime - cpu0).TotalSeconds:F2} s CPU, {GC.CollectionCount(2) - gc0} gen-2 GCs), {drains} budget drains + 1 final: {drain:F2} s");
        return ("decode + aggregate (no store)", aggregator.FlowRecords, sw.Elapsed.TotalSeconds, PeakMemory.Describe() + " (of the process: what earlier stages left included)");
    }

    private static void Print(FormattableString text) => Console.WriteLine(text.ToString(CultureInfo.InvariantCulture));

    private struct CountingSink : IFlowSink
    {
        public long Records;

        public void OnFlow(in FlowRecord record, FlowFields fields) => Records++;

        public readonly void OnOptions(in OptionsRecord record, FlowFields fields)
        {
        }

        public readonly void OnTemplate(in TemplateEvent templateEvent)
        {
        }
    }
}
