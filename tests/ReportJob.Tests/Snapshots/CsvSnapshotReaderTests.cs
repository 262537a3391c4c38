using System.Text;
using ReportJob.Snapshots;

namespace ReportJob.Tests.Snapshots;

public sealed class CsvSnapshotReaderTests
{
    private static CsvSnapshotFile ReadText(string text, Encoding encoding, string? server = "EX01")
    {
        using var stream = new MemoryStream([.. encoding.GetPreamble(), .. encoding.GetBytes(text)]);
        using var reader = CsvSnapshotReader.OpenText(stream);
        return CsvSnapshotReader.Read(reader, "test.csv", CsvTestData.Settings(server), null, default);
    }

    private const string Header = "\"datetime\",\"LocalAddress\",\"RemoteAddress\",\"RemotePort\",\"State\",\"CreationTime\"\r\n";

    [Fact]
    public void Read_UsUtf16Fixture_TwoSnapshotsInUtc()
    {
        var file = CsvSnapshotReader.Read(CsvTestData.Ex01, CsvTestData.Settings(), null, default);

        Assert.StartsWith("en-US", file.DateFormat!.Name, StringComparison.Ordinal);
        Assert.Equal(10, file.RowsRead);
        Assert.Equal(8, file.RowsKept); // the two Listen rows are left out
        Assert.Equal(2, file.Snapshots.Count);
        var first = file.Snapshots[0];
        Assert.Equal(("EX01", "csv"), (first.Server, first.Source));
        Assert.Equal(new DateTime(2026, 11, 20, 7, 5, 0, DateTimeKind.Utc), first.TakenAtUtc); // 8:05 AM in Berlin (UTC+1)
        Assert.Equal(6, first.Connections.Count);
        Assert.All(first.Connections, c => Assert.Equal(443, c.LocalPort)); // no LocalPort column: the script's -LocalPort 443
        Assert.Equal(new DateTime(2026, 11, 20, 6, 55, 0, DateTimeKind.Utc), first.Connections[0].CreatedAtUtc);
        Assert.Null(first.Connections[1].CreatedAtUtc); // 1/1/1601 1:00:00 AM
        Assert.Equal(new DateTime(2026, 11, 19, 22, 30, 0, DateTimeKind.Utc), first.Connections[3].CreatedAtUtc); // 11:30:00 PM
        Assert.Equal(TcpState.TimeWait, first.Connections[2].State);
        Assert.Equal(2, file.Snapshots[1].Connections.Count);
    }

    [Fact]
    public void Read_GermanUtf8Fixture_ServerFromColumnAndPortFiltered()
    {
        var file = CsvSnapshotReader.Read(CsvTestData.Ex02, CsvTestData.Settings(server: null), null, default);

        Assert.StartsWith("de-DE", file.DateFormat!.Name, StringComparison.Ordinal);
        Assert.Equal(2, file.Snapshots.Count);
        var first = file.Snapshots[0];
        Assert.Equal("EX02", first.Server);
        Assert.Equal(new DateTime(2026, 11, 20, 7, 5, 1, DateTimeKind.Utc), first.TakenAtUtc);
        Assert.Equal(4, first.Connections.Count); // the LocalPort 444 row is back-end traffic
        Assert.Equal(TcpState.Established, first.Connections[1].State); // "5"
        Assert.Null(first.Connections[1].CreatedAtUtc); // 01.01.1601 01:00:00
        Assert.Equal(4242, first.Connections[0].ProcessId);
    }

    [Fact]
    public void Read_Utf8WithoutBomAndAscii_SameResult()
    {
        var text = Header + "\"11/20/2026 8:05:00 AM\",\"10.0.0.10\",\"10.2.1.5\",\"50000\",\"Established\",\"11/20/2026 7:55:00 AM\"\r\n";
        var a = ReadText(text, new UTF8Encoding(false));
        var b = ReadText(text, Encoding.ASCII);
        var c = ReadText(text, new UnicodeEncoding(false, false)); // UTF-16 LE without BOM
        Assert.Equal(a.Snapshots[0].Connections, b.Snapshots[0].Connections);
        Assert.Equal(a.Snapshots[0].Connections, c.Snapshots[0].Connections);
        Assert.Equal(a.Snapshots[0].TakenAtUtc, c.Snapshots[0].TakenAtUtc);
    }

