using System.Globalization;
using System.Net;

namespace ReportJob.Snapshots;

/// <summary>
/// Reads the CSV that <see cref="WindowsTcpScript"/> writes on a Windows server, and also what
/// <c>Get-NetTCPConnection | Select-Object … | ConvertTo-Csv -NoTypeInformation</c> writes (quoted fields, a
/// <c>#TYPE</c> line, named states), provided the dates are ISO 8601. Columns are found by their header names.
/// A row that cannot be read is counted in the report with its line number; it never throws.
/// </summary>
internal static class WindowsTcpOutputParser
{
    private static readonly string[] Required = ["LocalAddress", "LocalPort", "RemoteAddress", "RemotePort", "State"];

    /// <summary>Appends the rows of <paramref name="text"/> to <paramref name="into"/>.</summary>
    public static void Parse(string text, List<TcpConnection> into, TcpTableParseReport report, string source)
    {
        Dictionary<string, int>? columns = null;
        var lineNumber = 0;
        var fields = new List<string>();
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            lineNumber++;
            var line = raw.Trim().TrimStart('\uFEFF');
            if (line.IsEmpty || line.StartsWith("#TYPE", StringComparison.Ordinal))
            {
                continue;
            }

            if (!Split(line, fields))
            {
                report.Malformed(source, lineNumber, "unbalanced quotes");
                continue;
            }

            if (columns is null)
            {
                columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
                for (var i = 0; i < fields.Count; i++)
                {
                    columns.TryAdd(fields[i], i);
                }

                var missing = Required.Where(c => !columns.ContainsKey(c)).ToArray();
                if (missing.Length > 0)
                {
                    // Without the header nothing after it can be read: the whole output is wrong (a PowerShell
                    // error message, a banner…), so the caller sees zero header lines and fails the collection.
                    report.Malformed(source, lineNumber, $"expected a header with {string.Join(", ", Required)}; missing {string.Join(", ", missing)}");
                    return;
                }

                report.Header();
                continue;
            }

            var error = ParseRow(fields, columns, out var connection);
            if (error is null)
            {
                into.Add(connection);
                report.Row();
            }
            else
            {
                report.Malformed(source, lineNumber, error);
            }
        }
    }

    private static string? ParseRow(List<string> fields, Dictionary<string, int> columns, out TcpConnection connection)
    {
        connection = default;
        string Field(string name) => columns.TryGetValue(name, out var i) && i < fields.Count ? fields[i] : "";

        if (!IPAddress.TryParse(Field("LocalAddress"), out var local))
        {
            return $"bad LocalAddress '{Field("LocalAddress")}'";
        }

        if (!IPAddress.TryParse(Field("RemoteAddress"), out var remote))
        {
            return $"bad RemoteAddress '{Field("RemoteAddress")}'";
        }

        if (!TryPort(Field("LocalPort"), out var localPort))
        {
            return $"bad LocalPort '{Field("LocalPort")}'";
        }

        if (!TryPort(Field("RemotePort"), out var remotePort))
        {
            return $"bad RemotePort '{Field("RemotePort")}'";
        }

        if (ParseState(Field("State")) is not { } state)
        {
            return $"unknown State '{Field("State")}'";
        }

        DateTime? created = null;
        var createdText = Field("CreationTime");
        if (createdText.Length > 0)
        {
            if (!DateTime.TryParse(createdText, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var t)
                || t.Kind == DateTimeKind.Unspecified)
            {
                return $"bad CreationTime '{createdText}' (expected ISO 8601 with a zone, as ToString('o') writes)";
            }

            // Windows reports 1601-01-01 (FILETIME zero) when it does not know the creation time.
            created = t.Year <= 1601 ? null : t;
        }

        int? pid = null;
        var pidText = Field("OwningProcess");
        if (pidText.Length > 0)
        {
            if (!int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out var p))
            {
                return $"bad OwningProcess '{pidText}'";
            }

            pid = p;
        }

        connection = new TcpConnection(SnapshotStore.Normalize(local), localPort, SnapshotStore.Normalize(remote), remotePort, state, created, pid);
        return null;
    }

    /// <summary>A number (MIB_TCP_STATE, as <c>[int]$c.State</c> gives) or a name (<c>Established</c>, <c>TimeWait</c>, <c>DeleteTCB</c>…).</summary>
    internal static TcpState? ParseState(string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return Enum.IsDefined((TcpState)n) ? (TcpState)n : null;
        }

        // Enum.TryParse would also take "Listen, Bound" (flags) and "+5": only a single defined name counts.
        return text.Length > 0 && text.All(char.IsLetterOrDigit) && Enum.TryParse<TcpState>(text, ignoreCase: true, out var s) && Enum.IsDefined(s) ? s : null;
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 0 and <= 65535;

    /// <summary>Splits one CSV line (RFC 4180 quoting; PowerShell never breaks these fields over lines).</summary>
    private static bool Split(ReadOnlySpan<char> line, List<string> fields)
    {
        fields.Clear();
        var i = 0;
        while (true)
        {
            if (i < line.Length && line[i] == '"')
            {
                var value = new System.Text.StringBuilder();
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        return false;
                    }

                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            value.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    value.Append(line[i++]);
                }

                fields.Add(value.ToString().Trim());
                if (i < line.Length && line[i] != ',')
                {
                    return false;
                }
            }
            else
            {
                var comma = line[i..].IndexOf(',');
                var field = comma < 0 ? line[i..] : line.Slice(i, comma);
                fields.Add(field.Trim().ToString());
                i = comma < 0 ? line.Length : i + comma;
            }

            if (i >= line.Length)
            {
                return true;
            }

            i++; // the comma
            if (i == line.Length)
            {
                fields.Add("");
                return true;
            }
        }
    }
}
