using ReportJob.Reports;

namespace ReportJob.Tests.Reports;

public sealed class ReportTimingsTests
{
    [Fact]
    public void Add_SameStageTwice_AddsUpInFirstOrder()
    {
        var timings = new ReportTimings();
        timings.Add("read", TimeSpan.FromSeconds(1));
        timings.Add("aggregate", TimeSpan.FromSeconds(0.5));
        timings.Add("read", TimeSpan.FromSeconds(2));

        Assert.Equal([new("read", TimeSpan.FromSeconds(3)), new("aggregate", TimeSpan.FromSeconds(0.5))], timings.Stages);
        Assert.Equal(TimeSpan.FromSeconds(3.5), timings.Total);
        Assert.Equal("read 3.00 s, aggregate 0.50 s", timings.ToString());
    }
}
