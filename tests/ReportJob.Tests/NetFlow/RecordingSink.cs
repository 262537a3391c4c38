using ReportJob.NetFlow;
using ReportJob.NetFlow.Decoding;

namespace ReportJob.Tests.NetFlow;

/// <summary>A decoded event kept for assertions: a flow or an options record with its raw fields.</summary>
internal sealed record DecodedEvent(bool IsOptions, FlowRecord Flow, OptionsRecord Options, IReadOnlyList<(uint Pen, ushort Id, bool IsScope, byte[] Value)> Fields)
{
    public bool TryGetField(ushort id, out byte[] value, uint pen = 0, bool? scope = null)
    {
        foreach (var f in Fields)
        {
            if (f.Id == id && f.Pen == pen && (scope is null || f.IsScope == scope))
            {
                value = f.Value;
                return true;
            }
        }

        value = [];
        return false;
    }
}

/// <summary>Struct sink that records everything (tests only: it allocates).</summary>
internal struct RecordingSink : IFlowSink
{
    public RecordingSink()
    {
    }

    public List<DecodedEvent> Events { get; } = [];

    public List<TemplateEvent> Templates { get; } = [];

    public readonly IEnumerable<FlowRecord> Flows => Events.Where(e => !e.IsOptions).Select(e => e.Flow);

    public readonly void OnFlow(in FlowRecord record, FlowFields fields) => Events.Add(new DecodedEvent(false, record, default, Copy(fields)));

    public readonly void OnOptions(in OptionsRecord record, FlowFields fields) => Events.Add(new DecodedEvent(true, default, record, Copy(fields)));

    public readonly void OnTemplate(in TemplateEvent templateEvent) => Templates.Add(templateEvent);

    private static List<(uint, ushort, bool, byte[])> Copy(FlowFields fields)
    {
        var list = new List<(uint, ushort, bool, byte[])>();
        foreach (var f in fields)
        {
            list.Add((f.Specifier.EnterpriseNumber, f.Specifier.Id, f.IsScope, f.Value.ToArray()));
        }

        return list;
    }
}

/// <summary>Struct sink that only counts (used by robustness and differential tests).</summary>
internal struct CountingSink : IFlowSink
{
    public long Flows;
    public long Options;
    public long Templates;
    public ulong Bytes;

    public void OnFlow(in FlowRecord record, FlowFields fields)
    {
        Flows++;
        Bytes += record.Bytes;
        foreach (var f in fields)
        {
            _ = f.Value.Length;
        }
    }

    public void OnOptions(in OptionsRecord record, FlowFields fields) => Options++;

    public void OnTemplate(in TemplateEvent templateEvent) => Templates++;
}
