using System.Globalization;
using Xunit.Abstractions;
using System.Text;

namespace ReportJob.Tests.NetFlow;

/// <summary>Rows of a conformance run, printed to the test output and written under the test output dir.</summary>
internal sealed class ConformanceTable(string name)
{
    private readonly List<(string Capture, string Expected, string Decoded, string Verdict, string Note)> _rows = [];

    public int Failures => _rows.Count(r => r.Verdict == "FAIL");

    public void Add(string capture, object? expected, object? decoded, string verdict, string note = "") =>
        _rows.Add((capture, Convert.ToString(expected, CultureInfo.InvariantCulture) ?? "-", Convert.ToString(decoded, CultureInfo.InvariantCulture) ?? "-", verdict, note));

    public string Render()
    {
        var sb = new StringBuilder();
        var w = Math.Max(10, _rows.Count == 0 ? 10 : _rows.Max(r => r.Capture.Length));
        sb.AppendLine(CultureInfo.InvariantCulture, $"{name}: {_rows.Count(r => r.Verdict == "pass")} pass, {Failures} fail, {_rows.Count(r => r.Verdict == "excepted")} excepted");
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"capture".PadRight(w)} | {"expected",8} | {"decoded",8} | verdict  | note");
        foreach (var r in _rows)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"{r.Capture.PadRight(w)} | {r.Expected,8} | {r.Decoded,8} | {r.Verdict,-8} | {r.Note}");
        }

        return sb.ToString();
    }

    public void Publish(ITestOutputHelper output)
    {
        var text = Render();
        output.WriteLine(text);
        var dir = Path.Combine(AppContext.BaseDirectory, "conformance");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, name + ".txt"), text);
    }
}
