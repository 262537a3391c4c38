using System.Text;

namespace ReportJob.Tests.TestSupport;

/// <summary>
/// Golden files under tests/ReportJob.Tests/Golden. UPDATE_GOLDEN=1 rewrites them (review the diff);
/// otherwise the text must be equal, and a mismatch writes the actual text beside the golden as *.actual.
/// </summary>
internal static class Golden
{
    public static string Folder => Path.Combine(RepoPaths.Root, "tests", "ReportJob.Tests", "Golden");

    public static void Match(string name, string actual)
    {
        var path = Path.Combine(Folder, name);
        actual = actual.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual, new UTF8Encoding(false));
            return;
        }

        Assert.True(File.Exists(path), $"Golden file {name} is missing: run the tests with UPDATE_GOLDEN=1 and review it.");
        var expected = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        if (expected != actual)
        {
            File.WriteAllText(path + ".actual", actual, new UTF8Encoding(false));
            var at = 0;
            while (at < expected.Length && at < actual.Length && expected[at] == actual[at])
            {
                at++;
            }

            var line = expected[..Math.Min(at, expected.Length)].Count(ch => ch == '\n') + 1;
            Assert.Fail($"{name} differs from its golden file at line {line}: expected «{Around(expected, at)}» but got «{Around(actual, at)}». Actual written to {path}.actual; UPDATE_GOLDEN=1 accepts it.");
        }
    }

    private static string Around(string s, int at) => s.Substring(Math.Max(0, at - 40), Math.Min(s.Length - Math.Max(0, at - 40), 80));
}
