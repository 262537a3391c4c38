using System.Globalization;
using System.Text;
using System.Text.Json;
using ReportJob.NetFlow;
using ReportJob.NetFlow.Decoding;
using Xunit.Abstractions;

namespace ReportJob.Tests.NetFlow;

/// <summary>
/// Feeds each logstash spec context's .dat files, in order, as one datagram each from 192.0.2.1 (as
/// the Logstash codec does) and checks the event count (flows + options records, as Logstash counts
/// them) and the field assertions that map onto ReportJob's record or onto a known IE.
/// </summary>
public sealed class LogstashConformanceTests(ITestOutputHelper output)
{
    /// <summary>Logstash field name → (PEN, IE id) for assertions read from the raw fields.</summary>
    private static readonly Dictionary<string, (uint Pen, ushort Id)> RawFields = new()
    {
        ["systemInitTimeMilliseconds"] = (0, 160),
        ["total_flows_exp"] = (0, 42),
        ["total_bytes_exp"] = (0, 40),
        ["sampling_algorithm"] = (0, 35),
        ["exporterIPv4Address"] = (0, 130),
        ["postNATDestinationIPv4Address"] = (0, 226),
        ["ipNextHopIPv6Address"] = (0, 62),
        ["in_src_mac"] = (0, 56),
        ["in_dst_mac"] = (0, 80),
        ["firewallEvent"] = (0, 233),
        ["flowId"] = (0, 148),
        ["conn_id"] = (0, 148),
        ["observationPointId"] = (0, 138),
        ["layer2SegmentId"] = (0, 351),
        ["fwd_flow_delta_bytes"] = (0, 231),
        ["rev_flow_delta_bytes"] = (0, 232),
        ["egressVRFID"] = (0, 235),
        ["VRFname"] = (0, 236),
        ["if_desc"] = (0, 83),
        ["application_description"] = (0, 94),
        ["src_traffic_index"] = (0, 92),
        ["dst_traffic_index"] = (0, 93),
        ["initialTCPFlags"] = (6871, 14),
        ["silkAppLabel"] = (6871, 33),
    };

