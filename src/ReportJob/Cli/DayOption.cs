using System.CommandLine;
using System.Globalization;

namespace ReportJob.Cli;

/// <summary>--date yyyy-MM-dd (a calendar day of the report's time zone).</summary>
internal static class DayOption
{
    public static Option<string?> Create(string description) => new("--date") { Description = description + " (yyyy-MM-dd)" };

    public static DateOnly? Parse(string? text) =>
        text is null ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d
        : throw new UsageException($"--date '{text}' is not a date in the form yyyy-MM-dd");
}
