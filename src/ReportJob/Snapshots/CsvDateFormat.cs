using System.Globalization;

namespace ReportJob.Snapshots;

/// <summary>
/// A way a Windows server writes dates in CSV (Export-Csv uses the server's locale). A file is read with the one
/// format that parses all its dates; the candidates cannot both match a date with a time, so the order only breaks
/// ties that cannot happen.
/// </summary>
public sealed record CsvDateFormat(string Name, string[] Patterns)
{
    public static IReadOnlyList<CsvDateFormat> Candidates { get; } =
    [
        // en-US (Windows' default): 11/20/2026 8:05:00 AM
        new("en-US M/d/yyyy h:mm:ss tt", ["M/d/yyyy h:mm:ss tt", "M/d/yyyy h:mm tt"]),
        // de-DE and most of Europe: 20.11.2026 08:05:00
        new("de-DE dd.MM.yyyy HH:mm:ss", ["d.M.yyyy H:mm:ss", "d.M.yyyy H:mm"]),
        // en-GB, fr-FR, es-ES: 20/11/2026 08:05:00
        new("en-GB dd/MM/yyyy HH:mm:ss", ["d/M/yyyy H:mm:ss", "d/M/yyyy H:mm"]),
        // ISO 8601 / sv-SE, and the explicit format of a script that sets one: 2026-11-20 08:05:00
        new("ISO yyyy-MM-dd HH:mm:ss", ["yyyy-MM-dd H:mm:ss", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-dd H:mm"]),
    ];

    /// <summary>Parses a local (unspecified-kind) time.</summary>
    public bool TryParse(string text, out DateTime value) =>
        DateTime.TryParseExact(text.Trim(), Patterns, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out value);

    public override string ToString() => Name;
}
