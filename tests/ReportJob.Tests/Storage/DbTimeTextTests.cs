using System.Globalization;
using System.Text;
using ReportJob.Storage;

namespace ReportJob.Tests.Storage;

public sealed class DbTimeTextTests
{
    [Theory]
    [InlineData("2026-11-20 08:05:07", "2026-11-20T08:05:07.0000000Z")]
    [InlineData("2026-11-20 08:05:07.5", "2026-11-20T08:05:07.5000000Z")]
    [InlineData("2026-11-20 08:05:07.1234567", "2026-11-20T08:05:07.1234567Z")]
    [InlineData("2026-11-20T08:05:07", "2026-11-20T08:05:07.0000000Z")]
    [InlineData("2026-11-20T08:05:07.25Z", "2026-11-20T08:05:07.2500000Z")]
    [InlineData("2024-02-29 23:59:59.9999999", "2024-02-29T23:59:59.9999999Z")]
    [InlineData("0001-01-01 00:00:00", "0001-01-01T00:00:00.0000000Z")]
    [InlineData("9999-12-31 23:59:59.9999999", "9999-12-31T23:59:59.9999999Z")]
    // Not the fixed form: the general parser reads them.
    [InlineData("2026-11-20T09:05:07+01:00", "2026-11-20T08:05:07.0000000Z")]
    [InlineData("2026-11-20 08:05:07.", "2026-11-20T08:05:07.0000000Z")]
    [InlineData("2026-11-20 8:05:07", "2026-11-20T08:05:07.0000000Z")]
    [InlineData("2026-11-20", "2026-11-20T00:00:00.0000000Z")]
    public void Parse_TextAndUtf8_SameUtcTime(string text, string expected)
    {
        var want = DateTime.Parse(expected, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        var fromString = DbTimeText.ParseUtc(text);
        Assert.Equal((want, DateTimeKind.Utc), (fromString, fromString.Kind));
        Assert.Equal(want.Ticks, DbTimeText.ParseUtcTicks(Encoding.UTF8.GetBytes(text)));
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("")]
    [InlineData("2026-02-30 00:00:00")]
    [InlineData("2026-13-01 00:00:00")]
    [InlineData("2026-11-20 24:00:00")]
    [InlineData("2026-11-20 08:61:00")]
    [InlineData("2026-11-20 08:05:07 garbage")]
    [InlineData("２０２６-11-20 08:05:07")]
    public void Parse_NoTime_FormatException(string text)
    {
        Assert.Throws<FormatException>(() => DbTimeText.ParseUtc(text));
        Assert.Throws<FormatException>(() => DbTimeText.ParseUtcTicks(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void ParseUtcTicks_WhatBulkInserterWrites_RoundTrips()
    {
        var random = new Random(20261122);
        Span<byte> buffer = stackalloc byte[32];
        for (var i = 0; i < 10_000; i++)
        {
            var value = new DateTime(random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks), DateTimeKind.Utc);
            var n = BulkInserter.FormatSqliteDateTime(value, buffer);
            Assert.Equal(value.Ticks, DbTimeText.ParseUtcTicks(buffer[..n]));
            Assert.Equal(value, DbTimeText.ParseUtc(Encoding.UTF8.GetString(buffer[..n])));
        }
    }
}
