namespace ReportJob.Reports;

/// <summary>
/// Distinct UTF-8 keys (client addresses, states) with the index each was given, looked up straight from the bytes
/// SQLite hands out: no string per lookup. The keys live in one byte arena; an open-addressing table of entry numbers
/// (half empty at most) finds them by hash. Keys are added, never removed.
/// </summary>
internal sealed class Utf8KeyMap
{
    private int[] _slots = new int[64]; // entry number + 1; 0 = empty
    private Entry[] _entries = new Entry[32];
    private byte[] _arena = new byte[1024];
    private int _arenaUsed;

    public int Count { get; private set; }

    public bool TryGetValue(ReadOnlySpan<byte> key, out int value)
    {
        var slot = Find(key, Hash(key));
        value = _slots[slot] == 0 ? -1 : _entries[_slots[slot] - 1].Value;
        return _slots[slot] != 0;
    }

    /// <summary>Adds a key that <see cref="TryGetValue"/> did not find.</summary>
    public void Add(ReadOnlySpan<byte> key, int value)
    {
        var hash = Hash(key);
        var slot = Find(key, hash);
        if (_slots[slot] != 0)
        {
            throw new ArgumentException("The key is there already", nameof(key));
        }

        if (_arenaUsed + key.Length > _arena.Length)
        {
            Array.Resize(ref _arena, Math.Max(_arena.Length * 2, _arenaUsed + key.Length));
        }

        key.CopyTo(_arena.AsSpan(_arenaUsed));
        if (Count == _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
        }

        _entries[Count] = new Entry(hash, _arenaUsed, key.Length, value);
        _arenaUsed += key.Length;
        Count++;
        _slots[slot] = Count;
        if (Count * 2 > _slots.Length)
        {
            Grow();
        }
    }

    // Randomly seeded per process (HashCode), so that no chosen set of addresses piles up in one chain.
    private static int Hash(ReadOnlySpan<byte> key)
    {
        var hash = new HashCode();
        hash.AddBytes(key);
        return hash.ToHashCode();
    }

    /// <summary>The slot that holds <paramref name="key"/>, or the empty slot where it would go.</summary>
    private int Find(ReadOnlySpan<byte> key, int hash)
    {
        var mask = _slots.Length - 1;
        for (var slot = hash & mask; ; slot = (slot + 1) & mask)
        {
            var entry = _slots[slot];
            if (entry == 0)
            {
                return slot;
            }

            ref readonly var e = ref _entries[entry - 1];
            if (e.Hash == hash && _arena.AsSpan(e.Offset, e.Length).SequenceEqual(key))
            {
                return slot;
            }
        }
    }

    private void Grow()
    {
        _slots = new int[_slots.Length * 2];
        var mask = _slots.Length - 1;
        for (var i = 0; i < Count; i++)
        {
            var slot = _entries[i].Hash & mask;
            while (_slots[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }

            _slots[slot] = i + 1;
        }
    }

    private readonly record struct Entry(int Hash, int Offset, int Length, int Value);
}
