using ReportJob.NetFlow.Decoding;

namespace ReportJob.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void NetFlowVersion_Ipfix_IsTen() => Assert.Equal(10, (int)NetFlowVersion.Ipfix);
}
