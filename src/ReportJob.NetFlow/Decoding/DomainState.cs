namespace ReportJob.NetFlow;

/// <summary>Options-data state of one export stream (exporter, version, domain): metadata kept out of flows.</summary>
internal sealed class DomainState
{
    public bool SequenceKnown { get; set; }

    public uint ExpectedSequence { get; set; }

    public bool UptimeKnown { get; set; }

    public uint LastUptime { get; set; }

    public uint LastExportSeconds { get; set; }

    /// <summary>systemInitTimeMilliseconds (IE 160) from options data, or -1.</summary>
    public long SystemInitMilliseconds { get; set; } = -1;

    /// <summary>Sampling interval announced without a sampler id (0 = none announced).</summary>
    public uint DefaultSampling { get; set; }

    public Dictionary<ulong, uint>? Samplers { get; set; }

    public Dictionary<uint, string>? InterfaceNames { get; set; }

    public void ClearOptions()
    {
        SystemInitMilliseconds = -1;
        DefaultSampling = 0;
        Samplers = null;
        InterfaceNames = null;
    }
}
