using System.Diagnostics;
using System.Globalization;
using System.Text;
using ReportJob.Snapshots;

namespace ReportJob.Bench;

/// <summary>proc-parse [--lines N]: parses a generated /proc/net/tcp text of N lines (default 100,000; 1 in 5 IPv6) and prints lines/s.</summary>
internal static class ProcParseBenchmark
{
    public const string Usage = "[--lines N]: parse a generated 100,000-line /proc/net/tcp text, lines/s";

    public static Task<int> RunAsync(string[] args)
    {
        var lines = args.Length == 2 && args[0] == "--lines" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        var text = Generate(lines);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"proc-parse: {lines:N0} lines, {text.Length / 1024.0 / 1024.0:0.0} MB of text"));

        var rates = new List<double>();
        for (var run = 0; run < 6; run++)
        {
            var rows = new List<TcpConnection>(lines);
            var report = new TcpTableParseReport();
            var sw = Stopwatch.StartNew();
            ProcNetTcpParser.Parse(text, rows, report, "generated");
            sw.Stop();
            if (report.Rows != lines || report.MalformedLines != 0)
            {
                Console.Error.WriteLine("proc-parse: unexpected result " + report);
                return Task.FromResult(1);
            }

            if (run > 0)
            {
                rates.Add(lines / sw.Elapsed.TotalSeconds); // run 0 warms the JIT up
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"proc-parse: best {rates.Max():N0} lines/s, median {rates.Order().ElementAt(rates.Count / 2):N0} lines/s; {PeakMemory.Describe()}"));
        return Task.FromResult(0);
    }

    private static byte[] Generate(int lines)
    {
        var sb = new StringBuilder();
        sb.Append("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n");
        for (var i = 0; i < lines; i++)
        {
            var remote = (uint)(0x0A020000 + i);
            var port = 1024 + (i % 60000);
            var state = i % 7 == 0 ? 6 : 1;
            if (i % 5 == 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{i,4}: 0000000000000000FFFF00000A00000A:01BB B80D01200000000000000000{remote:X8}:{port:X4} {state:X2} 00000000:00000000 00:00000000 00000000     0        0 {100000 + i} 1 0000000000000000 20 4 30 10 -1\n");
            }
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $"{i,4}: 0A00000A:01BB {remote:X8}:{port:X4} {state:X2} 00000000:00000000 00:00000000 00000000     0        0 {100000 + i} 1 0000000000000000 20 4 30 10 -1\n");
            }
        }

        return Encoding.ASCII.GetBytes(sb.ToString());
    }
}
