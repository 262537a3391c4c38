namespace ReportJob.Reports;

/// <summary>A calendar day of the report's time zone as a UTC interval [StartUtc, EndUtc): 23, 24 or 25 hours long.</summary>
public readonly record struct DayWindow(DateOnly Day, DateTime StartUtc, DateTime EndUtc)
{
    public static DayWindow For(DateOnly day, TimeZoneInfo zone) =>
        new(day, StartOfDayUtc(day, zone), StartOfDayUtc(day.AddDays(1), zone));

    /// <summary>The day (in the zone) that contains the instant.</summary>
    public static DateOnly DayOf(DateTime utc, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone));

    public TimeSpan Length => EndUtc - StartUtc;

    public bool Contains(DateTime utc) => utc >= StartUtc && utc < EndUtc;

    private static DateTime StartOfDayUtc(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // Where midnight does not exist (a DST jump at 00:00, e.g. America/Santiago), the day starts at the first valid minute.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        // Where midnight exists twice (a fall-back at 00:00), the day starts at the first of them: the larger offset.
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return DateTime.SpecifyKind(local - offset, DateTimeKind.Utc);
    }
}
