using System.Text;
using ReportJob.IisLogs;

namespace ReportJob.Tests.IisLogs;

public sealed class W3cParserTests
{
    private static W3cLineStatus Parse(W3cParser parser, string line, out ParsedRecord parsed, out string? error)
    {
        var status = parser.ParseLine(Encoding.UTF8.GetBytes(line), out var record, out error);
        parsed = new ParsedRecord(
            record.Day,
            Encoding.UTF8.GetString(record.ClientIp),
            Encoding.UTF8.GetString(record.UriStem),
            Encoding.UTF8.GetString(record.UserName),
            Encoding.UTF8.GetString(record.UserAgent),
            Encoding.UTF8.GetString(record.ForwardedFor),
            record.Status,
            record.BytesSent,
            record.BytesReceived,
            record.UserAgentQuoted);
        return status;
    }

    private static W3cParser WithLayout(string fields, TimeZoneInfo? zone = null)
    {
        var parser = new W3cParser("X-Forwarded-For", zone ?? TimeZoneInfo.Utc);
        Assert.Equal(W3cLineStatus.Directive, Parse(parser, fields, out _, out _));
        return parser;
    }

    private static W3cParser WithDefaultLayout()
    {
        var parser = new W3cParser("X-Forwarded-For");
        Assert.Equal(W3cLineStatus.Directive, Parse(parser, IisLogSamples.DefaultFields, out _, out _));
        return parser;
    }

    [Fact]
    public void ParseLine_DefaultLayout_FieldsAsSlices()
    {
        var parser = WithDefaultLayout();
        var status = Parse(
            parser,
            $"2026-11-20 00:00:01 10.0.0.10 POST /mapi/emsmdb/ mailboxId=5f0c@contoso.com 443 CONTOSO\\jdoe 10.2.1.15 {IisLogSamples.Outlook} - 200 0 0 31\r",
            out var r,
            out var error);

        Assert.Equal(W3cLineStatus.Record, status);
        Assert.Null(error);
        Assert.Equal(new DateOnly(2026, 11, 20), r.Day);
        Assert.Equal("10.2.1.15", r.ClientIp);
        Assert.Equal("/mapi/emsmdb/", r.UriStem);
        Assert.Equal("CONTOSO\\jdoe", r.UserName);
        Assert.Equal(IisLogSamples.Outlook, r.UserAgent);
        Assert.Equal(200, r.Status);
        Assert.Equal(-1, r.BytesSent);
        Assert.Equal("", r.ForwardedFor);
    }

    [Fact]
    public void ParseLine_LayoutChangesMidFile_NewLayoutApplies()
    {
        var parser = WithDefaultLayout();
        Parse(parser, "#Fields: date time c-ip cs-username cs(User-Agent) sc-status cs-uri-stem sc-bytes cs-bytes X-Forwarded-For", out _, out _);

        var status = Parse(parser, "2026-11-21 08:00:00 2001:db8::7 - Apple-iPhone15C2/2104.122 401 /Microsoft-Server-ActiveSync/default.eas 512 1024 203.0.113.9", out var r, out _);

        Assert.Equal(W3cLineStatus.Record, status);
        Assert.Equal(new DateOnly(2026, 11, 21), r.Day);
        Assert.Equal("2001:db8::7", r.ClientIp);
        Assert.Equal("/Microsoft-Server-ActiveSync/default.eas", r.UriStem);
        Assert.Equal(401, r.Status);
        Assert.Equal(512, r.BytesSent);
        Assert.Equal(1024, r.BytesReceived);
        Assert.Equal("203.0.113.9", r.ForwardedFor);
    }

