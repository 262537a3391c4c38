using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReportJob.NetFlow;

namespace ReportJob.Cli;

/// <summary><c>reportjob flows summary|top|scanners|heavy-hitters|dos-targets|mail-senders</c>: queries over the stored aggregates, like nfdump's -I and -s, and the detections.</summary>
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

                foreach (var note in q.DeviationNotes(CultureInfo.InvariantCulture))
                {
                    Console.WriteLine("decoded despite: " + note);
                }
            }

            return ExitCodes.Ok;
        }));

        var by = new Option<string>("--by")
        {
            Description = "src, dst, conversation, port (the service port: the lower-numbered side of TCP/UDP/SCTP), proto or site",
            DefaultValueFactory = _ => "src",
        };
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
                Write(parse.GetValue(format), [key == FlowTopBy.Port ? "service_port" : parse.GetValue(by)!, "flows", "packets", "bytes"],
                    rows.Select(r => new object?[] { r.Key, r.Flows, r.Packets, r.Bytes }));
            }

            return ExitCodes.Ok;
        }));

        var scanners = Detection("scanners", "Sources that touched many ports or hosts with tiny or SYN-only flows (NetFlow:Scan thresholds), with evidence.",
            from, to, format, async (queries, o, fromUtc, toUtc, token) => new OutputTable(
                ["source", "ports", "hosts", "flows", "first_seen", "last_seen", "evidence"],
                (await queries.ScannersAsync(fromUtc, toUtc, o.Scan, Evidence, token))
                .Select(f => new object?[] { f.Source, f.DistinctPorts, f.DistinctHosts, f.Flows, Utc(f.FirstSeenUtc), Utc(f.LastSeenUtc), f.Evidence() }).ToList()));
        var heavy = Detection("heavy-hitters", "Hosts with at least NetFlow:HeavyHitters:MinShare of an hour's bytes or packets, as source or destination, with their share.",
            from, to, format, async (queries, o, fromUtc, toUtc, token) => new OutputTable(
                ["host", "role", "hour", "bytes", "packets", "byte_share", "packet_share", "evidence"],
                (await queries.HeavyHittersAsync(fromUtc, toUtc, o.HeavyHitters, 3, token))
                .Select(f => new object?[] { f.Host, f.Role, Utc(f.HourUtc), f.Bytes, f.Packets, Math.Round(f.ByteShare, 4), Math.Round(f.PacketShare, 4), f.Evidence() }).ToList()));
        var dos = Detection("dos-targets", "Destinations of tiny or SYN-only flows from many sources or with many packets (NetFlow:Dos), with peak packets/s and the sources.",
            from, to, format, async (queries, o, fromUtc, toUtc, token) => new OutputTable(
                ["destination", "sources", "flows", "packets", "peak_packets_per_s", "first_seen", "last_seen", "evidence"],
                (await queries.DosTargetsAsync(fromUtc, toUtc, o.Dos, Evidence, token))
                .Select(f => new object?[] { f.Destination, f.DistinctSources, f.Flows, f.Packets, Math.Round(f.PeakPacketsPerSecond, 1), Utc(f.FirstSeenUtc), Utc(f.LastSeenUtc), f.Evidence() })
                .ToList()));
        var mail = Detection("mail-senders", "Sources of SMTP flows to many distinct destinations (NetFlow:MailFanOut; spam bots), with the destinations.",
            from, to, format, async (queries, o, fromUtc, toUtc, token) => new OutputTable(
                ["source", "destinations", "flows", "first_seen", "last_seen", "evidence"],
                (await queries.MailSendersAsync(fromUtc, toUtc, o.MailFanOut, Evidence, token))
                .Select(f => new object?[] { f.Source, f.DistinctDestinations, f.Flows, Utc(f.FirstSeenUtc), Utc(f.LastSeenUtc), f.Evidence() }).ToList()));

        return new Command("flows", "Query the stored NetFlow/IPFIX aggregates.") { summary, top, scanners, heavy, dos, mail };
    }

    /// <summary>Targets named as evidence per finding.</summary>
    private const int Evidence = 10;

    /// <summary>A detection verb: its findings over --from/--to with the configured thresholds, as a table.</summary>
    private static Command Detection(
        string name, string description, Option<string?> from, Option<string?> to, Option<OutputFormat> format,
        Func<FlowQueries, NetFlowOptions, DateTime?, DateTime?, CancellationToken, Task<OutputTable>> query)
    {
        var command = new Command(name, description) { from, to, format };
        command.SetAction((parse, ct) => CliRunner.RunAsync(parse, ct, async (services, token) =>
        {
            var table = await query(services.GetRequiredService<FlowQueries>(), services.GetRequiredService<IOptions<NetFlowOptions>>().Value,
                TimeOption.Parse("--from", parse.GetValue(from)), TimeOption.Parse("--to", parse.GetValue(to)), token);
            OutputWriter.Write(Console.Out, table, parse.GetValue(format));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static void Write(OutputFormat format, IReadOnlyList<string> columns, IEnumerable<object?[]> rows) =>
        OutputWriter.Write(Console.Out, new OutputTable(columns, rows.ToList()), format);

    private static string Utc(DateTime time) => time.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
