using System.Runtime.InteropServices;

namespace ReportJob.NetFlow.Decoding;

/// <summary>
/// A cached (options) template and its precompiled field plan: the plan is built once per
/// definition so data records are decoded without looking at field ids again.
/// </summary>
public sealed class FlowTemplate
{
    private readonly TemplateField[] _fields;

    internal FlowTemplate(TemplateKey key, bool isOptions, int scopeFieldCount, TemplateField[] fields)
    {
        Key = key;
        IsOptionsTemplate = isOptions;
        ScopeFieldCount = scopeFieldCount;
        _fields = fields;
        var fixedLength = 0;
        var variable = false;
        foreach (var f in fields)
        {
            if (f.IsVariableLength)
            {
                variable = true;
                fixedLength += 1;
            }
            else
            {
                fixedLength += f.Length;
            }
        }

        IsVariableLength = variable;
        MinimumRecordLength = fixedLength;
        HasShortCounters = !isOptions && HasShortCounter(fields);
        Plan = Compile(fields, variable);
        Layout = variable || isOptions ? null : FixedRecordLayout.TryCreate(Plan, fixedLength);
    }

    /// <summary>The template's identity.</summary>
    public TemplateKey Key { get; }

    /// <summary>True for an options template.</summary>
    public bool IsOptionsTemplate { get; }

    /// <summary>Number of leading scope fields (options templates; 0 otherwise).</summary>
    public int ScopeFieldCount { get; }

    /// <summary>The field specifiers in order.</summary>
    public ReadOnlySpan<TemplateField> Fields => _fields;

    /// <summary>True when at least one field is variable-length.</summary>
    public bool IsVariableLength { get; }

    /// <summary>Record length for fixed templates; the least possible length otherwise.</summary>
    public int MinimumRecordLength { get; }

    /// <summary>True when a byte or packet counter of this flow template is 1 to 3 bytes long (<see cref="ExportDeviations.ShortCounters"/>).</summary>
    public bool HasShortCounters { get; }

    internal FieldOp[] Plan { get; }

    /// <summary>The plan resolved to one slot per record value (fixed flow templates), or null.</summary>
    internal FixedRecordLayout? Layout { get; }

    /// <summary>Export time (Unix seconds) of the packet that last carried or used this template.</summary>
    internal uint LastSeenExportSeconds { get; set; }

    // TemplateField is three integers without padding, so equal bytes are equal fields; the byte compare
    // is precompiled and vectorised (every template refresh, re-sent every few seconds or packets over UDP,
    // RFC 7011 §8.4, comes through here).
    internal bool SameDefinition(bool isOptions, int scopeFieldCount, ReadOnlySpan<TemplateField> fields) =>
        isOptions == IsOptionsTemplate && scopeFieldCount == ScopeFieldCount
        && MemoryMarshal.AsBytes(fields).SequenceEqual(MemoryMarshal.AsBytes(_fields.AsSpan()));

    private static FieldOp[] Compile(TemplateField[] fields, bool variable)
    {
        // Fixed templates: only the fields we use, at precomputed offsets. Variable templates: every
        // field in order, because offsets are only known while walking the record (RFC 7011 §7).
        var ops = new List<FieldOp>(fields.Length);
        var offset = 0;
        foreach (var f in fields)
        {
            var kind = f.EnterpriseNumber == 0 ? Classify(f.Id) : FieldKind.Skip;
            if (variable || kind != FieldKind.Skip)
            {
                ops.Add(new FieldOp(kind, (ushort)Math.Min(offset, ushort.MaxValue), f.Length));
            }

            offset += f.IsVariableLength ? 0 : f.Length;
        }

        return [.. ops];
    }

    private static bool HasShortCounter(TemplateField[] fields)
    {
        foreach (var f in fields)
        {
            if (f.EnterpriseNumber == 0 && f.Id is 1 or 2 or 23 or 24 or 85 or 86 && f.Length is >= 1 and <= 3)
            {
                return true;
            }
        }

        return false;
    }

    private static FieldKind Classify(ushort id) => id switch
    {
        1 => FieldKind.Bytes,
        2 => FieldKind.Packets,
        3 => FieldKind.FlowCount,
        4 => FieldKind.Protocol,
        5 => FieldKind.Tos,
        6 => FieldKind.TcpFlags,
        7 => FieldKind.SourcePort,
        8 or 27 => FieldKind.SourceAddress,
        9 or 29 => FieldKind.SourceMask,
        10 => FieldKind.InputInterface,
        11 => FieldKind.DestinationPort,
        12 or 28 => FieldKind.DestinationAddress,
        13 or 30 => FieldKind.DestinationMask,
        14 => FieldKind.OutputInterface,
        15 or 62 => FieldKind.NextHop,
        16 => FieldKind.SourceAs,
        17 => FieldKind.DestinationAs,
        21 => FieldKind.LastUptime,
        22 => FieldKind.FirstUptime,
        23 => FieldKind.BytesFallback,
        24 => FieldKind.PacketsFallback,
        34 => FieldKind.SamplingInterval,
        // v9 FLOW_SAMPLER_ID (RFC 3954 §8) / IPFIX samplerId (deprecated) and selectorId.
        48 or 302 => FieldKind.SamplerId,
        // v9 FLOW_SAMPLER_RANDOM_INTERVAL / IPFIX samplerRandomInterval.
        50 => FieldKind.SamplingInterval,
        61 => FieldKind.Direction,
        85 => FieldKind.BytesTotal,
        86 => FieldKind.PacketsTotal,
        150 => FieldKind.StartSeconds,
        151 => FieldKind.EndSeconds,
        152 => FieldKind.StartMilliseconds,
        153 => FieldKind.EndMilliseconds,
        154 or 156 => FieldKind.StartNtp,
        155 or 157 => FieldKind.EndNtp,
        158 => FieldKind.StartDeltaMicroseconds,
        159 => FieldKind.EndDeltaMicroseconds,
        160 => FieldKind.SystemInitTime,
        305 => FieldKind.SamplingPacketInterval,
        306 => FieldKind.SamplingPacketSpace,
        309 => FieldKind.SamplingSize,
        310 => FieldKind.SamplingPopulation,
        _ => FieldKind.Skip,
    };
}
