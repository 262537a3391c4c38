using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReportJob.NetFlow;

namespace ReportJob.Cli;

/// <summary><c>reportjob flows summary|top|scanners</c>: queries over the stored aggregates, like nfdump's -I and -s.</summary>
internal static class FlowsCommand
{
    public static Command Create()
    {
        var from = TimeOption.Create("--from", "First bucket to include");
        var to = TimeOption.Create("--to", "End of the window (exclusive)");
        var format = OutputWriter.CreateOption();

        var summary = new Command("summary", "Totals (flows, packets, bytes; raw and sampling-scaled), per exporter, and data quality.") { from, to, format };
        summary.SetAction((parse, ct) => CliRunner.RunAsync(parse, ct, async (services, token) =>
        {
            var (fromUtc, toUtc) = (TimeOption.Parse("--from", parse.GetValue(from)), TimeOption.Parse("--to", parse.GetValue(to)));
            var s = await services.GetRequiredService<FlowQueries>().SummaryAsync(fromUtc, toUtc, token);
            var fmt = parse.GetValue(format);
            Write(fmt, ["exporter", "flows", "packets", "bytes", "raw_packets", "raw_bytes", "sampled_flows", "skipped_flows"],
                s.Exporters.Append(s.Total).Select(e => new object?[] { e.Exporter, e.Flows, e.Packets, e.Bytes, e.RawPackets, e.RawBytes, e.SampledFlows, e.SkippedFlows }));
            if (fmt == OutputFormat.Table)
            {
                var q = s.Quality;
                Console.WriteLine(s.FirstBucketUtc is { } first && s.LastBucketUtc is { } last
                    ? string.Create(CultureInfo.InvariantCulture,
                        $"window: {first:yyyy-MM-dd HH:mm} .. {last:yyyy-MM-dd HH:mm} UTC (bucket starts); files {q.Files}, flow records {q.FlowRecords}")
                    : string.Create(CultureInfo.InvariantCulture,
                        $"window: no flow data stored{(fromUtc is null && toUtc is null ? "" : " between --from and --to")}; files {q.Files}, flow records {q.FlowRecords}"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"export units lost (sequence): {q.SequenceLost}; data sets without template: {q.MissingTemplateSets}; undecodable sets/datagrams: {q.UndecodableSets}"));
                foreach (var note in q.SamplingNotes)
                {
                    Console.WriteLine("sampling: " + note);
                }
            }

            return ExitCodes.Ok;
        }));

        var by = new Option<string>("--by") { Description = "src, dst, conversation, port, proto or site", DefaultValueFactory = _ => "src" };
        by.AcceptOnlyFromAmong("src", "dst", "conversation", "port", "proto", "site");
        var metric = new Option<string>("--metric") { Description = "bytes, packets or flows", DefaultValueFactory = _ => "bytes" };
        metric.AcceptOnlyFromAmong("bytes", "packets", "flows");
        var limit = new Option<int>("--limit") { Description = "Rows to show", DefaultValueFactory = _ => 10 };
        var top = new Command("top", "Top talkers, conversations, ports, protocols or sites (like nfdump -s).") { by, metric, from, to, limit, format };
        top.SetAction((parse, ct) => CliRunner.RunAsync(parse, ct, async (services, token) =>
        {
            var n = parse.GetValue(limit);
            if (n < 1)
            {
                throw new UsageException("--limit must be at least 1");
            }

            var key = Enum.Parse<FlowTopBy>(parse.GetValue(by)!, ignoreCase: true);
            var rows = await services.GetRequiredService<FlowQueries>().TopAsync(key, Enum.Parse<FlowMetric>(parse.GetValue(metric)!, ignoreCase: true),
                TimeOption.Parse("--from", parse.GetValue(from)), TimeOption.Parse("--to", parse.GetValue(to)), n, token);
            if (key == FlowTopBy.Site)
            {
                Write(parse.GetValue(format), ["site", "flows", "packets", "bytes", "bytes_in", "bytes_out"],
                    rows.Select(r => new object?[] { r.Key, r.Flows, r.Packets, r.Bytes, r.BytesIn, r.BytesOut }));
            }
            else
            {
                Write(parse.GetValue(format), [parse.GetValue(by)!, "flows", "packets", "bytes"],
                    rows.Select(r => new object?[] { r.Key, r.Flows, r.Packets, r.Bytes }));
            }

            return ExitCodes.Ok;
        }));

        var scanners = new Command("scanners", "Sources that touched many ports or hosts with tiny flows (NetFlow:Scan thresholds), with evidence.") { from, to, format };
        scanners.SetAction((parse, ct) => CliRunner.RunAsync(parse, ct, async (services, token) =>
        {
            var scan = services.GetRequiredService<IOptions<NetFlowOptions>>().Value.Scan;
            var found = await services.GetRequiredService<FlowQueries>().ScannersAsync(
                TimeOption.Parse("--from", parse.GetValue(from)), TimeOption.Parse("--to", parse.GetValue(to)), scan, 10, token);
            Write(parse.GetValue(format), ["source", "ports", "hosts", "flows", "first_seen", "last_seen", "evidence"],
                found.Select(f => new object?[] { f.Source, f.DistinctPorts, f.DistinctHosts, f.Flows, Utc(f.FirstSeenUtc), Utc(f.LastSeenUtc), f.Evidence() }));
            return ExitCodes.Ok;
        }));

        return new Command("flows", "Query the stored NetFlow/IPFIX aggregates.") { summary, top, scanners };
    }

    private static void Write(OutputFormat format, IReadOnlyList<string> columns, IEnumerable<object?[]> rows) =>
        OutputWriter.Write(Console.Out, new OutputTable(columns, rows.ToList()), format);

    private static string Utc(DateTime time) => time.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
