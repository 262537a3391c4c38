using System.Net;
using System.Text;
using ReportJob.Snapshots;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Snapshots;

public sealed class WindowsTcpOutputParserTests
{
    private static (List<TcpConnection> Rows, TcpTableParseReport Report) Parse(string text)
    {
        var rows = new List<TcpConnection>();
        var report = new TcpTableParseReport();
        WindowsTcpOutputParser.Parse(text, rows, report, "ssh ex01");
        return (rows, report);
    }

    // Fixtures/Snapshots/get-nettcpconnection.csv has the shape Windows PowerShell 5.1's
    // "Get-NetTCPConnection | Select-Object … | ConvertTo-Csv" gives (a #TYPE line, quoted fields, CRLF, named
    // states), with ISO 8601 dates; it is written by hand to that shape, with bad rows mixed in.
    [Fact]
    public void Parse_ConvertToCsvSample_ReadsRowsAndReportsBadOnes()
    {
        var (rows, report) = Parse(File.ReadAllText(Path.Combine(RepoPaths.Fixtures, "Snapshots", "get-nettcpconnection.csv")));

        Assert.Equal(1, report.HeaderLines);
        Assert.Equal(5, rows.Count);
        Assert.Equal(new TcpConnection(IPAddress.Parse("10.0.0.10"), 443, IPAddress.Parse("10.2.1.5"), 50000, TcpState.Established,
            new DateTime(2026, 11, 20, 7, 58, 1, DateTimeKind.Utc).AddTicks(1234567), 4), rows[0]);
        Assert.Null(rows[1].CreatedAtUtc);                                     // 1601-01-01: Windows does not know
        Assert.Equal(TcpState.TimeWait, rows[1].State);
        Assert.Equal(IPAddress.Parse("10.2.1.6"), rows[2].RemoteAddress);      // IPv4-mapped shown as IPv4
        Assert.Equal(IPAddress.Parse("10.0.0.10"), rows[2].LocalAddress);
        Assert.Equal(new DateTime(2026, 11, 20, 7, 58, 1, 500, DateTimeKind.Utc), rows[2].CreatedAtUtc);
        Assert.Equal(DateTimeKind.Utc, rows[2].CreatedAtUtc!.Value.Kind);
        Assert.Equal(TcpState.Established, rows[3].State);                     // numeric state
        Assert.Equal(IPAddress.Parse("2001:db8::7"), rows[3].RemoteAddress);
        Assert.Equal(TcpState.DeleteTcb, rows[4].State);
        Assert.Equal(3, report.MalformedLines);
        Assert.Equal([7, 8, 9], report.Samples.Select(s => s.LineNumber));
        Assert.StartsWith("bad RemotePort 'notaport'", report.Samples[0].Reason, StringComparison.Ordinal);
        Assert.StartsWith("bad CreationTime '20.11.2026 07:58:01'", report.Samples[1].Reason, StringComparison.Ordinal);
        Assert.StartsWith("unknown State 'Exploded'", report.Samples[2].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ScriptOutput_ReadsUnquotedRows()
    {
        var text = WindowsTcpScript.Header + "\n"
            + "10.0.0.10,443,10.2.1.5,50000,5,2026-11-20T07:58:01.0000000Z,4\n"
            + "::,443,::,0,2,,4\n";

        var (rows, report) = Parse(text);

        Assert.Equal(2, rows.Count);
        Assert.Equal(TcpState.Listen, rows[1].State);
        Assert.Equal(0, report.MalformedLines);
    }

    [Fact]
    public void Parse_HeaderOnly_NoConnections()
    {
        var (rows, report) = Parse(WindowsTcpScript.Header + "\r\n");

        Assert.Empty(rows);
        Assert.Equal((1, 0), (report.HeaderLines, report.MalformedLines));
    }

    [Fact]
    public void Parse_NotATable_NoHeaderAndOneMalformedLine()
    {
        var (rows, report) = Parse("Get-NetTCPConnection : The term 'Get-NetTCPConnection' is not recognized\r\nmore\r\n");

        Assert.Empty(rows);
        Assert.Equal(0, report.HeaderLines);
        Assert.Contains("missing LocalAddress", Assert.Single(report.Samples).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("5", TcpState.Established)]
    [InlineData("100", TcpState.Bound)]
    [InlineData("Established", TcpState.Established)]
    [InlineData("timewait", TcpState.TimeWait)]
    [InlineData("DeleteTCB", TcpState.DeleteTcb)]
    [InlineData("13", null)]
    [InlineData("", null)]
    [InlineData("Listen, Bound", null)]
    public void ParseState_NumberOrName_Mapped(string text, TcpState? expected) =>
        Assert.Equal(expected, WindowsTcpOutputParser.ParseState(text));

    [Fact]
    public void Command_EncodedScript_DecodesToFilteredGetNetTcpConnection()
    {
        var command = WindowsTcpScript.Command([443, 444]);

        const string prefix = "powershell -NoProfile -NonInteractive -EncodedCommand ";
        Assert.StartsWith(prefix, command, StringComparison.Ordinal);
        var script = Encoding.Unicode.GetString(Convert.FromBase64String(command[prefix.Length..]));
        Assert.Equal(WindowsTcpScript.Script([443, 444]), script);
        Assert.Contains("Get-NetTCPConnection -LocalPort 443,444 ", script, StringComparison.Ordinal);
        Assert.Contains("ToUniversalTime().ToString('o'", script, StringComparison.Ordinal);
        Assert.Contains("'" + WindowsTcpScript.Header + "'", script, StringComparison.Ordinal);
        Assert.Contains("$c.State -eq 'Listen' -or $c.State -eq 'Bound'", script, StringComparison.Ordinal);
        Assert.Contains("[int]$c.State", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Script_NoPorts_NoPortFilter() =>
        Assert.Contains("Get-NetTCPConnection -ErrorAction", WindowsTcpScript.Script([]), StringComparison.Ordinal);
}
