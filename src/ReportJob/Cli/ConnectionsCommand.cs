using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReportJob.Sites;
using ReportJob.Snapshots;

namespace ReportJob.Cli;

/// <summary><c>reportjob connections top|servers|states|sites|trend</c>: figures from the stored snapshots and their daily roll-ups.</summary>
internal static class ConnectionsCommand
{
    public static Command Create() => new("connections", """
        Connections from the stored snapshots, for one round (--at, default the latest) or a day (--date). Over a day,
        Connections is the most in one round and Average the mean per round. trend: day by day, from the daily roll-ups.
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
        Trend(),
    };

    /// <summary>
    /// <c>connections trend</c>: the daily roll-ups of the last days (calendar days of Reports:TimeZone, as the report's).
    /// Days with snapshots that are not rolled up yet, or have more snapshots than when they were, are rolled up first.
    /// </summary>
    private static Command Trend()
    {
        var days = new Option<int>("--days") { Description = "How many days, up to --to (default 30).", DefaultValueFactory = _ => 30 };
        var to = new Option<string?>("--to") { Description = "The last day (yyyy-MM-dd, a day of Reports:TimeZone; default today)." };
        var by = new Option<string>("--by") { Description = "day (default): one row per day; server, site: one per day and server or site; client: the clients with the highest peaks, one row per day.", DefaultValueFactory = _ => "day" };
        var limit = new Option<int>("--limit") { Description = "With --by client: how many clients (default 10).", DefaultValueFactory = _ => 10 };
        var format = OutputWriter.CreateOption();
        var command = new Command("trend", """
            Connections day by day, from the daily roll-ups (kept long after the snapshots): rounds, failed snapshots,
            clients, the most connections in one round and the average per round, per server (with its largest deviation
            from an even split and the rounds beyond Reports:ImbalanceThreshold), per site or per top client.
            """)
        {
            days, to, by, limit, format,
        };
        command.SetAction((parse, ct) => CliRunner.RunAsync(parse, ct, async (services, token) =>
        {
            var n = parse.GetValue(days);
            if (n is < 1 or > 36500)
            {
                throw new UsageException("--days must be between 1 and 36500.");
            }

            var what = parse.GetValue(by);
            if (what is not ("day" or "server" or "site" or "client"))
            {
                throw new UsageException($"--by: '{what}' is none of day, server, site, client.");
            }

            var top = parse.GetValue(limit);
            if (top < 1)
            {
                throw new UsageException("--limit must be a positive number.");
            }

            var reportOptions = services.GetRequiredService<IOptions<ReportJob.Reports.ReportOptions>>().Value;
            var zone = reportOptions.Zone();
            var text = parse.GetValue(to);
            var last = text is null
                ? ReportJob.Reports.DayWindow.DayOf(services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime, zone)
                : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d
                : throw new UsageException($"--to: '{text}' is not a day (yyyy-MM-dd)");
            var first = last.AddDays(1 - n);
            var rollups = services.GetRequiredService<ConnectionRollups>();
            var sites = await services.GetRequiredService<SiteStore>().LoadAsync(token);
            var (trend, rolled) = await rollups.RollUpAndTrendAsync(first, last, zone, reportOptions, sites, top, token);
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{first:yyyy-MM-dd} to {last:yyyy-MM-dd} ({zone.Id}): {trend.PerDay.Count} of {n} days have connections; {rolled} rolled up now"));
            OutputWriter.Write(Console.Out, TrendTable(trend, what), parse.GetValue(format));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static OutputTable TrendTable(ConnectionTrend trend, string by)
    {
        static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        // One row per day and series, for the days the series has a value.
        static List<object?[]> Long(ConnectionTrend t, IEnumerable<(TrendSeries Series, Func<int, object?[]> Row)> series) =>
            t.Days.Select((day, i) => (day, i))
                .SelectMany(x => series.Where(s => !double.IsNaN(s.Series.Values[x.i])).Select(s => s.Row(x.i)))
                .ToList();

        switch (by)
        {
            case "server":
                return new OutputTable(["Day", "Server", "Peak", "Average", "MaxDeviation", "RoundsFlagged"], Long(trend, trend.ServerPeaks.Select((s, k) =>
                    (s, (Func<int, object?[]>)(i => [Day(trend.Days[i]), s.Name, (long)s.Values[i], trend.ServerAverages[k].Values[i], trend.ServerMaxDeviations[k].Values[i], (long)trend.ServerRoundsFlagged[k].Values[i]])))));
            case "site":
                return new OutputTable(["Day", "Site", "Peak"], Long(trend, trend.SitePeaks.Select(s =>
                    (s, (Func<int, object?[]>)(i => [Day(trend.Days[i]), s.Name, (long)s.Values[i]])))));
            case "client":
                return new OutputTable(["Day", "Client", "Peak"], Long(trend, trend.TopClientPeaks.Select(s =>
                    (s, (Func<int, object?[]>)(i => [Day(trend.Days[i]), s.Name, (long)s.Values[i]])))));
            default:
                var servers = trend.ServerPeaks.Select((s, k) => (s.Name, Peaks: s.Values, Flagged: trend.ServerRoundsFlagged[k].Values, Deviation: trend.ServerMaxDeviations[k].Values)).ToList();
                return new OutputTable(["Day", "Rounds", "Failed", "Clients", "Peak", "Average", "Servers", "MaxDeviation", "RoundsFlagged"],
                    trend.PerDay.Select(d =>
                    {
                        var i = trend.Days.ToList().IndexOf(d.Day);
                        var present = servers.Where(s => !double.IsNaN(s.Peaks[i])).ToList();
                        return new object?[]
                        {
                            Day(d.Day), (long)d.Rounds, (long)d.Failed, (long)d.Clients, d.Peak, d.Average,
                            string.Join(' ', present.Select(s => s.Name + "=" + OutputWriter.Text((long)s.Peaks[i]))),
                            present.Count == 0 ? 0.0 : present.Max(s => Math.Abs(s.Deviation[i])),
                            (long)present.Sum(s => s.Flagged[i]),
                        };
                    }).ToList());
        }
    }

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
