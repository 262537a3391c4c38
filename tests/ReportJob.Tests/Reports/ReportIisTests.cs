using ReportJob.IisLogs;
using ReportJob.Reports;

namespace ReportJob.Tests.Reports;

public sealed class ReportIisTests
{
    [Fact]
    public async Task Build_IisLogOfTheDay_TopClientsGainProtocolsAgentsUsers()
    {
        await using var db = await ReportFixture.CreateAsync();
        var log = Path.Combine(db.Directory, "u_ex261120.log");
        await File.WriteAllTextAsync(log, """
            #Software: Microsoft Internet Information Services 10.0
            #Version: 1.0
            #Date: 2026-11-20 00:00:00
            #Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken
            2026-11-20 08:00:01 10.0.0.10 POST /mapi/emsmdb/ - 443 CONTOSO\alice 10.2.1.50 Microsoft+Office/16.0+(Windows+NT+10.0;+Microsoft+Outlook+16.0.17928) - 200 0 0 15
            2026-11-20 08:00:02 10.0.0.10 POST /mapi/emsmdb/ - 443 CONTOSO\alice 10.2.1.50 Microsoft+Office/16.0+(Windows+NT+10.0;+Microsoft+Outlook+16.0.17928) - 200 0 0 12
            2026-11-20 08:00:03 10.0.0.10 POST /Microsoft-Server-ActiveSync/default.eas - 443 bob 10.2.1.50 <script>alert(1)</script> - 200 0 0 40
            2026-11-20 08:00:04 10.0.0.10 GET /owa/ - 443 - 10.3.4.8 Mozilla/5.0 - 401 0 0 3

            """.Replace("\n", "\r\n", StringComparison.Ordinal));
        var imported = await db.Get<IisLogImporter>().ImportAsync(log, default);
        Assert.Equal(IisImportStatus.Imported, imported.Status);

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
