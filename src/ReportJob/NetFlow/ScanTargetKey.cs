namespace ReportJob.NetFlow;

/// <summary>A target of a source's tiny flows in one hour: a host (<see cref="Port"/> -1) or a protocol/port (<see cref="Host"/> unused).</summary>
internal readonly record struct ScanTargetKey(long Hour, FlowAddress Source, FlowAddress Host, int Port);
