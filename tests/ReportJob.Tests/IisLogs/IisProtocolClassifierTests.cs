using System.Text;
using ReportJob.IisLogs;

namespace ReportJob.Tests.IisLogs;

public sealed class IisProtocolClassifierTests
{
    [Theory]
    [InlineData("/mapi/emsmdb/", IisProtocol.MapiHttp)]
    [InlineData("/mapi/nspi/", IisProtocol.MapiHttp)]
    [InlineData("/rpc/rpcproxy.dll", IisProtocol.RpcHttp)]
    [InlineData("/EWS/Exchange.asmx", IisProtocol.Ews)]
    [InlineData("/ews/mrsproxy.svc", IisProtocol.Ews)]
    [InlineData("/Microsoft-Server-ActiveSync/default.eas", IisProtocol.ActiveSync)]
    [InlineData("/Microsoft-Server-ActiveSync", IisProtocol.ActiveSync)]
    [InlineData("/owa/", IisProtocol.Owa)]
    [InlineData("/owa", IisProtocol.Owa)]
    [InlineData("/ecp/default.aspx", IisProtocol.Ecp)]
    [InlineData("/Autodiscover/Autodiscover.xml", IisProtocol.Autodiscover)]
    [InlineData("/autodiscover/autodiscover.json/v1.0/jdoe@contoso.com", IisProtocol.Autodiscover)]
    [InlineData("/OAB/0f5b/oab.xml", IisProtocol.Oab)]
    [InlineData("/PowerShell/", IisProtocol.PowerShell)]
    [InlineData("/powershell-liveid", IisProtocol.PowerShell)]
    [InlineData("/", IisProtocol.Other)]
    [InlineData("/owaX/", IisProtocol.Other)]
    [InlineData("/healthcheck.htm", IisProtocol.Other)]
    [InlineData("", IisProtocol.Other)]
    public void Classify_UriStem_Protocol(string stem, IisProtocol expected) =>
        Assert.Equal(expected, IisProtocolClassifier.Classify(Encoding.ASCII.GetBytes(stem)));
}
