namespace ReportJob.NetFlow.Decoding;

/// <summary>Walks the fields of one record by the template's lengths (RFC 7011 §7 for variable length).</summary>
public ref struct FlowFieldEnumerator
{
    private readonly FlowTemplate? _template;
    private readonly ReadOnlySpan<byte> _record;
    private int _index;
    private int _offset;
    private FlowField _current;

    internal FlowFieldEnumerator(FlowTemplate? template, ReadOnlySpan<byte> record)
    {
        _template = template;
        _record = record;
        _index = 0;
        _offset = 0;
        _current = default;
    }

    /// <summary>The current field.</summary>
    public readonly FlowField Current => _current;

    /// <summary>Moves to the next field; false at the end or when the record is shorter than the template says.</summary>
    public bool MoveNext()
    {
        if (_template is null)
        {
            return false;
        }

        var fields = _template.Fields;
        if (_index >= fields.Length)
        {
            return false;
        }

        var spec = fields[_index];
        var reader = new NetFlowReader(_record[_offset..]);
        int length = spec.Length;
        if (spec.IsVariableLength)
        {
            if (!TemplateDecoding.TryReadVariableLength(ref reader, out length))
            {
                return false;
            }
        }

        if (!reader.TryReadBytes(length, out var value))
        {
            return false;
        }

        _offset += reader.Position;
        _current = new FlowField(spec, value, _index < _template.ScopeFieldCount);
        _index++;
        return true;
    }
}
