using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ReportJob.Cli;

/// <summary>Prints rows as an aligned table, CSV (RFC 4180) or JSON (an array of objects); invariant culture throughout.</summary>
internal static class TabularWriter
{
    public static readonly string[] Formats = ["table", "csv", "json"];

    public static void Write(TextWriter output, string format, IReadOnlyList<string> columns, IEnumerable<object?[]> rows)
    {
        var data = rows.ToList();
        switch (format)
        {
            case "csv":
                output.WriteLine(string.Join(',', columns.Select(Csv)));
                foreach (var row in data)
                {
                    output.WriteLine(string.Join(',', row.Select(v => Csv(Text(v)))));
                }

                break;
            case "json":
                var objects = data.Select(row => columns.Select((c, i) => (c, row[i])).ToDictionary(p => p.c, p => p.Item2 is DateTime d ? d.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : p.Item2));
                output.WriteLine(JsonSerializer.Serialize(objects, new JsonSerializerOptions { WriteIndented = true }));
                break;
            default:
                var texts = data.Select(r => r.Select(Text).ToArray()).ToList();
                var widths = columns.Select((c, i) => Math.Max(c.Length, texts.Count == 0 ? 0 : texts.Max(t => t[i].Length))).ToArray();
                var numeric = columns.Select((_, i) => data.Count > 0 && data.All(r => r[i] is long or int or double)).ToArray();
                output.WriteLine(Line(columns.ToArray(), widths, numeric));
                foreach (var t in texts)
                {
                    output.WriteLine(Line(t, widths, numeric));
                }

                break;
        }
    }

    private static string Line(string[] cells, int[] widths, bool[] numeric)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                sb.Append("  ");
            }

            sb.Append(numeric[i] ? cells[i].PadLeft(widths[i]) : cells[i].PadRight(widths[i]));
        }

        return sb.ToString().TrimEnd();
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Csv(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
