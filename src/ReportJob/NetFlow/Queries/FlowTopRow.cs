namespace ReportJob.NetFlow;

/// <summary>One ranked key with its traffic (sampling applied). For sites, the in/out split is filled and the totals are in + out.</summary>
public sealed record FlowTopRow(string Key, long Flows, long Packets, long Bytes, long? BytesIn = null, long? BytesOut = null);
