using System.Net;
using System.Text;
using ReportJob.Snapshots;

namespace ReportJob.Tests.Snapshots;

public sealed class ProcNetTcpParserTests
{
    private const string Tcp4Header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";
    private const string Tcp6Header = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";

    private static (List<TcpConnection> Rows, TcpTableParseReport Report) Parse(string text, bool littleEndian = true)
    {
        var rows = new List<TcpConnection>();
        var report = new TcpTableParseReport();
        ProcNetTcpParser.Parse(Encoding.ASCII.GetBytes(text), rows, report, "/proc/net/tcp", littleEndian);
        return (rows, report);
    }

    // Lines copied from /proc/net/tcp and /proc/net/tcp6 of a Linux 6.x x86-64 machine (the state column of the last
    // group edited to cover every state code, the rest of each line as the kernel wrote it).
    [Theory]
    [InlineData("   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1526 1 000000006f4cf312 100 0 0 10 0", "0.0.0.0", 2024, "0.0.0.0", 0, TcpState.Listen)]
    [InlineData("   1: 020200C0:A68A 507100CB:0050 01 00000000:00000000 00:00000000 00000000    42        0 25000 2 00000000c31ceec7 20 4 1 37 -1", "192.0.2.2", 42634, "203.0.113.80", 80, TcpState.Established)]
    [InlineData("   1: 0100007F:E4AC 0100007F:DADD 08 00000000:00000001 00:00000000 00000000     0        0 52086 2 0000000092c0b1fa 20 4 0 10 -1", "127.0.0.1", 58540, "127.0.0.1", 56029, TcpState.CloseWait)]
    [InlineData("   0: 00000000000000000000000000000000:DADD 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 52085 1 000000006a4cfd8c 100 0 0 10 0", "::", 56029, "::", 0, TcpState.Listen)]
    [InlineData("   1: 0000000000000000FFFF00000100007F:DADD 0000000000000000FFFF00000100007F:E4AC 05 00000000:00000000 03:0000175C 00000000     0        0 0 3 00000000d76a407d", "127.0.0.1", 56029, "127.0.0.1", 58540, TcpState.FinWait2)]
    [InlineData("   2: 0000000000000000FFFF00000100007F:ACC8 0000000000000000FFFF00000100007F:B491 06 00000000:00000000 03:00000A36 00000000     0        0 0 3 0000000038cd8694", "127.0.0.1", 44232, "127.0.0.1", 46225, TcpState.TimeWait)]
    [InlineData("   3: 00000000000000000000000001000000:DADD 00000000000000000000000001000000:CA94 01 00000000:00000000 00:00000000 00000000     0        0 52089 1 00000000ab1e1ba6 20 0 0 10 -1", "::1", 56029, "::1", 51860, TcpState.Established)]
    [InlineData("   4: B80D0120000000000000000001000000:01BB B80D01200000000000000000FE0000A0:D431 01 00000000:00000000 00:00000000 00000000     0        0 61 1 0000000000000000 20 0 0 10 -1", "2001:db8::1", 443, "2001:db8::a000:fe", 54321, TcpState.Established)]
    [InlineData("  12: 0A00000A:01BB 0501020A:C350 02 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000", "10.0.0.10", 443, "10.2.1.5", 50000, TcpState.SynSent)]
    [InlineData("  12: 0A00000A:01BB 0501020A:C350 03 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000", "10.0.0.10", 443, "10.2.1.5", 50000, TcpState.SynReceived)]
    [InlineData("  12: 0A00000A:01BB 0501020A:C350 04 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000", "10.0.0.10", 443, "10.2.1.5", 50000, TcpState.FinWait1)]
    [InlineData("  12: 0A00000A:01BB 0501020A:C350 07 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000", "10.0.0.10", 443, "10.2.1.5", 50000, TcpState.Closed)]
    [InlineData("  12: 0A00000A:01BB 0501020A:C350 09 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000", "10.0.0.10", 443, "10.2.1.5", 50000, TcpState.LastAck)]
    [InlineData("  12: 0A00000A:01BB 0501020A:C350 0B 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000", "10.0.0.10", 443, "10.2.1.5", 50000, TcpState.Closing)]
    [InlineData("  12: 0A00000A:01BB 0501020A:C350 0C 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000", "10.0.0.10", 443, "10.2.1.5", 50000, TcpState.SynReceived)]
    [InlineData("  12: 0a00000a:01bb 0501020a:c350 0d 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000", "10.0.0.10", 443, "10.2.1.5", 50000, TcpState.Bound)]
    public void Parse_RealLine_GivesConnection(string line, string local, int localPort, string remote, int remotePort, TcpState state)
    {
        var (rows, report) = Parse(Tcp4Header + "\n" + line + "\n");

        var c = Assert.Single(rows);
        Assert.Equal((IPAddress.Parse(local), localPort, IPAddress.Parse(remote), remotePort, state), (c.LocalAddress, c.LocalPort, c.RemoteAddress, c.RemotePort, c.State));
        Assert.Null(c.ProcessId);
        Assert.Null(c.CreatedAtUtc);
        Assert.False(c.LocalAddress.IsIPv4MappedToIPv6);
        Assert.Equal((1, 1, 0), (report.HeaderLines, report.Rows, report.MalformedLines));
    }

