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
    [InlineData('\u001b', true)]
    [InlineData('\u0007', true)]
    [InlineData('\u007F', true)]
    [InlineData('\u009B', true)]
    [InlineData('\u00AD', true)]
    [InlineData('\u200B', true)]
    [InlineData('\u202E', true)]
    [InlineData('\u2028', true)]
    [InlineData('\uFEFF', true)]
    [InlineData('a', false)]
    [InlineData('é', false)]
    [InlineData('…', false)]
    [InlineData('<', false)]
    public void IsUnsafe_ControlAndFormatCharacters_True(char c, bool unsafeChar) => Assert.Equal(unsafeChar, SafeText.IsUnsafe(c));
}
