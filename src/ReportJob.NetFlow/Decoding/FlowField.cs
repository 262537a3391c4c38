namespace ReportJob.NetFlow.Decoding;

/// <summary>One raw field of a data record: its specifier and its bytes (valid during the sink call only).</summary>
public readonly ref struct FlowField
{
    internal FlowField(TemplateField specifier, ReadOnlySpan<byte> value, bool isScope)
    {
        Specifier = specifier;
        Value = value;
        IsScope = isScope;
    }

    /// <summary>The template's field specifier (id, declared length, enterprise number).</summary>
    public TemplateField Specifier { get; }

    /// <summary>The field's bytes (for variable-length fields without the length prefix).</summary>
    public ReadOnlySpan<byte> Value { get; }

    /// <summary>True for a scope field of an options record.</summary>
    public bool IsScope { get; }

    /// <summary>The value as an unsigned big-endian integer of any length 1–8.</summary>
    public ulong ToUInt64() => NetFlowReader.ReadUnsigned(Value);
}
