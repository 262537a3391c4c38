using System.CommandLine;
using System.Globalization;

namespace ReportJob.Cli;

/// <summary>--from / --to: a UTC instant, <c>yyyy-MM-dd</c> (midnight) or <c>yyyy-MM-ddTHH:mm[:ss][Z]</c>.</summary>
internal static class TimeOption
{
    private static readonly string[] Forms = ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss"];

    public static Option<string?> Create(string name, string description) => new(name) { Description = description + " (UTC: yyyy-MM-dd or yyyy-MM-ddTHH:mm[:ss])" };

    public static DateTime? Parse(string name, string? text) =>
        text is null ? null
        : DateTime.TryParseExact(text, Forms, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
            ? DateTime.SpecifyKind(t, DateTimeKind.Utc)
            : throw new UsageException($"{name} '{text}' is not a UTC time in the form yyyy-MM-dd or yyyy-MM-ddTHH:mm[:ss]");
}
