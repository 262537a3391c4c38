using System.Text;

namespace ReportJob.Reports.Workbook;

/// <summary>
/// Makes untrusted text (addresses, host names, user agents) safe for a cell: control characters that XML 1.0
/// cannot carry are replaced, the length is capped at Excel's 32,767 characters, and text that a spreadsheet
/// would take for a formula is marked so that it stays text.
/// </summary>
public static class CellText
{
    public const int MaxLength = 32767;

    public static string Sanitize(string value)
    {
        StringBuilder? sb = null;
        for (var i = 0; i < value.Length; i++)
        {
            var ch = value[i];
            var ok = ch is '\t' or '\n' or '\r' || (ch >= 0x20 && ch != 0xFFFE && ch != 0xFFFF && !char.IsSurrogate(ch))
                     || (char.IsHighSurrogate(ch) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                     || (char.IsLowSurrogate(ch) && i > 0 && char.IsHighSurrogate(value[i - 1]));
            if (!ok)
            {
                sb ??= new StringBuilder(value, 0, i, value.Length);
                sb.Append('\uFFFD');
            }
            else
            {
                sb?.Append(ch);
            }
        }

        var result = sb?.ToString() ?? value;
        return result.Length <= MaxLength ? result : result[..(MaxLength - 1)] + "…";
    }

    /// <summary>Text starting like a formula (= + - @, or a tab/CR before one).</summary>
    public static bool LooksLikeFormula(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r';
}