    [Fact]
    public void Read_TimesSecondsApart_OneSnapshot()
    {
        // Get-Date runs per row: one run's rows straddle a second boundary.
        var text = Header
            + "\"11/20/2026 8:05:00 AM\",\"10.0.0.10\",\"10.2.1.5\",\"50000\",\"Established\",\"\"\r\n"
            + "\"11/20/2026 8:05:01 AM\",\"10.0.0.10\",\"10.2.1.6\",\"50001\",\"Established\",\"\"\r\n"
            + "\"11/20/2026 8:10:00 AM\",\"10.0.0.10\",\"10.2.1.6\",\"50001\",\"Established\",\"\"\r\n";
        var file = ReadText(text, Encoding.UTF8);
        Assert.Equal([2, 1], file.Snapshots.Select(s => s.Connections.Count));
    }

    [Fact]
    public void Read_ExtraColumnsAnyOrderAndIPv6_Kept()
    {
        var text = "\"State\",\"RemotePort\",\"Foo\",\"RemoteAddress\",\"LocalAddress\",\"datetime\"\r\n"
            + "\"Established\",\"50000\",\"x,y\",\"::ffff:10.2.1.5\",\"fe80::1%12\",\"2026-11-20 08:05:00\"\r\n"
            + "\"SynReceived\",\"50001\",\"\",\"2001:db8::5\",\"fe80::1%12\",\"2026-11-20 08:05:00\"\r\n";
        var file = ReadText(text, Encoding.UTF8);
        var c = file.Snapshots.Single().Connections;
        Assert.Equal("10.2.1.5", c[0].RemoteAddress.ToString()); // IPv4-mapped shown as IPv4
        Assert.Equal(TcpState.SynReceived, c[1].State);
    }

    /// <summary>The routine's run stamp and the ways PowerShell writes CreationTime, in every encoding and line end it uses.</summary>
    public static TheoryData<string, string, string> RoutineVariants => new()
    {
        { "utf-16le-bom", "crlf", "8/21/2017 9:02:30 AM" },
        { "utf-16le-bom", "lf", "8/21/2017 9:02:30\u202FAM" }, // PowerShell 7 on ICU: narrow no-break space, LF
        { "utf-16be-bom", "crlf", "8/21/2017 9:02:30 AM" },
        { "utf-16le", "crlf", "21.08.2017 09:02:30" },
        { "utf-16be", "lf", "21/08/2017 09:02:30" },
        { "utf-8-bom", "crlf", "2017-08-21 09:02:30" },
        { "utf-8", "lf", "8/21/2017 9:02:30 AM" },
        { "#type-utf-8", "crlf", "21.08.2017 09:02:30" },
    };

    [Theory]
    [MemberData(nameof(RoutineVariants))]
    public void Read_RoutineFileVariants_SameSnapshot(string encoding, string lineEnd, string creation)
    {
        var none = creation.Contains('M', StringComparison.Ordinal) ? "1/1/1601 1:00:00 AM" : creation.Contains('.', StringComparison.Ordinal) ? "01.01.1601 01:00:00" : creation.Contains('/', StringComparison.Ordinal) ? "01/01/1601 01:00:00" : "1601-01-01 01:00:00";
        var nl = lineEnd == "lf" ? "\n" : "\r\n";
        var text = (encoding.StartsWith('#') ? "#TYPE Selected.System.Management.Automation.PSCustomObject" + nl : "")
            + "\"datetime\",\"LocalAddress\",\"RemoteAddress\",\"RemotePort\",\"State\",\"CreationTime\",\"duration\"" + nl
            + $"\"20170821-1143\",\"127.0.0.1\",\"127.0.0.1\",\"50768\",\"TimeWait\",\"{none}\",\"13441151720\"" + nl
            + $"\"20170821-1143\",\"::ffff:10.10.10.16\",\"10.1.17.36\",\"6533\",\"Established\",\"{creation}\",\"9630\"" + nl
            + "\"20170821-1143\",\"0.0.0.0\",\"0.0.0.0\",\"0\",\"Listen\",\"" + creation + "\",\"9630\"" + nl;
        Encoding e = encoding switch
        {
            "utf-16le-bom" or "utf-16le" => new UnicodeEncoding(false, encoding.EndsWith("bom", StringComparison.Ordinal)),
            "utf-16be-bom" or "utf-16be" => new UnicodeEncoding(true, encoding.EndsWith("bom", StringComparison.Ordinal)),
            "utf-8-bom" => new UTF8Encoding(true),
            _ => new UTF8Encoding(false),
        };

        var file = ReadText(text, e, server: null);

        var snapshot = Assert.Single(file.Snapshots);
        Assert.Equal(new DateTime(2017, 8, 21, 9, 43, 0, DateTimeKind.Utc), snapshot.TakenAtUtc); // 11:43 in Berlin (UTC+2)
        Assert.Equal("10.10.10.16", snapshot.Server); // no server column: the one local address (loopback rows are its own)
        Assert.Equal(CsvDateFormat.RunStamp, file.DateFormat);
        Assert.Equal(2, snapshot.Connections.Count); // the listener is left out
        Assert.Null(snapshot.Connections[0].CreatedAtUtc);
        Assert.Equal(new DateTime(2017, 8, 21, 7, 2, 30, DateTimeKind.Utc), snapshot.Connections[1].CreatedAtUtc);
        Assert.Equal(443, snapshot.Connections[1].LocalPort);
    }

