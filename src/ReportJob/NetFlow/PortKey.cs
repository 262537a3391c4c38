namespace ReportJob.NetFlow;

/// <summary>A protocol and destination port in one bucket; port -1 is the "other ports" row of the protocol.</summary>
internal readonly record struct PortKey(long Bucket, byte Protocol, int Port);
