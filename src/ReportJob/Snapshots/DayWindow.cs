namespace ReportJob.Snapshots;

/// <summary>A calendar day of a time zone as a UTC interval [start, end): 23 or 25 hours on daylight-saving days.</summary>
public readonly record struct DayWindow(DateTime StartUtc, DateTime EndUtc)
{
    public static DayWindow Of(DateOnly day, TimeZoneInfo zone) => new(StartOf(day, zone), StartOf(day.AddDays(1), zone));

    private static DateTime StartOf(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // Where midnight does not exist (a zone that springs forward at 00:00), the day starts at the first minute that does.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }
}
