namespace ReportJob.Reports;

/// <summary>
/// What admins change without rebuilding: the title, a logo and an extra stylesheet (Reports:Title, LogoFile,
/// StylesheetFile). The files are read at every render, so replacing them takes effect with the next report. A file
/// that cannot be read leaves the report without it and a <see cref="Problems"/> line saying so; it never stops the report.
/// </summary>
public sealed record ReportLooks(string Title, byte[]? Logo, string? LogoContentType, string ExtraCss, IReadOnlyList<string> Problems)
{
    public const string LogoContentId = "logo@reportjob";

    public static readonly IReadOnlyDictionary<string, string> LogoTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".gif"] = "image/gif",
    };

    /// <summary>A logo larger than this is not embedded: every report and e-mail would carry it.</summary>
    public const int MaxLogoBytes = 512 * 1024;

    public string? LogoDataUri => Logo is null ? null : $"data:{LogoContentType};base64,{Convert.ToBase64String(Logo)}";

    public static ReportLooks Load(ReportOptions options)
    {
        var problems = new List<string>();
        byte[]? logo = null;
        string? type = null;
        if (!string.IsNullOrWhiteSpace(options.LogoFile))
        {
            try
            {
                var info = new FileInfo(options.LogoFile);
                if (info.Exists && info.Length > MaxLogoBytes)
                {
                    problems.Add($"Reports:LogoFile '{info.FullName}' is {info.Length:N0} bytes, more than {MaxLogoBytes:N0}: left out.");
                }
                else
                {
                    logo = File.ReadAllBytes(info.FullName);
                    type = LogoTypes[info.Extension];
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                problems.Add($"Reports:LogoFile '{Path.GetFullPath(options.LogoFile)}' could not be read: {ex.Message}");
            }
        }

        var css = "";
        if (!string.IsNullOrWhiteSpace(options.StylesheetFile))
        {
            try
            {
                // Inside <style>, only "</" could end the element early: CSS escapes it (\3C is "<").
                css = File.ReadAllText(options.StylesheetFile).Replace("</", "\\3C/", StringComparison.Ordinal);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                problems.Add($"Reports:StylesheetFile '{Path.GetFullPath(options.StylesheetFile)}' could not be read: {ex.Message}");
            }
        }

        return new ReportLooks(options.Title, logo, type, css, problems.Select(p => ReportText.Clean(p)).ToList());
    }
}