    [Fact]
    public void Parse_Tcp4AndTcp6Concatenated_ReadsBothTables()
    {
        var text = Tcp4Header + "\n"
            + "   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1526 1 000000006f4cf312 100 0 0 10 0\n"
            + "   1: 0100007F:E4AC 0100007F:DADD 08 00000000:00000001 00:00000000 00000000     0        0 52086 2 0000000092c0b1fa 20 4 0 10 -1\n"
            + Tcp6Header + "\n"
            + "   0: 00000000000000000000000001000000:DADD 00000000000000000000000001000000:CA94 01 00000000:00000000 00:00000000 00000000     0        0 52089 1 00000000ab1e1ba6 20 0 0 10 -1\n";

        var (rows, report) = Parse(text);

        Assert.Equal(3, rows.Count);
        Assert.Equal((2, 3, 0), (report.HeaderLines, report.Rows, report.MalformedLines));
        Assert.Equal(IPAddress.IPv6Loopback, rows[2].LocalAddress);
    }

    [Fact]
    public void Parse_BigEndianWriter_ReadsWordsInItsOrder()
    {
        var (rows, _) = Parse(Tcp4Header + "\n   0: 7F000001:01BB C0000202:C350 01 0 0 0 0 0 0\n", littleEndian: false);

        Assert.Equal(IPAddress.Loopback, rows[0].LocalAddress);
        Assert.Equal(IPAddress.Parse("192.0.2.2"), rows[0].RemoteAddress);
    }

    [Theory]
    [InlineData("   5: 0100007F:E4AC 0100007F:DADD", "expected 'sl: local_address rem_address st")]
    [InlineData("garbage", "expected 'sl: local_address rem_address st")]
    [InlineData("   5 0100007F:E4AC 0100007F:DADD 01", "expected 'sl: local_address rem_address st")]
    [InlineData("   5: 0100007G:E4AC 0100007F:DADD 01 0", "bad local address '0100007G:E4AC'")]
    [InlineData("   5: 0100007F 0100007F:DADD 01 0", "bad local address '0100007F'")]
    [InlineData("   5: 0100007F:E4AC 00007F:DADD 01 0", "bad remote address '00007F:DADD'")]
    [InlineData("   5: 0100007F:E4AC 0100007F:1DADD 01 0", "bad remote address '0100007F:1DADD'")]
    [InlineData("   5: 0100007F:E4AC 0100007F:DADD 0F 0", "unknown state '0F'")]
    [InlineData("   5: 0100007F:E4AC 0100007F:DADD 1 0", "unknown state '1'")]
    public void Parse_MalformedLine_CountedWithLineNumberAndOthersKept(string bad, string reason)
    {
        var good = "   1: 0100007F:E4AC 0100007F:DADD 08 00000000:00000001 00:00000000 00000000     0        0 52086 2 0000000092c0b1fa 20 4 0 10 -1";
        var (rows, report) = Parse(Tcp4Header + "\n" + good + "\n" + bad + "\n" + good + "\n");

        Assert.Equal(2, rows.Count);
        Assert.Equal(1, report.MalformedLines);
        var sample = Assert.Single(report.Samples);
        Assert.Equal(3, sample.LineNumber);
        Assert.Equal("/proc/net/tcp", sample.Source);
        Assert.StartsWith(reason, sample.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ManyMalformedLines_AllCountedFirstTenKept()
    {
        var text = string.Join("\n", Enumerable.Range(0, 25).Select(i => $"  {i}: nonsense"));

        var (rows, report) = Parse(text);

        Assert.Empty(rows);
        Assert.Equal(25, report.MalformedLines);
        Assert.Equal(TcpTableParseReport.MaxSamples, report.Samples.Count);
        Assert.Equal(Enumerable.Range(1, 10), report.Samples.Select(s => s.LineNumber));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("\r\n")]
    public void Parse_EmptyText_NoRowsNoErrors(string text)
    {
        var (rows, report) = Parse(text);

        Assert.Empty(rows);
        Assert.Equal((0, 0), (report.HeaderLines, report.MalformedLines));
    }

    [Fact]
    public void Parse_CrLfAndNoFinalNewline_Read()
    {
        var (rows, report) = Parse(Tcp4Header + "\r\n   1: 0100007F:E4AC 0100007F:DADD 01 0 0 0 0 0 0");

        Assert.Single(rows);
        Assert.Equal(0, report.MalformedLines);
    }
}
