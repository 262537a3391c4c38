using System.Data.Common;
using System.Globalization;
using System.Net;
using Dapper;
using Microsoft.Extensions.Logging;
using ReportJob.Reports;
using ReportJob.Sites;
using ReportJob.Storage;

namespace ReportJob.Snapshots;

/// <summary>
/// The daily roll-ups of connections (<c>connection_day</c> and its per-server, per-site and per-client tables): what a
/// day's rounds added up to, kept long after the runs are purged, for trends. A day is rolled up by the daily report
/// (from the figures it built anyway) and by <see cref="RollUpAsync"/> for days with snapshots that have none, or that
/// got more snapshots since (a file imported late).
/// </summary>
internal sealed class ConnectionRollups(IDbConnectionFactory factory, BulkInserter bulk, ConnectionDayReader reader, TimeProvider time, ILogger<ConnectionRollups> logger)
{
    /// <summary>Replaces the roll-up of <paramref name="day"/> (a calendar day of <paramref name="zoneId"/>) with <paramref name="figures"/>.</summary>
    public async Task SaveAsync(DateOnly day, string zoneId, int snapshots, int failed, ConnectionDayFigures figures, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var text = Day(day);
        foreach (var table in new[] { "connection_day_client", "connection_day_site", "connection_day_server", "connection_day" })
        {
            await connection.ExecuteAsync(new CommandDefinition($"DELETE FROM {table} WHERE day = {DayParameter}", new { day = text }, tx, factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));
        }

        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO connection_day (day, time_zone, rounds, snapshots, failed, clients, peak, total, rolled_up_at)
            VALUES ({DayParameter}, @zoneId, @rounds, @snapshots, @failed, @clients, @peak, @total, @now)
            """,
            new { day = text, zoneId, rounds = figures.Rounds, snapshots, failed, clients = figures.Clients.Count, peak = figures.Peak, total = figures.Total, now = time.GetUtcNow().UtcDateTime },
            tx, factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO connection_day_server (day, server, rounds, peak, total, max_deviation, rounds_flagged)
            VALUES ({DayParameter}, @Server, @Rounds, @Peak, @Total, @MaxDeviation, @RoundsFlagged)
            """,
            figures.Servers.Select(s => new { day = text, s.Server, s.Rounds, s.Peak, s.Total, s.MaxDeviation, s.RoundsFlagged }),
            tx, factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO connection_day_site (day, site, clients, rounds, peak, total)
            VALUES ({DayParameter}, @Site, @Clients, @Rounds, @Peak, @Total)
            """,
            figures.Sites.Select(s => new { day = text, s.Site, s.Clients, s.Rounds, s.Peak, s.Total }),
            tx, factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));
        var dayColumn = factory.Provider == StorageProvider.SqlServer ? new BulkColumn("day", BulkType.DateTime) : new BulkColumn("day", BulkType.Text);
        var dayValue = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        await bulk.InsertAsync(connection, tx, "connection_day_client",
            [dayColumn, new("client", BulkType.Binary), new("rounds", BulkType.Int32), new("peak", BulkType.Int64), new("total", BulkType.Int64)],
            figures.Clients.Where(c => IPAddress.TryParse(c.Client, out _)),
            (in ClientDayFigures c, BulkValues v) =>
            {
                if (dayColumn.Type == BulkType.DateTime)
                {
                    v.DateTime(dayValue);
                }
                else
                {
                    v.Text(text);
                }

                v.Blob(RunAddress.From(IPAddress.Parse(c.Client)).ToBytes());
                v.Int32(c.Rounds);
                v.Int64(c.Peak);
                v.Int64(c.Total);
            }, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        Log.DayRolledUp(logger, text, zoneId, figures.Rounds, figures.Clients.Count, figures.Peak);
    }

    /// <summary>
    /// Rolls up the days from <paramref name="first"/> to <paramref name="last"/> (calendar days of <paramref name="zone"/>)
    /// whose snapshots are not rolled up yet, or are more than when they were; returns how many. Days without snapshots
    /// (before the first, or purged) keep the roll-up they have.
    /// </summary>
    public async Task<int> RollUpAsync(DateOnly first, DateOnly last, TimeZoneInfo zone, ReportOptions options, SiteMap sites, CancellationToken cancellationToken)
    {
        Dictionary<string, int> rolled;
        await using (var connection = await factory.OpenAsync(cancellationToken))
        {
            rolled = (await connection.QueryAsync<(string Day, int Snapshots)>(new CommandDefinition(
                    $"SELECT {DayText} AS Day, snapshots AS Snapshots FROM connection_day WHERE day >= {DayParameterNamed("first")} AND day <= {DayParameterNamed("last")}",
                    new { first = Day(first), last = Day(last) }, commandTimeout: factory.CommandTimeoutSeconds, cancellationToken: cancellationToken)))
                .ToDictionary(r => r.Day, r => r.Snapshots, StringComparer.Ordinal);
        }

        var done = 0;
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            var window = DayWindow.For(day, zone);
            var snapshots = await reader.SnapshotsAsync(window.StartUtc, window.EndUtc, cancellationToken);
            if (snapshots.Count == 0 || (rolled.TryGetValue(Day(day), out var before) && before == snapshots.Count))
            {
                continue;
            }

            var aggregator = new ConnectionDayAggregator(zone, options);
            await reader.ReadAsync(window.StartUtc, window.EndUtc, aggregator, cancellationToken);
            aggregator.Build(sites, _ => null);
            await SaveAsync(day, zone.Id, snapshots.Count, snapshots.Count(s => !s.Ok), aggregator.Figures!, cancellationToken);
            done++;
        }

        return done;
    }

    /// <summary>
    /// The trend of the days from <paramref name="first"/> to <paramref name="last"/>, after rolling up those of them
    /// whose snapshots are not rolled up yet or grew (their report never ran, files came late); also how many those were.
    /// </summary>
    public async Task<(ConnectionTrend Trend, int RolledUp)> RollUpAndTrendAsync(DateOnly first, DateOnly last, TimeZoneInfo zone, ReportOptions options, SiteMap sites,
        int topClients, CancellationToken cancellationToken)
    {
        var rolled = await RollUpAsync(first, last, zone, options, sites, cancellationToken);
        return (await TrendAsync(first, last, topClients, cancellationToken), rolled);
    }

    /// <summary>The roll-ups of the days from <paramref name="first"/> to <paramref name="last"/>, with the <paramref name="topClients"/> clients of the highest peak over them.</summary>
    public async Task<ConnectionTrend> TrendAsync(DateOnly first, DateOnly last, int topClients, CancellationToken cancellationToken)
    {
        var days = new List<DateOnly>();
        for (var d = first; d <= last; d = d.AddDays(1))
        {
            days.Add(d);
        }

        var index = days.Select((d, i) => (Day(d), i)).ToDictionary(x => x.Item1, x => x.i, StringComparer.Ordinal);
        var args = new { first = Day(first), last = Day(last) };
        var range = $"day >= {DayParameterNamed("first")} AND day <= {DayParameterNamed("last")}";
        await using var connection = await factory.OpenAsync(cancellationToken);
        var perDay = (await connection.QueryAsync<DayRow>(new CommandDefinition(
                $"SELECT {DayText} AS Day, time_zone AS TimeZone, rounds AS Rounds, snapshots AS Snapshots, failed AS Failed, clients AS Clients, peak AS Peak, total AS Total FROM connection_day WHERE {range}",
                args, commandTimeout: factory.CommandTimeoutSeconds, cancellationToken: cancellationToken)))
            .Select(r => new TrendDay(DateOnly.ParseExact(r.Day, "yyyy-MM-dd", CultureInfo.InvariantCulture), r.TimeZone, r.Rounds, r.Snapshots, r.Failed, r.Clients, r.Peak,
                r.Rounds == 0 ? 0 : (double)r.Total / r.Rounds))
            .OrderBy(d => d.Day).ToList();
        var rounds = perDay.ToDictionary(d => Day(d.Day), d => d.Rounds, StringComparer.Ordinal);

        var servers = (await connection.QueryAsync<(string Day, string Server, long Peak, long Total, double MaxDeviation, int RoundsFlagged)>(new CommandDefinition(
            $"SELECT {DayText}, server, peak, total, max_deviation, rounds_flagged FROM connection_day_server WHERE {range}",
            args, commandTimeout: factory.CommandTimeoutSeconds, cancellationToken: cancellationToken))).ToList();
        var sites = (await connection.QueryAsync<(string Day, string Site, long Peak)>(new CommandDefinition(
            $"SELECT {DayText}, site, peak FROM connection_day_site WHERE {range}",
            args, commandTimeout: factory.CommandTimeoutSeconds, cancellationToken: cancellationToken))).ToList();
        var clients = new List<(string Day, byte[] Client, long Peak)>();
        clients.AddRange(await connection.QueryAsync<(string Day, byte[] Client, long Peak)>(new CommandDefinition(
            $"SELECT {DayText}, client, peak FROM connection_day_client WHERE {range}",
            args, commandTimeout: factory.CommandTimeoutSeconds, cancellationToken: cancellationToken)));

        List<TrendSeries> Series<T>(IEnumerable<T> rows, Func<T, string> name, Func<T, string> day, Func<T, double> value, IEnumerable<string>? only = null)
        {
            var names = only?.ToList() ?? rows.Select(name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var values = names.ToDictionary(n => n, _ => Enumerable.Repeat(double.NaN, days.Count).ToArray(), StringComparer.Ordinal);
            foreach (var row in rows)
            {
                if (values.TryGetValue(name(row), out var v) && index.TryGetValue(day(row), out var i))
                {
                    v[i] = value(row);
                }
            }

            return names.Select(n => new TrendSeries(n, values[n])).ToList();
        }

        var clientRows = clients.Select(c => (c.Day, Client: RunAddress.Read(c.Client)?.ToString() ?? Convert.ToHexString(c.Client), c.Peak)).ToList();
        var top = clientRows.GroupBy(c => c.Client, StringComparer.Ordinal)
            .OrderByDescending(g => g.Max(c => c.Peak)).ThenByDescending(g => g.Sum(c => c.Peak)).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(topClients).Select(g => g.Key).ToList();
        return new ConnectionTrend(
            days,
            perDay,
            Series(servers, s => s.Server, s => s.Day, s => s.Peak),
            Series(servers, s => s.Server, s => s.Day, s => rounds.GetValueOrDefault(s.Day) is var r && r > 0 ? (double)s.Total / r : 0),
            Series(servers, s => s.Server, s => s.Day, s => s.MaxDeviation),
            Series(servers, s => s.Server, s => s.Day, s => s.RoundsFlagged),
            Series(clientRows, c => c.Client, c => c.Day, c => c.Peak, top),
            Series(sites, s => s.Site, s => s.Day, s => s.Peak));
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private string DayText => SqlDay.Text(factory.Provider);

    private string DayParameter => DayParameterNamed("day");

    private string DayParameterNamed(string name) => SqlDay.Value(factory.Provider, "@" + name);

    private sealed class DayRow
    {
        public string Day { get; set; } = "";

        public string TimeZone { get; set; } = "";

        public int Rounds { get; set; }

        public int Snapshots { get; set; }

        public int Failed { get; set; }

        public int Clients { get; set; }

        public long Peak { get; set; }

        public long Total { get; set; }
    }
}
