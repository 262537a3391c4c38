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
            record.BytesReceived);
        return status;
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
    [InlineData("2026-11-20 00:00:01 10.0.0.10 POST /owa/ - 443 - 10.2.1.15 Mozilla/5.0 (Windows) - 200 0 0 31", "fields where")]
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

    private sealed record ParsedRecord(DateOnly Day, string ClientIp, string UriStem, string UserName, string UserAgent, string ForwardedFor, int Status, long BytesSent, long BytesReceived);
}
