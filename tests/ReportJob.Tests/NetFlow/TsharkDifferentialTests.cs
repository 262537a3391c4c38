using ReportJob.NetFlow;
using ReportJob.NetFlow.Decoding;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.NetFlow;

/// <summary>
/// Differential check against Wireshark's cflow dissector: one source address (v4 or v6) per flow
/// record. Only captures where tshark is known right (it fails on H3C varstrings and IXIA) and whose
/// flow records all carry a source address are listed.
/// </summary>
public sealed class TsharkDifferentialTests
{
    [ToolTheory("tshark")]
    [InlineData("logstash-netflow/pcap/Netflow-9-valid-01.pcap")]
    [InlineData("logstash-netflow/pcap/Netflow5-mikrotik.pcap")]
    [InlineData("logstash-netflow/pcap/Netflow5-Juniper-MX80.pcap")]
    [InlineData("logstash-netflow/pcap/Netflow-9-Cisco-ASA.pcap")]
    [InlineData("logstash-netflow/pcap/Netflow-9-Cisco-ASA-2.pcap")]
    [InlineData("logstash-netflow/pcap/IPFIX-Mikrotik-RouterOS-6-39-2.pcap")]
    [InlineData("logstash-netflow/pcap/IPFIX-OpenBSD-pflow.pcap")]
    [InlineData("logstash-netflow/pcap/Netflow-9-template-with-0-length-fields.pcap")]
    public void FlowCount_CorpusPcap_EqualsTsharkDecode(string relative)
    {
        var path = Corpus.Path(relative.Split('/'));
        var stdout = ExternalTools.Run("tshark", ["-r", path, "-d", "udp.port==2055,cflow", "-T", "fields", "-e", "cflow.srcaddr", "-e", "cflow.srcaddrv6", "-E", "occurrence=a", "-E", "aggregator=,", "-E", "separator=,"]);
        var tsharkFlows = stdout.Split('\n').SelectMany(l => l.Split(',')).Count(t => t.Trim().Length > 0);

        var decoder = new FlowDecoder(new FlowDecoderOptions { TemplateIdleTimeout = TimeSpan.Zero });
        var (sink, _, _) = Corpus.DecodeCaptures([path], decoder);

        Assert.True(tsharkFlows > 0);
        Assert.Equal(tsharkFlows, sink.Flows.Count());
    }
}
