using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReportJob.Snapshots;

namespace ReportJob.Cli;

/// <summary><c>reportjob collect [--server NAME]… [--format table|json]</c>: one snapshot of each server, stored.</summary>
internal static class CollectCommand
{
    public static Command Create()
    {
        var server = new Option<string[]>("--server")
        {
            Description = "Collect only this server (repeat for more); by default every enabled server. Csv servers are imported by `reportjob import`, not collected.",
            HelpName = "NAME",
        };
        var format = new Option<string>("--format")
        {
            Description = "Output on stdout: a table of the servers, or JSON with every stored connection.",
            DefaultValueFactory = _ => "table",
        };
        format.AcceptOnlyFromAmong("table", "json");

        var command = new Command("collect", "Take a snapshot of the TCP connections of the configured servers and store it. Exit code 1 when a server failed.")
        {
            server,
            format,
        };
        command.SetAction((parse, ct) => CliRunner.RunAsync(parse, ct, async (services, token) =>
        {
            var collector = services.GetRequiredService<SnapshotCollector>();
            var names = parse.GetValue(server) ?? [];
            var unknown = collector.UnknownNames(names);
            if (unknown.Count > 0)
            {
                var configured = services.GetRequiredService<IOptions<SnapshotsOptions>>().Value.Servers.Select(s => s.Name).ToList();
                throw new UsageException(
                    $"Unknown server {string.Join(", ", unknown.Select(n => "'" + n + "'"))}. Configured (Snapshots:Servers): "
                    + (configured.Count == 0 ? "none" : string.Join(", ", configured)) + ".");
            }

            var error = parse.InvocationConfiguration.Error;
            foreach (var csv in collector.Select(names).Where(s => s.Source == SnapshotSourceKind.Csv && names.Length > 0))
            {
                await error.WriteLineAsync($"{csv.Name}: a Csv source is imported from its drop folder (reportjob import), not collected.");
            }

            var progress = Console.IsErrorRedirected ? null : new TerminalProgress(error);
            var results = await collector.CollectAsync(names, progress, token);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(format) == "json")
            {
                await output.WriteLineAsync(ToJson(results));
            }
            else
            {
                await WriteTableAsync(output, results);
            }

            return results.Any(r => r.Status == CollectionStatus.Failed) ? ExitCodes.RunFailed : ExitCodes.Ok;
        }));
        return command;
    }

    internal static string ToJson(IReadOnlyList<ServerCollection> results)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (var r in results)
            {
                json.WriteStartObject();
                json.WriteString("server", r.Server);
                json.WriteString("source", r.Source);
                json.WriteString("status", r.Status == CollectionStatus.Ok ? "ok" : "failed");
                json.WriteString("takenAt", Iso(r.TakenAtUtc));
                json.WriteNumber("durationMs", Math.Round(r.Duration.TotalMilliseconds, 1));
                json.WriteNumber("rows", r.Rows);
                json.WriteNumber("malformedLines", r.MalformedLines);
                if (r.Error is null)
                {
                    json.WriteNull("error");
                }
                else
                {
                    json.WriteString("error", r.Error);
                }

                json.WriteStartArray("connections");
                foreach (var c in r.Connections)
                {
                    json.WriteStartObject();
                    json.WriteString("localAddress", c.LocalAddress.ToString());
                    json.WriteNumber("localPort", c.LocalPort);
                    json.WriteString("remoteAddress", c.RemoteAddress.ToString());
                    json.WriteNumber("remotePort", c.RemotePort);
                    json.WriteString("state", c.State.ToString());
                    if (c.CreatedAtUtc is { } created)
                    {
                        json.WriteString("createdAt", Iso(created));
                    }
                    else
                    {
                        json.WriteNull("createdAt");
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static async Task WriteTableAsync(TextWriter output, IReadOnlyList<ServerCollection> results)
    {
        var nameWidth = Math.Max(6, results.Count == 0 ? 0 : results.Max(r => r.Server.Length));
        await output.WriteLineAsync($"{"Server".PadRight(nameWidth)}  Source  Status  {"Rows",8}  {"Seconds",7}  Error");
        foreach (var r in results)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{r.Server.PadRight(nameWidth)}  {r.Source,-6}  {(r.Status == CollectionStatus.Ok ? "ok" : "FAILED"),-6}  {r.Rows,8}  {r.Duration.TotalSeconds,7:0.00}  {r.Error}"));
        }

        if (results.Count == 0)
        {
            await output.WriteLineAsync("(no server to collect: Snapshots:Servers has no enabled Local or Ssh server)");
        }
    }

    private static string Iso(DateTime utc) => utc.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>One stderr line per finished server, only when stderr is a terminal.</summary>
    private sealed class TerminalProgress(TextWriter error) : IProgress<ServerCollection>
    {
        private int _done;

        public void Report(ServerCollection value)
        {
            var done = Interlocked.Increment(ref _done);
            var what = value.Status == CollectionStatus.Ok ? $"{value.Rows} connections" : "FAILED: " + value.Error;
            lock (error)
            {
                error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{done}] {value.Server} ({value.Source}) {what} in {value.Duration.TotalSeconds:0.00} s"));
            }
        }
    }
}
