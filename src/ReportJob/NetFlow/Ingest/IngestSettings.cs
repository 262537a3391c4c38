using ReportJob.NetFlow.Decoding;

namespace ReportJob.NetFlow;

/// <summary>The options resolved once for a run: per-exporter policies keyed by <see cref="FlowAddress"/>, no strings per record.</summary>
internal sealed class IngestSettings
{
    private readonly Dictionary<FlowAddress, ExporterPolicy> _policies = [];

    public IngestSettings(NetFlowOptions options)
    {
        DirectionPolicies.TryParse(options.Direction, out var direction);
        Default = new ExporterPolicy(direction, (uint)options.DefaultSamplingInterval, false);
        var overrides = new Dictionary<FlowAddress, uint>();
        foreach (var e in options.Exporters)
        {
            var address = FlowAddress.Parse(e.Address);
            var policy = Default;
            if (e.Direction is not null && DirectionPolicies.TryParse(e.Direction, out var d))
            {
                policy = policy with { Direction = d };
            }

            if (e.DefaultSamplingInterval is { } s)
            {
                policy = policy with { DefaultSampling = (uint)s };
            }

            if (e.SamplingInterval is { } rate)
            {
                overrides[address] = (uint)rate;
                policy = policy with { SamplingOverridden = true };
            }

            _policies[address] = policy;
        }

        SamplingOverrides = overrides;
        BucketTicks = options.BucketLength.Ticks;
        TopN = options.TopN;
        MaxEntriesInMemory = options.MaxEntriesInMemory;
        Scan = options.Scan;
        Dos = options.Dos;
        Mail = options.MailFanOut;
    }

    public ExporterPolicy Default { get; }

    /// <summary>Operator overrides, handed to the decoder (they win over anything exported).</summary>
    public IReadOnlyDictionary<FlowAddress, uint> SamplingOverrides { get; }

    public long BucketTicks { get; }

    public int TopN { get; }

    public int MaxEntriesInMemory { get; }

    public ScanOptions Scan { get; }

    public DosOptions Dos { get; }

    public MailFanOutOptions Mail { get; }

    public ExporterPolicy PolicyFor(FlowAddress exporter) => _policies.TryGetValue(exporter, out var p) ? p : Default;
}