    [Fact]
    public void Read_SeveralLocalAddresses_OneSnapshotPerServerAtOneTime()
    {
        var options = new SnapshotsOptions { LocalPorts = [443] };
        options.Servers.Add(new ServerOptions { Name = "EX-NODE1", Source = SnapshotSourceKind.Csv, Addresses = ["10.10.10.16", "2001:db8::16"] });
        var text = Header
            + "\"20170821-1143\",\"10.10.10.16\",\"10.1.17.36\",\"6533\",\"Established\",\"\"\r\n"
            + "\"20170821-1143\",\"2001:db8::16\",\"2001:db8:1::5\",\"6534\",\"Established\",\"\"\r\n"
            + "\"20170821-1143\",\"::ffff:10.10.10.17\",\"10.1.17.36\",\"6535\",\"Established\",\"\"\r\n"
            + "\"20170821-1143\",\"127.0.0.1\",\"127.0.0.1\",\"6536\",\"TimeWait\",\"\"\r\n";
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        using var reader = CsvSnapshotReader.OpenText(stream);

        // The drop folder's server (EX01) does not apply: the file holds two servers.
        var file = CsvSnapshotReader.Read(reader, "all.csv", CsvTestData.Settings("EX01", options), null, default);

        Assert.Equal(["10.10.10.17:1", "127.0.0.1:1", "EX-NODE1:2"], file.Snapshots.Select(s => $"{s.Server}:{s.Connections.Count}").Order(StringComparer.Ordinal));
        Assert.Single(file.Snapshots.Select(s => s.TakenAtUtc).Distinct());
    }

    [Fact]
    public void Read_SeveralLocalAddressesNotSplit_EveryRowTheFoldersServer()
    {
        var text = Header
            + "\"20170821-1143\",\"10.10.10.16\",\"10.1.17.36\",\"6533\",\"Established\",\"\"\r\n"
            + "\"20170821-1143\",\"2001:db8::16\",\"2001:db8:1::5\",\"6534\",\"Established\",\"\"\r\n";
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        using var reader = CsvSnapshotReader.OpenText(stream);
        var settings = CsvReadSettings.From(new SnapshotsOptions { LocalPorts = [443] }, new CsvImportTarget("EX01", CsvTestData.Berlin, SplitByLocalAddress: false));

        var file = CsvSnapshotReader.Read(reader, "ex01.csv", settings, null, default);

        Assert.Equal(("EX01", 2), (file.Snapshots.Single().Server, file.Snapshots.Single().Connections.Count));
    }

