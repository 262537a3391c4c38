namespace ReportJob.NetFlow.Decoding;

/// <summary>Helpers shared by the template and data paths.</summary>
internal static class TemplateDecoding
{
    /// <summary>RFC 7011 §7: one length byte, or 255 followed by a two-byte length.</summary>
    public static bool TryReadVariableLength(ref NetFlowReader reader, out int length)
    {
        var probe = reader;
        if (!probe.TryReadUInt8(out var first))
        {
            length = 0;
            return false;
        }

        if (first < 255)
        {
            reader = probe;
            length = first;
            return true;
        }

        if (!probe.TryReadUInt16(out var longLength))
        {
            length = 0;
            return false;
        }

        reader = probe;
        length = longLength;
        return true;
    }
}
