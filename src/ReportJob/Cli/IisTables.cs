using System.Globalization;
using ReportJob.IisLogs;

namespace ReportJob.Cli;

/// <summary>The rows of <c>reportjob iis top</c> for <see cref="OutputWriter"/>: per client address, protocol or site.</summary>
internal static class IisTables
{
    // A terminal line stays readable: the table cuts texts (a user agent may have up to IisLogs:MaxUserAgentLength
    // characters); CSV and JSON keep them whole.
    private const int TableCellWidth = 48;

    // The table keeps what fits a terminal: the top user agent, no user or user-agent lists.
    private static readonly string[] ClientTableColumns =
        ["client", "site", "requests", "protocols", "distinct_users", "top_user_agent", "status_401", "status_403", "status_5xx"];

    public static OutputTable Clients(IReadOnlyList<IisClientDay> rows, OutputFormat format)
    {
        var table = new OutputTable(
            ["client", "site", "requests", "protocols", "distinct_users", "users", "top_user_agent", "user_agents", "other_user_agent_requests",
             "status_401", "status_403", "status_5xx", "bytes_sent", "bytes_received"],
            rows.Select(r => new object?[]
            {
                r.Client, r.Site, r.Requests, Join(r.Protocols), r.DistinctUsers, Join(r.Users.Take(5)),
                r.UserAgents.Count > 0 ? r.UserAgents[0].Name : "", Join(r.UserAgents), r.OtherUserAgentRequests,
                r.Status401, r.Status403, r.Status5xx, r.BytesSent, r.BytesReceived,
            }).ToList());
        return format == OutputFormat.Table ? ForTerminal(table, ClientTableColumns) : table;
    }

    public static OutputTable Protocols(IReadOnlyList<IisProtocolDay> rows, OutputFormat format)
    {
        var table = new OutputTable(
            ["protocol", "clients", "requests"],
            rows.Select(r => new object?[] { r.Name, r.Clients, r.Requests }).ToList());
        return format == OutputFormat.Table ? ForTerminal(table, table.Columns) : table;
    }

    public static OutputTable Sites(IReadOnlyList<IisSiteDay> rows, OutputFormat format)
    {
        var table = new OutputTable(
            ["site", "clients", "requests", "protocols", "distinct_users", "status_401", "status_403", "status_5xx"],
            rows.Select(r => new object?[]
            {
                r.Site, r.Clients, r.Requests, Join(r.Protocols), r.DistinctUsers, r.Status401, r.Status403, r.Status5xx,
            }).ToList());
        return format == OutputFormat.Table ? ForTerminal(table, table.Columns) : table;
    }

    private static string Join(IEnumerable<IisCount> counts) =>
        string.Join("; ", counts.Select(c => c.Name + " (" + c.Requests.ToString(CultureInfo.InvariantCulture) + ")"));

    private static OutputTable ForTerminal(OutputTable table, IReadOnlyList<string> columns)
    {
        var all = table.Columns.ToList();
        var indexes = columns.Select(c => all.IndexOf(c)).ToArray();
        return new OutputTable(
            columns,
            table.Rows.Select(r => indexes.Select(i => r[i] is string s ? SafeText.Truncate(s, TableCellWidth) : r[i]).ToArray()).ToList());
    }
}
