namespace ReportJob.NetFlow.Decoding;

/// <summary>
/// Bounded IPv4 fragment reassembly (RFC 791 §3.2), keyed by (source, destination, id, protocol).
/// Partial datagrams time out after a number of frames or capture time; the table is capped.
/// </summary>
internal sealed class Ipv4Reassembler
{
    private const int MaxDatagram = 65_535;

    private readonly CaptureReaderOptions _options;
    private readonly CaptureStatistics _statistics;
    private readonly List<Entry> _entries = [];

    public Ipv4Reassembler(CaptureReaderOptions options, CaptureStatistics statistics)
    {
        _options = options;
        _statistics = statistics;
    }

    /// <summary>Adds a fragment; returns the whole IP payload length in <paramref name="assembled"/> when complete.</summary>
    public bool TryAdd(uint source, uint destination, ushort id, byte protocol, int offset, bool moreFragments, ReadOnlySpan<byte> data, long frame, long ticks, out byte[] assembled, out int length)
    {
        _statistics.FragmentsReceived++;
        assembled = [];
        length = 0;
        Expire(frame, ticks);

        var entry = Find(source, destination, id, protocol);
        if (offset + data.Length > MaxDatagram || (moreFragments && data.Length % 8 != 0))
        {
            _statistics.FragmentsDropped++;
            if (entry is not null)
            {
                Drop(entry);
            }

            return false;
        }

        if (entry is null)
        {
            if (_entries.Count >= _options.MaxFragmentedDatagrams)
            {
                Drop(_entries[0]);
            }

            entry = new Entry(source, destination, id, protocol, frame, ticks);
            _entries.Add(entry);
        }

        data.CopyTo(entry.Data.AsSpan(offset));
        entry.Fragments++;
        var firstBlock = offset / 8;
        var lastBlock = (offset + data.Length + 7) / 8;
        for (var b = firstBlock; b < lastBlock; b++)
        {
            entry.Blocks[b >> 6] |= 1UL << (b & 63);
        }

        if (!moreFragments)
        {
            entry.TotalLength = offset + data.Length;
        }

        if (entry.TotalLength < 0)
        {
            return false;
        }

        var blocks = (entry.TotalLength + 7) / 8;
        for (var b = 0; b < blocks; b++)
        {
            if ((entry.Blocks[b >> 6] & (1UL << (b & 63))) == 0)
            {
                return false;
            }
        }

        _entries.Remove(entry);
        _statistics.DatagramsReassembled++;
        assembled = entry.Data;
        length = entry.TotalLength;
        return true;
    }

    private Entry? Find(uint source, uint destination, ushort id, byte protocol)
    {
        foreach (var e in _entries)
        {
            if (e.Source == source && e.Destination == destination && e.Id == id && e.Protocol == protocol)
            {
                return e;
            }
        }

        return null;
    }

    private void Expire(long frame, long ticks)
    {
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            var e = _entries[i];
            if (frame - e.FirstFrame > _options.FragmentTimeoutFrames || Math.Abs(ticks - e.FirstTicks) > _options.FragmentTimeout.Ticks)
            {
                Drop(e);
            }
        }
    }

    private void Drop(Entry entry)
    {
        _statistics.FragmentsDropped += entry.Fragments;
        _entries.Remove(entry);
    }

    private sealed class Entry(uint source, uint destination, ushort id, byte protocol, long firstFrame, long firstTicks)
    {
        public uint Source { get; } = source;

        public uint Destination { get; } = destination;

        public ushort Id { get; } = id;

        public byte Protocol { get; } = protocol;

        public long FirstFrame { get; } = firstFrame;

        public long FirstTicks { get; } = firstTicks;

        public byte[] Data { get; } = new byte[MaxDatagram];

        public ulong[] Blocks { get; } = new ulong[(MaxDatagram / 8 / 64) + 1];

        public int TotalLength { get; set; } = -1;

        public int Fragments { get; set; }
    }
}
