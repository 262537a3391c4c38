namespace ReportJob.IisLogs;

/// <summary>
/// The UTC day of a local date and time of one zone (IIS Advanced Logging logs <c>date-local</c>/<c>time-local</c>).
/// A day without a clock change has one offset, kept for the day: one subtraction per request. On the days the clocks
/// change, each time is converted on its own; a time in the skipped hour does not exist, and one in the repeated hour
/// is read as standard time (both readings give the same UTC day unless the change is within an hour of midnight UTC).
/// </summary>
internal sealed class LocalDayConverter(TimeZoneInfo zone)
{
    private const int SecondsPerDay = 86_400;

    private int _day = -1;
    private long _offsetSeconds;
    private bool _clockChanges;

    /// <summary>False when the time does not exist in the zone (skipped when the clocks were put forward).</summary>
    public bool TryUtcDay(DateOnly localDay, int secondOfDay, out DateOnly utcDay)
    {
        if (localDay.DayNumber != _day)
        {
            var first = zone.GetUtcOffset(localDay.ToDateTime(TimeOnly.MinValue));
            var last = zone.GetUtcOffset(localDay.ToDateTime(new TimeOnly(23, 59, 59)));
            _day = localDay.DayNumber;
            _offsetSeconds = (long)first.TotalSeconds;
            _clockChanges = first != last;
        }

        if (!_clockChanges)
        {
            var utcSeconds = ((long)localDay.DayNumber * SecondsPerDay) + secondOfDay - _offsetSeconds;
            utcDay = DateOnly.FromDayNumber((int)(utcSeconds / SecondsPerDay));
            return true;
        }

        var local = localDay.ToDateTime(TimeOnly.FromTimeSpan(TimeSpan.FromSeconds(secondOfDay)));
        if (zone.IsInvalidTime(local))
        {
            utcDay = default;
            return false;
        }

        utcDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeToUtc(local, zone));
        return true;
    }
}
