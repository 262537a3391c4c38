using System.Globalization;
using System.Text.Json;
using ReportJob.NetFlow;
using ReportJob.NetFlow.Decoding;
using Xunit.Abstractions;

namespace ReportJob.Tests.NetFlow;

/// <summary>
/// Cross-checks decoded counters against nfacctd's aggregated output of the same pcaps. pmacct
/// aggregates by many keys; summing both sides by the coarser key (src, dst, sport, dport) is exact,
/// because a sum of sums is the sum.
/// </summary>
public sealed class PmacctAggregationTests(ITestOutputHelper output)
{
    public static TheoryData<string> Cases() =>
    [
        "100-IPFIXv10-CISCO",
        "101-NFv9-CISCO-cust_primitives",
        "102-NFv9-CISCO-f2rd-pretag-sampling-reload",
        "103-IPFIXv10-CISCO-pretag-JSON_encoding",
        "104-IPFIXv10-IPv6-CISCO-sampling_option",
        "110-IPFIXv10-NFv9-multiple-sources",
        "111-IPFIXv10-NFv9-IPv6-IPv4-mix_sources",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void PmacctCase_SumsByKey_MatchNfacctdOutput(string caseName)
    {
        var dir = Corpus.Path("pmacct-test-automation", caseName);
        var conf = File.ReadAllText(Path.Combine(dir, "nfacctd-00.conf"));

        // nfacctd_renormalize: true scales by the exported sampling rate (case 104: 1/256 from IPFIX
        // 309/310 options). Case 102's sampling_map gives rate 1 for its exporter, i.e. no scaling.
        var renormalize = conf.Contains("nfacctd_renormalize: true", StringComparison.Ordinal);

        var pcaps = Directory.GetFiles(dir, "traffic-*.pcap").Order(StringComparer.Ordinal).ToArray();
        var (sink, _, _) = Corpus.DecodeCaptures(pcaps, new FlowDecoder(new FlowDecoderOptions { TemplateIdleTimeout = TimeSpan.Zero }));
        var ours = new Dictionary<string, (ulong Packets, ulong Bytes)>();
        foreach (var f in sink.Flows)
        {
            var scale = renormalize && caseName.StartsWith("104", StringComparison.Ordinal) ? f.SamplingInterval : 1u;
            Add(ours, Key(f.SourceAddress.ToString(), f.DestinationAddress.ToString(), f.SourcePort, f.DestinationPort), f.Packets * scale, f.Bytes * scale);
        }

        var expected = new Dictionary<string, (ulong Packets, ulong Bytes)>();
        foreach (var line in File.ReadLines(Path.Combine(dir, "output-flow-00.json")))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            var src = FlowAddress.Parse(r.GetProperty("ip_src").GetString()!).ToString();
            var dst = FlowAddress.Parse(r.GetProperty("ip_dst").GetString()!).ToString();
            Add(expected, Key(src, dst, r.GetProperty("port_src").GetInt32(), r.GetProperty("port_dst").GetInt32()), r.GetProperty("packets").GetUInt64(), r.GetProperty("bytes").GetUInt64());
        }

        var missing = expected.Where(e => !ours.TryGetValue(e.Key, out var o) || o != e.Value)
            .Select(e => $"{e.Key}: nfacctd {e.Value}, ours {(ours.TryGetValue(e.Key, out var o) ? o.ToString() : "none")}")
            .ToList();
        var extra = ours.Keys.Except(expected.Keys).ToList();
        output.WriteLine($"{caseName}: {expected.Count} keys expected, {ours.Count} decoded, {missing.Count} differ, {extra.Count} extra");
        foreach (var m in missing.Take(20))
        {
            output.WriteLine("  " + m);
        }

        Assert.Empty(missing);
        Assert.Empty(extra);
    }

    private static string Key(string src, string dst, int sport, int dport) =>
        string.Create(CultureInfo.InvariantCulture, $"{src}|{dst}|{sport}|{dport}");

    private static void Add(Dictionary<string, (ulong Packets, ulong Bytes)> map, string key, ulong packets, ulong bytes)
    {
        map.TryGetValue(key, out var v);
        map[key] = (v.Packets + packets, v.Bytes + bytes);
    }
}
