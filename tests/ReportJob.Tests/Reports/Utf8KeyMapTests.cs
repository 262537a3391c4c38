using System.Text;
using ReportJob.Reports;

namespace ReportJob.Tests.Reports;

public sealed class Utf8KeyMapTests
{
    [Fact]
    public void TryGetValue_ManyKeysThroughGrowth_EachFindsItsValue()
    {
        var map = new Utf8KeyMap();
        // Prefixes of each other, IPv6, empty and non-ASCII keys among them.
        var keys = Enumerable.Range(0, 20_000).Select(i => i % 3 == 0 ? $"10.0.{i / 256}.{i % 256}" : i % 3 == 1 ? $"2001:db8::{i:x}" : $"ünï-{i}")
            .Append("").Append("10.0.0.1").Append("10.0.0.10").Distinct().ToList();
        for (var i = 0; i < keys.Count; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(keys[i]);
            Assert.False(map.TryGetValue(bytes, out _));
            map.Add(bytes, i * 7);
        }

        Assert.Equal(keys.Count, map.Count);
        for (var i = 0; i < keys.Count; i++)
        {
            Assert.True(map.TryGetValue(Encoding.UTF8.GetBytes(keys[i]), out var value));
            Assert.Equal(i * 7, value);
        }

        Assert.False(map.TryGetValue("10.0.0.100000"u8, out _));
        Assert.Throws<ArgumentException>(() => map.Add("10.0.0.1"u8, 1));
    }
}