    [Fact]
    public void ParseLine_NoDateField_DayFromDateDirective()
    {
        var parser = new W3cParser("X-Forwarded-For");
        Parse(parser, "#Date: 2026-11-22 10:00:00", out _, out _);
        Parse(parser, "#Fields: time c-ip cs-uri-stem sc-status", out _, out _);

        Assert.Equal(W3cLineStatus.Record, Parse(parser, "10:00:01 10.1.1.1 /owa/ 200", out var r, out _));
        Assert.Equal(new DateOnly(2026, 11, 22), r.Day);
        Assert.Contains("#Fields: time c-ip cs-uri-stem sc-status", parser.Header, StringComparison.Ordinal);
        Assert.Contains("#Date: 2026-11-22 10:00:00", parser.Header, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseLine_CustomFieldInCsForm_RecognisedAsForwardedFor()
    {
        var parser = new W3cParser("X-Forwarded-For");
        Parse(parser, "#Fields: date time c-ip cs(X-Forwarded-For) sc-status", out _, out _);
        Parse(parser, "2026-11-20 10:00:01 10.0.0.1 10.9.9.9 200", out var r, out _);
        Assert.Equal("10.9.9.9", r.ForwardedFor);
    }

    [Fact]
    public void ParseLine_Bom_Stripped()
    {
        var parser = new W3cParser("X-Forwarded-For");
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("#Fields: date time c-ip sc-status")).ToArray();
        Assert.Equal(W3cLineStatus.Directive, parser.ParseLine(bytes, out _, out _));
        Assert.NotNull(parser.Layout);
    }

    [Theory]
    [InlineData("2026-11-20 00:00:01 10.0.0.10 POST /owa/ - 443 - 10.2.1.15 UA - 200 0 0", "fields where #Fields lists 15")]
    [InlineData("2026-11-20 00:00:01 10.0.0.10 POST /owa/ - 443 - 10.2.1.15 UA - 200 0 0 31 extra", "16 fields where #Fields lists 15")]
    [InlineData("2026-13-20 00:00:01 10.0.0.10 POST /owa/ - 443 - 10.2.1.15 UA - 200 0 0 31", "date")]
    [InlineData("2026-11-20 00:00:01 10.0.0.10 POST /owa/ - 443 - 10.2.1.15 UA - OK 0 0 31", "sc-status")]
    public void ParseLine_BadRecord_BadWithReason(string line, string reason)
    {
        var parser = WithDefaultLayout();
        Assert.Equal(W3cLineStatus.Bad, Parse(parser, line, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseLine_RecordBeforeFields_Bad()
    {
        var parser = new W3cParser("X-Forwarded-For");
        Assert.Equal(W3cLineStatus.Bad, Parse(parser, "2026-11-20 00:00:01 10.0.0.10", out _, out var error));
        Assert.Contains("#Fields", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "Blank")]
    [InlineData("\r", "Blank")]
    [InlineData("#Software: Microsoft Internet Information Services 10.0", "Directive")]
    [InlineData("#Remark: anything", "Directive")]
    public void ParseLine_NonRecords_Classified(string line, string expected) =>
        Assert.Equal(Enum.Parse<W3cLineStatus>(expected), Parse(WithDefaultLayout(), line, out _, out _));

    // The one-surplus-token rule, the default Exchange layout: a space IIS did not escape lands in the one free-text
    // field that can take it, with every other field still of its kind (s-port a number, c-ip an address, cs(Referer)
    // "-" or an absolute URI).
    [Theory]
    [InlineData("2026-11-20 08:00:01 10.0.0.10 POST /mapi/emsmdb/ - 443 CONTOSO\\jdoe 10.2.1.15 Mozilla/4.0+(compatible;+Microsoft+Outlook 16.0.5122;+ms-office) - 200 0 0 31",
        "UserAgent", "Mozilla/4.0+(compatible;+Microsoft+Outlook 16.0.5122;+ms-office)")]
    [InlineData("2026-11-20 08:00:02 10.0.0.10 GET /owa/ url=%2fowa%2f&search=meeting notes 443 - 10.3.0.7 Mozilla/5.0 https://mail.contoso.com/owa/ 200 0 0 15",
        "UserAgent", "Mozilla/5.0")]
    [InlineData("2026-11-20 08:00:03 10.0.0.10 GET /owa/ a=1 443 - 10.3.0.7 Mozilla/5.0 https://mail.contoso.com/owa/#q=meeting notes 200 0 0 15",
        "UserAgent", "Mozilla/5.0")]
    [InlineData("2026-11-20 08:00:04 10.0.0.10 GET /owa/ - 443 - 10.3.0.7 Mozilla/5.0 (Windows) - 200 0 0 15",
        "UserAgent", "Mozilla/5.0 (Windows)")]
    public void ParseLine_OneSurplusTokenOneFreeTextFieldFits_Counted(string line, string field, string expected)
    {
        var parser = WithDefaultLayout();

        Assert.Equal(W3cLineStatus.Record, Parse(parser, line, out var r, out var error));

        Assert.Null(error);
        Assert.Equal(expected, field == "UserAgent" ? r.UserAgent : throw new ArgumentOutOfRangeException(nameof(field)));
        Assert.Equal(200, r.Status);
        Assert.Equal(new DateOnly(2026, 11, 20), r.Day);
        Assert.Equal(0, parser.TooManyFields);
    }

    [Fact]
    public void ParseLine_SurplusInQueryOrReferer_TheOtherFieldsInPlace()
    {
        var parser = WithLayout("#Fields: date time c-ip cs-uri-stem cs-uri-query s-port cs(User-Agent) cs(Referer) cs(Cookie) sc-status");

        Assert.Equal(W3cLineStatus.Record, Parse(parser, "2026-11-20 08:00:02 10.3.0.7 /owa/ search=meeting notes 443 UA - - 200", out var query, out _));
        Assert.Equal(("10.3.0.7", "UA", 200), (query.ClientIp, query.UserAgent, query.Status));
        Assert.Equal(W3cLineStatus.Record, Parse(parser, "2026-11-20 08:00:03 10.3.0.7 /owa/ - 443 UA https://mail.contoso.com/owa/#q=a b - 302", out var referer, out _));
        Assert.Equal(("UA", 302), (referer.UserAgent, referer.Status));
        Assert.Equal(W3cLineStatus.Record, Parse(parser, "2026-11-20 08:00:04 10.3.0.7 /owa/ - 443 UA - X-OWA-CANARY=abc; ClientId=42 401", out var cookie, out _));
        Assert.Equal(("UA", 401), (cookie.UserAgent, cookie.Status));
    }

    // ...and the other way: not counted when two free-text fields could take the token, when none can, or when the
    // line has two tokens too many.
    [Theory]
    [InlineData("#Fields: date time c-ip cs-uri-stem cs-uri-query cs(User-Agent) sc-status",
        "2026-11-20 10:00:00 10.1.1.1 /owa/ a=1 b Mozilla/5.0 200", "8 fields where #Fields lists 7: the extra one could belong to cs-uri-query or cs(User-Agent)")]
    [InlineData("#Fields: date time c-ip cs-uri-stem cs(User-Agent) cs(Referer) sc-status",
        "2026-11-20 10:00:00 10.1.1.1 /owa/ Mozilla/5.0 https://a.example/ https://b.example/ 200", "the extra one could belong to cs(User-Agent) or cs(Referer)")]
    [InlineData("#Fields: date time c-ip cs-uri-stem sc-status",
        "2026-11-20 10:00:00 10.1.1.1 /owa/ extra 200", "6 fields where #Fields lists 5, and no free-text field")]
    [InlineData(IisLogSamples.DefaultFields,
        "2026-11-20 08:00:05 10.0.0.10 POST /EWS/Exchange.asmx - 443 CONTOSO\\john doe 10.2.1.16 ExchangeServicesClient/15.02 - 200 0 0 20", "16 fields where #Fields lists 15, and no free-text field")]
    [InlineData(IisLogSamples.DefaultFields,
        "2026-11-20 08:00:04 10.0.0.10 POST /Microsoft-Server-ActiveSync/default.eas Cmd=Sync 443 asmith 2001:db8:10::25 Outlook Mobile iOS - 200 0 0 120", "17 fields where #Fields lists 15")]
    public void ParseLine_SurplusTokenWithoutOneHome_BadWithReason(string fields, string line, string reason)
    {
        var parser = WithLayout(fields);

        Assert.Equal(W3cLineStatus.Bad, Parse(parser, line, out _, out var error));

        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.True(parser.TooManyFields > parser.Layout!.Count);
    }

    [Fact]
    public void ParseLine_AdvancedLoggingQuotedValues_OneFieldEach()
    {
        var parser = WithLayout(IisLogSamples.AdvancedFields);

        var status = Parse(parser, $"2026-11-20 23:59:59.999 \"EX01\" 10.0.0.10 GET /owa/ - 443 \"CONTOSO\\jdoe\" \"70.95.0.0\" \"{IisLogSamples.AndroidChrome}\" \"https://mail.contoso.com/owa/\" \"mail.contoso.com\" 302 0 0 1000 500 2", out var r, out var error);

        Assert.True(status == W3cLineStatus.Record, error);
        Assert.Equal("70.95.0.0", r.ClientIp);
        Assert.Equal(IisLogSamples.AndroidChrome, r.UserAgent);
        Assert.True(r.UserAgentQuoted);
        Assert.Equal("CONTOSO\\jdoe", r.UserName);
        Assert.Equal("/owa/", r.UriStem);
        Assert.Equal((302, 1000L, 500L), (r.Status, r.BytesSent, r.BytesReceived));
        Assert.Equal(new DateOnly(2026, 11, 20), r.Day);
    }

    [Theory]
    [InlineData("\"a \"\"quoted\"\" agent\"", "a \"\"quoted\"\" agent")]
    [InlineData("\"no end", "\"no")]
    [InlineData("\"\"", "")]
    public void ParseLine_QuotedValueEdges_ReadToTheQuoteBeforeASpace(string agent, string expected)
    {
        var parser = WithLayout("#Fields: date c-ip cs(User-Agent) sc-status");
        var line = $"2026-11-20 10.1.1.1 {agent} 200";
        var status = Parse(parser, line, out var r, out var error);
        if (agent == "\"no end")
        {
            // No closing quote: split on spaces as IIS's own format is; one token too many, placed in the agent.
            Assert.True(status == W3cLineStatus.Record, error);
            Assert.Equal("\"no end", r.UserAgent);
            return;
        }

        Assert.True(status == W3cLineStatus.Record, error);
        Assert.Equal(expected, r.UserAgent);
        Assert.Equal(200, r.Status);
    }

    // date-local/time-local are the server's clock: the request counts on its UTC day in IisLogs:LocalTimeZone.
    [Theory]
    [InlineData("Europe/Berlin", "2026-11-21", "00:30:00.123", "2026-11-20")]
    [InlineData("Europe/Berlin", "2026-11-21", "00:59:59.999", "2026-11-20")]
    [InlineData("Europe/Berlin", "2026-11-21", "01:00:00.000", "2026-11-21")]
    [InlineData("Europe/Berlin", "2026-07-01", "01:59:59", "2026-06-30")]
    [InlineData("Europe/Berlin", "2026-07-01", "02:00:00", "2026-07-01")]
    [InlineData("America/New_York", "2026-11-20", "19:00:00", "2026-11-21")]
    [InlineData("America/New_York", "2026-11-20", "18:59:59", "2026-11-20")]
    [InlineData("Asia/Kolkata", "2026-11-21", "05:29:59", "2026-11-20")]
    [InlineData("UTC", "2026-11-21", "00:00:00", "2026-11-21")]
    // The days the clocks change: each time on its own; the repeated hour is read as standard time.
    [InlineData("America/New_York", "2026-11-01", "01:30:00", "2026-11-01")]
    [InlineData("America/New_York", "2026-03-08", "20:00:00", "2026-03-09")]
    [InlineData("America/New_York", "2026-03-08", "19:59:59", "2026-03-08")]
    [InlineData("Pacific/Auckland", "2026-04-05", "01:00:00", "2026-04-04")]
    [InlineData("Pacific/Auckland", "2026-04-05", "11:59:59", "2026-04-04")]
    [InlineData("Pacific/Auckland", "2026-04-05", "12:00:00", "2026-04-05")]
    public void ParseLine_LocalDateAndTime_CountedOnTheUtcDay(string zone, string date, string time, string expected)
    {
        var parser = WithLayout("#Fields:   date-local time-local c-ip sc-status", TimeZoneInfo.FindSystemTimeZoneById(zone));

        Assert.Equal(W3cLineStatus.Record, Parse(parser, $"{date} {time} 10.1.1.1 200", out var r, out var error));

        Assert.Null(error);
        Assert.Equal(DateOnly.ParseExact(expected, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), r.Day);
    }

    [Fact]
    public void ParseLine_LocalTimeInTheSkippedHour_BadNamingTheZone()
    {
        var parser = WithLayout("#Fields: date-local time-local c-ip sc-status", TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));

        Assert.Equal(W3cLineStatus.Bad, Parse(parser, "2026-03-29 02:30:00.000 10.1.1.1 200", out _, out var error));

        Assert.Contains("02:30:00.000 does not exist on 2026-03-29 in Europe/Berlin", error, StringComparison.Ordinal);
        Assert.Equal(W3cLineStatus.Record, Parse(parser, "2026-03-29 03:30:00.000 10.1.1.1 200", out var after, out _));
        Assert.Equal(new DateOnly(2026, 3, 29), after.Day);
    }

    [Theory]
    [InlineData("#Fields: date-local c-ip sc-status", "2026-11-21 10.1.1.1 200", "date-local without time-local")]
    [InlineData("#Fields: date-local time-local c-ip sc-status", "2026-11-21 25:00:00 10.1.1.1 200", "time-local is not hh:mm:ss")]
    public void ParseLine_LocalDayUnknown_Bad(string fields, string line, string reason)
    {
        Assert.Equal(W3cLineStatus.Bad, Parse(WithLayout(fields), line, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("   ")]
    [InlineData("\t\r")]
    [InlineData("#Start-Date: 2026-11-20 00:00:00.012")]
    [InlineData("#Filter: ((ARRLogID isPresent ) || (xforward isPresent ))")]
    [InlineData("#Software: IIS Advanced Logging Module")]
    public void ParseLine_BlankOrAnyDirective_NotARecord(string line) =>
        Assert.NotEqual(W3cLineStatus.Bad, Parse(WithDefaultLayout(), line, out _, out _));

    private sealed record ParsedRecord(DateOnly Day, string ClientIp, string UriStem, string UserName, string UserAgent, string ForwardedFor, int Status, long BytesSent, long BytesReceived, bool UserAgentQuoted);
}
