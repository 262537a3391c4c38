using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ReportJob.IisLogs;
using ReportJob.Snapshots;

namespace ReportJob.Cli;

/// <summary>
/// The one writer of verb output: an aligned table, CSV (Export-Csv quoting, formula-safe) or JSON (an array of objects).
/// Cells may carry text from outside (user agents, user names, site names, file names, error messages), so in every
/// format a cell's control and formatting characters (terminal escapes, bidi overrides, zero-width) become U+FFFD,
/// CSV cells that would start a formula get a leading <c>'</c> (<see cref="CsvFields"/>), and JSON is HTML-safe
/// (<c>&lt;</c> arrives as <c>\u003C</c>).
/// </summary>
internal static class OutputWriter
{
    // The default encoder escapes < > & ' + and everything outside Basic Latin; named here so that no one swaps in
    // UnsafeRelaxedJsonEscaping and lets raw markup through to a page that embeds the output.
    private static readonly JsonWriterOptions JsonOptions = new() { Indented = true, Encoder = JavaScriptEncoder.Default };

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
                writer.WriteLine(CsvFields.Line(table.Columns.Select(Neutralise)));
                foreach (var row in table.Rows)
                {
                    writer.WriteLine(CsvFields.Line(row.Select(Shown)));
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

    // Every character a terminal or a viewer would act on (C0, DEL, C1, bidi overrides, zero-width, line separators)
    // becomes U+FFFD; the same instance when there is none. The rule is the one the IIS importer applies when it stores
    // client text (SafeText.IsUnsafe), so that stored and shown text cannot disagree on what is harmless.
    public static string Neutralise(string value)
    {
        var first = -1;
        for (var i = 0; i < value.Length; i++)
        {
            if (SafeText.IsUnsafe(value[i]))
            {
                first = i;
                break;
            }
        }

        if (first < 0)
        {
            return value;
        }

        return string.Create(value.Length, (value, first), static (span, state) =>
        {
            state.value.AsSpan().CopyTo(span);
            for (var i = state.first; i < span.Length; i++)
            {
                if (SafeText.IsUnsafe(span[i]))
                {
                    span[i] = SafeText.Replacement;
                }
            }
        });
    }

    private static string Shown(object? cell) => Neutralise(Text(cell));

    private static void WriteTable(TextWriter writer, OutputTable table)
    {
        var text = table.Rows.Select(r => r.Select(Shown).ToArray()).ToList();
        var columns = table.Columns.Select(Neutralise).ToArray();
        var widths = columns.Select((c, i) => Math.Max(c.Length, text.Count == 0 ? 0 : text.Max(r => r[i].Length))).ToArray();
        var numeric = columns.Select((_, i) => table.Rows.Count > 0 && table.Rows.All(r => r[i] is int or long or double)).ToArray();
        writer.WriteLine(Line(columns, widths, numeric));
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
        using (var json = new Utf8JsonWriter(stream, JsonOptions))
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
                            // Neutralised as in the table: a consumer that decodes the JSON (jq -r) must not get escapes back.
                            json.WriteStringValue(Shown(row[i]));
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
