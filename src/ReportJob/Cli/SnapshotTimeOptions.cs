using System.CommandLine;
using System.Globalization;
using ReportJob.Snapshots;

namespace ReportJob.Cli;

/// <summary>The <c>--at</c>, <c>--date</c> and <c>--time-zone</c> options of the verbs that read stored snapshots.</summary>
internal sealed class SnapshotTimeOptions
{
    private static readonly string[] LocalFormats =
        ["yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd H:mm", "yyyy-MM-dd H:mm:ss"];

    public Option<string?> At { get; } = new("--at")
    {
        Description = "A time (yyyy-MM-dd HH:mm[:ss], in --time-zone unless it ends in Z or an offset): the round of snapshots taken nearest at or before it.",
    };

    public Option<string?> Date { get; } = new("--date")
    {
        Description = "A day (yyyy-MM-dd) in --time-zone: every round of snapshots taken that day.",
    };

    public Option<string?> TimeZone { get; } = new("--time-zone")
    {
        Description = "The zone of --at, --date and the times shown (IANA id such as Europe/Berlin, or UTC). Default: Snapshots:TimeZone.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(At);
        command.Options.Add(Date);
        command.Options.Add(TimeZone);
    }

    public TimeZoneInfo Zone(ParseResult parse, SnapshotsOptions options)
    {
        var id = parse.GetValue(TimeZone);
        if (id is null)
        {
            return options.PresentationTimeZone;
        }

        return SnapshotsOptions.TryFindZone(id, out var zone) ? zone : throw new UsageException($"--time-zone: '{id}' is not a known time zone (use an IANA id such as Europe/Berlin, or UTC)");
    }

    /// <summary>
    /// The rounds the options select (without either: the latest round), words for messages, and when nothing was found,
    /// a sentence saying why and where the data is.
    /// </summary>
    public async Task<(IReadOnlyList<ConnectionRound> Rounds, string Description, string? Missing)> ResolveAsync(
        ParseResult parse, ConnectionQueries queries, TimeZoneInfo zone, TimeProvider time, bool required, CancellationToken cancellationToken)
    {
        var at = parse.GetValue(At);
        var date = parse.GetValue(Date);
        if (at is not null && date is not null)
        {
            throw new UsageException("Give either --at or --date, not both.");
        }

        if (date is not null)
        {
            if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                throw new UsageException($"--date: '{date}' is not a day (yyyy-MM-dd)");
            }

            var window = ReportJob.Reports.DayWindow.For(day, zone);
            var what = $"{date} ({zone.Id})";
            var rounds = await queries.FindRoundsAsync(window.StartUtc, window.EndUtc, cancellationToken);
            return (rounds, what, rounds.Count == 0 ? $"no snapshot on {what}" : null);
        }

        if (at is null && required)
        {
            throw new UsageException("Give --at TIME or --date DAY.");
        }

        var atUtc = at is null ? time.GetUtcNow().UtcDateTime : ParseAt(at, zone);
        var description = at is null ? "the latest snapshots" : $"{at} ({zone.Id})";
        var round = await queries.FindRoundAtAsync(atUtc, cancellationToken);
        if (round is not null)
        {
            return ([round], description, null);
        }

        var latest = await queries.FindLatestSnapshotAsync(atUtc, cancellationToken);
        var days = ConnectionQueries.LookBack.TotalDays.ToString(CultureInfo.InvariantCulture);
        var missing = latest is null
            ? $"no snapshot at or before {Show(atUtc, zone)} ({zone.Id}) (collect or import some first)"
            : $"no snapshot in the {days} days before {Show(atUtc, zone)} ({zone.Id}); the latest is {Show(latest.Value, zone)} (use --at or --date)";
        return ([], description, missing);
    }

    private static string Show(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(utc, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static DateTime ParseAt(string text, TimeZoneInfo zone)
    {
        var t = text.Trim();
        if (t.EndsWith('Z') || t.EndsWith('z') || HasOffset(t))
        {
            if (DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var offset))
            {
                return offset.UtcDateTime;
            }
        }
        else if (DateTime.TryParseExact(t, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            if (zone.IsInvalidTime(local))
            {
                throw new UsageException($"--at: {t} does not exist in {zone.Id} (daylight-saving change)");
            }

            return TimeZoneInfo.ConvertTimeToUtc(local, zone);
        }

        throw new UsageException($"--at: '{text}' is not a time (yyyy-MM-dd HH:mm[:ss], optionally ending in Z or an offset such as +01:00)");
    }

    private static bool HasOffset(string t)
    {
        var time = t.IndexOfAny(['T', ' ']);
        return time > 0 && t.IndexOfAny(['+', '-'], time) > 0;
    }
}
