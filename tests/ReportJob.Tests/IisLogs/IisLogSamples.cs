using System.IO.Compression;
using System.Text;

namespace ReportJob.Tests.IisLogs;

/// <summary>Logs in the real IIS 10 W3C format of Exchange front ends (CRLF line ends, as IIS writes them).</summary>
internal static class IisLogSamples
{
    public const string DefaultFields = "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken";

    public const string Outlook = "Microsoft+Office/16.0+(Windows+NT+10.0;+Microsoft+Outlook+16.0.17928;+Pro)";

    public const string Iphone = "Apple-iPhone15C2/2104.122";

    /// <summary>The IIS default layout; then IIS restarts with sc-bytes, cs-bytes, cs-host and X-Forwarded-For added.</summary>
    public static readonly string DayOne = Lines(
        "#Software: Microsoft Internet Information Services 10.0",
        "#Version: 1.0",
        "#Date: 2026-11-20 00:00:01",
        DefaultFields,
        $"2026-11-20 00:00:01 10.0.0.10 POST /mapi/emsmdb/ mailboxId=5f0c@contoso.com&CorrelationID=<empty>;&cafeReqId=a1; 443 CONTOSO\\jdoe 10.2.1.15 {Outlook} - 200 0 0 31",
        $"2026-11-20 00:00:02 10.0.0.10 POST /mapi/nspi/ MailboxId=5f0c@contoso.com 443 contoso\\JDOE 10.2.1.15 {Outlook} - 200 0 0 15",
        $"2026-11-20 00:00:03 10.0.0.10 POST /EWS/Exchange.asmx - 443 CONTOSO\\jdoe 10.2.1.15 {Outlook} - 200 0 0 46",
        $"2026-11-20 00:00:04 10.0.0.10 POST /Microsoft-Server-ActiveSync/default.eas Cmd=Sync&User=asmith&DeviceId=ABC&DeviceType=iPhone 443 asmith@contoso.com 2001:db8:10::25 {Iphone} - 200 0 0 120",
        $"2026-11-20 00:00:05 10.0.0.10 POST /Microsoft-Server-ActiveSync/default.eas Cmd=Ping 443 - 2001:db8:10::25 {Iphone} - 401 1 2148074254 0",
        "2026-11-20 00:00:06 10.0.0.10 GET /owa/ - 443 - 10.3.0.7 Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36 - 302 0 0 0",
        "2026-11-20 00:00:07 10.0.0.10 GET /ecp/ - 443 - 10.3.0.7 Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36 - 403 4 5 1",
        "2026-11-20 00:00:08 10.0.0.10 GET /Autodiscover/Autodiscover.xml - 443 - 10.2.1.15 Microsoft+Office/16.0 - 500 0 0 9",
        "2026-11-20 00:00:09 10.0.0.10 GET /OAB/0f5b/oab.xml - 443 CONTOSO\\jdoe 10.2.1.15 Microsoft+BITS/7.8 - 200 0 0 3",
        "2026-11-20 00:00:10 10.0.0.10 POST /rpc/rpcproxy.dll ex01.contoso.com:6001 443 CONTOSO\\old 10.4.0.9 MSRPC - 200 0 0 60000",
        "2026-11-20 00:00:11 10.0.0.10 POST /PowerShell/ - 443 CONTOSO\\admin 10.0.0.50 Microsoft+WinRM+Client - 200 0 0 5",
        "2026-11-20 00:00:12 10.0.0.10 GET /healthcheck.htm - 443 - 10.0.0.5 F5-Probe - 200 0 0 0",
        "#Software: Microsoft Internet Information Services 10.0",
        "#Version: 1.0",
        "#Date: 2026-11-20 12:00:00",
        "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status sc-bytes cs-bytes time-taken cs-host X-Forwarded-For",
        $"2026-11-20 12:00:01 10.0.0.10 POST /mapi/emsmdb/ - 443 CONTOSO\\jdoe 10.2.1.15 {Outlook} 200 0 0 1000 400 12 mail.contoso.com -",
        $"2026-11-20 12:00:02 10.0.0.10 POST /mapi/emsmdb/ - 443 CONTOSO\\bob 192.168.0.2 {Outlook} 200 0 0 2000 500 12 mail.contoso.com 10.5.0.20,+192.168.0.2",
        "2026-11-20 23:59:59 10.0.0.10 POST /EWS/Exchange.asmx - 443 svc-crm@contoso.com ::ffff:10.2.1.15 CRM+Connector/2.0 200 0 0 300 100 7 mail.contoso.com -");

    public static string Lines(params string[] lines) => string.Concat(lines.Select(l => l + "\r\n"));

    public static string Write(string directory, string name, string content, bool bom = false, bool gzip = false)
    {
        var path = Path.Combine(directory, name);
        var bytes = (bom ? Encoding.UTF8.GetPreamble() : []).Concat(Encoding.UTF8.GetBytes(content)).ToArray();
        if (gzip)
        {
            using var file = File.Create(path);
            using var zip = new GZipStream(file, CompressionLevel.Fastest);
            zip.Write(bytes);
        }
        else
        {
            File.WriteAllBytes(path, bytes);
        }

        return path;
    }
}
