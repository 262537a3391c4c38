namespace ReportJob.NetFlow.Decoding;

/// <summary>One field specifier of a template (RFC 3954 §5.2, RFC 7011 §3.2).</summary>
/// <param name="Id">Field type / information element id (without the enterprise bit).</param>
/// <param name="Length">Declared length; 65535 means variable length (RFC 7011 §7).</param>
/// <param name="EnterpriseNumber">IANA PEN for enterprise-specific IPFIX elements, 0 otherwise.</param>
public readonly record struct TemplateField(ushort Id, ushort Length, uint EnterpriseNumber)
{
    /// <summary>The length value that marks a variable-length field.</summary>
    public const ushort VariableLength = 0xFFFF;

    /// <summary>True when the field carries its own length in the data record.</summary>
    public bool IsVariableLength => Length == VariableLength;
}
