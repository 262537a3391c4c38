using System.Buffers.Binary;

namespace ReportJob.Snapshots;

/// <summary>
/// The runs still open at a server's latest snapshot, as the one value <c>snapshot_server.open_runs</c> holds: rewritten
/// with each snapshot, so that a run is written as a row once, when it ends, at the end of the table. Layout: a format
/// byte (1), then per run: seq, and the open snapshot's key minus the first snapshot's, as unsigned LEB128 varints;
/// remote address length (1 byte) and bytes (4, 16 or 20, as in the rows), remote port (2 bytes, little-endian); the
/// local address the same way and its port with the key's copy number above its 16 bits (as the rows keep it) as an
/// unsigned varint; state (1); a flags byte (1: creation time follows, 2: first-seen time follows);
/// then those times as the first snapshot's time minus them, in ticks, zigzag LEB128 varints.
/// </summary>
internal static class OpenRuns
{
    private const byte Format = 1;
    private const byte HasCreated = 1;
    private const byte HasFirstSeen = 2;
    private const int MaxRunLength = 10 + 10 + 1 + RunAddress.MaxLength + 2 + 1 + RunAddress.MaxLength + 5 + 1 + 1 + 10 + 10;

    public static byte[] Encode(IReadOnlyCollection<ConnectionRun> runs, long openAt)
    {
        byte[]? buffer = null;
        var length = Encode(runs, runs.Count, openAt, ref buffer);
        return buffer[..length];
    }

    /// <summary>Writes <paramref name="count"/> runs open at <paramref name="openAt"/> into <paramref name="buffer"/> (grown when too small, else reused); returns the length written.</summary>
    public static int Encode(IEnumerable<ConnectionRun> runs, int count, long openAt, [System.Diagnostics.CodeAnalysis.NotNull] ref byte[]? buffer)
    {
        var needed = 1 + (count * MaxRunLength);
        if (buffer is null || buffer.Length < needed)
        {
            buffer = new byte[needed];
        }

        var span = buffer.AsSpan();
        span[0] = Format;
        var at = 1;
        foreach (var r in runs)
        {
            at += Unsigned(span[at..], (ulong)r.Seq);
            at += Unsigned(span[at..], (ulong)(openAt - r.First));
            at += Address(span[at..], r.Key.Remote);
            BinaryPrimitives.WriteUInt16LittleEndian(span[at..], (ushort)r.Key.RemotePort);
            at += 2;
            at += Address(span[at..], r.Key.Local);
            at += Unsigned(span[at..], (ulong)r.Key.StoredLocalPort);
            span[at++] = (byte)r.State;
            span[at++] = (byte)((r.CreatedTicks is null ? 0 : HasCreated) | (r.FirstSeenTicks is null ? 0 : HasFirstSeen));
            var firstTicks = RunTime.FromKey(r.First).Ticks;
            if (r.CreatedTicks is { } created)
            {
                at += Signed(span[at..], firstTicks - created);
            }

            if (r.FirstSeenTicks is { } firstSeen)
            {
                at += Signed(span[at..], firstTicks - firstSeen);
            }
        }

        return at;
    }

    /// <summary>The runs back, open (<see cref="RunTime.Open"/>); a value that is not what <see cref="Encode(IEnumerable{ConnectionRun}, int, long, ref byte[])"/> writes is an <see cref="InvalidDataException"/> that says where.</summary>
    public static List<ConnectionRun> Decode(ReadOnlySpan<byte> value, int serverId, long openAt)
    {
        var runs = new List<ConnectionRun>();
        if (value.IsEmpty)
        {
            return runs;
        }

        if (value[0] != Format)
        {
            throw new InvalidDataException($"open_runs of server {serverId}: format {value[0]}, not {Format}");
        }

        var reader = new Reader(value[1..], serverId);
        while (!reader.End)
        {
            var seq = (long)reader.Unsigned();
            var first = openAt - (long)reader.Unsigned();
            var remote = reader.Address();
            var remotePort = reader.Port();
            var local = reader.Address();
            var storedLocalPort = reader.Unsigned();
            if (storedLocalPort > int.MaxValue || !ConnectionKey.TryStored(local, (long)storedLocalPort, remote, remotePort, out var key))
            {
                throw reader.Bad($"local port {storedLocalPort} is not a port (with its copy number above 16 bits)");
            }

            var state = (TcpState)reader.Byte();
            if (!Enum.IsDefined(state))
            {
                throw reader.Bad($"state {(int)state} is not a TCP state");
            }

            var flags = reader.Byte();
            var firstTicks = RunTime.FromKey(first).Ticks;
            long? created = (flags & HasCreated) != 0 ? firstTicks - reader.Signed() : null;
            long? firstSeen = (flags & HasFirstSeen) != 0 ? firstTicks - reader.Signed() : null;
            runs.Add(new ConnectionRun(serverId, seq, first, RunTime.Open, key, state, created, firstSeen));
        }

        return runs;
    }

    private static int Address(Span<byte> destination, RunAddress address)
    {
        var length = address.Write(destination[1..]);
        destination[0] = (byte)length;
        return 1 + length;
    }

    private static int Unsigned(Span<byte> destination, ulong value)
    {
        var at = 0;
        while (value >= 0x80)
        {
            destination[at++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[at++] = (byte)value;
        return at;
    }

    private static int Signed(Span<byte> destination, long value) => Unsigned(destination, (ulong)((value << 1) ^ (value >> 63)));

    /// <summary>Reads the value forward, each read checked against what is left.</summary>
    private ref struct Reader(ReadOnlySpan<byte> value, int serverId)
    {
        private ReadOnlySpan<byte> _rest = value;
        private readonly int _length = value.Length;

        public readonly bool End => _rest.IsEmpty;

        public byte Byte() => Take(1)[0];

        public ulong Unsigned()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = Byte();
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }

            throw Bad("a number longer than 64 bits");
        }

        public long Signed()
        {
            var zigzag = Unsigned();
            return (long)(zigzag >> 1) ^ -(long)(zigzag & 1);
        }

        public RunAddress Address()
        {
            var length = Byte();
            return RunAddress.Read(Take(length)) ?? throw Bad($"an address of {length} bytes");
        }

        public int Port() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

        public readonly InvalidDataException Bad(string problem) =>
            new($"open_runs of server {serverId}, byte {1 + _length - _rest.Length}: {problem}");

        private ReadOnlySpan<byte> Take(int count)
        {
            if (_rest.Length < count)
            {
                throw Bad($"ends {count - _rest.Length} bytes early");
            }

            var taken = _rest[..count];
            _rest = _rest[count..];
            return taken;
        }
    }
}
