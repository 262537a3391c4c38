using System.Text;
using ReportJob.IisLogs;

namespace ReportJob.Tests.IisLogs;

public sealed class SafeTextTests
{
    [Fact]
    public void FromLog_PlusAndControlCharacters_SpacesAndReplacement()
    {
        var raw = Encoding.UTF8.GetBytes("Evil/1.0+\u001b[31mred\u001b[0m+\u202Egnp.exe\u0007");
        var text = SafeText.FromLog(raw, plusIsSpace: true, 400);
        Assert.Equal("Evil/1.0 \uFFFD[31mred\uFFFD[0m \uFFFDgnp.exe\uFFFD", text);
    }

    [Fact]
    public void FromLog_InvalidUtf8_Replaced()
    {
        var text = SafeText.FromLog([0x41, 0xFF, 0x42], plusIsSpace: false, 400);
        Assert.Equal("A\uFFFDB", text);
    }

    [Fact]
    public void FromLog_TooLong_CutWithEllipsisWithoutSplittingSurrogates()
    {
        var text = SafeText.FromLog(Encoding.UTF8.GetBytes("abc😀def"), plusIsSpace: false, 5);
        Assert.Equal("abc…", text);
        Assert.Equal(16, SafeText.FromLog(Encoding.UTF8.GetBytes(new string('x', 5000)), plusIsSpace: false, 16).Length);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://evil\",\"x\")", "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"")]
    [InlineData("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("Outlook, Pro", "\"Outlook, Pro\"")]
    [InlineData("plain", "plain")]
    [InlineData("a\u001bb", "a\uFFFDb")]
    public void ForCsv_HostileText_Neutralised(string value, string expected) => Assert.Equal(expected, SafeText.ForCsv(value));
}
