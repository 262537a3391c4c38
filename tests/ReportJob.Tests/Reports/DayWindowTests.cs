using ReportJob.Reports;

namespace ReportJob.Tests.Reports;

public sealed class DayWindowTests
{
    [Theory]
    [InlineData("Europe/Paris", "2026-11-20", "2026-11-19T23:00:00", 24)]
    [InlineData("Europe/Paris", "2026-03-29", "2026-03-28T23:00:00", 23)] // spring forward at 02:00
    [InlineData("Europe/Paris", "2026-10-25", "2026-10-24T22:00:00", 25)] // fall back at 03:00
    [InlineData("America/New_York", "2026-03-08", "2026-03-08T05:00:00", 23)]
    [InlineData("America/New_York", "2026-11-01", "2026-11-01T04:00:00", 25)]
    [InlineData("America/Santiago", "2026-09-06", "2026-09-06T04:00:00", 23)] // midnight does not exist: the day starts at 01:00
    [InlineData("UTC", "2026-11-20", "2026-11-20T00:00:00", 24)]
    public void For_DaylightSavingDays_RightBoundsAndLength(string zone, string day, string startUtc, int hours)
    {
        var window = DayWindow.For(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), TimeZoneInfo.FindSystemTimeZoneById(zone));
        Assert.Equal(DateTime.SpecifyKind(DateTime.Parse(startUtc, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc), window.StartUtc);
        Assert.Equal(TimeSpan.FromHours(hours), window.Length);
    }

    [Fact]
    public void DayOf_InstantJustBeforeLocalMidnight_PreviousDay()
    {
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        Assert.Equal(new DateOnly(2026, 11, 19), DayWindow.DayOf(new DateTime(2026, 11, 19, 22, 59, 59, DateTimeKind.Utc), paris));
        Assert.Equal(new DateOnly(2026, 11, 20), DayWindow.DayOf(new DateTime(2026, 11, 19, 23, 0, 0, DateTimeKind.Utc), paris));
    }
}
