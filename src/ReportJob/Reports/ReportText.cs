namespace ReportJob.Reports;

/// <summary>
/// Untrusted text (errors from servers, host names, user agents, site names) before it reaches a page, a workbook
/// or an e-mail: control characters become spaces and the length is capped. Encoding is still done by each output.
/// </summary>
public static class ReportText
{
    public const int MaxLength = 500;

    public static string Clean(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var chars = value.Length <= MaxLength ? value.ToCharArray() : value[..MaxLength].ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsControl(chars[i]) || chars[i] is '\uFFFE' or '\uFFFF')
            {
                chars[i] = ' ';
            }
        }

        var s = new string(chars);
        return value.Length <= MaxLength ? s : s + "…";
    }

    public static string? CleanOrNull(string? value) => value is null ? null : Clean(value);
}
