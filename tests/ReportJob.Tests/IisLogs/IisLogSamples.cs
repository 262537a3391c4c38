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

    /// <summary>
    /// Fields of the IIS Advanced Logging Module's logs: its built-in Date-Local and Time-Local (the server's local
    /// time) and TimeTakenMS, besides the W3C names.
    /// </summary>
    public const string AdvancedFields = "#Fields:   date-local time-local s-computername s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) cs-host sc-status sc-substatus sc-win32-status sc-bytes cs-bytes TimeTakenMS";

    public const string AndroidChrome = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";

    /// <summary>
    /// A log of the IIS Advanced Logging Module as Microsoft documents it: its directives (<c>#Software: IIS Advanced
    /// Logging Module</c>, <c>#Start-Date</c> with milliseconds), several spaces after <c>#Fields:</c>, string values
    /// in quotation marks with their spaces, <c>-</c> unquoted for no value, times with milliseconds; here with blank
    /// lines between the directives and the header written again after a restart. The server runs in Europe/Berlin
    /// (UTC+1 in November), so local 2026-11-21 00:00–00:59 is still 2026-11-20 in UTC. Nine request lines; the last
    /// one has no line end.
    /// </summary>
    public static readonly string AdvancedLogging = string.Join("\r\n",
        "#Software: IIS Advanced Logging Module",
        "#Version: 1.0",
        "#Start-Date: 2026-11-20 00:00:00.012",
        "",
        AdvancedFields,
        $"2026-11-20 09:12:01.250 \"EX01\" 10.0.0.10 POST /mapi/emsmdb/ \"mailboxId=5f0c@contoso.com\" 443 \"CONTOSO\\jdoe\" \"10.2.1.15\" \"{OutlookSpaced}\" - \"mail.contoso.com\" 200 0 0 1200 400 31",
        $"2026-11-20 09:12:02.004 \"EX01\" 10.0.0.10 POST /EWS/Exchange.asmx - 443 \"CONTOSO\\jdoe\" \"10.2.1.15\" \"{OutlookSpaced}\" - \"mail.contoso.com\" 200 0 0 800 300 46",
        "2026-11-20 18:40:10.500 \"EX01\" 10.0.0.10 POST /Microsoft-Server-ActiveSync/default.eas \"Cmd=Ping&User=asmith\" 443 - \"2001:db8:10::25\" \"Apple-iPhone15C2/2104.122\" - \"mail.contoso.com\" 401 1 2148074254 0 250 0",
        $"2026-11-20 23:59:59.999 \"EX01\" 10.0.0.10 GET /owa/ - 443 - \"70.95.0.0\" \"{AndroidChrome}\" - \"mail.contoso.com\" 302 0 0 0 500 2",
        "",
        "#Software: IIS Advanced Logging Module",
        "",
        "#Version: 1.0",
        "",
        "#Start-Date: 2026-11-21 00:00:00.000",
        "",
        AdvancedFields,
        $"2026-11-21 00:00:00.001 \"EX01\" 10.0.0.10 GET /owa/ - 443 - \"70.95.0.0\" \"{AndroidChrome}\" \"https://mail.contoso.com/owa/\" \"mail.contoso.com\" 200 0 0 9000 600 15",
        $"2026-11-21 00:59:59.999 \"EX01\" 10.0.0.10 POST /mapi/emsmdb/ - 443 \"CONTOSO\\jdoe\" \"10.2.1.15\" \"{OutlookSpaced}\" - \"mail.contoso.com\" 200 0 0 1000 400 12",
        $"2026-11-21 01:00:00.000 \"EX01\" 10.0.0.10 POST /mapi/emsmdb/ - 443 \"CONTOSO\\jdoe\" \"10.2.1.15\" \"{OutlookSpaced}\" - \"mail.contoso.com\" 200 0 0 1000 400 12",
        "2026-11-21 08:30:00.125 \"EX01\" 10.0.0.10 POST /EWS/Exchange.asmx - 443 \"svc-crm@contoso.com\" \"10.3.0.7\" \"CrmSync/4.1 (C++; x64)\" - \"mail.contoso.com\" 200 0 0 300 100 7",
        "2026-11-21 09:00:00.000 \"EX01\" 10.0.0.10 POST /EWS/Exchange.asmx - 443 \"svc-crm@contoso.com\" \"10.3.0.7\" \"CrmSync/4.1 (C++; x64)\" - \"mail.contoso.com\" 500 0 0 300 100 9");

    /// <summary>Outlook's user agent as Advanced Logging writes it: quoted, with its spaces.</summary>
    public const string OutlookSpaced = "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro)";

    /// <summary>
    /// Exchange front-end lines with spaces IIS did not escape (seen in user agents and queries): one token too many
    /// in cs(User-Agent) (line 5), cs-uri-query (6) and cs(Referer) (7) each; two too many in a user agent (8); one
    /// in cs-username, which is no free-text field (9); and a plain line (10).
    /// </summary>
    public static readonly string UnescapedSpaces = Lines(
        "#Software: Microsoft Internet Information Services 10.0",
        "#Version: 1.0",
        "#Date: 2026-11-20 08:00:00",
        DefaultFields,
        $"2026-11-20 08:00:01 10.0.0.10 POST /mapi/emsmdb/ mailboxId=5f0c@contoso.com 443 CONTOSO\\jdoe 10.2.1.15 {OutlookWithRawSpace} - 200 0 0 31",
        "2026-11-20 08:00:02 10.0.0.10 GET /owa/ url=https%3a%2f%2fmail.contoso.com%2fowa%2f&search=meeting notes 443 - 10.3.0.7 Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64) https://mail.contoso.com/owa/ 200 0 0 15",
        "2026-11-20 08:00:03 10.0.0.10 GET /owa/service.svc action=FindItem 443 CONTOSO\\jdoe 10.3.0.7 Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64) https://mail.contoso.com/owa/#path=/mail/search?q=meeting notes 200 0 0 15",
        "2026-11-20 08:00:04 10.0.0.10 POST /Microsoft-Server-ActiveSync/default.eas Cmd=Sync 443 asmith 2001:db8:10::25 Outlook Mobile iOS - 200 0 0 120",
        "2026-11-20 08:00:05 10.0.0.10 POST /EWS/Exchange.asmx - 443 CONTOSO\\john doe 10.2.1.16 ExchangeServicesClient/15.02.1544.004 - 200 0 0 20",
        $"2026-11-20 08:00:06 10.0.0.10 POST /mapi/nspi/ - 443 CONTOSO\\jdoe 10.2.1.15 {Outlook} - 200 0 0 15");

    /// <summary>An Outlook user agent that IIS escaped but for one space, as Exchange front ends log it at times.</summary>
    public const string OutlookWithRawSpace = "Mozilla/4.0+(compatible;+MSIE+7.0;+Windows+NT+10.0;+Win64;+x64;+Trident/7.0;+Microsoft+Outlook 16.0.5122;+ms-office;+MSOffice+16)";

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
