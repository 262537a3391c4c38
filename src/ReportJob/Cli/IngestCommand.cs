using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using ReportJob.NetFlow;

namespace ReportJob.Cli;

internal static class IngestCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("FILE")
        {
            Description = "Capture files (pcap, pcapng, raw .dat) to ingest in order; none: every file in NetFlow:InboxPath (moved to done/ or failed/).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("ingest", """
            Decode NetFlow v5/v9/IPFIX captures, aggregate them per bucket and store them, one transaction per file.
            A file whose content was ingested before is skipped (ingest ledger); a bad file is rolled back; a capture cut
            short in its last record is ingested up to the cut, with a warning naming the offset.
            Exit code 1 when any file failed.
            """) { files };
        command.SetAction((parse, ct) =>
        {
            // The decoding path compiles on the other core while the host starts.
            _ = FlowIngestor.WarmUpInBackground();
            return CliRunner.RunAsync(parse, ct, async (services, token) =>
            {
                var paths = parse.GetValue(files) ?? [];
                foreach (var missing in paths.Where(p => !File.Exists(p)))
                {
                    throw new UsageException($"ingest: no such file: {missing}");
                }

                var ingestor = services.GetRequiredService<FlowIngestor>();
                var progress = new IngestProgressLine();
                var outcomes = paths.Length == 0
                    ? await ingestor.IngestInboxAsync(progress, token)
                    : await ingestor.IngestFilesAsync(paths, progress, token);
                foreach (var o in outcomes)
                {
                    Console.WriteLine(o.Status switch
                    {
                        IngestStatus.Ingested => string.Create(CultureInfo.InvariantCulture,
                            $"ingested  {o.Path}: {o.Datagrams} datagrams, {o.FlowRecords} flow records ({o.SkippedRecords} left out by direction policy), {o.Rows} rows, {o.Seconds:0.00} s")
                            + (o.Warning is null ? "" : Environment.NewLine + "warning   " + o.Warning),
                        IngestStatus.AlreadyIngested => $"skipped   {o.Path}: already ingested",
                        _ => $"FAILED    {o.Error}",
                    });
                }

                if (outcomes.Count == 0)
                {
                    Console.WriteLine("nothing to ingest");
                }

                return outcomes.Any(o => o.Status == IngestStatus.Failed) ? ExitCodes.RunFailed : ExitCodes.Ok;
            });
        });
        return command;
    }
}
