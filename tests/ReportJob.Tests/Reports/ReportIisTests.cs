using ReportJob.Reports;

namespace ReportJob.Tests.Reports;

public sealed class ReportIisTests
{
    [Fact]
    public async Task Build_IisLogOfTheDay_TopClientsGainProtocolsAgentsUsers()
    {
        await using var db = await ReportFixture.CreateAsync();
        await ReportFixture.ImportIisLogAsync(db);

        var report = await db.Get<DailyReportBuilder>().BuildAsync(ReportFixture.Day, default);
        var top = report.Connections.TopClients.Single(c => c.Address == "10.2.1.50");
        Assert.Equal(["MAPI/HTTP", "ActiveSync"], top.Protocols);
        Assert.Contains(top.UserAgents, a => a.StartsWith("Microsoft Office/16.0", StringComparison.Ordinal));
        Assert.Equal(2, top.Users.Count);
        Assert.Contains(report.Protocols, p => p.Protocol == "OWA" && p.Clients == 1 && p.Requests == 1);

        var html = await db.Get<ReportWriter>().RenderHtmlAsync(report);
        Assert.Contains("MAPI/HTTP", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)", html, StringComparison.Ordinal);
    }
}
