using System.Globalization;
using System.Text.Json;
using ReportJob.Cli;
using ReportJob.IisLogs;

namespace ReportJob.Tests.Cli;

public sealed class OutputWriterTests
{
    // Terminal escapes (OSC title, clear screen, C1 CSI), a bell, bidi override, zero-width space, line separator, markup.
    private const string Hostile = "\u001b]0;owned\u0007\u001b[2J\u009B31m<script>alert(1)</script>\u202Efdp.exe\u200B\u2028x";

    private static string Render(OutputTable table, OutputFormat format)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        OutputWriter.Write(writer, table, format);
        return writer.ToString();
    }

    private static OutputTable OneRow(params object?[] cells) =>
        new(cells.Select((_, i) => "c" + i.ToString(CultureInfo.InvariantCulture)).ToList(), [cells]);

    [Fact]
    public void Write_ControlBidiZeroWidth_NeutralisedInEveryFormat()
    {
        foreach (var format in Enum.GetValues<OutputFormat>())
        {
            var output = Render(OneRow("server", Hostile, 3L), format);

            Assert.DoesNotContain(output.Replace(Environment.NewLine, "", StringComparison.Ordinal), ch => SafeText.IsUnsafe(ch));
            if (format != OutputFormat.Json)
            {
                Assert.Contains("\uFFFD]0;owned\uFFFD\uFFFD[2J\uFFFD31m<script>alert(1)</script>\uFFFDfdp.exe\uFFFD\uFFFDx", output, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Write_TableWithHostileCell_OneLinePerRowAndColumnsAligned()
    {
        var lines = Render(new OutputTable(["Name", "Count"], [["a\r\nb\u0085c", 1], ["plain", 22]]), OutputFormat.Table)
            .Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(["Name    Count", "------  -----", "a\uFFFD\uFFFDb\uFFFDc      1", "plain      22"], lines);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://evil\",\"x\")", "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"")]
    [InlineData("+cmd|' /C calc'!A0", "\"'+cmd|' /C calc'!A0\"")]
    [InlineData("-2+3", "\"'-2+3\"")]
    [InlineData("@SUM(A1)", "\"'@SUM(A1)\"")]
    [InlineData("\t=1+1", "\"\uFFFD=1+1\"")]
    [InlineData("\r=1+1", "\"\uFFFD=1+1\"")]
    [InlineData("Outlook, Pro", "\"Outlook, Pro\"")]
    [InlineData("plain", "\"plain\"")]
    [InlineData("a\u001bb", "\"a\uFFFDb\"")]
    [InlineData("\u202E=cmd", "\"\uFFFD=cmd\"")]
    public void Write_CsvHostileCell_Neutralised(string value, string expected)
    {
        var lines = Render(OneRow(value), OutputFormat.Csv).Split(Environment.NewLine);

        Assert.Equal(["\"c0\"", expected, ""], lines);
    }

    [Fact]
    public void Write_JsonMarkupAndControls_HtmlSafeAndRoundTrips()
    {
        var json = Render(OneRow("=HYPERLINK(\"x\")", Hostile, 42L, 1.5, null), OutputFormat.Json);

        Assert.DoesNotContain('<', json);
        Assert.DoesNotContain('>', json);
        Assert.DoesNotContain('\u001b', json);
        Assert.Contains("\\u003Cscript\\u003E", json, StringComparison.Ordinal);
        using var parsed = JsonDocument.Parse(json);
        var row = parsed.RootElement.EnumerateArray().Single();
        Assert.Equal("=HYPERLINK(\"x\")", row.GetProperty("c0").GetString());
        Assert.Equal("\uFFFD]0;owned\uFFFD\uFFFD[2J\uFFFD31m<script>alert(1)</script>\uFFFDfdp.exe\uFFFD\uFFFDx", row.GetProperty("c1").GetString());
        Assert.Equal(42, row.GetProperty("c2").GetInt64());
        Assert.Equal(1.5, row.GetProperty("c3").GetDouble());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("c4").ValueKind);
    }

    [Fact]
    public void Neutralise_SafeText_SameInstance()
    {
        var text = "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro) é…";

        Assert.Same(text, OutputWriter.Neutralise(text));
    }
}
