using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ReportJob.Snapshots;

namespace ReportJob.Cli;

/// <summary>The one writer of verb output: an aligned table, CSV (Export-Csv quoting, formula-safe) or JSON (an array of objects).</summary>
internal static class OutputWriter
{
    public static Option<OutputFormat> CreateOption() => new("--format")
    {
        Description = "Output: table (default), csv or json.",
        DefaultValueFactory = _ => OutputFormat.Table,
    };

    public static void Write(TextWriter writer, OutputTable table, OutputFormat format)
    {
        switch (format)
        {
            case OutputFormat.Csv:
                writer.WriteLine(CsvFields.Line(table.Columns));
                foreach (var row in table.Rows)
                {
                    writer.WriteLine(CsvFields.Line(row.Select(Text)));
                }

                break;
            case OutputFormat.Json:
                writer.WriteLine(Json(table));
                break;
            default:
                WriteTable(writer, table);
                break;
        }
    }

    public static string Text(object? cell) => cell switch
    {
        null => "",
        double d => d.ToString("0.##", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => cell.ToString() ?? "",
    };

    private static void WriteTable(TextWriter writer, OutputTable table)
    {
        var text = table.Rows.Select(r => r.Select(Text).ToArray()).ToList();
        var widths = table.Columns.Select((c, i) => Math.Max(c.Length, text.Count == 0 ? 0 : text.Max(r => r[i].Length))).ToArray();
        var numeric = table.Columns.Select((_, i) => table.Rows.Count > 0 && table.Rows.All(r => r[i] is int or long or double)).ToArray();
        writer.WriteLine(Line(table.Columns.ToArray(), widths, numeric));
        writer.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in text)
        {
            writer.WriteLine(Line(row, widths, numeric));
        }

        if (table.Rows.Count == 0)
        {
            writer.WriteLine("(no rows)");
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

            sb.Append(numeric[i] ? cells[i].PadLeft(widths[i]) : i == cells.Length - 1 ? cells[i] : cells[i].PadRight(widths[i]));
        }

        return sb.ToString();
    }

    private static string Json(OutputTable table)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (var row in table.Rows)
            {
                json.WriteStartObject();
                for (var i = 0; i < table.Columns.Count; i++)
                {
                    json.WritePropertyName(table.Columns[i]);
                    switch (row[i])
                    {
                        case null:
                            json.WriteNullValue();
                            break;
                        case int v:
                            json.WriteNumberValue(v);
                            break;
                        case long v:
                            json.WriteNumberValue(v);
                            break;
                        case double v:
                            json.WriteNumberValue(Math.Round(v, 4));
                            break;
                        default:
                            json.WriteStringValue(Text(row[i]));
                            break;
                    }
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
