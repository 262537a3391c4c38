using System.Globalization;

namespace ReportJob.Snapshots;

/// <summary>
/// A way a Windows server writes dates in CSV (Export-Csv uses the server's locale). Each date column of a file is
/// read with the one format that parses all its values; the culture formats cannot both match a date with a time, so
/// their order only breaks ties that cannot happen.
/// </summary>
public sealed record CsvDateFormat(string Name, string[] Patterns)
{
    /// <summary>The run stamp the routine writes into <c>datetime</c> (<c>get-date -format yyyyMMdd-HHmm</c>): 20170821-1143.</summary>
    public static CsvDateFormat RunStamp { get; } = new("run stamp yyyyMMdd-HHmm", ["yyyyMMdd-HHmm"]);

    /// <summary>The formats of a culture's <c>Get-Date</c> or <c>CreationTime</c> as Export-Csv writes them.</summary>
    public static IReadOnlyList<CsvDateFormat> Cultures { get; } =
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

    /// <summary>What the <c>datetime</c> column may hold: the routine's run stamp or a culture's <c>Get-Date</c>.</summary>
    public static IReadOnlyList<CsvDateFormat> RunTimes { get; } = [RunStamp, .. Cultures];

    /// <summary>Parses a local (unspecified-kind) time.</summary>
    public bool TryParse(string text, out DateTime value) =>
        DateTime.TryParseExact(Normalize(text), Patterns, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out value);

    public override string ToString() => Name;

    /// <summary>
    /// PowerShell 7 on ICU writes a narrow no-break space (U+202F) before AM/PM, and some cultures a no-break space
    /// (U+00A0) inside times; Windows PowerShell 5.1 writes a plain space. They are read alike.
    /// </summary>
    private static string Normalize(string text)
    {
        var t = text.Trim();
        return t.AsSpan().IndexOfAny('\u202F', '\u00A0') < 0 ? t : t.Replace('\u202F', ' ').Replace('\u00A0', ' ');
    }
}
