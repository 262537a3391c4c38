namespace ReportJob.Snapshots;

/// <summary>
/// How the runs hold time: a snapshot by its key, milliseconds since 1970-01-01 UTC cut down (one snapshot per server
/// and millisecond); a run never crosses a UTC midnight; creation and first-seen times as exact ticks.
/// </summary>
internal static class RunTime
{
    /// <summary>The last snapshot of a run that is still open: it goes on to its server's latest snapshot. 2^47 - 1, so that SQLite stores it in six bytes as it does any key, and closing a run rewrites its row in place.</summary>
    public const long Open = (1L << 47) - 1;

    public const long MillisecondsPerDay = 86_400_000;

    /// <summary>A run goes on only across snapshots at most this far apart; the same connection seen again after a longer gap is seen anew (its first-seen time starts again).</summary>
    public static readonly TimeSpan ChainGap = TimeSpan.FromMinutes(30);

    public static long Key(DateTime utc)
    {
        var ticks = utc.Ticks - DateTime.UnixEpoch.Ticks;
        return ticks >= 0 ? ticks / TimeSpan.TicksPerMillisecond : ((ticks + 1) / TimeSpan.TicksPerMillisecond) - 1;
    }

    public static DateTime FromKey(long key) => new(DateTime.UnixEpoch.Ticks + (key * TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);

    /// <summary>The key of the UTC midnight at or before <paramref name="key"/>.</summary>
    public static long DayStart(long key) => key - (((key % MillisecondsPerDay) + MillisecondsPerDay) % MillisecondsPerDay);

    public static bool SameDay(long a, long b) => DayStart(a) == DayStart(b);
}
