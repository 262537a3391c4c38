namespace ReportJob.NetFlow;

/// <summary>
/// How one exporter's records are counted: the direction policy, and the sampling interval assumed when the exporter
/// announces none (not used when the operator overrides the interval: the override is then the rate, even 1).
/// </summary>
internal readonly record struct ExporterPolicy(DirectionPolicy Direction, uint DefaultSampling, bool SamplingOverridden);
