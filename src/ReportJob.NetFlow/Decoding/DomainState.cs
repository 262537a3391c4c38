using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace ReportJob.NetFlow.Decoding;

/// <summary>Options-data state of one export stream (exporter, version, domain): metadata kept out of flows.</summary>
internal sealed class DomainState
{
    // Data sets name a handful of templates per stream (softflowd: 4), one set of a few records at a
    // time: a short list found by id is cheaper than a lookup by the full TemplateKey for each set.
    private const int RecentTemplateCount = 8;

    private readonly FlowTemplate?[] _recentTemplates = new FlowTemplate?[RecentTemplateCount];
    private ulong _recentGeneration;
    private int _nextRecent;

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

    /// <summary>A recently used template of this stream, if the decoder's cache has not changed since.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetRecentTemplate(ushort templateId, ulong generation, [NotNullWhen(true)] out FlowTemplate? template)
    {
        if (generation == _recentGeneration)
        {
            foreach (var t in _recentTemplates)
            {
                if (t is not null && t.Key.TemplateId == templateId)
                {
                    template = t;
                    return true;
                }
            }
        }

        template = null;
        return false;
    }

    public void RememberTemplate(FlowTemplate template, ulong generation)
    {
        if (generation != _recentGeneration)
        {
            Array.Clear(_recentTemplates);
            _recentGeneration = generation;
            _nextRecent = 0;
        }

        _recentTemplates[_nextRecent] = template;
        _nextRecent = (_nextRecent + 1) % RecentTemplateCount;
    }

    public void ClearOptions()
    {
        SystemInitMilliseconds = -1;
        DefaultSampling = 0;
        Samplers = null;
        InterfaceNames = null;
    }
}
