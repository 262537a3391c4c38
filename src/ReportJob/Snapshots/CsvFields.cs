using System.Text;

namespace ReportJob.Snapshots;

/// <summary>
/// Writes CSV fields as Windows PowerShell's Export-Csv does (every field in double quotes, <c>""</c> for a quote), and
/// guards against formula injection: a cell that starts with <c>= + - @</c>, a tab or a carriage return gets a leading
/// single quote, so that Excel shows it as text instead of evaluating it.
/// </summary>
public static class CsvFields
{
    public static string Quote(string? value)
    {
        var v = value ?? "";
        if (v.Length > 0 && v[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            v = "'" + v;
        }

        return "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    public static string Line(IEnumerable<string?> values)
    {
        var sb = new StringBuilder();
        foreach (var v in values)
        {
            if (sb.Length > 0)
            {
                sb.Append(',');
            }

            sb.Append(Quote(v));
        }

        return sb.ToString();
    }
}
