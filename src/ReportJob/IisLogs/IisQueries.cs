using System.Data.Common;
using System.Globalization;
using System.Net;
using Dapper;
using Microsoft.Extensions.Options;
using ReportJob.Sites;
using ReportJob.Storage;

namespace ReportJob.IisLogs;

/// <summary>
/// What the report, the workbook and <c>reportjob iis top</c> read from the IIS tables: per UTC day, per client
/// (protocols, top user agents, users, requests, status counts), per protocol and per site (sites from the subnet
/// map at query time, so a corrected map applies to past days too).
/// </summary>
internal sealed class IisQueries(IDbConnectionFactory factory, SiteStore sites, IOptions<IisLogsOptions> options)
{
    private const int InChunk = 500;

    /// <summary>Days with IIS data, newest first.</summary>
    public async Task<IReadOnlyList<DateOnly>> DaysAsync(CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var days = await connection.QueryAsync<string>(new CommandDefinition(
            $"SELECT DISTINCT {DayText} FROM iis_client_day ORDER BY 1 DESC", cancellationToken: cancellationToken));
        return days.Select(d => DateOnly.ParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList();
    }

    /// <summary>The clients with the most requests on the day, most first.</summary>
    public async Task<IReadOnlyList<IisClientDay>> TopClientsAsync(DateOnly day, int top, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var limit = factory.Provider == StorageProvider.SqlServer ? "OFFSET 0 ROWS FETCH NEXT @top ROWS ONLY" : "LIMIT @top";
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<ClientRow>(new CommandDefinition(
            $"{ClientSelect} WHERE day = {DayParameter} ORDER BY requests DESC, client {limit}",
            new { day = DayString(day), top }, cancellationToken: cancellationToken))).AsList();
        return await DetailAsync(connection, day, rows, cancellationToken);
    }

    /// <summary>The given client addresses on the day (those without IIS data are left out): for the report's top-client table.</summary>
    public async Task<IReadOnlyList<IisClientDay>> ClientsAsync(DateOnly day, IEnumerable<string> clients, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = new List<ClientRow>();
        foreach (var chunk in clients.Distinct(StringComparer.Ordinal).Chunk(InChunk))
        {
            rows.AddRange(await connection.QueryAsync<ClientRow>(new CommandDefinition(
                $"{ClientSelect} WHERE day = {DayParameter} AND {ClientIn}",
                new { day = DayString(day), chunk }, cancellationToken: cancellationToken)));
        }

        rows.Sort((a, b) => b.Requests != a.Requests ? b.Requests.CompareTo(a.Requests) : string.CompareOrdinal(a.Client, b.Client));
        return await DetailAsync(connection, day, rows, cancellationToken);
    }

    /// <summary>Per protocol: distinct client addresses and requests, most requests first.</summary>
    public async Task<IReadOnlyList<IisProtocolDay>> ProtocolsAsync(DateOnly day, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ProtocolRow>(new CommandDefinition(
            $"""
            SELECT protocol AS Protocol, CAST(COUNT(*) AS bigint) AS Clients, CAST(SUM(requests) AS bigint) AS Requests
            FROM iis_client_protocol_day WHERE day = {DayParameter} GROUP BY protocol
            """,
            new { day = DayString(day) }, cancellationToken: cancellationToken));
        return rows
            .Select(r => (Protocol: IisProtocolClassifier.FromStoredName(r.Protocol), Row: r))
            .Select(x => new IisProtocolDay(day, x.Protocol, IisProtocolClassifier.DisplayName(x.Protocol), x.Row.Clients, x.Row.Requests))
            .OrderByDescending(p => p.Requests).ThenBy(p => p.Protocol)
            .ToList();
    }

    /// <summary>Per site of the subnet map (clients outside it under <see cref="SiteMap.Unknown"/>), most requests first.</summary>
    public async Task<IReadOnlyList<IisSiteDay>> SitesAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var map = await sites.LoadAsync(cancellationToken);
        await using var connection = await factory.OpenAsync(cancellationToken);
        var args = new { day = DayString(day) };
        var siteOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var totals = new Dictionary<string, SiteTotals>(StringComparer.Ordinal);
        foreach (var c in await connection.QueryAsync<ClientRow>(new CommandDefinition($"{ClientSelect} WHERE day = {DayParameter}", args, cancellationToken: cancellationToken)))
        {
            var site = SiteOf(map, c.Client);
            siteOf[c.Client] = site;
            if (!totals.TryGetValue(site, out var t))
            {
                totals[site] = t = new SiteTotals();
            }

            t.Clients++;
            t.Requests += c.Requests;
            t.Status401 += c.Status401;
            t.Status403 += c.Status403;
            t.Status5xx += c.Status5xx;
            t.UsersOther += c.UsersOther;
        }

        foreach (var p in await connection.QueryAsync<DetailRow>(new CommandDefinition(
                     $"SELECT client AS Client, protocol AS Name, requests AS Requests FROM iis_client_protocol_day WHERE day = {DayParameter}", args, cancellationToken: cancellationToken)))
        {
            var protocols = totals[siteOf[p.Client]].Protocols;
            protocols[p.Name] = protocols.GetValueOrDefault(p.Name) + p.Requests;
        }

        foreach (var u in await connection.QueryAsync<DetailRow>(new CommandDefinition(
                     $"SELECT client AS Client, user_name AS Name, requests AS Requests FROM iis_client_user_day WHERE day = {DayParameter}", args, cancellationToken: cancellationToken)))
        {
            totals[siteOf[u.Client]].Users.Add(u.Name);
        }

