using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReportJob.Sites;
using ReportJob.Snapshots;

namespace ReportJob.Cli;

/// <summary><c>reportjob connections top|servers|states|sites</c>: figures from the stored snapshots.</summary>
internal static class ConnectionsCommand
{
    public static Command Create() => new("connections", """
        Connections from the stored snapshots, for one round (--at, default the latest) or a day (--date). Over a day,
        Connections is the most in one round and Average the mean per round.
        """)
    {
        Verb("top", "Clients (remote addresses) by connections.", 20, (s, zone) => new OutputTable(
            ["RemoteAddress", "Connections", "Average", "Servers", "FirstSeen", "LastSeen", "Site"],
            s.Top(null).Select(c => new object?[] { c.RemoteAddress, c.Connections, c.Average, c.Servers, Time(c.FirstSeenUtc, zone), Time(c.LastSeenUtc, zone), c.Site }).ToList())),
        Verb("servers", "Connections per server and their states (is the load balancer spreading the load evenly?).", null, (s, _) => new OutputTable(
            ["Server", "Snapshots", "Connections", "Average", "States"],
            s.Servers().Select(v => new object?[] { v.Server, v.Snapshots, v.Connections, v.Average, string.Join(' ', v.States.Select(x => x.Key + "=" + OutputWriter.Text(x.Value))) }).ToList())),
        Verb("states", "Connections per TCP state.", null, (s, _) => new OutputTable(
            ["State", "Connections", "Average", "Percent"],
            s.States().Select(v => new object?[] { v.State, v.Connections, v.Average, v.Percent }).ToList())),
        Verb("sites", "Clients per site (subnet → site mapping) and connections per client.", null, (s, _) => new OutputTable(
            ["Site", "Clients", "AvgConnections", "MaxConnections"],
            s.Sites().Select(v => new object?[] { v.Site, v.Clients, v.AverageConnections, v.MaxConnections }).ToList())),
    };

    private static Command Verb(string name, string description, int? defaultLimit, Func<ConnectionSummary, TimeZoneInfo, OutputTable> table)
    {
        var times = new SnapshotTimeOptions();
        var limit = new Option<int?>("--limit") { Description = defaultLimit is null ? "At most N rows." : $"At most N rows (default {defaultLimit})." };
        var format = OutputWriter.CreateOption();
        var command = new Command(name, description) { limit, format };
        times.AddTo(command);
        command.SetAction((parse, ct) => CliRunner.RunAsync(parse, ct, async (services, token) =>
        {
            var n = parse.GetValue(limit) ?? defaultLimit;
            if (n is <= 0)
            {
                throw new UsageException("--limit must be a positive number.");
            }

            var zone = times.Zone(parse, services.GetRequiredService<IOptions<SnapshotsOptions>>().Value);
            var queries = services.GetRequiredService<ConnectionQueries>();
            var (rounds, what, missing) = await times.ResolveAsync(parse, queries, zone, services.GetRequiredService<TimeProvider>(), required: false, token);
            if (missing is not null)
            {
                await Console.Error.WriteLineAsync(missing);
            }
            else
            {
                await Console.Error.WriteLineAsync(rounds.Count == 1
                    ? $"Round of {Time(rounds[0].StartUtc, zone)} ({zone.Id}): {string.Join(", ", rounds[0].Servers)}"
                    : $"{rounds.Count} rounds on {what}");
            }

            var sites = await services.GetRequiredService<SiteStore>().LoadAsync(token);
            var summary = await queries.SummarizeAsync(rounds, sites, token);
            var result = table(summary, zone);
            OutputWriter.Write(Console.Out, result with { Rows = result.Rows.Take(n ?? int.MaxValue).ToList() }, parse.GetValue(format));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string Time(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(utc, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
