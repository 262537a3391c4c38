using ReportJob.NetFlow.Decoding;

namespace ReportJob.NetFlow;

/// <summary>An export stream: exporter, version and observation domain (v9 Source ID, IPFIX domain, v5 engine).</summary>
internal readonly record struct QualityKey(FlowAddress Exporter, int Version, uint Domain);