        return totals
            .Select(kv => new IisSiteDay(
                day, kv.Key, kv.Value.Clients, kv.Value.Requests, Protocols(kv.Value.Protocols),
                kv.Value.Users.Count + kv.Value.UsersOther, kv.Value.Status401, kv.Value.Status403, kv.Value.Status5xx))
            .OrderByDescending(s => s.Requests).ThenBy(s => s.Site, StringComparer.Ordinal)
            .ToList();
    }

    private string DayText => SqlDay.Text(factory.Provider);

    private string DayParameter => SqlDay.Value(factory.Provider, "@day");

    /// <summary>Dapper expands a list into IN (...) except for Npgsql, which takes the array as one parameter.</summary>
    private string ClientIn => factory.Provider == StorageProvider.Postgres ? "client = ANY(@chunk)" : "client IN @chunk";

    private const string ClientSelect = """
        SELECT client AS Client, requests AS Requests, status_401 AS Status401, status_403 AS Status403, status_5xx AS Status5xx,
               bytes_sent AS BytesSent, bytes_received AS BytesReceived, agents_other AS AgentsOther, users_other AS UsersOther
        FROM iis_client_day
        """;

    private static string DayString(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string SiteOf(SiteMap map, string client) =>
        IPAddress.TryParse(client, out var address) ? map.Lookup(address) : SiteMap.Unknown;

    private static List<IisCount> Protocols(Dictionary<string, long> byStoredName) => byStoredName
        .Select(kv => new IisCount(IisProtocolClassifier.DisplayName(IisProtocolClassifier.FromStoredName(kv.Key)), kv.Value))
        .OrderByDescending(c => c.Requests).ThenBy(c => c.Name, StringComparer.Ordinal)
        .ToList();

    private async Task<IReadOnlyList<IisClientDay>> DetailAsync(DbConnection connection, DateOnly day, List<ClientRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var map = await sites.LoadAsync(cancellationToken);
        var protocols = await DetailRowsAsync(connection, day, "iis_client_protocol_day", "protocol", rows, cancellationToken);
        var agents = await DetailRowsAsync(connection, day, "iis_client_agent_day", "user_agent", rows, cancellationToken);
        var users = await DetailRowsAsync(connection, day, "iis_client_user_day", "user_name", rows, cancellationToken);
        var result = new List<IisClientDay>(rows.Count);
        foreach (var r in rows)
        {
            var clientProtocols = protocols.GetValueOrDefault(r.Client) ?? [];
            var clientAgents = agents.GetValueOrDefault(r.Client) ?? [];
            var clientUsers = users.GetValueOrDefault(r.Client) ?? [];
            var protocolCounts = clientProtocols
                .Select(p => new IisCount(IisProtocolClassifier.DisplayName(IisProtocolClassifier.FromStoredName(p.Name)), p.Requests))
                .OrderByDescending(c => c.Requests).ThenBy(c => c.Name, StringComparer.Ordinal).ToList();

            // Several files (or flushes) may each have kept their own top agents: keep the overall top ones here.
            var agentCounts = clientAgents.OrderByDescending(a => a.Requests).ThenBy(a => a.Name, StringComparer.Ordinal).Select(a => new IisCount(a.Name, a.Requests)).ToList();
            var keep = Math.Min(agentCounts.Count, options.Value.TopUserAgents);
            var otherAgents = r.AgentsOther + agentCounts.Skip(keep).Sum(a => a.Requests);
            var userCounts = clientUsers.OrderByDescending(u => u.Requests).ThenBy(u => u.Name, StringComparer.Ordinal).Select(u => new IisCount(u.Name, u.Requests)).ToList();
            result.Add(new IisClientDay(
                day, r.Client, SiteOf(map, r.Client), r.Requests, protocolCounts, agentCounts[..keep], otherAgents,
                userCounts, userCounts.Count + r.UsersOther, r.Status401, r.Status403, r.Status5xx, r.BytesSent, r.BytesReceived));
        }

        return result;
    }

    private async Task<Dictionary<string, List<DetailRow>>> DetailRowsAsync(DbConnection connection, DateOnly day, string table, string nameColumn, List<ClientRow> rows, CancellationToken cancellationToken)
    {
        var byClient = new Dictionary<string, List<DetailRow>>(StringComparer.Ordinal);
        foreach (var chunk in rows.Select(r => r.Client).Chunk(InChunk))
        {
            var details = await connection.QueryAsync<DetailRow>(new CommandDefinition(
                $"SELECT client AS Client, {nameColumn} AS Name, requests AS Requests FROM {table} WHERE day = {DayParameter} AND {ClientIn}",
                new { day = DayString(day), chunk }, cancellationToken: cancellationToken));
            foreach (var d in details)
            {
                if (!byClient.TryGetValue(d.Client, out var list))
                {
                    byClient[d.Client] = list = [];
                }

                list.Add(d);
            }
        }

        return byClient;
    }

    private sealed class ClientRow
    {
        public string Client { get; set; } = "";

        public long Requests { get; set; }

        public long Status401 { get; set; }

        public long Status403 { get; set; }

        public long Status5xx { get; set; }

        public long? BytesSent { get; set; }

        public long? BytesReceived { get; set; }

        public long AgentsOther { get; set; }

        public long UsersOther { get; set; }
    }

    private sealed class DetailRow
    {
        public string Client { get; set; } = "";

        public string Name { get; set; } = "";

        public long Requests { get; set; }
    }

    private sealed class ProtocolRow
    {
        public string Protocol { get; set; } = "";

        public long Clients { get; set; }

        public long Requests { get; set; }
    }

    private sealed class SiteTotals
    {
        public long Clients { get; set; }

        public long Requests { get; set; }

        public long Status401 { get; set; }

        public long Status403 { get; set; }

        public long Status5xx { get; set; }

        public long UsersOther { get; set; }

        public Dictionary<string, long> Protocols { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Users { get; } = new(StringComparer.Ordinal);
    }
}