    public static List<string> Cases()
    {
        var data = new List<string>();
        foreach (var f in Directory.GetFiles(Corpus.Path("logstash-netflow", "expected"), "*.expected.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(f));
        }

        return data;
    }

    [Fact]
    public void LogstashExpected_AllContexts_MatchEventCountsAndFields()
    {
        var table = new ConformanceTable("logstash-expected");
        foreach (var file in Cases())
        {
            var name = file;
            var (expected, decoded, checkedFields, failures) = Run(name);
            var note = $"{checkedFields} fields checked" + (failures.Count > 0 ? "; " + string.Join("; ", failures) : "");
            var countOk = expected is null || expected == decoded;
            table.Add(name.Replace(".expected.json", "", StringComparison.Ordinal), expected?.ToString(CultureInfo.InvariantCulture) ?? "any", decoded, countOk && failures.Count == 0 ? "pass" : "FAIL", note);
        }

        table.Publish(output);
        Assert.Equal(0, table.Failures);
    }

    private static (int? Expected, int Decoded, int Checked, List<string> Failures) Run(string expectedFile)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Corpus.Path("logstash-netflow", "expected", expectedFile)));
        var root = doc.RootElement;
        // Logstash ages templates by collector wall-clock (cache_ttl) and its spec feeds the files back
        // to back, but some fixture pairs were captured days apart (Netscaler: template 2016-10-27,
        // data 2016-11-11). Exporter-clock expiry is therefore off here; FlowDecoderTests covers it.
        var options = new FlowDecoderOptions { TemplateIdleTimeout = TimeSpan.Zero };
        var decoder = new FlowDecoder(options);
        var sink = new RecordingSink();
        var inputs = root.GetProperty("input_dat_files_in_order").EnumerateArray().Select(e => e.GetString()!).ToList();
        var persisted = expectedFile.Contains("template-cache", StringComparison.Ordinal);
        for (var i = 0; i < inputs.Count; i++)
        {
            var bytes = File.ReadAllBytes(Corpus.Path("logstash-netflow", "dat", inputs[i]));
            if (persisted && i == inputs.Count - 1)
            {
                // Template-cache context: templates learnt by one session are saved and loaded into a
                // fresh session that decodes the data (decode_index counts the data file's events only).
                var snapshot = decoder.ExportTemplates();
                decoder = new FlowDecoder(options);
                Assert.True(decoder.TryImportTemplates(snapshot, out var imported));
                Assert.True(imported > 0);
                sink = new RecordingSink();
            }

            decoder.Decode(Corpus.LogstashExporter, bytes, ref sink);
        }

        int? expected = root.GetProperty("expected_event_count").ValueKind == JsonValueKind.Number ? root.GetProperty("expected_event_count").GetInt32() : null;
        var failures = new List<string>();
        var checkedFields = 0;
        foreach (var assertion in root.GetProperty("field_assertions").EnumerateArray())
        {
            var index = assertion.GetProperty("decode_index").GetInt32();
            var field = assertion.GetProperty("field").GetString()!.Replace("[netflow][", "", StringComparison.Ordinal).TrimEnd(']');
            var value = assertion.GetProperty("expected");
            if (index >= sink.Events.Count)
            {
                failures.Add($"event {index} missing for {field}");
                continue;
            }

            var result = Check(sink.Events[index], field, value);
            if (result is null)
            {
                continue;
            }

            checkedFields++;
            if (result != "")
            {
                failures.Add($"#{index} {field}: {result}");
            }
        }

        return (expected, sink.Events.Count, checkedFields, failures);
    }

    /// <summary>null = not mapped (not checked); "" = equal; otherwise the mismatch.</summary>
    private static string? Check(DecodedEvent e, string field, JsonElement expected)
    {
        var f = e.Flow;
        object? actual = field switch
        {
            "version" => e.IsOptions ? (int)e.Options.Version : (int)f.Version,
            "ipv4_src_addr" or "sourceIPv4Address" or "sourceIPv6Address" => f.SourceAddress.ToString(),
            "ipv4_dst_addr" or "destinationIPv4Address" or "destinationIPv6Address" => f.DestinationAddress.ToString(),
            "l4_src_port" or "sourceTransportPort" => f.SourcePort,
            "l4_dst_port" or "destinationTransportPort" => f.DestinationPort,
            "protocolIdentifier" => f.Protocol,
            "tcp_flags" or "tcpControlBits" => f.TcpFlags,
            "octetDeltaCount" or "in_bytes" => f.Bytes,
            "src_tos" => f.Tos,
            "src_as" => f.SourceAs,
            "dst_as" => f.DestinationAs,
            "flowStartSeconds" => new DateTimeOffset(f.StartUtc).ToUnixTimeSeconds(),
            "flowEndSeconds" => new DateTimeOffset(f.EndUtc).ToUnixTimeSeconds(),
            "flowEndMicroseconds" => f.EndUtc,
            "scope_system" => e.TryGetField(1, out var scope, scope: true) ? ToUnsigned(scope) : null,
            _ => null,
        };

        if (actual is null && RawFields.TryGetValue(field, out var ie))
        {
            if (!e.TryGetField(ie.Id, out var raw, ie.Pen, scope: false))
            {
                return "field absent";
            }

            actual = expected.ValueKind switch
            {
                JsonValueKind.Number => ToUnsigned(raw),
                _ when raw.Length == 6 && expected.GetString()!.Count(c => c == ':') == 5 => string.Join(':', raw.Select(b => b.ToString("x2", CultureInfo.InvariantCulture))),
                _ when (raw.Length == 4 || raw.Length == 16) && FlowAddress.TryParse(expected.GetString(), out _) => FlowAddress.FromBytes(raw).ToString(),
                _ => Encoding.UTF8.GetString(raw).TrimEnd('\0'),
            };
        }

        if (actual is null)
        {
            return null;
        }

        string want;
        string got;
        if (actual is DateTime dt)
        {
            // Compare at ms: Logstash 7 and 8 disagree on the sub-ms digits of the NTP-format times (RFC 7011 §6.1.10).
            var parsed = DateTime.Parse(expected.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            want = parsed.ToString("yyyy-MM-ddTHH:mm:ss.fff", CultureInfo.InvariantCulture);
            got = dt.ToString("yyyy-MM-ddTHH:mm:ss.fff", CultureInfo.InvariantCulture);
        }
        else if (expected.ValueKind == JsonValueKind.String && actual is string s)
        {
            want = FlowAddress.TryParse(expected.GetString(), out var a) ? a.ToString() : expected.GetString()!;
            got = s;
        }
        else
        {
            want = expected.ToString();
            got = Convert.ToString(actual, CultureInfo.InvariantCulture)!;
        }

        return want == got ? "" : $"expected {want}, got {got}";
    }

    private static ulong ToUnsigned(byte[] raw)
    {
        ulong v = 0;
        foreach (var b in raw.Length > 8 ? raw[^8..] : raw)
        {
            v = (v << 8) | b;
        }

        return v;
    }
}
