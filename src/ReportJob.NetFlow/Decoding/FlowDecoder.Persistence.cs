using System.Buffers.Binary;

namespace ReportJob.NetFlow.Decoding;

public sealed partial class FlowDecoder
{
    // "RJT1": format tag of the template snapshot.
    private const uint SnapshotMagic = 0x524A_5431;
    private const int SnapshotTemplateHeader = 16 + 1 + 1 + 4 + 2 + 2 + 2 + 4;
    private const int SnapshotFieldLength = 8;

    /// <summary>A snapshot of the cached templates (for inspection).</summary>
    public IReadOnlyList<FlowTemplate> GetTemplates() => [.. _templates.Values];

    /// <summary>
    /// Serialises the template cache to a compact byte array (pmacct nfacctd_templates_file, goflow2
    /// persistence), so the caller can persist templates across restarts or seed another session.
    /// Layout (big-endian): magic, count, then per template: exporter (16), version (1), options (1),
    /// domain (4), template id (2), scope count (2), field count (2), last seen (4), fields (id 2, length 2, PEN 4).
    /// </summary>
    public byte[] ExportTemplates()
    {
        var size = 8;
        foreach (var t in _templates.Values)
        {
            size += SnapshotTemplateHeader + (t.Fields.Length * SnapshotFieldLength);
        }

        var buffer = new byte[size];
        var span = buffer.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(span, SnapshotMagic);
        BinaryPrimitives.WriteInt32BigEndian(span[4..], _templates.Count);
        var pos = 8;
        foreach (var t in _templates.Values)
        {
            t.Key.Exporter.WriteBytes(span[pos..]);
            span[pos + 16] = (byte)t.Key.Version;
            span[pos + 17] = t.IsOptionsTemplate ? (byte)1 : (byte)0;
            BinaryPrimitives.WriteUInt32BigEndian(span[(pos + 18)..], t.Key.ObservationDomain);
            BinaryPrimitives.WriteUInt16BigEndian(span[(pos + 22)..], t.Key.TemplateId);
            BinaryPrimitives.WriteUInt16BigEndian(span[(pos + 24)..], (ushort)t.ScopeFieldCount);
            BinaryPrimitives.WriteUInt16BigEndian(span[(pos + 26)..], (ushort)t.Fields.Length);
            BinaryPrimitives.WriteUInt32BigEndian(span[(pos + 28)..], t.LastSeenExportSeconds);
            pos += SnapshotTemplateHeader;
            foreach (var f in t.Fields)
            {
                BinaryPrimitives.WriteUInt16BigEndian(span[pos..], f.Id);
                BinaryPrimitives.WriteUInt16BigEndian(span[(pos + 2)..], f.Length);
                BinaryPrimitives.WriteUInt32BigEndian(span[(pos + 4)..], f.EnterpriseNumber);
                pos += SnapshotFieldLength;
            }
        }

        return buffer;
    }

    /// <summary>
    /// Loads templates exported by <see cref="ExportTemplates"/> (replacing cached ones with the same key).
    /// Returns false, importing nothing, when the snapshot is malformed.
    /// </summary>
    public bool TryImportTemplates(ReadOnlySpan<byte> snapshot, out int imported)
    {
        imported = 0;
        var reader = new NetFlowReader(snapshot);
        if (!reader.TryReadUInt32(out var magic) || magic != SnapshotMagic || !reader.TryReadUInt32(out var count))
        {
            return false;
        }

        var parsed = new List<FlowTemplate>();
        for (var i = 0u; i < count; i++)
        {
            if (!reader.TryReadBytes(16, out var address) || !reader.TryReadUInt8(out var version) || !reader.TryReadUInt8(out var options)
                || !reader.TryReadUInt32(out var domain) || !reader.TryReadUInt16(out var id) || !reader.TryReadUInt16(out var scope)
                || !reader.TryReadUInt16(out var fieldCount) || !reader.TryReadUInt32(out var lastSeen))
            {
                return false;
            }

            if (version is not (9 or 10) || id < 256 || fieldCount == 0 || fieldCount > _fieldScratch.Length || scope > fieldCount)
            {
                return false;
            }

            var fields = new TemplateField[fieldCount];
            for (var f = 0; f < fieldCount; f++)
            {
                if (!reader.TryReadUInt16(out var fid) || !reader.TryReadUInt16(out var length) || !reader.TryReadUInt32(out var pen))
                {
                    return false;
                }

                fields[f] = new TemplateField(fid, length, pen);
            }

            var key = new TemplateKey(FlowAddress.FromIPv6(address), (NetFlowVersion)version, domain, id);
            var template = new FlowTemplate(key, options != 0, scope, fields) { LastSeenExportSeconds = lastSeen };
            if (template.MinimumRecordLength == 0)
            {
                return false;
            }

            parsed.Add(template);
        }

        foreach (var t in parsed)
        {
            _templates[t.Key] = t;
        }

        _templateGeneration++;

        imported = parsed.Count;
        return true;
    }
}
