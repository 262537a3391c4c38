using ReportJob.NetFlow;
using ReportJob.NetFlow.Decoding;

namespace ReportJob.Tests.NetFlow;

/// <summary>
/// The fixed layout converts v9 uptime stamps without a range check when the packet's export time makes
/// every stamp valid: that must give what the checked conversion gives, at the extremes of the 32-bit delta.
/// </summary>
public sealed class UptimeTimesTests
{
    [Theory]
    [InlineData(0u, 0u)]
    [InlineData(100_000u, 95_000u)]
    [InlineData(3_381u, uint.MaxValue)]
    [InlineData(0u, 0x8000_0000u)]
    [InlineData(0u, 0x7FFF_FFFFu)]
    [InlineData(0x8000_0000u, 0u)]
    [InlineData(uint.MaxValue, 0u)]
    public void UptimeTicks_ExportTimeAlwaysValid_MatchesCheckedConversion(uint sysUptime, uint stamp)
    {
        var exportTicks = new DateTime(2023, 11, 14, 22, 13, 20, DateTimeKind.Utc).Ticks;

        Assert.True(RecordBuilder.UptimeAlwaysValid(exportTicks));
        Assert.Equal(RecordBuilder.FromSysUptime(stamp, exportTicks, sysUptime), RecordBuilder.UptimeTicks(stamp, exportTicks, sysUptime));
    }

    [Fact]
    public void UptimeAlwaysValid_ExportTimeWithin25DaysOf1990_IsFalse()
    {
        // A stamp up to 24.8 days before such an export time falls before 1990: it needs the checked path.
        var exportTicks = new DateTime(1990, 1, 20, 0, 0, 0, DateTimeKind.Utc).Ticks;

        Assert.False(RecordBuilder.UptimeAlwaysValid(exportTicks));
        Assert.Equal(0, RecordBuilder.FromSysUptime(0, exportTicks, int.MaxValue));
    }
}
