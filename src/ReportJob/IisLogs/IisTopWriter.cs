using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ReportJob.IisLogs;

/// <summary>
/// Writes <c>reportjob iis top</c> as an aligned table, CSV or JSON. Every text that came from a client passes
/// through <see cref="SafeText"/>: no control characters reach the terminal, no CSV cell starts a formula, and
/// JSON is written with the default (HTML-safe) encoder, so <c>&lt;script&gt;</c> arrives as <c>\u003Cscript\u003E</c>.
/// </summary>
internal static class IisTopWriter
{
    private const int TableCellWidth = 48;

    public static void WriteClients(TextWriter writer, DateOnly day, IReadOnlyList<IisClientDay> rows, IisOutputFormat format)
    {
        if (format == IisOutputFormat.Json)
        {
            WriteJson(writer, day, "client", rows, static (json, r) =>
            {
                json.WriteString("client", r.Client);
                json.WriteString("site", r.Site);
                json.WriteNumber("requests", r.Requests);
                WriteCounts(json, "protocols", r.Protocols);
                WriteCounts(json, "userAgents", r.UserAgents);
                json.WriteNumber("otherUserAgentRequests", r.OtherUserAgentRequests);
                json.WriteNumber("distinctUsers", r.DistinctUsers);
                WriteCounts(json, "users", r.Users);
                json.WriteNumber("status401", r.Status401);
                json.WriteNumber("status403", r.Status403);
                json.WriteNumber("status5xx", r.Status5xx);
                WriteNullable(json, "bytesSent", r.BytesSent);
                WriteNullable(json, "bytesReceived", r.BytesReceived);
            });
            return;
        }

        string[] headers = ["client", "site", "requests", "protocols", "distinct_users", "users", "top_user_agent", "user_agents", "other_user_agent_requests", "status_401", "status_403", "status_5xx", "bytes_sent", "bytes_received"];
        var cells = rows.Select(r => new[]
        {
            r.Client, r.Site, Number(r.Requests), Join(r.Protocols), Number(r.DistinctUsers), Join(r.Users.Take(5)),
            r.UserAgents.Count > 0 ? r.UserAgents[0].Name : "", Join(r.UserAgents), Number(r.OtherUserAgentRequests),
            Number(r.Status401), Number(r.Status403), Number(r.Status5xx), Number(r.BytesSent), Number(r.BytesReceived),
        }).ToList();
        if (format == IisOutputFormat.Csv)
        {
            WriteCsv(writer, headers, cells);
            return;
        }

        // The table keeps what fits a terminal: one user agent, no user list.
        int[] columns = [0, 1, 2, 3, 4, 6, 9, 10, 11];
        WriteTable(
            writer,
            columns.Select(i => headers[i]).ToArray(),
            cells.Select(c => columns.Select(i => c[i]).ToArray()).ToList(),
            rightAligned: [false, false, true, false, true, false, true, true, true]);
    }

    public static void WriteProtocols(TextWriter writer, DateOnly day, IReadOnlyList<IisProtocolDay> rows, IisOutputFormat format)
    {
        if (format == IisOutputFormat.Json)
        {
            WriteJson(writer, day, "protocol", rows, static (json, r) =>
            {
                json.WriteString("protocol", r.Name);
                json.WriteNumber("clients", r.Clients);
                json.WriteNumber("requests", r.Requests);
            });
            return;
        }

        string[] headers = ["protocol", "clients", "requests"];
        var cells = rows.Select(r => new[] { r.Name, Number(r.Clients), Number(r.Requests) }).ToList();
        if (format == IisOutputFormat.Csv)
        {
            WriteCsv(writer, headers, cells);
        }
        else
        {
            WriteTable(writer, headers, cells, [false, true, true]);
        }
    }

    public static void WriteSites(TextWriter writer, DateOnly day, IReadOnlyList<IisSiteDay> rows, IisOutputFormat format)
    {
        if (format == IisOutputFormat.Json)
        {
            WriteJson(writer, day, "site", rows, static (json, r) =>
            {
                json.WriteString("site", r.Site);
                json.WriteNumber("clients", r.Clients);
                json.WriteNumber("requests", r.Requests);
                WriteCounts(json, "protocols", r.Protocols);
                json.WriteNumber("distinctUsers", r.DistinctUsers);
                json.WriteNumber("status401", r.Status401);
                json.WriteNumber("status403", r.Status403);
                json.WriteNumber("status5xx", r.Status5xx);
            });
            return;
        }

        string[] headers = ["site", "clients", "requests", "protocols", "distinct_users", "status_401", "status_403", "status_5xx"];
        var cells = rows.Select(r => new[]
        {
            r.Site, Number(r.Clients), Number(r.Requests), Join(r.Protocols), Number(r.DistinctUsers),
            Number(r.Status401), Number(r.Status403), Number(r.Status5xx),
        }).ToList();
        if (format == IisOutputFormat.Csv)
        {
            WriteCsv(writer, headers, cells);
        }
        else
        {
            WriteTable(writer, headers, cells, [false, true, true, false, true, true, true, true]);
        }
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static string Join(IEnumerable<IisCount> counts) =>
        string.Join("; ", counts.Select(c => c.Name + " (" + c.Requests.ToString(CultureInfo.InvariantCulture) + ")"));

    private static void WriteCsv(TextWriter writer, string[] headers, List<string[]> rows)
    {
        writer.Write(string.Join(",", headers));
        writer.Write("\r\n");
        foreach (var row in rows)
        {
            writer.Write(string.Join(",", row.Select(SafeText.ForCsv)));
            writer.Write("\r\n");
        }
    }

    private static void WriteTable(TextWriter writer, string[] headers, List<string[]> rows, bool[] rightAligned)
    {
        var shown = rows.Select(r => r.Select(c => SafeText.Truncate(SafeText.ForDisplay(c), TableCellWidth)).ToArray()).ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, shown.Count == 0 ? 0 : shown.Max(r => r[i].Length))).ToArray();
        WriteTableRow(writer, headers, widths, rightAligned);
        WriteTableRow(writer, widths.Select(w => new string('-', w)).ToArray(), widths, rightAligned);
        foreach (var row in shown)
        {
            WriteTableRow(writer, row, widths, rightAligned);
        }
    }

    private static void WriteTableRow(TextWriter writer, string[] cells, int[] widths, bool[] rightAligned)
    {
        var line = new StringBuilder();
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                line.Append("  ");
            }

            line.Append(rightAligned[i] ? cells[i].PadLeft(widths[i]) : cells[i].PadRight(widths[i]));
        }

        writer.WriteLine(line.ToString().TrimEnd());
    }

    private static void WriteJson<T>(TextWriter writer, DateOnly day, string by, IReadOnlyList<T> rows, Action<Utf8JsonWriter, T> writeRow)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.Default }))
        {
            json.WriteStartObject();
            json.WriteString("day", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            json.WriteString("by", by);
            json.WriteStartArray("rows");
            foreach (var row in rows)
            {
                json.WriteStartObject();
                writeRow(json, row);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        writer.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static void WriteCounts(Utf8JsonWriter json, string name, IReadOnlyList<IisCount> counts)
    {
        json.WriteStartArray(name);
        foreach (var c in counts)
        {
            json.WriteStartObject();
            json.WriteString("name", SafeText.ForDisplay(c.Name));
            json.WriteNumber("requests", c.Requests);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
