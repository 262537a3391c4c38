using System.Buffers.Binary;
using ReportJob.NetFlow.Decoding;

namespace ReportJob.NetFlow;

/// <summary>
/// Splits a <see cref="FlowDecoder.ExportTemplates"/> snapshot per exporter, so the store keeps one row per exporter.
/// Relies on the documented layout: magic (4), count (4), then per template a 32-byte header (exporter in the first
/// 16 bytes, field count at offset 26) and 8 bytes per field.
/// </summary>
internal static class TemplateSnapshot
{
    private const int Header = 32;
    private const int Field = 8;

    public static Dictionary<FlowAddress, byte[]> SplitByExporter(ReadOnlySpan<byte> snapshot)
    {
        var parts = new Dictionary<FlowAddress, (int Count, List<byte[]> Templates)>();
        var pos = 8;
        var count = snapshot.Length >= 8 ? BinaryPrimitives.ReadInt32BigEndian(snapshot[4..]) : 0;
        for (var i = 0; i < count && pos + Header <= snapshot.Length; i++)
        {
            var length = Header + (BinaryPrimitives.ReadUInt16BigEndian(snapshot[(pos + 26)..]) * Field);
            if (pos + length > snapshot.Length)
            {
                break;
            }

            var exporter = FlowAddress.FromIPv6(snapshot.Slice(pos, 16));
            if (!parts.TryGetValue(exporter, out var part))
            {
                part = (0, []);
            }

            part.Templates.Add(snapshot.Slice(pos, length).ToArray());
            parts[exporter] = (part.Count + 1, part.Templates);
            pos += length;
        }

        var result = new Dictionary<FlowAddress, byte[]>();
        foreach (var (exporter, (n, templates)) in parts)
        {
            var buffer = new byte[8 + templates.Sum(t => t.Length)];
            snapshot[..4].CopyTo(buffer);
            BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan(4), n);
            var at = 8;
            foreach (var t in templates)
            {
                t.CopyTo(buffer, at);
                at += t.Length;
            }

            result[exporter] = buffer;
        }

        return result;
    }
}
