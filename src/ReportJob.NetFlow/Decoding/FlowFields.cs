namespace ReportJob.NetFlow.Decoding;

/// <summary>
/// The raw bytes of one data record with its template, so callers can read any field, including
/// enterprise and unknown ones (they never cause a record to be dropped). Valid during the sink call only.
/// </summary>
public readonly ref struct FlowFields
{
    internal FlowFields(FlowTemplate? template, ReadOnlySpan<byte> record)
    {
        Template = template;
        RawRecord = record;
    }

    /// <summary>The template (null for v5, whose record layout is fixed).</summary>
    public FlowTemplate? Template { get; }

    /// <summary>The record's bytes as received.</summary>
    public ReadOnlySpan<byte> RawRecord { get; }

    /// <summary>Enumerates (specifier, bytes) pairs in template order.</summary>
    public FlowFieldEnumerator GetEnumerator() => new(Template, RawRecord);

    /// <summary>Finds the first field with this id (and enterprise number).</summary>
    public bool TryGetValue(ushort id, out ReadOnlySpan<byte> value, uint enterpriseNumber = 0)
    {
        foreach (var field in this)
        {
            if (field.Specifier.Id == id && field.Specifier.EnterpriseNumber == enterpriseNumber)
            {
                value = field.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Finds the first field with this id and reads it as an unsigned integer.</summary>
    public bool TryGetUInt64(ushort id, out ulong value, uint enterpriseNumber = 0)
    {
        if (TryGetValue(id, out var bytes, enterpriseNumber))
        {
            value = NetFlowReader.ReadUnsigned(bytes);
            return true;
        }

        value = 0;
        return false;
    }
}
