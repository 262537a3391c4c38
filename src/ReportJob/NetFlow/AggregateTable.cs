using System.Runtime.CompilerServices;

namespace ReportJob.NetFlow;

/// <summary>
/// The aggregation tables of the ingest: an open-addressing hash table (linear probing, power-of-two capacity, at most
/// 3/4 full) of value-type keys and counters, stored inline in one array, so a lookup touches one cache line where
/// <see cref="Dictionary{TKey,TValue}"/> touches two (bucket and entry). Keys hash without a per-process seed
/// (<see cref="IAggregateKey{TKey}"/>), so the order of enumeration, and with it which of equal entries a top-N keeps,
/// is the same on every run. No removal: a table is filled, drained, then cleared and reused (its capacity kept, so a
/// reused table neither grows again nor asks the OS for fresh pages).
/// </summary>
internal sealed class AggregateTable<TKey, TValue>
    where TKey : struct, IAggregateKey<TKey>
    where TValue : struct
{
    private Entry[] _entries;
    private int _shift;
    private int _count;
    private int _growAt;

    /// <summary>A table that holds <paramref name="capacity"/> entries before it first grows.</summary>
    public AggregateTable(int capacity = 48)
    {
        capacity = (int)Math.Min((long)capacity * 4 / 3 + 1, 1 << 30);
        var size = (int)Math.Max(16, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity));
        _entries = new Entry[size];
        _shift = 64 - System.Numerics.BitOperations.Log2((uint)size);
        _growAt = size / 4 * 3;
    }

    public int Count => _count;

    /// <summary>Empties the table, keeping its capacity.</summary>
    public void Clear()
    {
        Array.Clear(_entries);
        _count = 0;
    }

    /// <summary>The counters of <paramref name="key"/>, added as default when new.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref TValue GetOrAdd(in TKey key) => ref GetOrAdd(key, out _);

    /// <summary>The counters of <paramref name="key"/>, added as default when new (<paramref name="added"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref TValue GetOrAdd(in TKey key, out bool added)
    {
        var hash = key.Hash() | 1;
        ref var e = ref Probe(key, hash);
        added = e.Hash == 0;
        if (!added)
        {
            return ref e.Value;
        }

        if (_count >= _growAt)
        {
            return ref AddAfterGrowing(key);
        }

        e.Hash = hash;
        e.Key = key;
        _count++;
        return ref e.Value;
    }

    /// <summary>The counters of <paramref name="key"/>, or a null reference (<see cref="Unsafe.IsNullRef{T}(ref readonly T)"/>) when absent.</summary>
    public ref TValue Find(in TKey key)
    {
        ref var e = ref Probe(key, key.Hash() | 1);
        if (e.Hash == 0)
        {
            return ref Unsafe.NullRef<TValue>();
        }

        return ref e.Value;
    }

    public Enumerator GetEnumerator() => new(_entries);

    /// <summary>The slots that hold an entry, in slot order (for <see cref="KeyAt"/> and <see cref="ValueAt"/>).</summary>
    public int[] UsedSlots()
    {
        var slots = new int[_count];
        var n = 0;
        var entries = _entries;
        for (var i = 0; i < entries.Length; i++)
        {
            if (entries[i].Hash != 0)
            {
                slots[n++] = i;
            }
        }

        return slots;
    }

    public ref readonly TKey KeyAt(int slot) => ref _entries[slot].Key;

    public ref readonly TValue ValueAt(int slot) => ref _entries[slot].Value;

    /// <summary>The key's entry, or the empty slot where it belongs (linear probing from the hash's home slot).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref Entry Probe(in TKey key, ulong hash)
    {
        var entries = _entries;
        var mask = entries.Length - 1;
        var i = (int)((hash * 0x9E37_79B9_7F4A_7C15UL) >> _shift);
        while (true)
        {
            ref var e = ref entries[i];
            if (e.Hash == 0 || (e.Hash == hash && e.Key.Equals(key)))
            {
                return ref e;
            }

            i = (i + 1) & mask;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ref TValue AddAfterGrowing(in TKey key)
    {
        var old = _entries;
        _entries = new Entry[old.Length * 2];
        _shift--;
        _growAt = _entries.Length / 4 * 3;
        var mask = _entries.Length - 1;
        foreach (ref var o in old.AsSpan())
        {
            if (o.Hash != 0)
            {
                var j = (int)((o.Hash * 0x9E37_79B9_7F4A_7C15UL) >> _shift);
                while (_entries[j].Hash != 0)
                {
                    j = (j + 1) & mask;
                }

                _entries[j] = o;
            }
        }

        return ref GetOrAdd(key);
    }

    internal struct Entry
    {
        public ulong Hash;   // 0 = empty slot; a stored hash always has its low bit set
        public TKey Key;
        public TValue Value;
    }

    /// <summary>Enumerates the entries in slot order.</summary>
    public struct Enumerator(Entry[] entries)
    {
        private int _index = -1;

        public readonly KeyValuePair<TKey, TValue> Current => new(entries[_index].Key, entries[_index].Value);

        public bool MoveNext()
        {
            while (++_index < entries.Length)
            {
                if (entries[_index].Hash != 0)
                {
                    return true;
                }
            }

            return false;
        }
    }
}

/// <summary>A key of an <see cref="AggregateTable{TKey,TValue}"/>: equality plus a well-mixed hash without a per-process seed.</summary>
internal interface IAggregateKey<TKey> : IEquatable<TKey>
    where TKey : struct
{
    ulong Hash();
}

/// <summary>Hash mixing for the aggregation keys (the finaliser of MurmurHash3's 64-bit variant).</summary>
internal static class AggregateHash
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong x)
    {
        x ^= x >> 33;
        x *= 0xFF51_AFD7_ED55_8CCDUL;
        x ^= x >> 33;
        return x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Of(FlowAddress a) => Mix(a.Low ^ (a.High * 0xC2B2_AE3D_27D4_EB4FUL));
}
