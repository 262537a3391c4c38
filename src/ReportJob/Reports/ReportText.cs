using ReportJob.IisLogs;

namespace ReportJob.Reports;

/// <summary>
/// Untrusted text (errors from servers, host names, user agents, site names) before it reaches a page, a workbook
/// or an e-mail: what <see cref="SafeText.IsUnsafe"/> calls unsafe (control, bidi, zero-width, line separators — the
/// one rule the importers and the CLI output share) becomes a space, and the length is capped. Encoding is still
/// done by each output.
/// </summary>
public static class ReportText
{
    public const int MaxLength = 500;

    public static string Clean(string? value) => Clean(value, MaxLength);

    /// <summary>Cleans and keeps at most <paramref name="maxLength"/> characters, then an ellipsis.</summary>
    public static string Clean(string? value, int maxLength)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var chars = value.Length <= maxLength ? value.ToCharArray() : value[..maxLength].ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (SafeText.IsUnsafe(chars[i]) || chars[i] is '\uFFFE' or '\uFFFF')
            {
                chars[i] = ' ';
            }
        }

        var s = new string(chars);
        return value.Length <= maxLength ? s : s + "…";
    }

    public static string? CleanOrNull(string? value) => value is null ? null : Clean(value);
}