    public static TheoryData<string, string, string> Garbage => new()
    {
        { "truncated", Header + "\"11/20/2026 8:05:00 AM\",\"10.0.0.10\",\"10.2.1.5\",\"50000\",\"Established\",\"11/20/2026 7:55:00 AM\"\r\n\"11/20/2026 8:05:00 AM\",\"10.0.0.10\",\"10.2", "test.csv:3:" },
        { "unclosed quote", Header + "\"11/20/2026 8:05:00 AM\",\"10.0.0.10\",\"10.2.1.5\",\"50000\",\"Established\",\"11/20/2026", "test.csv:2:" },
        { "missing column", "\"datetime\",\"LocalAddress\",\"RemoteAddress\",\"State\"\r\n\"11/20/2026 8:05:00 AM\",\"10.0.0.10\",\"10.2.1.5\",\"Established\"\r\n", "missing column(s) RemotePort" },
        { "no datetime column", "\"LocalAddress\",\"RemoteAddress\",\"RemotePort\",\"State\"\r\n", "missing column(s) datetime" },
        { "bad date in row 4", Header + Row("8:05:00 AM") + Row("8:05:00 AM") + "\"11/31/2026 8:05:00 AM\",\"10.0.0.10\",\"10.2.1.5\",\"50000\",\"Established\",\"\"\r\n", "test.csv:4: datetime '11/31/2026 8:05:00 AM' is not a date" },
        { "mixed locales", Header + Row("8:05:00 AM") + "\"20.11.2026 08:05:00\",\"10.0.0.10\",\"10.2.1.5\",\"50000\",\"Established\",\"\"\r\n", "test.csv:3:" },
        { "bad state", Header + "\"11/20/2026 8:05:00 AM\",\"10.0.0.10\",\"10.2.1.5\",\"50000\",\"Sleeping\",\"\"\r\n", "test.csv:2: State 'Sleeping'" },
        { "bad address", Header + "\"11/20/2026 8:05:00 AM\",\"10.0.0.10\",\"10.2.1.500\",\"50000\",\"Established\",\"\"\r\n", "test.csv:2: RemoteAddress" },
        { "bad port", Header + "\"11/20/2026 8:05:00 AM\",\"10.0.0.10\",\"10.2.1.5\",\"70000\",\"Established\",\"\"\r\n", "test.csv:2: RemotePort" },
        { "binary", Header + "\"11/20/2026 8:05:00 AM\",\"10.0.0.10\",\"\0\0\u0001\",\"50000\",\"Established\",\"\"\r\n", "test.csv:2: binary data" },
        { "no header", "", "no header line" },
    };

    private static string Row(string time) => $"\"11/20/2026 {time}\",\"10.0.0.10\",\"10.2.1.5\",\"50000\",\"Established\",\"\"\r\n";

    [Theory]
    [MemberData(nameof(Garbage))]
    public void Read_Garbage_ErrorNamesFileAndLine(string what, string text, string expected)
    {
        var ex = Assert.Throws<InvalidDataException>(() => ReadText(text, Encoding.UTF8));
        Assert.True(ex.Message.Contains(expected, StringComparison.Ordinal), $"{what}: {ex.Message}");
    }

    [Fact]
    public void Read_InvalidUtf8Bytes_BinaryError()
    {
        var bytes = Encoding.UTF8.GetBytes(Header).Concat(new byte[] { 0x22, 0xC3, 0x28, 0xFF, 0xFE, 0x22, 0x0D, 0x0A }).ToArray();
        using var stream = new MemoryStream(bytes);
        using var reader = CsvSnapshotReader.OpenText(stream);
        var ex = Assert.Throws<InvalidDataException>(() => CsvSnapshotReader.Read(reader, "x.csv", CsvTestData.Settings(), null, default));
        Assert.Contains("x.csv:", ex.Message, StringComparison.Ordinal);
        Assert.Contains("binary", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NoServerColumnAndNoServer_ServerIsTheLocalAddress()
    {
        var file = ReadText(Header + Row("8:05:00 AM"), Encoding.UTF8, server: null);
        Assert.Equal("10.0.0.10", file.Snapshots.Single().Server);
    }

    [Theory]
    [InlineData("=cmd|' /C calc'!A0", "\"'=cmd|' /C calc'!A0\"")]
    [InlineData("+1", "\"'+1\"")]
    [InlineData("-1", "\"'-1\"")]
    [InlineData("@SUM(A1)", "\"'@SUM(A1)\"")]
    [InlineData("\tx", "\"'\tx\"")]
    [InlineData("a\"b", "\"a\"\"b\"")]
    [InlineData("10.2.1.5", "\"10.2.1.5\"")]
    public void Quote_FormulaAndQuotes_Escaped(string value, string expected) => Assert.Equal(expected, CsvFields.Quote(value));
}
